/* gst-stt — sttitn: applying ITN spans to a Display text a punctuator already wrote.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stt/itn.h>

G_BEGIN_DECLS

/* @display has one space-separated token per spoken word (the word with punctuation around
 * it, maybe capitalized). Returns the new Display (newly allocated), or NULL when @display
 * does not line up with @spoken. @written holds each ITN token's text as it should appear
 * (masked), NULL for a removed one. */
char *gst_stt_itn_merge_display (const char *display, const char *const *spoken, guint n_spoken,
    const SttItnOutput *out, const char *const *written);

G_END_DECLS
