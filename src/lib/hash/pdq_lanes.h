/*
 * hash/pdq_lanes.h - the SSE step shared by the luma producers (pdq_luma.c,
 * pdq_ycc.c): four columns of eight rows, as vectors, to the filter's
 * interleaved lane layout.
 */
#ifndef VIGIL_HASH_PDQ_LANES_H
#define VIGIL_HASH_PDQ_LANES_H

#ifdef __SSE2__
#include <stddef.h>
#include <xmmintrin.h>

/*
 * r0..r7 hold columns j..j+3 of rows 0..7 (r0 = row 0). Writes column
 * j+c, row l at o[c * stride + l] (c < 4, l < 8), i.e. o points at column
 * j of a layout with @p stride floats per column.
 */
__attribute__((always_inline))
static inline void vigil_pdq__lanes_store8x4(float *o, size_t stride,
                                             __m128 r0, __m128 r1,
                                             __m128 r2, __m128 r3,
                                             __m128 r4, __m128 r5,
                                             __m128 r6, __m128 r7)
{
    _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
    _MM_TRANSPOSE4_PS(r4, r5, r6, r7);
    _mm_storeu_ps(o, r0);
    _mm_storeu_ps(o + 4, r4);
    _mm_storeu_ps(o + stride, r1);
    _mm_storeu_ps(o + stride + 4, r5);
    _mm_storeu_ps(o + 2 * stride, r2);
    _mm_storeu_ps(o + 2 * stride + 4, r6);
    _mm_storeu_ps(o + 3 * stride, r3);
    _mm_storeu_ps(o + 3 * stride + 4, r7);
}
#endif

#endif
