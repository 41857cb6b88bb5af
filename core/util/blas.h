/* gst-stt — OpenBLAS settings shared by the areas that multiply matrices (am, punct).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* OpenBLAS on one thread, set once per process (thread-safe): every stream runs in its own
 * GStreamer thread, and OpenBLAS's own threads would only compete with them (and make results
 * depend on the thread count). No-op without BLAS. */
void stt_blas_single_thread (void);
