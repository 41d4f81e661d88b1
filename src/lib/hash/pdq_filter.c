/*
 * hash/pdq_filter.c - the Jarosz downsample of PDQ: repeated box filters
 * (a tent after two passes) along rows then columns, then decimation to
 * 64x64. Bit-exact with the reference's running-sum box filter, and fast:
 * eight independent rows or columns advance together in one vector, the
 * passes run as a pipeline over blocks of 8 luma rows (no full-size float
 * image), and the second row/column passes only divide where the
 * decimation will sample. See docs/internals/pdq.md.
 */
#define VIGIL_MODULE "pdq"
#include <string.h>

#include "common/alloc.h"
#include "common/error.h"
#include "hash/pdq_internal.h"

#define LANES 8

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
static void box1d(const float *in, size_t istep, float *out, size_t ostep,
                  int len, int full)
{
    int half = (full + 2) / 2;
    int i, count = 0;
    size_t li = 0, ri = 0, oi = 0;
    float sum = 0.0f;

    for (i = 0; i < half - 1; i++, ri += istep, count++)
        sum += in[ri];
    for (i = 0; i < full - half + 1; i++, ri += istep, oi += ostep) {
        sum += in[ri];
        count++;
        out[oi] = sum / (float)count;
    }
    for (i = 0; i < len - full; i++, li += istep, ri += istep, oi += ostep) {
        sum += in[ri];
        sum -= in[li];
        out[oi] = sum / (float)count;
    }
    for (i = 0; i < half - 1; i++, li += istep, oi += ostep) {
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

static int is_pow2(int n)
{
    return n > 0 && (n & (n - 1)) == 0;
}

/* acc[j] += a[j] (and -= b[j] when b), out[j] = acc[j] / count, j < n. */
static void cols_step(float *acc, const float *a, const float *b, float *out,
                      uint32_t n, int count)
{
    const v4f c = splat4((float)count);
    const float cf = (float)count;
    uint32_t j = 0;

    for (; j + 4 <= n; j += 4) {
        v4f s = load4(acc + j) + load4(a + j);

        if (b)
            s -= load4(b + j);
        store4(acc + j, s);
        if (out)
            store4(out + j, s / c);
    }
    for (; j < n; j++) {
        acc[j] += a[j];
        if (b)
            acc[j] -= b[j];
        if (out)
            out[j] = acc[j] / cf;
    }
}

/* acc[j] -= b[j], out[j] = acc[j] / count. */
static void cols_drop(float *acc, const float *b, float *out, uint32_t n,
                      int count)
{
    const v4f c = splat4((float)count);
    const float cf = (float)count;
    uint32_t j = 0;

    for (; j + 4 <= n; j += 4) {
        v4f s = load4(acc + j) - load4(b + j);

        store4(acc + j, s);
        store4(out + j, s / c);
    }
    for (; j < n; j++) {
        acc[j] -= b[j];
        out[j] = acc[j] / cf;
    }
}

/*
 * Box along each column of @p buf (rows x cols) in place, streaming whole
 * rows so memory is read in order. Every column keeps its running sum in
 * acc (cols floats), with the same add-then-subtract order as box1d. An
 * input row is saved in @p ring (full rows) before its output overwrites
 * it, because the window subtracts it again later; full+1 slots keep the
 * row being saved apart from the one being subtracted.
 */
static void box_cols_inplace(float *buf, uint32_t rows, uint32_t cols,
                             int full, float *acc, float *ring)
{
    int half = (full + 2) / 2, len = (int)rows, i, count = 0;
    size_t li = 0, ri = 0, oi = 0, rowsz = cols * sizeof(float);

#define ROW(k) (buf + (k) * cols)
#define SAVED(k) (ring + ((k) % ((size_t)full + 1)) * cols)
    memset(acc, 0, rowsz);
    for (i = 0; i < half - 1; i++, ri++)
        cols_step(acc, ROW(ri), NULL, NULL, cols, ++count);
    for (i = 0; i < full - half + 1; i++, ri++, oi++) {
        count++;
        memcpy(SAVED(oi), ROW(oi), rowsz);
        cols_step(acc, ROW(ri), NULL, ROW(oi), cols, count);
    }
    for (i = 0; i < len - full; i++, li++, ri++, oi++) {
        memcpy(SAVED(oi), ROW(oi), rowsz);
        cols_step(acc, ROW(ri), SAVED(li), ROW(oi), cols, count);
    }
    for (i = 0; i < half - 1; i++, li++, oi++) {
        memcpy(SAVED(oi), ROW(oi), rowsz);
        cols_drop(acc, SAVED(li), ROW(oi), cols, --count);
    }
#undef ROW
#undef SAVED
}

#ifdef __SSE__
#include <xmmintrin.h>

/* 4x4 block transposes between 4 rows (row stride @p cols) and lanes. */
static inline void rows4_to_lanes(float *t, const float *src, size_t cols)
{
    __m128 a = _mm_loadu_ps(src), b = _mm_loadu_ps(src + cols);
    __m128 c = _mm_loadu_ps(src + 2 * cols), d = _mm_loadu_ps(src + 3 * cols);

    _MM_TRANSPOSE4_PS(a, b, c, d);
    _mm_storeu_ps(t, a);
    _mm_storeu_ps(t + LANES, b);
    _mm_storeu_ps(t + 2 * LANES, c);
    _mm_storeu_ps(t + 3 * LANES, d);
}

static inline void lanes_to_rows4(float *const *dst, const float *t)
{
    __m128 a = _mm_loadu_ps(t), b = _mm_loadu_ps(t + LANES);
    __m128 c = _mm_loadu_ps(t + 2 * LANES), d = _mm_loadu_ps(t + 3 * LANES);

    _MM_TRANSPOSE4_PS(a, b, c, d);
    _mm_storeu_ps(dst[0], a);
    _mm_storeu_ps(dst[1], b);
    _mm_storeu_ps(dst[2], c);
    _mm_storeu_ps(dst[3], d);
}
#define BLOCK 4
#else
#define BLOCK 0
#endif

/* 8 rows (stride cols) to lane layout t[k * 8 + l]. */
void vigil_pdq__rows_to_lanes(float *t, const float *src, uint32_t cols)
{
    uint32_t k = 0, l;

#if BLOCK
    for (; k + BLOCK <= cols; k += BLOCK) {
        rows4_to_lanes(t + (size_t)k * LANES, src + k, cols);
        rows4_to_lanes(t + (size_t)k * LANES + 4, src + 4 * (size_t)cols + k,
                       cols);
    }
#endif
    for (; k < cols; k++)
        for (l = 0; l < LANES; l++)
            t[(size_t)k * LANES + l] = src[(size_t)l * cols + k];
}

/*
 * Pass A's output: box8 values for columns o..o+3 (staged as 4 lane sets)
 * to the 8 ring rows, transposed back to row-major.
 */
static void flush4(float *const *rows, const float *stage, uint32_t o,
                   uint32_t n)
{
    uint32_t k, l;

#if BLOCK
    if (n == 4) {
        float *const lo[4] = { rows[0] + o, rows[1] + o, rows[2] + o,
                               rows[3] + o };
        float *const hi[4] = { rows[4] + o, rows[5] + o, rows[6] + o,
                               rows[7] + o };

        lanes_to_rows4(lo, stage);
        lanes_to_rows4(hi, stage + 4);
        return;
    }
#endif
    for (k = 0; k < n; k++)
        for (l = 0; l < LANES; l++)
            rows[l][o + k] = stage[k * LANES + l];
}

/*
 * box1d on LANES interleaved vectors (element k of lane l at in[k*8+l]),
 * every output written to rows[l][k]. Outputs are staged 4 columns at a
 * time and transposed straight into the rows.
 */
static void box8_rows(const float *in, float *const *rows, int len, int full)
{
    int half = (full + 2) / 2;
    int i, count = 0;
    size_t li = 0, ri = 0;
    uint32_t oi = 0;
    float stage[4 * LANES];
    v4f s0 = splat4(0.0f), s1 = s0, c, r;
    int pow2;

#define EMIT(v0, v1)                                                    \
    do {                                                                \
        store4(stage + (oi % 4) * LANES, (v0));                         \
        store4(stage + (oi % 4) * LANES + 4, (v1));                     \
        if (oi % 4 == 3)                                                \
            flush4(rows, stage, oi - 3, 4);                             \
        oi++;                                                           \
    } while (0)
    for (i = 0; i < half - 1; i++, ri += LANES, count++) {
        s0 += load4(in + ri);
        s1 += load4(in + ri + 4);
    }
    for (i = 0; i < full - half + 1; i++, ri += LANES) {
        s0 += load4(in + ri);
        s1 += load4(in + ri + 4);
        c = splat4((float)++count);
        EMIT(s0 / c, s1 / c);
    }
    /* Slide: count is fixed. x / 2^k and x * 2^-k are the same real
     * number, so they round to the same float: for a power-of-two window
     * the multiply is bit-identical and cheaper. */
    c = splat4((float)count);
    pow2 = is_pow2(count);
    r = splat4(1.0f / (float)count);
#define SLIDE()                                                         \
    do {                                                                \
        s0 += load4(in + ri);                                           \
        s1 += load4(in + ri + 4);                                       \
        s0 -= load4(in + li);                                           \
        s1 -= load4(in + li + 4);                                       \
        ri += LANES;                                                    \
        li += LANES;                                                    \
    } while (0)
#define SCALE(v) (pow2 ? (v) * r : (v) / c)
    for (i = 0; i < len - full && oi % 4; i++) {
        SLIDE();
        EMIT(SCALE(s0), SCALE(s1));
    }
#if BLOCK
    /* Four columns at a time, transposed in registers into the rows. */
    for (; i + 4 <= len - full; i += 4) {
        __m128 a0, a1, a2, a3, b0, b1, b2, b3;

        SLIDE();
        a0 = (__m128)SCALE(s0);
        b0 = (__m128)SCALE(s1);
        SLIDE();
        a1 = (__m128)SCALE(s0);
        b1 = (__m128)SCALE(s1);
        SLIDE();
        a2 = (__m128)SCALE(s0);
        b2 = (__m128)SCALE(s1);
        SLIDE();
        a3 = (__m128)SCALE(s0);
        b3 = (__m128)SCALE(s1);
        _MM_TRANSPOSE4_PS(a0, a1, a2, a3);
        _MM_TRANSPOSE4_PS(b0, b1, b2, b3);
        _mm_storeu_ps(rows[0] + oi, a0);
        _mm_storeu_ps(rows[1] + oi, a1);
        _mm_storeu_ps(rows[2] + oi, a2);
        _mm_storeu_ps(rows[3] + oi, a3);
        _mm_storeu_ps(rows[4] + oi, b0);
        _mm_storeu_ps(rows[5] + oi, b1);
        _mm_storeu_ps(rows[6] + oi, b2);
        _mm_storeu_ps(rows[7] + oi, b3);
        oi += 4;
    }
#endif
    for (; i < len - full; i++) {
        SLIDE();
        EMIT(SCALE(s0), SCALE(s1));
    }
#undef SLIDE
#undef SCALE
    for (i = 0; i < half - 1; i++, li += LANES) {
        s0 -= load4(in + li);
        s1 -= load4(in + li + 4);
        c = splat4((float)--count);
        EMIT(s0 / c, s1 / c);
    }
#undef EMIT
    if (oi % 4)
        flush4(rows, stage, oi - oi % 4, oi % 4);
}

/*
 * box1d on LANES interleaved vectors, divided only at the 64 sampled
 * columns sj[]: lane l of sample j goes to out[l * 64 + j]. The running
 * sums still take every column (they fix the bits).
 */
static void box8_sampled(const float *in, float *out, int len, int full,
                         const uint32_t *sj)
{
    int half = (full + 2) / 2;
    int i, count = 0;
    size_t li = 0, ri = 0;
    uint32_t oi = 0, next = 0;
    v4f s0 = splat4(0.0f), s1 = s0;

#define EMIT()                                                          \
    do {                                                                \
        if (oi == sj[next]) {                                           \
            const v4f c = splat4((float)count);                         \
            float v[LANES];                                             \
            int l_;                                                     \
                                                                        \
            store4(v, s0 / c);                                          \
            store4(v + 4, s1 / c);                                      \
            do {                                                        \
                for (l_ = 0; l_ < LANES; l_++)                          \
                    out[l_ * 64 + next] = v[l_];                        \
            } while (++next < 64 && sj[next] == oi);                    \
            if (next == 64)                                             \
                return;                                                 \
        }                                                               \
        oi++;                                                           \
    } while (0)
    for (i = 0; i < half - 1; i++, ri += LANES, count++) {
        s0 += load4(in + ri);
        s1 += load4(in + ri + 4);
    }
    for (i = 0; i < full - half + 1; i++, ri += LANES) {
        s0 += load4(in + ri);
        s1 += load4(in + ri + 4);
        count++;
        EMIT();
    }
    for (i = 0; i < len - full; i++, li += LANES, ri += LANES) {
        s0 += load4(in + ri);
        s1 += load4(in + ri + 4);
        s0 -= load4(in + li);
        s1 -= load4(in + li + 4);
        EMIT();
    }
    for (i = 0; i < half - 1; i++, li += LANES) {
        s0 -= load4(in + li);
        s1 -= load4(in + li + 4);
        count--;
        EMIT();
    }
#undef EMIT
}

/*
 * Scratch for one downsample. The four passes run as a pipeline over
 * blocks of 8 rows, so only a window of rows is ever held:
 *   A  luma rows from the producer, box along rows  -> ring (R rows)
 *   B  box along columns over the ring              -> brow (8 rows)
 *   C  box along rows of each 8-row block, sampled  -> c64 (rows x 64)
 *   D  box along the 64 sampled columns, in place   -> c64
 */
struct bop;

struct ds {
    uint32_t rows, cols, nring;
    int wr, wc;
    float *ring;              /* nring x cols: pass A rows, k at k % nring */
    float *brow;              /* 8 x cols: pass B output block */
    float *luma;              /* 8 x cols luma rows from the producer */
    float *t1, *t2;           /* cols x 8 transposed blocks */
    float *acc;               /* cols: pass B column sums */
    float *c64, *d64;         /* rows x 64 after C; D's saved rows */
    uint32_t sj[64];          /* sampled columns */
    uint32_t bstep;           /* pass B: next step (see b_step) */
    struct bop *ops;          /* pass B: one chunk's steps */
};

#define RING(d, k) ((d)->ring + ((size_t)(k) % (d)->nring) * (d)->cols)

/* Pass C on B's rows r0..r0+n-1 (held in brow). */
static void pass_c_block(struct ds *d, uint32_t r0, uint32_t n)
{
    uint32_t j, l, cols = d->cols;

    if (n < LANES) {
        for (l = 0; l < n; l++) {
            box1d(d->brow + (size_t)l * cols, 1, d->t2, 1, (int)cols, d->wr);
            for (j = 0; j < 64; j++)
                d->c64[(size_t)(r0 + l) * 64 + j] = d->t2[d->sj[j]];
        }
        return;
    }
    vigil_pdq__rows_to_lanes(d->t1, d->brow, cols);
    box8_sampled(d->t1, d->c64 + (size_t)r0 * 64, (int)cols, d->wr, d->sj);
}

/*
 * One step of box1d's running sum along a column, numbered k = 0 .. half-2
 * + len: add input row @c add (or none, -1), then subtract row @c sub (or
 * none), then, when @c out >= 0, write output row @c out = sum / count.
 * This is box1d's exact order of operations, phase by phase.
 */
struct bstep {
    int add, sub, out, count;
};

static struct bstep b_step(uint32_t k, int len, int full)
{
    int half = (full + 2) / 2, o = (int)k - (half - 1);
    struct bstep st = { -1, -1, -1, 0 };

    if (o < 0) {                                  /* accumulate */
        st.add = (int)k;
    } else if (o < full - half + 1) {             /* grow */
        st.add = o + half - 1;
        st.out = o;
        st.count = half + o;
    } else if (o < len - half + 1) {              /* slide */
        st.add = o + half - 1;
        st.sub = o + half - 1 - full;
        st.out = o;
        st.count = full;
    } else {                                      /* shrink */
        st.sub = o + half - 1 - full;
        st.out = o;
        st.count = full - (o - (len - half));
    }
    return st;
}

/* A pass B step resolved to rows: NULL where box1d has no such operation. */
struct bop {
    const float *add, *sub;
    float *out;
    float count;
};

/*
 * Ops n0..n-1 of pass B for the 16 columns at @p j: the four sums stay in
 * registers across the steps.
 */
static void pass_b_strip16(float *acc, const struct bop *op, uint32_t n,
                           size_t j)
{
    v4f a0 = load4(acc + j), a1 = load4(acc + j + 4);
    v4f a2 = load4(acc + j + 8), a3 = load4(acc + j + 12);
    uint32_t k;

    for (k = 0; k < n; k++) {
        const float *p = op[k].add, *q = op[k].sub;

        if (p) {
            a0 += load4(p + j);
            a1 += load4(p + j + 4);
            a2 += load4(p + j + 8);
            a3 += load4(p + j + 12);
        }
        if (q) {
            a0 -= load4(q + j);
            a1 -= load4(q + j + 4);
            a2 -= load4(q + j + 8);
            a3 -= load4(q + j + 12);
        }
        if (op[k].out) {
            const v4f c = splat4(op[k].count);
            float *o = op[k].out + j;

            store4(o, a0 / c);
            store4(o + 4, a1 / c);
            store4(o + 8, a2 / c);
            store4(o + 12, a3 / c);
        }
    }
    store4(acc + j, a0);
    store4(acc + j + 4, a1);
    store4(acc + j + 8, a2);
    store4(acc + j + 12, a3);
}

/* The same, one column at a time (the last cols % 16). */
static void pass_b_col(float *acc, const struct bop *op, uint32_t n, size_t j)
{
    float sum = acc[j];
    uint32_t k;

    for (k = 0; k < n; k++) {
        if (op[k].add)
            sum += op[k].add[j];
        if (op[k].sub)
            sum -= op[k].sub[j];
        if (op[k].out)
            op[k].out[j] = sum / op[k].count;
    }
    acc[j] = sum;
}

/*
 * Advance pass B (box along columns) as far as rows < @p avail of pass A
 * allow, in chunks that end where an 8-row output block completes; each
 * completed block goes on to pass C.
 */
static void pass_b_advance(struct ds *d, uint32_t avail)
{
    const uint32_t nsteps = (uint32_t)((d->wc + 2) / 2 - 1) + d->rows;

    while (d->bstep < nsteps) {
        uint32_t n = 0, j;
        struct bstep st;
        int done_block = 0;

        /* Runnable steps, up to the end of the current output block. */
        while (d->bstep + n < nsteps) {
            struct bop *op = &d->ops[n];

            st = b_step(d->bstep + n, (int)d->rows, d->wc);
            if (st.add >= (int)avail)
                break;
            op->add = st.add >= 0 ? RING(d, st.add) : NULL;
            op->sub = st.sub >= 0 ? RING(d, st.sub) : NULL;
            op->out = st.out >= 0 ? d->brow + (size_t)(st.out % LANES) *
                                                  d->cols
                                  : NULL;
            op->count = (float)st.count;
            n++;
            if (st.out >= 0 && ((uint32_t)st.out % LANES == LANES - 1 ||
                                (uint32_t)st.out == d->rows - 1)) {
                done_block = 1;
                break;
            }
        }
        if (n == 0)
            return;
        for (j = 0; j + 16 <= d->cols; j += 16)
            pass_b_strip16(d->acc, d->ops, n, j);
        for (; j < d->cols; j++)
            pass_b_col(d->acc, d->ops, n, j);
        d->bstep += n;
        if (done_block)
            pass_c_block(d, (uint32_t)st.out / LANES * LANES,
                         (uint32_t)st.out % LANES + 1);
    }
}

/* Pass A for rows r0..r0+n-1, into the ring. */
static int pass_a_block(struct ds *d, uint32_t r0, uint32_t n,
                        pdq_luma_fn produce, void *ctx)
{
    uint32_t l, cols = d->cols;
    float *dst[LANES];
    int err;

    if (n < LANES) {
        if ((err = produce(ctx, r0, n, d->luma, 0)) < 0)
            return err;
        for (l = 0; l < n; l++)
            box1d(d->luma + (size_t)l * cols, 1, RING(d, r0 + l), 1,
                  (int)cols, d->wr);
        return VIGIL_OK;
    }
    if ((err = produce(ctx, r0, n, d->t1, 1)) < 0)
        return err;
    for (l = 0; l < LANES; l++)
        dst[l] = RING(d, r0 + l);
    box8_rows(d->t1, dst, (int)cols, d->wr);
    return VIGIL_OK;
}

static int ds_alloc(struct ds *d)
{
    d->nring = (uint32_t)d->wc + 2 * LANES;
    if ((d->ring = vigil__mallocarray((size_t)d->cols * sizeof(float),
                                      d->nring)) == NULL ||
        (d->luma = vigil__mallocarray((size_t)d->cols * 4,
                                      LANES * sizeof(float))) == NULL ||
        (d->acc = vigil__calloc(d->cols, sizeof(float))) == NULL ||
        (d->c64 = vigil__mallocarray((size_t)d->rows, 128 * sizeof(float))) == NULL ||
        (d->ops = vigil__mallocarray((size_t)d->wc + LANES,
                                     sizeof(*d->ops))) == NULL)
        return vigil_error_set(VIGIL_ENOMEM, "no memory for PDQ filter "
                               "(%ux%u)", (unsigned)d->cols, (unsigned)d->rows);
    d->t1 = d->luma + (size_t)d->cols * LANES;
    d->t2 = d->t1 + (size_t)d->cols * LANES;
    d->brow = d->t2 + (size_t)d->cols * LANES;
    d->d64 = d->c64 + (size_t)d->rows * 64;
    return VIGIL_OK;
}

static void ds_free(struct ds *d)
{
    vigil__free(d->ring);
    vigil__free(d->luma);
    vigil__free(d->acc);
    vigil__free(d->c64);
    vigil__free(d->ops);
}

int vigil_pdq__downsample(float out[64][64], uint32_t rows, uint32_t cols,
                          pdq_luma_fn produce, void *ctx)
{
    struct ds d;
    float acc64[64];
    uint32_t i, j, r0;
    int err;

    memset(&d, 0, sizeof(d));
    d.rows = rows;
    d.cols = cols;
    d.wr = window_size(cols);
    d.wc = window_size(rows);
    if ((err = ds_alloc(&d)) < 0)
        goto out;
    /* Sample the centre of each of the 64x64 cells: (j + 0.5) * n / 64. */
    for (j = 0; j < 64; j++) {
        d.sj[j] = (uint32_t)(((2 * (uint64_t)j + 1) * cols) / 128);
    }
    for (r0 = 0; r0 < rows; r0 += LANES) {
        uint32_t n = rows - r0 < LANES ? rows - r0 : LANES;

        if ((err = pass_a_block(&d, r0, n, produce, ctx)) < 0)
            goto out;
        pass_b_advance(&d, r0 + n);
    }
    memset(acc64, 0, sizeof(acc64));
    box_cols_inplace(d.c64, rows, 64, d.wc, acc64, d.d64);     /* D */
    for (i = 0; i < 64; i++) {
        size_t si = ((2 * (size_t)i + 1) * rows) / 128;

        for (j = 0; j < 64; j++)
            out[i][j] = d.c64[si * 64 + j];
    }
out:
    ds_free(&d);
    return err;
}
