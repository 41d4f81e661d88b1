/*
 * tools/pdq_divcheck.c - the exhaustive proof behind hash/pdq_div.h: for
 * each divisor d, every float x of the filter's domain (+0, and every x
 * with 2^-64 <= |x| < inf) through vigil_pdq__div8() must give the same
 * bits as the divps instruction. All 2^32 bit patterns are run; those
 * outside the domain are counted apart (tiny x, whose quotient is
 * subnormal, can round differently for some d; -0, inf, NaN).
 * Slow (about 8 s per divisor on one core), so not part of ctest; run it
 * after touching pdq_div.h:
 *   build/vigil-pdq-divcheck [D_FROM D_TO]   (default 1 64 = PDQ_DIV_MAXD;
 *                                             also run 1000 1000: luma)
 * Exit status 0 when every divisor passed, 1 otherwise, 2 without AVX2+FMA.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash/pdq_div.h"

#define MIN_EXP_FIELD (127 - 64)   /* |x| >= 2^-64 */

/* Mismatches for divisor @p d inside the domain (returned; a few are
 * printed) and outside it (*outside). */
__attribute__((target("avx2,fma")))
static uint64_t check_divisor(float d, uint64_t *outside)
{
    const __m256 vd = _mm256_set1_ps(d), vr = _mm256_set1_ps(1.0f / d);
    const __m256i eight = _mm256_set1_epi32(8);
    __m256i bits = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    uint64_t i, bad = 0;

    *outside = 0;
    for (i = 0; i < (UINT64_C(1) << 32); i += 8) {
        __m256 x = _mm256_castsi256_ps(bits);
        __m256i q = _mm256_castps_si256(vigil_pdq__div8(x, vd, vr));
        __m256i ref = _mm256_castps_si256(_mm256_div_ps(x, vd));
        __m256i ne = _mm256_xor_si256(q, ref);

        if (!_mm256_testz_si256(ne, ne)) {
            uint32_t xs[8], m[8];
            int k;

            memcpy(xs, &bits, sizeof(xs));
            memcpy(m, &ne, sizeof(m));
            for (k = 0; k < 8; k++) {
                uint32_t e = (xs[k] >> 23) & 0xff;

                if (m[k] == 0)
                    continue;
                if (xs[k] == 0 ||
                    (xs[k] != 0x80000000u && e >= MIN_EXP_FIELD && e < 255)) {
                    if (bad++ < 4)
                        printf("  d=%g: x bits 0x%08x differ\n", (double)d,
                               (unsigned)xs[k]);
                } else {
                    (*outside)++;
                }
            }
        }
        bits = _mm256_add_epi32(bits, eight);
    }
    return bad;
}

int main(int argc, char **argv)
{
    int from = argc > 2 ? atoi(argv[1]) : 1;
    int to = argc > 2 ? atoi(argv[2]) : PDQ_DIV_MAXD, d, failed = 0;

    if (!vigil_pdq__have_avx2_fma()) {
        fprintf(stderr, "pdq_divcheck: this CPU has no AVX2+FMA\n");
        return 2;
    }
    for (d = from; d <= to; d++) {
        uint64_t outside, bad = check_divisor((float)d, &outside);

        printf("d=%d: %llu mismatches for x = +0 or 2^-64 <= |x| < inf "
               "(%llu outside: -0, inf, or |x| < 2^-64)\n", d,
               (unsigned long long)bad, (unsigned long long)outside);
        fflush(stdout);
        failed |= bad != 0;
    }
    return failed;
}
