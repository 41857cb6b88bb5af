/* gst-stt — umbrella header of libstt.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once
#include <stt/result.h>
#include <stt/gststtresult.h>
#include <stt/gststtresultfilter.h>
#include <stt/gststttypes.h>
#include <stt/model.h>
#include <stt/json.h>
#include <stt/fe.h>
