/*
 * hash/pdq_filter.c - the Jarosz downsample of PDQ: repeated box filters
 * (a tent after two passes) along rows then columns, then decimation to
 * 64x64. Bit-exact with the reference's running-sum box filter, and fast:
 * eight independent rows or columns advance together in one vector.
 */
#define VIGIL_MODULE "pdq"
#include <string.h>

#include "common/alloc.h"
#include "common/error.h"
#include "hash/pdq_internal.h"

#define LANES 8
#define PASSES 2              /* two box passes per axis make a tent */

/* Two 4-float vectors (SSE-sized, so no ABI concerns) make one lane set. */
typedef float v4f __attribute__((vector_size(4 * sizeof(float))));

/* Window of the box filter shrinking @p from pixels towards 64. */
static int window_size(uint32_t from)
{
    return (int)((from + 2 * 64 - 1) / (2 * 64));
}

/*
 * The reference's box filter on one vector: a running sum that first
 * accumulates half a window, then writes sum/count while the window grows,
 * slides, and shrinks. The order of adds and subtracts is what fixes the
 * bits, so it is kept exactly: add the entering sample, then subtract the
 * leaving one.
 */
static void box1d(const float *in, float *out, int len, size_t step, int full)
{
    int half = (full + 2) / 2;
    int i, count = 0;
    size_t li = 0, ri = 0, oi = 0;
    float sum = 0.0f;

    for (i = 0; i < half - 1; i++, ri += step, count++)
        sum += in[ri];
    for (i = 0; i < full - half + 1; i++, ri += step, oi += step) {
        sum += in[ri];
        count++;
        out[oi] = sum / (float)count;
    }
    for (i = 0; i < len - full; i++, li += step, ri += step, oi += step) {
        sum += in[ri];
        sum -= in[li];
        out[oi] = sum / (float)count;
    }
    for (i = 0; i < half - 1; i++, li += step, oi += step) {
        sum -= in[li];
        count--;
        out[oi] = sum / (float)count;
    }
}

static inline v4f load4(const float *p)
{
    v4f v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static inline void store4(float *p, v4f v)
{
    memcpy(p, &v, sizeof(v));
}

static inline v4f splat4(float f)
{
    v4f v = { f, f, f, f };

    return v;
}

/* box1d on LANES interleaved vectors: element k of lane l at in[k*step+l]. */
static void box8(const float *in, float *out, int len, size_t step, int full)
{
    int half = (full + 2) / 2;
    int i, count = 0;
    size_t li = 0, ri = 0, oi = 0;
    v4f s0 = splat4(0.0f), s1 = s0, c;

    for (i = 0; i < half - 1; i++, ri += step, count++) {
        s0 += load4(in + ri);
        s1 += load4(in + ri + 4);
    }
    for (i = 0; i < full - half + 1; i++, ri += step, oi += step) {
        s0 += load4(in + ri);
        s1 += load4(in + ri + 4);
        c = splat4((float)++count);
        store4(out + oi, s0 / c);
        store4(out + oi + 4, s1 / c);
    }
    c = splat4((float)count);
    for (i = 0; i < len - full; i++, li += step, ri += step, oi += step) {
        s0 += load4(in + ri);
        s1 += load4(in + ri + 4);
        s0 -= load4(in + li);
        s1 -= load4(in + li + 4);
        store4(out + oi, s0 / c);
        store4(out + oi + 4, s1 / c);
    }
    for (i = 0; i < half - 1; i++, li += step, oi += step) {
        s0 -= load4(in + li);
        s1 -= load4(in + li + 4);
        c = splat4((float)--count);
        store4(out + oi, s0 / c);
        store4(out + oi + 4, s1 / c);
    }
}

/* Box along each row; blocks of 8 rows go through a transposed scratch. */
static void box_rows(const float *in, float *out, uint32_t rows,
                     uint32_t cols, int full, float *t1, float *t2)
{
    uint32_t r0 = 0, k, l;

    for (; r0 + LANES <= rows; r0 += LANES) {
        for (l = 0; l < LANES; l++) {
            const float *src = in + (size_t)(r0 + l) * cols;

            for (k = 0; k < cols; k++)
                t1[(size_t)k * LANES + l] = src[k];
        }
        box8(t1, t2, (int)cols, LANES, full);
        for (l = 0; l < LANES; l++) {
            float *dst = out + (size_t)(r0 + l) * cols;

            for (k = 0; k < cols; k++)
                dst[k] = t2[(size_t)k * LANES + l];
        }
    }
    for (; r0 < rows; r0++)
        box1d(in + (size_t)r0 * cols, out + (size_t)r0 * cols, (int)cols, 1,
              full);
}

/* Box along each column; 8 adjacent columns are one vector. */
static void box_cols(const float *in, float *out, uint32_t rows,
                     uint32_t cols, int full)
{
    uint32_t c0 = 0;

    for (; c0 + LANES <= cols; c0 += LANES)
        box8(in + c0, out + c0, (int)rows, cols, full);
    for (; c0 < cols; c0++)
        box1d(in + c0, out + c0, (int)rows, cols, full);
}

int vigil_pdq__downsample(float out[64][64], float *buf1, float *buf2,
                          uint32_t rows, uint32_t cols)
{
    int wr = window_size(cols), wc = window_size(rows), pass;
    float *t1, *t2;
    uint32_t i, j;

    t1 = vigil__mallocarray((size_t)cols * 2, LANES * sizeof(float));
    if (t1 == NULL)
        return vigil_error_set(VIGIL_ENOMEM, "no memory for PDQ filter");
    t2 = t1 + (size_t)cols * LANES;
    for (pass = 0; pass < PASSES; pass++) {
        box_rows(buf1, buf2, rows, cols, wr, t1, t2);
        box_cols(buf2, buf1, rows, cols, wc);
    }
    vigil__free(t1);

    /* Sample the centre of each of the 64x64 cells: (i + 0.5) * n / 64. */
    for (i = 0; i < 64; i++) {
        size_t si = ((2 * (size_t)i + 1) * rows) / 128;

        for (j = 0; j < 64; j++) {
            size_t sj = ((2 * (size_t)j + 1) * cols) / 128;

            out[i][j] = buf1[si * cols + sj];
        }
    }
    return VIGIL_OK;
}
