/*
 * hash/pdq_luma.c - the default (HMA) flavour's luma of 8-bit RGB, four
 * pixels at a time with SSE2/SSSE3 or eight with AVX2 + FMA, straight
 * into the filter's interleaved layout. Bit-identical to (float)(0.299*R + 0.587*G + 0.114*B) in double:
 * see vigil_pdq__luma_hma() in pdq_internal.h for why.
 */
#include "hash/pdq_div.h"
#include "hash/pdq_internal.h"
#include "hash/pdq_lanes.h"

#include <string.h>

#ifdef __SSE2__
#include <tmmintrin.h>

/* Four RGB pixels (12 bytes at @p p, nothing read beyond) to the exact
 * integers 299R + 587G + 114B, then to luma. */
static inline __m128 luma4(const uint8_t *p)
{
    const __m128i rb = _mm_set1_epi32(299 | (114 << 16));
    const __m128i g0 = _mm_set1_epi32(587);
    const __m128i m = _mm_set1_epi32(0x00ff00ff);
    uint32_t w;
    __m128i v, lo, hi;

    memcpy(&w, p + 8, 4);
    v = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(const void *)p),
                           _mm_cvtsi32_si128((int)w));
    /* pixel i's bytes R G B at the bottom of 32-bit lane i */
    v = _mm_unpacklo_epi64(_mm_unpacklo_epi32(v, _mm_srli_si128(v, 3)),
                           _mm_unpacklo_epi32(_mm_srli_si128(v, 6),
                                              _mm_srli_si128(v, 9)));
    lo = _mm_and_si128(v, m);                               /* R, B */
    hi = _mm_and_si128(_mm_srli_epi32(v, 8), _mm_set1_epi32(0xff)); /* G */
    v = _mm_add_epi32(_mm_madd_epi16(lo, rb), _mm_madd_epi16(hi, g0));
    return _mm_div_ps(_mm_cvtepi32_ps(v), _mm_set1_ps(1000.0f));
}

/*
 * SSSE3 (every x86-64 CPU of the last 15 years, checked at run time): one
 * 16-byte load and two byte shuffles spread four pixels; reads 4 bytes
 * past the 12 it uses, so callers keep 16 bytes inside the row.
 */
__attribute__((target("ssse3")))
static inline __m128 luma4_ssse3(const uint8_t *p)
{
    const __m128i rb = _mm_set1_epi32(299 | (114 << 16));
    const __m128i g0 = _mm_set1_epi32(587);
    const __m128i srb = _mm_setr_epi8(0, -1, 2, -1, 3, -1, 5, -1,
                                      6, -1, 8, -1, 9, -1, 11, -1);
    const __m128i sg = _mm_setr_epi8(1, -1, -1, -1, 4, -1, -1, -1,
                                     7, -1, -1, -1, 10, -1, -1, -1);
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

    v = _mm_add_epi32(_mm_madd_epi16(_mm_shuffle_epi8(v, srb), rb),
                      _mm_madd_epi16(_mm_shuffle_epi8(v, sg), g0));
    return _mm_div_ps(_mm_cvtepi32_ps(v), _mm_set1_ps(1000.0f));
}

/* vigil_pdq__luma_hma_lanes for columns j0 <= j < @p n - 5, SSSE3;
 * returns the first column not done. */
__attribute__((target("ssse3")))
static uint32_t lanes_ssse3(const uint8_t *const rows[8], uint32_t j0,
                            uint32_t n, float *t, size_t stride)
{
    uint32_t j = j0;

    for (; j + 6 <= n; j += 4) {
        __m128 a = luma4_ssse3(rows[0] + 3 * (size_t)j);
        __m128 b = luma4_ssse3(rows[1] + 3 * (size_t)j);
        __m128 c = luma4_ssse3(rows[2] + 3 * (size_t)j);
        __m128 d = luma4_ssse3(rows[3] + 3 * (size_t)j);
        __m128 e = luma4_ssse3(rows[4] + 3 * (size_t)j);
        __m128 f = luma4_ssse3(rows[5] + 3 * (size_t)j);
        __m128 g = luma4_ssse3(rows[6] + 3 * (size_t)j);
        __m128 h = luma4_ssse3(rows[7] + 3 * (size_t)j);
        float *o = t + (size_t)j * stride;

        vigil_pdq__lanes_store8x4(o, stride, a, b, c, d, e, f, g, h);
    }
    return j;
}

#ifdef PDQ_HAVE_FMA_DIV
/*
 * AVX2: eight pixels per row (two 16-byte loads, 24 bytes used, 28 read,
 * so callers keep 28 bytes inside the row), the divide by 1000 in
 * pdq_div.h's exact FMA form (tools/pdq_divcheck proves d = 1000 for every
 * finite float; the unit test checks every L = 0 .. 255000 too).
 */
__attribute__((target("avx2,fma"), always_inline))
static inline __m256 luma8_avx2(const uint8_t *p)
{
    const __m256i rb = _mm256_set1_epi32(299 | (114 << 16));
    const __m256i g0 = _mm256_set1_epi32(587);
    const __m256i srb = _mm256_setr_epi8(0, -1, 2, -1, 3, -1, 5, -1,
                                         6, -1, 8, -1, 9, -1, 11, -1,
                                         0, -1, 2, -1, 3, -1, 5, -1,
                                         6, -1, 8, -1, 9, -1, 11, -1);
    const __m256i sg = _mm256_setr_epi8(1, -1, -1, -1, 4, -1, -1, -1,
                                        7, -1, -1, -1, 10, -1, -1, -1,
                                        1, -1, -1, -1, 4, -1, -1, -1,
                                        7, -1, -1, -1, 10, -1, -1, -1);
    __m256i v = _mm256_inserti128_si256(
        _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)p)),
        _mm_loadu_si128((const __m128i *)(const void *)(p + 12)), 1);

    v = _mm256_add_epi32(_mm256_madd_epi16(_mm256_shuffle_epi8(v, srb), rb),
                         _mm256_madd_epi16(_mm256_shuffle_epi8(v, sg), g0));
    return vigil_pdq__div8(_mm256_cvtepi32_ps(v), _mm256_set1_ps(1000.0f),
                           _mm256_set1_ps(1.0f / 1000.0f));
}

/* vigil_pdq__luma_hma_lanes for columns j < @p n - 9, AVX2 + FMA: eight
 * rows of eight pixels, an 8x8 transpose, eight stores. */
__attribute__((target("avx2,fma")))
static uint32_t lanes_avx2(const uint8_t *const rows[8], uint32_t n, float *t,
                           size_t stride)
{
    uint32_t j = 0;

    for (; j + 10 <= n; j += 8) {
        __m256 r[8];
        float *o = t + (size_t)j * stride;
        int k;

        _Pragma("GCC unroll 8") for (k = 0; k < 8; k++)
            r[k] = luma8_avx2(rows[k] + 3 * (size_t)j);
        vigil_pdq__transpose8(r);
        _Pragma("GCC unroll 8") for (k = 0; k < 8; k++)
            _mm256_storeu_ps(o + (size_t)k * stride, r[k]);
    }
    return j;
}
#endif
#endif

int vigil_pdq__kernels = -1;

int vigil_pdq__pick_avx2(int streamed)
{
#ifdef PDQ_HAVE_FMA_DIV
    if (vigil_pdq__kernels == 0 || !vigil_pdq__have_avx2_fma())
        return 0;
    return vigil_pdq__kernels == 1 || !streamed;
#else
    (void)streamed;
    return 0;
#endif
}

void vigil_pdq__luma_hma_row(const uint8_t *rgb, uint32_t n, float *out)
{
    uint32_t j = 0;

#ifdef __SSE2__
    for (; j + 4 <= n; j += 4)
        _mm_storeu_ps(out + j, luma4(rgb + 3 * (size_t)j));
#endif
    for (; j < n; j++)
        out[j] = vigil_pdq__luma_hma(rgb[3 * j], rgb[3 * j + 1],
                                     rgb[3 * j + 2]);
}

void vigil_pdq__luma_hma_lanes(const uint8_t *const rows[8], uint32_t n,
                               float *t, size_t stride, int avx2)
{
    uint32_t j = 0, l;

#ifdef __SSE2__
#ifdef PDQ_HAVE_FMA_DIV
    if (avx2)
        j = lanes_avx2(rows, n, t, stride);
#endif
    if (__builtin_cpu_supports("ssse3"))
        j = lanes_ssse3(rows, j, n, t, stride);
    for (; j + 4 <= n; j += 4) {
        __m128 a = luma4(rows[0] + 3 * (size_t)j);
        __m128 b = luma4(rows[1] + 3 * (size_t)j);
        __m128 c = luma4(rows[2] + 3 * (size_t)j);
        __m128 d = luma4(rows[3] + 3 * (size_t)j);
        __m128 e = luma4(rows[4] + 3 * (size_t)j);
        __m128 f = luma4(rows[5] + 3 * (size_t)j);
        __m128 g = luma4(rows[6] + 3 * (size_t)j);
        __m128 h = luma4(rows[7] + 3 * (size_t)j);
        float *o = t + (size_t)j * stride;

        vigil_pdq__lanes_store8x4(o, stride, a, b, c, d, e, f, g, h);
    }
#endif
    for (; j < n; j++)
        for (l = 0; l < 8; l++) {
            const uint8_t *p = rows[l] + 3 * (size_t)j;

            t[(size_t)j * stride + l] = vigil_pdq__luma_hma(p[0], p[1], p[2]);
        }
}
