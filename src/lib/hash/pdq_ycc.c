/*
 * hash/pdq_ycc.c - the default flavour's luma straight from a JPEG's
 * planar Y, Cb, Cr rows: libjpeg-turbo's fancy (triangle) chroma
 * upsampling, its fixed-point YCbCr->RGB conversion and the luma
 * 299R + 587G + 114B, fused, with every rounding of libjpeg-turbo 2.1
 * (jdsample.c, jdcolor.c), so the floats are those of decoding to RGB and
 * taking vigil_pdq__luma_hma(). Written from libjpeg-turbo's formulas;
 * tests/unit/hash/test_pdq_ycc.c and fuzz/pdq_fuzzer.c check it against
 * the library's own RGB output.
 */
#include "hash/pdq_div.h"
#include "hash/pdq_internal.h"
#include "hash/pdq_lanes.h"

#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#include <xmmintrin.h>
#endif

/*
 * jdcolor.c's constants: FIX(x) = (long)(x * 2^16 + 0.5). R = Y +
 * Cr_r(cr), B = Y + Cb_b(cb), G = Y + ((Cb_g(cb) + Cr_g(cr)) >> 16), each
 * clamped to 0..255, where with x = c - 128:
 *   Cr_r = (FIX(1.402) x + 2^15) >> 16     Cb_b = (FIX(1.772) x + 2^15) >> 16
 *   Cr_g = -FIX(0.71414) x                 Cb_g = -FIX(0.34414) x + 2^15
 * and >> is an arithmetic (flooring) shift.
 */
#define YCC_FIX(x) ((long)((x) * 65536.0 + 0.5))
#define YCC_CRR YCC_FIX(1.40200)    /* 91881 */
#define YCC_CBB YCC_FIX(1.77200)    /* 116130 */
#define YCC_CRG YCC_FIX(0.71414)    /* 46802 */
#define YCC_CBG YCC_FIX(0.34414)    /* 22554 */

/* floor(v / 2^16) for any sign (C's >> on a negative value is
 * implementation-defined). */
static inline long floor16(long v)
{
    return v >= 0 ? v / 65536 : -((-v + 65535) / 65536);
}

static inline int clamp255(long v)
{
    return v < 0 ? 0 : v > 255 ? 255 : (int)v;
}

/*
 * Upsampled chroma at image column @p x (scalar model of jdsample.c).
 * 4:2:2 (h2v1_fancy_upsample): 3/4 nearer + 1/4 further sample, rounded
 * +1 (even columns) or +2 (odd). 4:2:0 (h2v2_fancy_upsample): column sums
 * 3 * nearer row + further row, then 3/4 and 1/4 of those, rounded +8 or
 * +7, >> 4. The first and last columns use their own sample as the
 * missing neighbour, which is what the rows' repeated edge bytes give.
 */
static inline int up_ref(const uint8_t *n, const uint8_t *f, uint32_t x,
                         int sampling)
{
    long i = (long)(x >> 1), k = (x & 1) ? 1 : -1;

    switch (sampling) {
    case PDQ_YCC_422:
        return (3 * n[i] + n[i + k] + ((x & 1) ? 2 : 1)) >> 2;
    case PDQ_YCC_420: {
        int t = 3 * n[i] + f[i], o = 3 * n[i + k] + f[i + k];

        return (3 * t + o + ((x & 1) ? 7 : 8)) >> 4;
    }
    default:
        return n[x];
    }
}

/* libjpeg-turbo's RGB for image column @p x of @p row. */
static inline void rgb_at(uint8_t rgb[3], const pdq_ycc_row *row, uint32_t x,
                          int sampling)
{
    long y = row->y[x];
    long xb = up_ref(row->cb, row->cb2, x, sampling) - 128;
    long xr = up_ref(row->cr, row->cr2, x, sampling) - 128;

    rgb[0] = (uint8_t)clamp255(y + floor16(YCC_CRR * xr + 32768));
    rgb[1] = (uint8_t)clamp255(
        y + floor16(-YCC_CBG * xb + 32768 - YCC_CRG * xr));
    rgb[2] = (uint8_t)clamp255(y + floor16(YCC_CBB * xb + 32768));
}

void vigil_pdq__ycc_rgb_ref(uint8_t *rgb, const pdq_ycc_row *row,
                            uint32_t cols, int sampling)
{
    uint32_t x;

    for (x = 0; x < cols; x++)
        rgb_at(rgb + 3 * (size_t)x, row, x, sampling);
}

/* Scalar luma of image column @p x of @p row. */
static inline float luma_ref(const pdq_ycc_row *row, uint32_t x, int sampling)
{
    uint8_t rgb[3];

    rgb_at(rgb, row, x, sampling);
    return vigil_pdq__luma_hma(rgb[0], rgb[1], rgb[2]);
}

#ifdef __SSE2__
/*
 * Upsampled chroma for image columns j..j+15 (j even) as two vectors of
 * eight 16-bit values: from samples i0-1 .. i0+8 (i0 = j / 2) of the
 * nearer row @p n and, for 4:2:0, the further row @p f.
 */
__attribute__((always_inline))
static inline void up16(__m128i *lo, __m128i *hi, const uint8_t *n,
                        const uint8_t *f, uint32_t j, int sampling)
{
    const __m128i z = _mm_setzero_si128();
    __m128i a, cl, chh, left, self, right, t3, even, odd;

    if (sampling == PDQ_YCC_444) {
        a = _mm_loadu_si128((const __m128i *)(const void *)(n + j));
        *lo = _mm_unpacklo_epi8(a, z);
        *hi = _mm_unpackhi_epi8(a, z);
        return;
    }
    a = _mm_loadu_si128((const __m128i *)(const void *)(n + j / 2 - 1));
    cl = _mm_unpacklo_epi8(a, z);       /* samples i0-1 .. i0+6 */
    chh = _mm_unpackhi_epi8(a, z);      /* samples i0+7 .. i0+14 */
    if (sampling == PDQ_YCC_420) {
        __m128i b = _mm_loadu_si128(
            (const __m128i *)(const void *)(f + j / 2 - 1));
        __m128i bl = _mm_unpacklo_epi8(b, z), bh = _mm_unpackhi_epi8(b, z);

        /* column sums 3 * nearer + further (<= 1020) */
        cl = _mm_add_epi16(_mm_add_epi16(cl, cl), _mm_add_epi16(cl, bl));
        chh = _mm_add_epi16(_mm_add_epi16(chh, chh), _mm_add_epi16(chh, bh));
    }
    left = cl;
    self = _mm_or_si128(_mm_srli_si128(cl, 2), _mm_slli_si128(chh, 14));
    right = _mm_or_si128(_mm_srli_si128(cl, 4), _mm_slli_si128(chh, 12));
    t3 = _mm_add_epi16(_mm_add_epi16(self, self), self);
    if (sampling == PDQ_YCC_420) {
        even = _mm_srli_epi16(
            _mm_add_epi16(_mm_add_epi16(t3, left), _mm_set1_epi16(8)), 4);
        odd = _mm_srli_epi16(
            _mm_add_epi16(_mm_add_epi16(t3, right), _mm_set1_epi16(7)), 4);
    } else {
        even = _mm_srli_epi16(
            _mm_add_epi16(_mm_add_epi16(t3, left), _mm_set1_epi16(1)), 2);
        odd = _mm_srli_epi16(
            _mm_add_epi16(_mm_add_epi16(t3, right), _mm_set1_epi16(2)), 2);
    }
    *lo = _mm_unpacklo_epi16(even, odd);
    *hi = _mm_unpackhi_epi16(even, odd);
}

/*
 * Luma of eight pixels from 16-bit Y, Cb, Cr. Cr_r and Cb_b in 16 bits:
 * FIX(1.402) = 2^16 + 26345 and FIX(1.772) = 2^17 - 14942, and for
 * a = 2x c / 2^16, floor((floor(a) + 1) / 2) = floor((x c + 2^15) / 2^16),
 * so (mulhi(2x, c) + 1) >> 1 is exactly the rounded product. The G term
 * in 32 bits: -FIX(0.71414) = 18734 - 2^16, so (Cb_g + Cr_g) >> 16 =
 * ((-22554 xb + 18734 xr + 2^15) >> 16) - xr, one pmaddwd.
 */
__attribute__((always_inline))
static inline void luma8(__m128 *l0, __m128 *l1, __m128i y, __m128i cb,
                         __m128i cr)
{
    const __m128i c128 = _mm_set1_epi16(128), one = _mm_set1_epi16(1);
    const __m128i cg = _mm_set1_epi32((int)(((uint32_t)18734 << 16) |
                                            (uint16_t)-22554));
    const __m128i half = _mm_set1_epi32(32768), z = _mm_setzero_si128();
    const __m128i lrb = _mm_set1_epi32(299 | (114 << 16));
    const __m128i lg = _mm_set1_epi32(587);
    const __m128i top = _mm_set1_epi16(255);
    __m128i xb = _mm_sub_epi16(cb, c128), xr = _mm_sub_epi16(cr, c128);
    __m128i xr2 = _mm_add_epi16(xr, xr), xb2 = _mm_add_epi16(xb, xb);
    __m128i crr = _mm_add_epi16(xr, _mm_srai_epi16(_mm_add_epi16(
        _mm_mulhi_epi16(xr2, _mm_set1_epi16(26345)), one), 1));
    __m128i cbb = _mm_add_epi16(xb2, _mm_srai_epi16(_mm_add_epi16(
        _mm_mulhi_epi16(xb2, _mm_set1_epi16(-14942)), one), 1));
    __m128i gl = _mm_srai_epi32(_mm_add_epi32(_mm_madd_epi16(
        _mm_unpacklo_epi16(xb, xr), cg), half), 16);
    __m128i gh = _mm_srai_epi32(_mm_add_epi32(_mm_madd_epi16(
        _mm_unpackhi_epi16(xb, xr), cg), half), 16);
    __m128i r = _mm_add_epi16(y, crr), b = _mm_add_epi16(y, cbb);
    __m128i g = _mm_add_epi16(y, _mm_sub_epi16(_mm_packs_epi32(gl, gh), xr));

    r = _mm_min_epi16(_mm_max_epi16(r, z), top);
    g = _mm_min_epi16(_mm_max_epi16(g, z), top);
    b = _mm_min_epi16(_mm_max_epi16(b, z), top);
    gl = _mm_add_epi32(_mm_madd_epi16(_mm_unpacklo_epi16(r, b), lrb),
                       _mm_madd_epi16(_mm_unpacklo_epi16(g, z), lg));
    gh = _mm_add_epi32(_mm_madd_epi16(_mm_unpackhi_epi16(r, b), lrb),
                       _mm_madd_epi16(_mm_unpackhi_epi16(g, z), lg));
    *l0 = _mm_div_ps(_mm_cvtepi32_ps(gl), _mm_set1_ps(1000.0f));
    *l1 = _mm_div_ps(_mm_cvtepi32_ps(gh), _mm_set1_ps(1000.0f));
}

/* Luma of image columns j..j+15 of one row into out[0..15]. Reads up to
 * 15 bytes past the row's last Y and chroma samples (the planes' margin). */
__attribute__((always_inline))
static inline void row16(float *out, const pdq_ycc_row *r, uint32_t j,
                         int sampling)
{
    const __m128i z = _mm_setzero_si128();
    __m128i yv = _mm_loadu_si128((const __m128i *)(const void *)(r->y + j));
    __m128i cbl, cbh, crl, crh;
    __m128 a, b;

    up16(&cbl, &cbh, r->cb, r->cb2, j, sampling);
    up16(&crl, &crh, r->cr, r->cr2, j, sampling);
    luma8(&a, &b, _mm_unpacklo_epi8(yv, z), cbl, crl);
    _mm_storeu_ps(out, a);
    _mm_storeu_ps(out + 4, b);
    luma8(&a, &b, _mm_unpackhi_epi8(yv, z), cbh, crh);
    _mm_storeu_ps(out + 8, a);
    _mm_storeu_ps(out + 12, b);
}

/* The 8 rows of a 16-column chunk (tmp[l * ts + 0..15]) to the lane
 * layout. */
__attribute__((always_inline))
static inline void chunk_to_lanes(float *dst, size_t lanes, const float *tmp,
                                  size_t ts)
{
    int c;

    for (c = 0; c < 16; c += 4) {
        const float *t = tmp + c;
        __m128 a = _mm_loadu_ps(t), b = _mm_loadu_ps(t + ts);
        __m128 d = _mm_loadu_ps(t + 2 * ts), e = _mm_loadu_ps(t + 3 * ts);
        __m128 f = _mm_loadu_ps(t + 4 * ts), g = _mm_loadu_ps(t + 5 * ts);
        __m128 h = _mm_loadu_ps(t + 6 * ts), k = _mm_loadu_ps(t + 7 * ts);
        float *o = dst + (size_t)c * lanes;

        vigil_pdq__lanes_store8x4(o, lanes, a, b, d, e, f, g, h, k);
    }
}

__attribute__((always_inline))
static inline void ycc_sse2(float *dst, size_t lanes, const pdq_ycc_row *rows,
                            uint32_t n, uint32_t cols, int sampling)
{
    float tmp[8][16];
    uint32_t j, l, k, w;

    for (j = 0; j < cols; j += 16) {
        w = cols - j < 16 ? cols - j : 16;
        for (l = 0; l < n; l++)
            row16(tmp[l], &rows[l], j, sampling);
        if (lanes && w == 16) {
            chunk_to_lanes(dst + (size_t)j * lanes, lanes, tmp[0], 16);
        } else if (lanes) {
            for (k = 0; k < w; k++)
                for (l = 0; l < 8; l++)
                    dst[(size_t)(j + k) * lanes + l] = tmp[l][k];
        } else {
            for (l = 0; l < n; l++)
                memcpy(dst + (size_t)l * cols + j, tmp[l], w * sizeof(float));
        }
    }
}

static void ycc_sse2_444(float *dst, size_t lanes, const pdq_ycc_row *rows,
                         uint32_t n, uint32_t cols)
{
    ycc_sse2(dst, lanes, rows, n, cols, PDQ_YCC_444);
}

static void ycc_sse2_422(float *dst, size_t lanes, const pdq_ycc_row *rows,
                         uint32_t n, uint32_t cols)
{
    ycc_sse2(dst, lanes, rows, n, cols, PDQ_YCC_422);
}

static void ycc_sse2_420(float *dst, size_t lanes, const pdq_ycc_row *rows,
                         uint32_t n, uint32_t cols)
{
    ycc_sse2(dst, lanes, rows, n, cols, PDQ_YCC_420);
}
#ifdef PDQ_HAVE_FMA_DIV
/* ---- AVX2: 32 columns of a row per step ------------------------------ */

/*
 * Upsampled chroma minus 128 (jdcolor.c's x) of image columns j..j+31 as
 * signed 16-bit vectors in the per-128-bit-lane order of AVX2 unpacks: *a holds columns j+0..7 and
 * j+16..23, *b columns j+8..15 and j+24..31. Reads samples i0-1 ..
 * i0+22 (i0 = j / 2), or j..j+31 for 4:4:4.
 */
__attribute__((target("avx2,fma"), always_inline))
static inline void up32_avx2(__m256i *a, __m256i *b, const uint8_t *n,
                             const uint8_t *f, uint32_t j, int sampling)
{
    const __m256i z = _mm256_setzero_si256();
    const __m256i c128 = _mm256_set1_epi16(128);
    __m256i left, self, right, c, t3, even, odd;
    const uint8_t *p = n + j / 2;

    if (sampling == PDQ_YCC_444) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(n + j));

        *a = _mm256_sub_epi16(_mm256_unpacklo_epi8(v, z), c128);
        *b = _mm256_sub_epi16(_mm256_unpackhi_epi8(v, z), c128);
        return;
    }
    /* left: samples i0-1 .. i0+6 | i0+7 .. i0+14, c: i0+7 .. i0+14 |
     * i0+15 .. i0+22 (per 128-bit lane); for 4:2:0 the column sums
     * 3 * nearer + further, once per sample */
    left = _mm256_cvtepu8_epi16(
        _mm_loadu_si128((const __m128i *)(const void *)(p - 1)));
    c = _mm256_cvtepu8_epi16(
        _mm_loadu_si128((const __m128i *)(const void *)(p + 7)));
    if (sampling == PDQ_YCC_420) {
        const uint8_t *q = f + j / 2;
        __m256i fa = _mm256_cvtepu8_epi16(
            _mm_loadu_si128((const __m128i *)(const void *)(q - 1)));
        __m256i fc = _mm256_cvtepu8_epi16(
            _mm_loadu_si128((const __m128i *)(const void *)(q + 7)));

        left = _mm256_add_epi16(_mm256_add_epi16(left, left),
                                _mm256_add_epi16(left, fa));
        c = _mm256_add_epi16(_mm256_add_epi16(c, c), _mm256_add_epi16(c, fc));
    }
    /* per lane: samples i0 .. i0+7 | i0+8 .. i0+15, and one further */
    self = _mm256_alignr_epi8(c, left, 2);
    right = _mm256_alignr_epi8(c, left, 4);
    t3 = _mm256_add_epi16(_mm256_add_epi16(self, self), self);
    /* libjpeg's roundings with the - 128 folded in: an arithmetic shift
     * of x - 128 * 2^k is floor(x / 2^k) - 128 */
    if (sampling == PDQ_YCC_420) {
        even = _mm256_srai_epi16(_mm256_add_epi16(_mm256_add_epi16(t3, left),
                                 _mm256_set1_epi16(8 - 2048)), 4);
        odd = _mm256_srai_epi16(_mm256_add_epi16(_mm256_add_epi16(t3, right),
                                _mm256_set1_epi16(7 - 2048)), 4);
    } else {
        even = _mm256_srai_epi16(_mm256_add_epi16(_mm256_add_epi16(t3, left),
                                 _mm256_set1_epi16(1 - 512)), 2);
        odd = _mm256_srai_epi16(_mm256_add_epi16(_mm256_add_epi16(t3, right),
                                _mm256_set1_epi16(2 - 512)), 2);
    }
    *a = _mm256_unpacklo_epi16(even, odd);
    *b = _mm256_unpackhi_epi16(even, odd);
}

/*
 * The luma numerators L = 299R + 587G + 114B (exact, int32) of sixteen
 * pixels from Y and the chroma minus 128 (@p xb, @p xr, up32_avx2()),
 * all in 256-bit integer registers: *lo gets pixels 0-3 of the
 * vectors' order in its low 128 bits and 8-11 in its high ones, *hi
 * pixels 4-7 and 12-15.
 */
__attribute__((target("avx2,fma"), always_inline))
static inline void lnum16_avx2(__m256i *lo, __m256i *hi, __m256i y,
                               __m256i xb, __m256i xr)
{
    const __m256i one = _mm256_set1_epi16(1);
    const __m256i cg = _mm256_set1_epi32((int)(((uint32_t)18734 << 16) |
                                               (uint16_t)-22554));
    const __m256i half = _mm256_set1_epi32(32768);
    const __m256i lrb = _mm256_set1_epi32(299 | (114 << 16));
    const __m256i lg = _mm256_set1_epi32(587);
    const __m256i rb_lo = _mm256_setr_epi8(
        0, -1, 8, -1, 1, -1, 9, -1, 2, -1, 10, -1, 3, -1, 11, -1,
        0, -1, 8, -1, 1, -1, 9, -1, 2, -1, 10, -1, 3, -1, 11, -1);
    const __m256i rb_hi = _mm256_setr_epi8(
        4, -1, 12, -1, 5, -1, 13, -1, 6, -1, 14, -1, 7, -1, 15, -1,
        4, -1, 12, -1, 5, -1, 13, -1, 6, -1, 14, -1, 7, -1, 15, -1);
    const __m256i g_lo = _mm256_setr_epi8(
        0, -1, -1, -1, 1, -1, -1, -1, 2, -1, -1, -1, 3, -1, -1, -1,
        0, -1, -1, -1, 1, -1, -1, -1, 2, -1, -1, -1, 3, -1, -1, -1);
    const __m256i g_hi = _mm256_setr_epi8(
        4, -1, -1, -1, 5, -1, -1, -1, 6, -1, -1, -1, 7, -1, -1, -1,
        4, -1, -1, -1, 5, -1, -1, -1, 6, -1, -1, -1, 7, -1, -1, -1);
    __m256i xr2 = _mm256_add_epi16(xr, xr), xb2 = _mm256_add_epi16(xb, xb);
    __m256i crr = _mm256_add_epi16(xr, _mm256_srai_epi16(_mm256_add_epi16(
        _mm256_mulhi_epi16(xr2, _mm256_set1_epi16(26345)), one), 1));
    __m256i cbb = _mm256_add_epi16(xb2, _mm256_srai_epi16(_mm256_add_epi16(
        _mm256_mulhi_epi16(xb2, _mm256_set1_epi16(-14942)), one), 1));
    __m256i gl = _mm256_srai_epi32(_mm256_add_epi32(_mm256_madd_epi16(
        _mm256_unpacklo_epi16(xb, xr), cg), half), 16);
    __m256i gh = _mm256_srai_epi32(_mm256_add_epi32(_mm256_madd_epi16(
        _mm256_unpackhi_epi16(xb, xr), cg), half), 16);
    __m256i r = _mm256_add_epi16(y, crr), b = _mm256_add_epi16(y, cbb);
    __m256i g = _mm256_add_epi16(
        y, _mm256_sub_epi16(_mm256_packs_epi32(gl, gh), xr));

    /* clamp to 0..255 by unsigned saturation (range_limit), then spread
     * back to what unpack{lo,hi}_epi16(r, b) and (g, 0) would give */
    r = _mm256_packus_epi16(r, b);      /* per lane: r0..r7, b0..b7 */
    g = _mm256_packus_epi16(g, g);
    *lo = _mm256_add_epi32(
        _mm256_madd_epi16(_mm256_shuffle_epi8(r, rb_lo), lrb),
        _mm256_madd_epi16(_mm256_shuffle_epi8(g, g_lo), lg));
    *hi = _mm256_add_epi32(
        _mm256_madd_epi16(_mm256_shuffle_epi8(r, rb_hi), lrb),
        _mm256_madd_epi16(_mm256_shuffle_epi8(g, g_hi), lg));
}

/*
 * luma8() for sixteen pixels: lnum16_avx2() and the float conversion and
 * division in 128-bit registers (256-bit FP code lowered the clock for
 * libjpeg's decode and the filter around it). o[0] gets pixels 0-3 of
 * the vectors' order, o[1] 4-7, o[2] 8-11, o[3] 12-15.
 */
__attribute__((target("avx2,fma"), always_inline))
static inline void luma16_avx2(__m128 o[4], __m256i y, __m256i xb,
                               __m256i xr)
{
    const __m128 k1000 = _mm_set1_ps(1000.0f);
    __m256i gl, gh;

    lnum16_avx2(&gl, &gh, y, xb, xr);
    o[0] = _mm_div_ps(_mm_cvtepi32_ps(_mm256_castsi256_si128(gl)), k1000);
    o[1] = _mm_div_ps(_mm_cvtepi32_ps(_mm256_castsi256_si128(gh)), k1000);
    o[2] = _mm_div_ps(_mm_cvtepi32_ps(_mm256_extracti128_si256(gl, 1)),
                      k1000);
    o[3] = _mm_div_ps(_mm_cvtepi32_ps(_mm256_extracti128_si256(gh, 1)),
                      k1000);
}

/* Luma of image columns j..j+31 of one row into out[0..31], in order. */
__attribute__((target("avx2,fma"), always_inline))
static inline void row32_avx2(float *out, const pdq_ycc_row *r, uint32_t j,
                              int sampling)
{
    const __m256i z = _mm256_setzero_si256();
    __m256i yv = _mm256_loadu_si256((const __m256i *)(const void *)(r->y + j));
    __m256i cba, cbb, cra, crb;
    __m128 o[4];

    up32_avx2(&cba, &cbb, r->cb, r->cb2, j, sampling);
    up32_avx2(&cra, &crb, r->cr, r->cr2, j, sampling);
    /* a: columns 0-7 and 16-23; b: 8-15 and 24-31 */
    luma16_avx2(o, _mm256_unpacklo_epi8(yv, z), cba, cra);
    _mm_storeu_ps(out, o[0]);
    _mm_storeu_ps(out + 4, o[1]);
    _mm_storeu_ps(out + 16, o[2]);
    _mm_storeu_ps(out + 20, o[3]);
    luma16_avx2(o, _mm256_unpackhi_epi8(yv, z), cbb, crb);
    _mm_storeu_ps(out + 8, o[0]);
    _mm_storeu_ps(out + 12, o[1]);
    _mm_storeu_ps(out + 24, o[2]);
    _mm_storeu_ps(out + 28, o[3]);
}

/*
 * Luma numerators of image columns j..j+31 of one row into out[0..31]
 * (int32, 32-byte aligned) in "slot" order: slots 8g..8g+3 hold columns
 * 4g..4g+3 and slots 8g+4..8g+7 columns 16+4g..16+4g+3 (g = 0..3), the
 * order lnum16_avx2() leaves them in; ycc_slot() maps a column to its slot.
 */
__attribute__((target("avx2,fma"), always_inline))
static inline void row32_num_avx2(int32_t *out, const pdq_ycc_row *r,
                                  uint32_t j, int sampling)
{
    const __m256i z = _mm256_setzero_si256();
    __m256i yv = _mm256_loadu_si256((const __m256i *)(const void *)(r->y + j));
    __m256i cba, cbb, cra, crb, lo, hi;

    up32_avx2(&cba, &cbb, r->cb, r->cb2, j, sampling);
    up32_avx2(&cra, &crb, r->cr, r->cr2, j, sampling);
    /* a: columns 0-7 and 16-23; b: 8-15 and 24-31 */
    lnum16_avx2(&lo, &hi, _mm256_unpacklo_epi8(yv, z), cba, cra);
    _mm256_store_si256((__m256i *)(void *)out, lo);         /* 0-3, 16-19 */
    _mm256_store_si256((__m256i *)(void *)(out + 8), hi);   /* 4-7, 20-23 */
    lnum16_avx2(&lo, &hi, _mm256_unpackhi_epi8(yv, z), cbb, crb);
    _mm256_store_si256((__m256i *)(void *)(out + 16), lo);  /* 8-11, 24-27 */
    _mm256_store_si256((__m256i *)(void *)(out + 24), hi);  /* 12-15, 28-31 */
}

/* The slot of column @p c (0..31) in row32_num_avx2()'s output. */
static inline uint32_t ycc_slot(uint32_t c)
{
    return 8 * ((c & 15) >> 2) + (c & 3) + (c & 16 ? 4 : 0);
}

/* Lanes 0-3 (@p a) and 4-7 (@p b) of one column: L / 1000.0f. */
__attribute__((target("avx2,fma"), always_inline))
static inline void lanes_out(float *o, __m128i a, __m128i b)
{
    const __m128 k1000 = _mm_set1_ps(1000.0f);

    _mm_storeu_ps(o, _mm_div_ps(_mm_cvtepi32_ps(a), k1000));
    _mm_storeu_ps(o + 4, _mm_div_ps(_mm_cvtepi32_ps(b), k1000));
}

/* Slots k (low halves) and k + 4 (high halves) of group @p g from the
 * transposed rows 0-3 (@p u) and 4-7 (@p v). */
#define YCC_OUT2(g, k, u, v)                                                 \
    do {                                                                     \
        lanes_out(dst + (size_t)(4 * (g) + (k)) * lanes,                     \
                  _mm256_castsi256_si128(u), _mm256_castsi256_si128(v));     \
        lanes_out(dst + (size_t)(16 + 4 * (g) + (k)) * lanes,                \
                  _mm256_extracti128_si256(u, 1),                            \
                  _mm256_extracti128_si256(v, 1));                           \
    } while (0)

/*
 * 8 rows of luma numerators (num[l * 32 + slot]) to 32 columns of 8 lanes
 * (column c's lanes at dst[c * lanes]): per group of 8 slots an 8x8 int32
 * transpose with 256-bit integer unpacks (the 128-bit halves of the
 * result are the lanes 0-3 and 4-7 of columns 4g+k and 16+4g+k), then the
 * conversion and the division by 1000 in 128-bit registers: the same
 * correctly rounded L / 1000.0f as luma8(), no float transposes.
 */
__attribute__((target("avx2,fma"), always_inline))
static inline void num_to_lanes_avx2(float *dst, size_t lanes,
                                     const int32_t *num)
{
    uint32_t g;

    for (g = 0; g < 4; g++) {
        const int32_t *q = num + 8 * g;
#define YCC_LD(l) _mm256_load_si256((const __m256i *)(const void *)(q + 32 * (l)))
        __m256i r0 = YCC_LD(0), r1 = YCC_LD(1), r2 = YCC_LD(2);
        __m256i r3 = YCC_LD(3), r4 = YCC_LD(4), r5 = YCC_LD(5);
        __m256i r6 = YCC_LD(6), r7 = YCC_LD(7);
#undef YCC_LD
        __m256i t0 = _mm256_unpacklo_epi32(r0, r1);
        __m256i t1 = _mm256_unpackhi_epi32(r0, r1);
        __m256i t2 = _mm256_unpacklo_epi32(r2, r3);
        __m256i t3 = _mm256_unpackhi_epi32(r2, r3);
        __m256i t4 = _mm256_unpacklo_epi32(r4, r5);
        __m256i t5 = _mm256_unpackhi_epi32(r4, r5);
        __m256i t6 = _mm256_unpacklo_epi32(r6, r7);
        __m256i t7 = _mm256_unpackhi_epi32(r6, r7);

        YCC_OUT2(g, 0, _mm256_unpacklo_epi64(t0, t2),
                 _mm256_unpacklo_epi64(t4, t6));
        YCC_OUT2(g, 1, _mm256_unpackhi_epi64(t0, t2),
                 _mm256_unpackhi_epi64(t4, t6));
        YCC_OUT2(g, 2, _mm256_unpacklo_epi64(t1, t3),
                 _mm256_unpacklo_epi64(t5, t7));
        YCC_OUT2(g, 3, _mm256_unpackhi_epi64(t1, t3),
                 _mm256_unpackhi_epi64(t5, t7));
    }
}
#undef YCC_OUT2

__attribute__((target("avx2,fma"), always_inline))
static inline void ycc_avx2(float *dst, size_t lanes, const pdq_ycc_row *rows,
                            uint32_t n, uint32_t cols, int sampling)
{
    float tmp[8][32];
    _Alignas(32) int32_t num[8][32];
    uint32_t j, l, k, w;

    if (lanes && n < 8)
        memset(num, 0, sizeof(num));
    for (j = 0; j < cols; j += 32) {
        w = cols - j < 32 ? cols - j : 32;
        if (lanes) {
            for (l = 0; l < n; l++)
                row32_num_avx2(num[l], &rows[l], j, sampling);
            if (w == 32) {
                num_to_lanes_avx2(dst + (size_t)j * lanes, lanes, num[0]);
            } else {
                for (k = 0; k < w; k++)
                    for (l = 0; l < 8; l++)
                        dst[(size_t)(j + k) * lanes + l] =
                            (float)num[l][ycc_slot(k)] / 1000.0f;
            }
            continue;
        }
        for (l = 0; l < n; l++) {
            row32_avx2(tmp[l], &rows[l], j, sampling);
            memcpy(dst + (size_t)l * cols + j, tmp[l], w * sizeof(float));
        }
    }
}

__attribute__((target("avx2,fma")))
static void ycc_avx2_444(float *dst, size_t lanes, const pdq_ycc_row *rows,
                         uint32_t n, uint32_t cols)
{
    ycc_avx2(dst, lanes, rows, n, cols, PDQ_YCC_444);
}

__attribute__((target("avx2,fma")))
static void ycc_avx2_422(float *dst, size_t lanes, const pdq_ycc_row *rows,
                         uint32_t n, uint32_t cols)
{
    ycc_avx2(dst, lanes, rows, n, cols, PDQ_YCC_422);
}

__attribute__((target("avx2,fma")))
static void ycc_avx2_420(float *dst, size_t lanes, const pdq_ycc_row *rows,
                         uint32_t n, uint32_t cols)
{
    ycc_avx2(dst, lanes, rows, n, cols, PDQ_YCC_420);
}
#endif /* PDQ_HAVE_FMA_DIV */
#endif /* __SSE2__ */

int vigil_pdq__ycc_kernel = -1;

void vigil_pdq__ycc_luma(float *dst, size_t lanes, const pdq_ycc_row *rows,
                         uint32_t n, uint32_t cols, int sampling)
{
    uint32_t l, j;

#ifdef __SSE2__
#ifdef PDQ_HAVE_FMA_DIV
    if ((vigil_pdq__ycc_kernel == 2 || vigil_pdq__ycc_kernel < 0) &&
        vigil_pdq__have_avx2_fma()) {
        if (sampling == PDQ_YCC_420)
            ycc_avx2_420(dst, lanes, rows, n, cols);
        else if (sampling == PDQ_YCC_422)
            ycc_avx2_422(dst, lanes, rows, n, cols);
        else
            ycc_avx2_444(dst, lanes, rows, n, cols);
        return;
    }
#endif
    if (vigil_pdq__ycc_kernel != 0) {
        if (sampling == PDQ_YCC_420)
            ycc_sse2_420(dst, lanes, rows, n, cols);
        else if (sampling == PDQ_YCC_422)
            ycc_sse2_422(dst, lanes, rows, n, cols);
        else
            ycc_sse2_444(dst, lanes, rows, n, cols);
        return;
    }
#endif
    for (l = 0; l < n; l++) {
        for (j = 0; j < cols; j++)
            dst[lanes ? (size_t)j * lanes + l : (size_t)l * cols + j] =
                luma_ref(&rows[l], j, sampling);
    }
}
