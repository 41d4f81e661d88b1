/*
 * hash/pdq_div.h - x / d for the PDQ box filter, correctly rounded (the
 * same float as divps) but with a multiply and two FMAs instead of a
 * divide: q0 = x * r, e = x - q0 * d (exact, one FMA), q = q0 + e * r,
 * with r = 1/d rounded to float.
 *
 * Proven, not assumed: tools/pdq_divcheck.c runs these very functions
 * over all 2^32 float bit patterns for each divisor d = 1 .. PDQ_DIV_MAXD
 * (and d = 1000, the luma) and compares the bits with divps (about 8 s
 * per d): they agree for x = +0 and every 2^-64 <= |x| < inf. Outside
 * that they may not (tiny x whose quotient is subnormal, for d = 6, 10,
 * 12 ...; -0; inf), and none of that occurs here:
 *  - luma values are 0 or >= 0.114, so multiples of 2^-27 (every float
 *    >= 2^-4 is); sums and differences of multiples of 2^-Q round to
 *    multiples of 2^-Q, so pass A's running sums are 0 or >= 2^-27, and
 *    its outputs (divided by <= 64) 0 or >= 2^-33, multiples of 2^-56;
 *    pass B's sums are then 0 or >= 2^-56 in magnitude;
 *  - in round-to-nearest a sum or difference is -0 only when an operand
 *    is -0; every running sum starts at +0 and luma is never -0;
 *  - the values are bounded by 255 (sums by 255 * 65535): no inf or NaN.
 * Divisors above PDQ_DIV_MAXD keep divps. Callers check for FMA at run
 * time (__builtin_cpu_supports), and the build's -ffp-contract=off stays:
 * these FMAs are explicit intrinsics, nothing is contracted.
 */
#ifndef VIGIL_HASH_PDQ_DIV_H
#define VIGIL_HASH_PDQ_DIV_H

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define PDQ_HAVE_FMA_DIV 1
#define PDQ_DIV_MAXD 64       /* tools/pdq_divcheck proved 1..64 */

/** x / d for 4 floats; @p r is (float)1 / d, d integral in 1..PDQ_DIV_MAXD. */
__attribute__((target("fma"), always_inline))
static inline __m128 vigil_pdq__div4(__m128 x, __m128 d, __m128 r)
{
    __m128 q0 = _mm_mul_ps(x, r);

    return _mm_fmadd_ps(_mm_fnmadd_ps(q0, d, x), r, q0);
}

/** The same for 8 floats (AVX). */
__attribute__((target("avx2,fma"), always_inline))
static inline __m256 vigil_pdq__div8(__m256 x, __m256 d, __m256 r)
{
    __m256 q0 = _mm256_mul_ps(x, r);

    return _mm256_fmadd_ps(_mm256_fnmadd_ps(q0, d, x), r, q0);
}

/** In-place 8x8 transpose: r[i] holds row i; afterwards r[k] holds
 * column k. */
__attribute__((target("avx2"), always_inline))
static inline void vigil_pdq__transpose8(__m256 r[8])
{
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xee);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xee);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xee);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xee);

    r[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
    r[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
    r[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
    r[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
    r[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
    r[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
    r[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
    r[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

/** AVX2 and FMA both present (checked once per call site's caller). */
static inline int vigil_pdq__have_avx2_fma(void)
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

#endif
