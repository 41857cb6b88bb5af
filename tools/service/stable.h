/* gst-stt — stable partial results (the SDK's stableIntermediateThreshold).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * With a threshold N a client sees in speech.hypothesis only the words that have been in N
 * consecutive partials of the phrase at the same place with the same text ("the number of
 * times a word has to be in partial results to be returned", SDK PropertyId
 * SpeechServiceResponse_StablePartialResultThreshold). Words are the space-separated tokens of
 * the text the client would see (Display after profanity), so what is shown is what was
 * stable. Ownership: the caller owns the object and the returned strings. Thread-safety: none.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SttStableText SttStableText;

SttStableText *stt_stable_text_new (guint threshold);
/* Feed the text of the phrase's next partial. Returns the stable prefix (tokens joined by one
 * space) when it is not empty and differs from the one last returned, else NULL; *n_tokens is
 * set to its number of tokens. */
char *stt_stable_text_update (SttStableText *st, const char *text, guint *n_tokens);
/* The phrase ended (a final came): the next partial starts a new history. */
void stt_stable_text_reset (SttStableText *st);
void stt_stable_text_free (SttStableText *st);

G_END_DECLS
