/*
 * tests/unit/hash/test_pdq_luma.c - the default flavour's fast luma
 * (integer 299R + 587G + 114B, then / 1000 in float; SSE2/SSSE3 paths)
 * gives exactly the reference's (float)(0.299*R + 0.587*G + 0.114*B) in
 * double, for every one of the 2^24 colours, in rows and in lanes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash/pdq_internal.h"
#include "test.h"

/* The reference's arithmetic: double products, summed left to right. */
static float ref_luma(unsigned r, unsigned g, unsigned b)
{
    return (float)(0.299 * (double)r + 0.587 * (double)g + 0.114 * (double)b);
}

static int same_bits(float a, float b)
{
    return memcmp(&a, &b, sizeof(a)) == 0;
}

static void test_pdq_luma__scalar_all_colours(void)
{
    unsigned r, g, b;
    long bad = 0;

    for (r = 0; r < 256; r++)
        for (g = 0; g < 256; g++)
            for (b = 0; b < 256; b++)
                bad += !same_bits(vigil_pdq__luma_hma(r, g, b),
                                  ref_luma(r, g, b));
    CHECK_EQ_INT(bad, 0);
}

/* Rows of 256 pixels, R = 0..255, for every (G, B). Odd lengths and
 * offsets exercise the vector tails. */
static void test_pdq_luma__rows_all_colours(void)
{
    uint8_t row[256 * 3];
    float out[256];
    unsigned g, b, r, n;
    long bad = 0;

    for (g = 0; g < 256; g++)
        for (b = 0; b < 256; b++) {
            for (r = 0; r < 256; r++) {
                row[3 * r] = (uint8_t)r;
                row[3 * r + 1] = (uint8_t)g;
                row[3 * r + 2] = (uint8_t)b;
            }
            n = (g + b) % 7 == 0 ? 256 - (g % 5) : 256;
            vigil_pdq__luma_hma_row(row, n, out);
            for (r = 0; r < n; r++)
                bad += !same_bits(out[r], ref_luma(r, g, b));
        }
    CHECK_EQ_INT(bad, 0);
}

/* 8 rows at a time (B = b0..b0+7), interleaved with stride 8 and 16. */
static void test_pdq_luma__lanes_all_colours(void)
{
    static uint8_t rows[8][256 * 3];
    static float t[256 * 16];
    const uint8_t *rp[8];
    unsigned g, b0, r, l, n;
    size_t stride;
    long bad = 0;

    for (l = 0; l < 8; l++)
        rp[l] = rows[l];
    for (g = 0; g < 256; g++)
        for (b0 = 0; b0 < 256; b0 += 8) {
            stride = (g + b0 / 8) % 2 ? 16 : 8;
            n = (g + b0) % 3 == 0 ? 256 - (b0 / 8 % 7) : 256;
            for (l = 0; l < 8; l++)
                for (r = 0; r < 256; r++) {
                    rows[l][3 * r] = (uint8_t)r;
                    rows[l][3 * r + 1] = (uint8_t)g;
                    rows[l][3 * r + 2] = (uint8_t)(b0 + l);
                }
            /* odd g: the AVX2 kernel where the CPU has it, else SSE */
            vigil_pdq__luma_hma_lanes(rp, n, t, stride,
                                      (g & 1) && vigil_pdq__pick_avx2(0));
            for (r = 0; r < n; r++)
                for (l = 0; l < 8; l++)
                    bad += !same_bits(t[r * stride + l],
                                      ref_luma(r, g, b0 + l));
        }
    CHECK_EQ_INT(bad, 0);
}

static const test_case cases[] = {
    { "scalar_all_colours", test_pdq_luma__scalar_all_colours },
    { "rows_all_colours", test_pdq_luma__rows_all_colours },
    { "lanes_all_colours", test_pdq_luma__lanes_all_colours },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, cases);
}
