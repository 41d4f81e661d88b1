/*
 * tests/unit/hash/test_pdq_filter.c - the fast Jarosz downsample
 * (vigil_pdq__downsample: streamed blocks, SSE/AVX2 lanes, FMA division,
 * sampled pass C/D) gives bit for bit what the plain algorithm gives: a
 * running-sum box filter along rows, columns, rows, columns, then the cell
 * centres. Sizes cover every block tail (32/16/8/1 rows), pass B's strip
 * widths, windows that are and are not powers of two, and windows above
 * PDQ_DIV_MAXD (divps kept); each through the AVX2 and the SSE kernels.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash/pdq_internal.h"
#include "test.h"

/* The reference's box filter on one line, written plainly. */
static void plain_box(const float *in, size_t istep, float *out,
                      size_t ostep, int len, int full)
{
    int half = (full + 2) / 2, i, count = 0, li = 0, ri = 0, oi = 0;
    float sum = 0.0f;

    for (i = 0; i < half - 1; i++)
        sum += in[(size_t)ri++ * istep], count++;
    for (i = 0; i < full - half + 1; i++) {
        sum += in[(size_t)ri++ * istep];
        count++;
        out[(size_t)oi++ * ostep] = sum / (float)count;
    }
    for (i = 0; i < len - full; i++) {
        sum += in[(size_t)ri++ * istep];
        sum -= in[(size_t)li++ * istep];
        out[(size_t)oi++ * ostep] = sum / (float)count;
    }
    for (i = 0; i < half - 1; i++) {
        sum -= in[(size_t)li++ * istep];
        count--;
        out[(size_t)oi++ * ostep] = sum / (float)count;
    }
}

static void plain_downsample(float out[64][64], float *img, uint32_t rows,
                             uint32_t cols)
{
    int wr = (int)((cols + 127) / 128), wc = (int)((rows + 127) / 128);
    float *tmp = malloc((size_t)rows * cols * sizeof(float));
    uint32_t i, j, pass;

    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < rows; i++)
            plain_box(img + (size_t)i * cols, 1, tmp + (size_t)i * cols, 1,
                      (int)cols, wr);
        for (j = 0; j < cols; j++)
            plain_box(tmp + j, cols, img + j, cols, (int)rows, wc);
    }
    for (i = 0; i < 64; i++)
        for (j = 0; j < 64; j++)
            out[i][j] = img[((2 * (size_t)i + 1) * rows / 128) * cols +
                            (2 * (size_t)j + 1) * cols / 128];
    free(tmp);
}

struct src {
    const float *img;
    uint32_t cols;
};

/* A pdq_luma_fn over a float image. */
static int produce(void *ctx, uint32_t r0, uint32_t n, float *dst,
                   size_t lanes)
{
    const struct src *s = ctx;
    uint32_t l, j;

    for (l = 0; l < n; l++)
        for (j = 0; j < s->cols; j++) {
            float v = s->img[(size_t)(r0 + l) * s->cols + j];

            if (lanes)
                dst[(size_t)j * lanes + l] = v;
            else
                dst[(size_t)l * s->cols + j] = v;
        }
    return 0;
}

/* Fast and plain downsample of random luma (L / 1000, as the default
 * flavour makes it) agree bit for bit; returns the differing cells. */
static int compare1(uint32_t rows, uint32_t cols, unsigned seed, int avx2)
{
    size_t n = (size_t)rows * cols, k;
    float *img = malloc(n * sizeof(float)), *copy = malloc(n * sizeof(float));
    float fast[64][64], plain[64][64];
    struct src s = { img, cols };
    uint64_t x = seed;
    int bad = -1;

    if (img && copy) {
        for (k = 0; k < n; k++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            /* smooth-ish with noise, so sums vary like a photo's */
            img[k] = (float)(int)((x >> 40) % 255001u) / 1000.0f;
            if ((x >> 20) & 1)
                img[k] = k ? img[k - 1] : 0.0f;
        }
        memcpy(copy, img, n * sizeof(float));
        if (vigil_pdq__downsample(fast, rows, cols, produce, &s, avx2) == 0) {
            plain_downsample(plain, copy, rows, cols);
            bad = 0;
            for (k = 0; k < 64 * 64; k++)
                bad += memcmp(&fast[k / 64][k % 64], &plain[k / 64][k % 64],
                              sizeof(float)) != 0;
        }
    }
    free(img);
    free(copy);
    return bad;
}

/* compare1() with the AVX2 kernels (when the CPU has them) and with the
 * SSE ones; returns the differing cells of both. */
static int compare(uint32_t rows, uint32_t cols, unsigned seed)
{
    return compare1(rows, cols, seed, 0) +
           compare1(rows, cols, seed, vigil_pdq__pick_avx2(0));
}

static void test_pdq_filter__photo_sizes(void)
{
    CHECK_EQ_INT(compare(768, 1024, 1), 0);
    CHECK_EQ_INT(compare(1024, 768, 2), 0);
    CHECK_EQ_INT(compare(750, 1000, 3), 0);
    CHECK_EQ_INT(compare(720, 1280, 4), 0);
}

static void test_pdq_filter__block_tails(void)
{
    static const uint32_t sz[][2] = {
        { 5, 5 }, { 7, 9 }, { 8, 8 }, { 15, 17 }, { 16, 16 }, { 23, 40 },
        { 31, 33 }, { 32, 32 }, { 33, 70 }, { 40, 129 }, { 47, 200 },
        { 57, 63 }, { 64, 64 }, { 65, 1000 }, { 100, 77 }, { 129, 300 },
        { 513, 511 },
    };
    size_t i;

    for (i = 0; i < sizeof(sz) / sizeof(sz[0]); i++)
        CHECK_EQ_INT(compare(sz[i][0], sz[i][1], (unsigned)i + 10), 0);
}

/* Pass B strips feeding pass C: widths equal to a strip, a strip plus
 * tails, and windows that grow pass C's lane ring. */
static void test_pdq_filter__strips(void)
{
    static const uint32_t sz[][2] = {
        { 48, 16 }, { 21, 15 }, { 80, 64 }, { 70, 65 }, { 33, 144 },
        { 97, 200 }, { 50, 2100 }, { 36, 4097 }, { 19, 6200 },
    };
    size_t i;

    for (i = 0; i < sizeof(sz) / sizeof(sz[0]); i++)
        CHECK_EQ_INT(compare(sz[i][0], sz[i][1], (unsigned)i + 40), 0);
}

static void test_pdq_filter__large_windows(void)
{
    CHECK_EQ_INT(compare(40, 8300, 5), 0);      /* row window 65: divps */
    CHECK_EQ_INT(compare(8300, 12, 6), 0);      /* column window 65 */
    CHECK_EQ_INT(compare(70, 4100, 7), 0);      /* window 33 */
    CHECK_EQ_INT(compare(2000, 40, 8), 0);      /* window 16 */
}

static const test_case cases[] = {
    { "photo_sizes", test_pdq_filter__photo_sizes },
    { "block_tails", test_pdq_filter__block_tails },
    { "strips", test_pdq_filter__strips },
    { "large_windows", test_pdq_filter__large_windows },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, cases);
}
