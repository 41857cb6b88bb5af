/* gst-stt — OpenBLAS settings shared by the areas that multiply matrices (blas.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "blas.h"

#include <glib.h>
#ifdef STT_HAVE_BLAS
#include <cblas.h>
#endif

void
stt_blas_single_thread (void)
{
#ifdef STT_HAVE_BLAS
  static gsize once;
  if (g_once_init_enter (&once)) {
    openblas_set_num_threads (1);
    g_once_init_leave (&once, 1);
  }
#endif
}
