/*
 * tests/unit/hash/test_pdq_div.c - hash/pdq_div.h's division by multiply
 * and FMA gives exactly divps's bits: sampled random floats of the
 * filter's domain for every divisor 1..PDQ_DIV_MAXD, the edge cases
 * (+0, 2^-64, the largest float, exact multiples and their neighbours,
 * powers of two) and every luma integer 0..255000 by 1000. The exhaustive
 * proof over all 2^32 floats is tools/pdq_divcheck.c (too slow for ctest).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "hash/pdq_div.h"
#include "test.h"

#ifdef PDQ_HAVE_FMA_DIV
static uint32_t bits_of(float f)
{
    uint32_t u;

    memcpy(&u, &f, sizeof(u));
    return u;
}

/* x / d through div8 and div4 (8 and 4 lanes), compared with x / d in C
 * (correctly rounded, as divps). Counts the lanes that differ. */
__attribute__((target("avx2,fma")))
static long check8(const float x[8], float d)
{
    volatile float dv = d;           /* no constant folding of x / d */
    float q8[8], q4[8];
    long bad = 0;
    int k;

    _mm256_storeu_ps(q8, vigil_pdq__div8(_mm256_loadu_ps(x),
                                         _mm256_set1_ps(d),
                                         _mm256_set1_ps(1.0f / d)));
    _mm_storeu_ps(q4, vigil_pdq__div4(_mm_loadu_ps(x), _mm_set1_ps(d),
                                      _mm_set1_ps(1.0f / d)));
    _mm_storeu_ps(q4 + 4, vigil_pdq__div4(_mm_loadu_ps(x + 4), _mm_set1_ps(d),
                                          _mm_set1_ps(1.0f / d)));
    for (k = 0; k < 8; k++) {
        uint32_t want = bits_of(x[k] / dv);

        bad += bits_of(q8[k]) != want;
        bad += bits_of(q4[k]) != want;
    }
    return bad;
}

static uint32_t rng_next(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(*s >> 32);
}

/* A random float of the domain: +0 or 2^-64 <= |x| < inf. */
static float random_in_domain(uint64_t *s)
{
    for (;;) {
        uint32_t u = rng_next(s), e = (u >> 23) & 0xff;
        float f;

        if (u == 0 || (e >= 127 - 64 && e < 255)) {
            memcpy(&f, &u, sizeof(f));
            return f;
        }
    }
}

static void test_pdq_div__sampled_all_divisors(void)
{
    uint64_t s = 42;
    float x[8];
    long bad = 0;
    int d, i, k;

    if (!vigil_pdq__have_avx2_fma())
        return;                      /* the library uses divps then */
    for (d = 1; d <= PDQ_DIV_MAXD; d++)
        for (i = 0; i < 4000; i++) {
            for (k = 0; k < 8; k++)
                x[k] = random_in_domain(&s);
            bad += check8(x, (float)d);
        }
    CHECK_EQ_INT(bad, 0);
}

/* The values a running sum of luma takes: small multiples of 2^-27 up to
 * 255 * 65535. */
static void test_pdq_div__filter_like_values(void)
{
    uint64_t s = 7;
    float x[8];
    long bad = 0;
    int d, i, k;

    if (!vigil_pdq__have_avx2_fma())
        return;
    for (d = 1; d <= PDQ_DIV_MAXD; d++)
        for (i = 0; i < 2000; i++) {
            for (k = 0; k < 8; k++) {
                uint32_t u = rng_next(&s);

                x[k] = (u & 1) ? (float)(u >> 8) / 1000.0f
                               : ldexpf((float)(u >> 9), -27);
            }
            bad += check8(x, (float)d);
        }
    CHECK_EQ_INT(bad, 0);
}

static void test_pdq_div__edge_cases(void)
{
    float e[] = { 0.0f, 0x1p-64f, 0x1.fffffep-64f, 0x1p-63f, FLT_MIN * 0x1p63f,
                  1.0f, 2.0f, 0.5f, 255.0f, 255.0f * 65535.0f, FLT_MAX,
                  nextafterf(FLT_MAX, 0.0f), 0x1p127f, 0x1p100f, 16777216.0f,
                  16777215.0f, 8388607.5f, 1e30f, 3.0f, 6.0f };
    float x[8];
    long bad = 0;
    int d, i, k, m;
    size_t j;

    if (!vigil_pdq__have_avx2_fma())
        return;
    for (d = 1; d <= PDQ_DIV_MAXD; d++) {
        /* fixed edge values, both signs (but never -0) */
        for (j = 0; j < sizeof(e) / sizeof(e[0]); j++) {
            for (k = 0; k < 8; k++)
                x[k] = (k & 1) && e[j] != 0.0f ? -e[j] : e[j];
            bad += check8(x, (float)d);
        }
        /* exact multiples m * d, and the floats just around them */
        for (m = 0; m < 20000; m++) {
            float v = (float)m * (float)d, w = ldexpf((float)(m + 1) * (float)d, -40);

            x[0] = v;
            x[1] = nextafterf(v, FLT_MAX);
            x[2] = m ? nextafterf(v, 0.0f) : v;
            x[3] = w;
            x[4] = nextafterf(w, FLT_MAX);
            x[5] = nextafterf(w, 0.0f);
            x[6] = v + 0.5f;
            x[7] = ldexpf(v + 1.0f, 100);
            bad += check8(x, (float)d);
        }
        for (i = -64; i < 128; i++) {
            for (k = 0; k < 8; k++)
                x[k] = ldexpf(1.0f + (float)k / 8.0f, i);
            bad += check8(x, (float)d);
        }
    }
    CHECK_EQ_INT(bad, 0);
}

/* Luma: every L = 299R + 587G + 114B that occurs (0..255000) by 1000. */
static void test_pdq_div__luma_integers(void)
{
    float x[8];
    long bad = 0;
    int l, k;

    if (!vigil_pdq__have_avx2_fma())
        return;
    for (l = 0; l <= 255000; l += 8) {
        for (k = 0; k < 8; k++)
            x[k] = (float)(l + k);
        bad += check8(x, 1000.0f);
    }
    CHECK_EQ_INT(bad, 0);
}
#else
static void test_pdq_div__sampled_all_divisors(void) {}
static void test_pdq_div__filter_like_values(void) {}
static void test_pdq_div__edge_cases(void) {}
static void test_pdq_div__luma_integers(void) {}
#endif

static const test_case cases[] = {
    { "sampled_all_divisors", test_pdq_div__sampled_all_divisors },
    { "filter_like_values", test_pdq_div__filter_like_values },
    { "edge_cases", test_pdq_div__edge_cases },
    { "luma_integers", test_pdq_div__luma_integers },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, cases);
}
