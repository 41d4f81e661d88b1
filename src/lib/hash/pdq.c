/*
 * hash/pdq.c - the PDQ perceptual hash from decoded pixels: luma, Jarosz
 * box-filter downsample to 64x64, quality metric, 16x16 DCT, median
 * threshold, and the 8 dihedral variants taken from one DCT.
 *
 * Algorithm: Meta, "The TMK+PDQF and PDQ hashing algorithms" (2017) and the
 * reference implementation in facebook/ThreatExchange pdq/cpp, written here
 * from that description. Every floating-point operation is done in the
 * reference's type and order (float, left-to-right sums, no contraction:
 * the build uses -ffp-contract=off), because a hasher that drifts by even a
 * few bits loses matches at the sharing threshold.
 */
#define VIGIL_MODULE "pdq"
#include "vigil/pdq.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/error.h"
#include "hash/pdq_internal.h"

#define PDQ_MIN_DIM 5         /* the reference refuses anything smaller */
#define PDQ_CLI_DIM 512       /* pdq-photo-hasher's pre-resize target */

/* ---- DCT matrix, built once ------------------------------------------ */

static float dct_matrix[16][64];
static pthread_once_t dct_once = PTHREAD_ONCE_INIT;

/*
 * D[i][j] = sqrt(2/64) * cos(pi/128 * (i+1) * (2j+1)). As in the reference
 * the scale is rounded to float first, the product is formed in double and
 * the result rounded to float.
 */
static void dct_init(void)
{
    const double pi = 3.14159265358979323846;
    const float scale = (float)sqrt(2.0 / 64.0);
    int i, j;

    for (i = 0; i < 16; i++)
        for (j = 0; j < 64; j++)
            dct_matrix[i][j] = (float)((double)scale *
                cos((pi / 2.0 / 64.0) * (double)(i + 1) * (double)(2 * j + 1)));
}

/* ---- Luma ------------------------------------------------------------- */

/*
 * Two flavours. PDQ_LUMA_FLOAT is the C++ CLI: 0.299f*R + 0.587f*G +
 * 0.114f*B in float. PDQ_LUMA_DOUBLE is what HMA/python-threatexchange
 * feed the same code: the sum formed in double and rounded to float. The
 * products are exact table entries, so summing table values in the same
 * order gives the same bits as the direct expression.
 */
typedef struct {
    int kind;                   /* PDQ_LUMA_FLOAT or PDQ_LUMA_DOUBLE */
    float rf[256], gf[256], bf[256];
    double rd[256], gd[256], bd[256];
    float grey[256];            /* luma of (v, v, v) */
} luma_tables;

enum { PDQ_LUMA_FLOAT = 0, PDQ_LUMA_DOUBLE = 1 };

static void luma_tables_init(luma_tables *t, int kind, int grey_is_value)
{
    const float cr = 0.299f, cg = 0.587f, cb = 0.114f;
    int v;

    t->kind = kind;
    for (v = 0; v < 256; v++) {
        t->rf[v] = cr * (float)v;
        t->gf[v] = cg * (float)v;
        t->bf[v] = cb * (float)v;
        t->rd[v] = 0.299 * (double)v;
        t->gd[v] = 0.587 * (double)v;
        t->bd[v] = 0.114 * (double)v;
    }
    for (v = 0; v < 256; v++) {
        if (grey_is_value)
            t->grey[v] = (float)v;
        else if (kind == PDQ_LUMA_FLOAT)
            t->grey[v] = t->rf[v] + t->gf[v] + t->bf[v];
        else
            t->grey[v] = (float)(t->rd[v] + t->gd[v] + t->bd[v]);
    }
}

static inline float luma_rgb(const luma_tables *t, const uint8_t *p)
{
    if (t->kind == PDQ_LUMA_FLOAT)
        return t->rf[p[0]] + t->gf[p[1]] + t->bf[p[2]];
    return (float)(t->rd[p[0]] + t->gd[p[1]] + t->bd[p[2]]);
}

/* Every pixel has R == G == B (ImageMagick then hands the CLI grey). */
static int pixels_are_grey(const pdq_pixels *src)
{
    uint32_t x, y;

    if (src->channels == 1)
        return 1;
    for (y = 0; y < src->height; y++) {
        const uint8_t *p = src->pixels + (size_t)y * src->stride;

        for (x = 0; x < src->width; x++, p += 3)
            if (p[0] != p[1] || p[1] != p[2])
                return 0;
    }
    return 1;
}

/* What the luma producer needs: source, tables, pre-resize maps. */
struct luma_src {
    const pdq_pixels *src;
    const luma_tables *t;
    int use_grey;
    const uint32_t *ys, *xs;  /* NULL: identity */
    uint32_t cols;
    uint8_t *rowbuf;          /* 8 fetched rows when src->fetch is set */
    size_t rowbuf_stride;
    float *tmp;               /* 8 x cols row-major luma for lane output */
    int avx2;                 /* AVX2 kernels (vigil_pdq__pick_avx2) */
};

/*
 * Luma rows r0..r0+n-1, row-major, sampling source row ys[i] and column
 * xs[j] (the identity unless pre-resizing). A pdq_luma_fn.
 */
static int fill_luma(void *ctx, uint32_t r0, uint32_t n, float *dst,
                     size_t lanes)
{
    const struct luma_src *ls = ctx;
    float *luma = lanes ? ls->tmp : dst;
    const pdq_pixels *src = ls->src;
    const luma_tables *t = ls->t;
    const uint32_t *ys = ls->ys, *xs = ls->xs;
    const uint8_t *base = src->pixels;
    size_t stride = src->stride;
    uint32_t i, j, cols = ls->cols;
    int use_grey = ls->use_grey, err;

    if (src->fetch) {
        if ((err = src->fetch(src->fetch_ctx, ls->rowbuf, ls->rowbuf_stride,
                              n)) < 0)
            return err;
        base = ls->rowbuf - (size_t)r0 * ls->rowbuf_stride;
        stride = ls->rowbuf_stride;
    }
    if (src->channels == 3 && !use_grey && !xs && !ys &&
        t->kind == PDQ_LUMA_DOUBLE) {
        /* The default flavour's common case, vectorised. */
        const uint8_t *rows[8];

        if (lanes) {
            for (i = 0; i < 8; i++)
                rows[i] = base + (size_t)(r0 + i) * stride;
            vigil_pdq__luma_hma_lanes(rows, cols, dst, lanes, ls->avx2);
            return VIGIL_OK;
        }
        for (i = r0; i < r0 + n; i++)
            vigil_pdq__luma_hma_row(base + (size_t)i * stride, cols,
                                    luma + (size_t)(i - r0) * cols);
        return VIGIL_OK;
    }
    for (i = r0; i < r0 + n; i++) {
        const uint8_t *row = base + (size_t)(ys ? ys[i] : i) * stride;
        float *out = luma + (size_t)(i - r0) * cols;

        if (src->channels == 1) {
            for (j = 0; j < cols; j++)
                out[j] = t->grey[row[xs ? xs[j] : j]];
        } else if (use_grey) {
            for (j = 0; j < cols; j++)
                out[j] = t->grey[row[3 * (size_t)(xs ? xs[j] : j)]];
        } else if (xs) {
            for (j = 0; j < cols; j++)
                out[j] = luma_rgb(t, row + 3 * (size_t)xs[j]);
        } else if (t->kind == PDQ_LUMA_FLOAT) {
            for (j = 0; j < cols; j++, row += 3)
                out[j] = t->rf[row[0]] + t->gf[row[1]] + t->bf[row[2]];
        } else {
            for (j = 0; j < cols; j++, row += 3)
                out[j] = (float)(t->rd[row[0]] + t->gd[row[1]] + t->bd[row[2]]);
        }
    }
    if (lanes)
        vigil_pdq__rows_to_lanes(dst, luma, cols, cols, lanes);
    return VIGIL_OK;
}

/* The 64x64 luma image itself, row-major (no filtering). */
static int luma_64(float a64[64][64], pdq_luma_fn produce, void *ctx)
{
    float lanes[64 * 8];
    int r0, l, j, err;

    for (r0 = 0; r0 < 64; r0 += 8) {
        if ((err = produce(ctx, (uint32_t)r0, 8, lanes, 0)) < 0)
            return err;
        for (l = 0; l < 8; l++)
            for (j = 0; j < 64; j++)
                a64[r0 + l][j] = lanes[l * 64 + j];
    }
    return VIGIL_OK;
}

/* ---- Quality, DCT, bits ----------------------------------------------- */

/*
 * Count significant gradients of the 64x64 image, as the reference: each
 * neighbour difference scaled to 0..100 in float, truncated to int.
 */
static int quality_metric(const float a[64][64])
{
    int sum = 0, i, j, q;

    for (i = 0; i < 63; i++)
        for (j = 0; j < 64; j++) {
            int d = (int)(((a[i][j] - a[i + 1][j]) * 100.0f) / 255.0f);
            sum += abs(d);
        }
    for (i = 0; i < 64; i++)
        for (j = 0; j < 63; j++) {
            int d = (int)(((a[i][j] - a[i][j + 1]) * 100.0f) / 255.0f);
            sum += abs(d);
        }
    q = sum / 90;
    return q > 100 ? 100 : q;
}

/* B = D A D^T restricted to frequencies 1..16, sums in k order. */
static void dct_64_to_16(const float a[64][64], float b[16][16])
{
    float t[16][64];
    int i, j, k;

    for (i = 0; i < 16; i++) {
        for (j = 0; j < 64; j++)
            t[i][j] = 0.0f;
        for (k = 0; k < 64; k++) {
            const float d = dct_matrix[i][k];

            for (j = 0; j < 64; j++)
                t[i][j] += d * a[k][j];
        }
    }
    for (i = 0; i < 16; i++)
        for (j = 0; j < 16; j++) {
            float s = 0.0f;

            for (k = 0; k < 64; k++)
                s += t[i][k] * dct_matrix[j][k];
            b[i][j] = s;
        }
}

static int cmp_float(const void *pa, const void *pb)
{
    float a = *(const float *)pa, b = *(const float *)pb;

    return (a > b) - (a < b);
}

/*
 * Bit 16*i+j is set when b[i][j] exceeds the lower median (the 128th
 * smallest of 256, which is what Torben's method in the reference returns).
 * Bit k is bit k of the 256-bit big-endian number the hex form spells.
 */
static void bits_from_dct(vigil_pdq *out, const float b[16][16])
{
    float sorted[256];
    float median;
    int i, j;

    memcpy(sorted, b, sizeof(sorted));
    qsort(sorted, 256, sizeof(float), cmp_float);
    median = sorted[127];
    memset(out, 0, sizeof(*out));
    for (i = 0; i < 16; i++)
        for (j = 0; j < 16; j++)
            if (b[i][j] > median) {
                int k = 16 * i + j;

                out->w[3 - k / 64] |= (uint64_t)1 << (k % 64);
            }
}

/*
 * The DCT of a rotated or flipped image is the original DCT transposed
 * and/or with alternating signs, because cosine basis k is even or odd
 * about the centre. transpose: B[j][i] from A[i][j]; sign: which index
 * parity flips the sign (0 none, 1 row i even, 2 col j even, 3 i+j odd).
 */
static const struct { int transpose, sign; } dihedral[8] = {
    { 0, 0 },   /* original */
    { 1, 2 },   /* rotate 90: negate where j is even */
    { 0, 3 },   /* rotate 180 */
    { 1, 1 },   /* rotate 270: negate where i is even */
    { 0, 1 },   /* flip x */
    { 0, 2 },   /* flip y */
    { 1, 0 },   /* flip plus-1 (transpose) */
    { 1, 3 },   /* flip minus-1 */
};

static void dct_dihedral(float out[16][16], const float a[16][16], int which)
{
    int i, j;

    for (i = 0; i < 16; i++)
        for (j = 0; j < 16; j++) {
            float v = a[i][j];
            int neg;

            switch (dihedral[which].sign) {
            case 1: neg = !(i & 1); break;
            case 2: neg = !(j & 1); break;
            case 3: neg = (i + j) & 1; break;
            default: neg = 0; break;
            }
            if (neg)
                v = -v;
            if (dihedral[which].transpose)
                out[j][i] = v;
            else
                out[i][j] = v;
        }
}

/* ---- Entry points ----------------------------------------------------- */

static int check_pixels(const pdq_pixels *src, unsigned int prescale)
{
    if (src->luma)
        return src->width == 0 || src->height == 0 || prescale
                   ? vigil_error_set(VIGIL_EINVAL, "bad luma source for PDQ")
                   : VIGIL_OK;
    if ((src->pixels == NULL && (src->fetch == NULL || prescale)) ||
        (src->channels != 1 && src->channels != 3) ||
        src->width == 0 || src->height == 0 ||
        src->stride < (size_t)src->width * (size_t)src->channels)
        return vigil_error_set(VIGIL_EINVAL, "bad pixel buffer for PDQ");
    return VIGIL_OK;
}

static void nn_map(uint32_t *map, uint32_t from)
{
    uint32_t i;

    /* CImg's nearest neighbour: source index floor(i * from / 512). */
    for (i = 0; i < PDQ_CLI_DIM; i++)
        map[i] = (uint32_t)(((uint64_t)i * from) / PDQ_CLI_DIM);
}

int vigil_pdq__hash(vigil_pdq *out, int nout, int *quality_out,
                    const pdq_pixels *src, unsigned int prescale)
{
    luma_tables *tables = NULL;
    struct luma_src ls;
    float a64[64][64], dct[16][16], tmp[16][16];
    uint32_t xs[PDQ_CLI_DIM], ys[PDQ_CLI_DIM];
    uint32_t rows = src->height, cols = src->width;
    int resize = 0, err, quality, k;
    pdq_luma_fn produce = fill_luma;
    void *ctx = &ls;

    if ((err = check_pixels(src, prescale)) < 0)
        return err;
    if (prescale != 0 && prescale != PDQ_CLI_DIM)
        return vigil_error_set(VIGIL_EINVAL,
                               "prescale is %u; only 0 and 512 exist", prescale);
    if (prescale && (rows > PDQ_CLI_DIM || cols > PDQ_CLI_DIM)) {
        resize = 1;
        nn_map(ys, rows);
        nn_map(xs, cols);
        rows = cols = PDQ_CLI_DIM;
    }
    if (rows < PDQ_MIN_DIM || cols < PDQ_MIN_DIM)
        return vigil_error_set(VIGIL_EFORMAT,
            "image is %ux%u pixels; PDQ needs at least %dx%d",
            (unsigned)cols, (unsigned)rows, PDQ_MIN_DIM, PDQ_MIN_DIM);
    pthread_once(&dct_once, dct_init);

    memset(&ls, 0, sizeof(ls));
    if ((tables = vigil__malloc(sizeof(*tables))) == NULL)
        return vigil_error_set(VIGIL_ENOMEM, "no memory for luma tables");
    if ((ls.tmp = vigil__mallocarray((size_t)cols * sizeof(float), 8)) ==
        NULL) {
        err = vigil_error_set(VIGIL_ENOMEM, "no memory for 8 luma rows");
        goto out;
    }
    if (src->luma) {
        produce = src->luma;
        ctx = src->luma_ctx;
    } else if (src->fetch) {
        ls.rowbuf_stride = (size_t)cols * (size_t)src->channels;
        if ((ls.rowbuf = vigil__mallocarray(ls.rowbuf_stride, 8)) == NULL) {
            err = vigil_error_set(VIGIL_ENOMEM, "no memory for 8 rows");
            goto out;
        }
    }
    ls.src = src;
    ls.t = tables;
    ls.ys = resize ? ys : NULL;
    ls.xs = resize ? xs : NULL;
    ls.cols = cols;
    /* A luma source (a JPEG's YCbCr planes) takes the AVX2 filter: with
     * libjpeg's upsampling and colour conversion gone, it measured faster
     * there (docs/internals/pdq.md), unlike RGB rows streamed from it. */
    ls.avx2 = vigil_pdq__pick_avx2(src->fetch != NULL);
    if (prescale) {
        ls.use_grey = pixels_are_grey(src);
        luma_tables_init(tables, PDQ_LUMA_FLOAT, ls.use_grey);
    } else {
        ls.use_grey = 0;
        luma_tables_init(tables, PDQ_LUMA_DOUBLE, 0);
    }

    /* The reference skips the filter for 64x64 input, except when it
     * computes the dihedral set. */
    if (rows == 64 && cols == 64 && nout == 1) {
        if ((err = luma_64(a64, produce, ctx)) < 0)
            goto out;
    } else if ((err = vigil_pdq__downsample(a64, rows, cols, produce, ctx,
                                            ls.avx2)) < 0)
        goto out;

    quality = quality_metric((const float(*)[64])a64);
    dct_64_to_16((const float(*)[64])a64, dct);
    bits_from_dct(&out[0], (const float(*)[16])dct);
    for (k = 1; k < nout; k++) {
        dct_dihedral(tmp, (const float(*)[16])dct, k);
        bits_from_dct(&out[k], (const float(*)[16])tmp);
    }
    if (quality_out)
        *quality_out = quality;
    err = VIGIL_OK;
out:
    vigil__free(ls.rowbuf);
    vigil__free(ls.tmp);
    vigil__free(tables);
    return err;
}

int vigil_pdq_hash_pixels(vigil_pdq *out, int *quality_out,
                          const uint8_t *pixels, uint32_t width,
                          uint32_t height, size_t stride, int channels,
                          unsigned int prescale, int dihedral)
{
    pdq_pixels src = { pixels, width, height, stride, channels, NULL, NULL,
                       NULL, NULL };

    if (out == NULL)
        return vigil_error_set(VIGIL_EINVAL, "no output for PDQ hash");
    return vigil_pdq__hash(out, dihedral ? 8 : 1, quality_out, &src, prescale);
}
