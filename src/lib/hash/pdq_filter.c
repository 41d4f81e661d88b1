/*
 * hash/pdq_filter.c - the Jarosz downsample of PDQ: repeated box filters
 * (a tent after two passes) along rows then columns, then decimation to
 * 64x64. Bit-exact with the reference's running-sum box filter, and fast:
 * 16 independent rows (or 16 columns) advance together in 4-float vectors
 * (SSE), or 32 rows / 64 columns in 8-float vectors with the exact FMA
 * division of pdq_div.h (AVX2, chosen per call); the passes run as a
 * pipeline over blocks of 16 or 32 luma rows (no full-size float image),
 * and the second row/column passes only divide where the decimation will
 * sample. See docs/internals/pdq.md.
 */
#define VIGIL_MODULE "pdq"
#include <string.h>

#include "common/alloc.h"
#include "common/error.h"
#include "hash/pdq_div.h"
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

/* 4x4 block transposes between 4 rows (row stride @p cols) and lanes
 * (lane stride @p step). */
static inline void rows4_to_lanes(float *t, size_t step, const float *src,
                                  size_t cols)
{
    __m128 a = _mm_loadu_ps(src), b = _mm_loadu_ps(src + cols);
    __m128 c = _mm_loadu_ps(src + 2 * cols), d = _mm_loadu_ps(src + 3 * cols);

    _MM_TRANSPOSE4_PS(a, b, c, d);
    _mm_storeu_ps(t, a);
    _mm_storeu_ps(t + step, b);
    _mm_storeu_ps(t + 2 * step, c);
    _mm_storeu_ps(t + 3 * step, d);
}

static inline void lanes_to_rows4(float *const *dst, const float *t,
                                  size_t step)
{
    __m128 a = _mm_loadu_ps(t), b = _mm_loadu_ps(t + step);
    __m128 c = _mm_loadu_ps(t + 2 * step), d = _mm_loadu_ps(t + 3 * step);

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

/* 8 rows of cols floats (@p rs apart) to lane layout t[k * stride + l]. */
void vigil_pdq__rows_to_lanes(float *t, const float *src, uint32_t cols,
                              size_t rs, size_t stride)
{
    uint32_t k = 0, l;

#if BLOCK
    for (; k + BLOCK <= cols; k += BLOCK) {
        rows4_to_lanes(t + (size_t)k * stride, stride, src + k, rs);
        rows4_to_lanes(t + (size_t)k * stride + 4, stride, src + 4 * rs + k,
                       rs);
    }
#endif
    for (; k < cols; k++)
        for (l = 0; l < LANES; l++)
            t[(size_t)k * stride + l] = src[(size_t)l * rs + k];
}

/*
 * The running sums of pass A and C are chains of dependent adds (the
 * order is fixed), so their speed is the add latency; NV vectors of 4
 * lanes (NV = 2: 8 rows, NV = 4: 16 rows) advance together to keep
 * enough independent chains in flight. Element k of lane l is at
 * in[k * 4 * NV + l].
 */
#define MAXV 4

/* Staged outputs of 4 columns (o..o+n-1) to rows[0 .. 4*nv-1]. */
static inline void flush_rows(float *const *rows, const float *stage,
                              size_t step, int nv, uint32_t o, uint32_t n)
{
    uint32_t k;
    int l;

#if BLOCK
    if (n == 4) {
        int v;

        for (v = 0; v < nv; v++) {
            float *const dst[4] = { rows[4 * v] + o, rows[4 * v + 1] + o,
                                    rows[4 * v + 2] + o,
                                    rows[4 * v + 3] + o };

            lanes_to_rows4(dst, stage + 4 * v, step);
        }
        return;
    }
#endif
    for (k = 0; k < n; k++)
        for (l = 0; l < 4 * nv; l++)
            rows[l][o + k] = stage[k * step + (size_t)l];
}

/*
 * box1d on 4*nv interleaved lanes, every output written to rows[l][k].
 * Outputs are staged 4 columns at a time and transposed into the rows.
 */
static inline __attribute__((always_inline))
void box_rows(const float *in, float *const *rows, int len, int full, int nv)
{
    const size_t step = 4 * (size_t)nv;
    int half = (full + 2) / 2, i, v, count = 0, pow2;
    size_t li = 0, ri = 0;
    uint32_t oi = 0;
    float stage[4 * 4 * MAXV];
    v4f s[MAXV], c, r;

#define FOR_V _Pragma("GCC unroll 4") for (v = 0; v < nv; v++)
#define ADD() do { FOR_V s[v] += load4(in + ri + 4 * v); ri += step; } while (0)
#define SUB() do { FOR_V s[v] -= load4(in + li + 4 * v); li += step; } while (0)
#define EMIT(op)                                                        \
    do {                                                                \
        FOR_V store4(stage + (oi % 4) * step + 4 * v, s[v] op);         \
        if (oi % 4 == 3)                                                \
            flush_rows(rows, stage, step, nv, oi - 3, 4);               \
        oi++;                                                           \
    } while (0)
    FOR_V s[v] = splat4(0.0f);
    for (i = 0; i < half - 1; i++, count++)
        ADD();
    for (i = 0; i < full - half + 1; i++) {
        ADD();
        c = splat4((float)++count);
        EMIT(/ c);
    }
    /* Slide: count is fixed. x / 2^k and x * 2^-k are the same real
     * number, so they round to the same float: for a power-of-two window
     * the multiply is bit-identical and cheaper. */
    c = splat4((float)count);
    pow2 = is_pow2(count);
    r = splat4(1.0f / (float)count);
    if (pow2) {
        for (i = 0; i < len - full; i++) {
            ADD();
            SUB();
            EMIT(* r);
        }
    } else {
        for (i = 0; i < len - full; i++) {
            ADD();
            SUB();
            EMIT(/ c);
        }
    }
    for (i = 0; i < half - 1; i++) {
        SUB();
        c = splat4((float)--count);
        EMIT(/ c);
    }
#undef EMIT
    if (oi % 4)
        flush_rows(rows, stage, step, nv, oi - oi % 4, oi % 4);
}

/*
 * box1d on 4*nv interleaved lanes, divided only at the 64 sampled columns
 * sj[]: lane l of sample j goes to out[l * 64 + j]. The running sums still
 * take every column (they fix the bits).
 */
static inline __attribute__((always_inline))
void box_sampled(const float *in, float *out, int len, int full,
                 const uint32_t *sj, int nv)
{
    const size_t step = 4 * (size_t)nv;
    int half = (full + 2) / 2, i, v, count = 0;
    size_t li = 0, ri = 0;
    uint32_t oi = 0, next = 0;
    v4f s[MAXV];

#define EMIT()                                                          \
    do {                                                                \
        if (oi == sj[next]) {                                           \
            const v4f c = splat4((float)count);                         \
            float val[4 * MAXV];                                        \
            int l_;                                                     \
                                                                        \
            FOR_V store4(val + 4 * v, s[v] / c);                        \
            do {                                                        \
                for (l_ = 0; l_ < 4 * nv; l_++)                         \
                    out[l_ * 64 + next] = val[l_];                      \
            } while (++next < 64 && sj[next] == oi);                    \
            if (next == 64)                                             \
                return;                                                 \
        }                                                               \
        oi++;                                                           \
    } while (0)
    FOR_V s[v] = splat4(0.0f);
    for (i = 0; i < half - 1; i++, count++)
        ADD();
    for (i = 0; i < full - half + 1; i++) {
        ADD();
        count++;
        EMIT();
    }
    for (i = 0; i < len - full; i++) {
        ADD();
        SUB();
        EMIT();
    }
    for (i = 0; i < half - 1; i++) {
        SUB();
        count--;
        EMIT();
    }
#undef EMIT
#undef ADD
#undef SUB
#undef FOR_V
}

static void box8_rows(const float *in, float *const *rows, int len, int full)
{
    box_rows(in, rows, len, full, 2);
}

static void box16_rows(const float *in, float *const *rows, int len, int full)
{
    box_rows(in, rows, len, full, 4);
}

static void box8_sampled(const float *in, float *out, int len, int full,
                         const uint32_t *sj)
{
    box_sampled(in, out, len, full, sj, 2);
}

static void box16_sampled(const float *in, float *out, int len, int full,
                          const uint32_t *sj)
{
    box_sampled(in, out, len, full, sj, 4);
}

#ifdef PDQ_HAVE_FMA_DIV
/*
 * AVX2 versions for blocks of 32 rows: four 8-float sums advance
 * together (twice the independent add chains of the 16-row SSE code),
 * and transposes are 8x8. Element k of lane l is at in[k * 32 + l].
 */
#define L32 32

/* x / c: 0 divps, 1 pdq_div.h's exact FMA form, 2 times the exact
 * reciprocal of a power of two. */
__attribute__((target("avx2,fma"), always_inline))
static inline __m256 div_by(__m256 x, __m256 c, __m256 r, int how)
{
    if (how == 2)
        return _mm256_mul_ps(x, r);
    if (how == 1)
        return vigil_pdq__div8(x, c, r);
    return _mm256_div_ps(x, c);
}

/* Staged outputs of 8 columns (o..o+7, stage[k * 32 + l]) to rows. */
__attribute__((target("avx2,fma"), always_inline))
static inline void flush8_avx2(float *const *rows, const float *stage,
                               uint32_t o)
{
    __m256 t[8];
    int v, k;

    _Pragma("GCC unroll 8") for (v = 0; v < 4; v++) {
        _Pragma("GCC unroll 8") for (k = 0; k < 8; k++)
            t[k] = _mm256_loadu_ps(stage + k * L32 + 8 * v);
        vigil_pdq__transpose8(t);
        _Pragma("GCC unroll 8") for (k = 0; k < 8; k++)
            _mm256_storeu_ps(rows[8 * v + k] + o, t[k]);
    }
}

/* box1d on 32 interleaved lanes, every output to rows[l][k] (pass A). */
__attribute__((target("avx2,fma")))
static void box32_rows_avx2(const float *in, float *const *rows, int len,
                            int full)
{
    int half = (full + 2) / 2, i, v, count = 0, how;
    int fma = full <= PDQ_DIV_MAXD;
    size_t li = 0, ri = 0;
    uint32_t oi = 0, k;
    float stage[8 * L32];
    __m256 s[4], c, r;

#define ADD()                                                           \
    do {                                                                \
        _Pragma("GCC unroll 8") for (v = 0; v < 4; v++)                                         \
            s[v] = _mm256_add_ps(s[v], _mm256_loadu_ps(in + ri + 8 * v)); \
        ri += L32;                                                      \
    } while (0)
#define SUB()                                                           \
    do {                                                                \
        _Pragma("GCC unroll 8") for (v = 0; v < 4; v++)                                         \
            s[v] = _mm256_sub_ps(s[v], _mm256_loadu_ps(in + li + 8 * v)); \
        li += L32;                                                      \
    } while (0)
#define EMIT(how_)                                                      \
    do {                                                                \
        _Pragma("GCC unroll 8") for (v = 0; v < 4; v++)                                         \
            _mm256_storeu_ps(stage + (oi % 8) * L32 + 8 * v,            \
                             div_by(s[v], c, r, how_));                 \
        if (oi % 8 == 7)                                                \
            flush8_avx2(rows, stage, oi - 7);                           \
        oi++;                                                           \
    } while (0)
#define SET_COUNT(n_) do { c = _mm256_set1_ps((float)(n_));             \
        r = _mm256_set1_ps(1.0f / (float)(n_)); } while (0)
    _Pragma("GCC unroll 8") for (v = 0; v < 4; v++)
        s[v] = _mm256_setzero_ps();
    for (i = 0; i < half - 1; i++, count++)
        ADD();
    for (i = 0; i < full - half + 1; i++) {
        ADD();
        SET_COUNT(count + 1);
        count++;
        if (fma)
            EMIT(1);
        else
            EMIT(0);
    }
    SET_COUNT(count);
    how = is_pow2(count) ? 2 : fma ? 1 : 0;
    if (how == 2) {
        for (i = 0; i < len - full; i++) {
            ADD();
            SUB();
            EMIT(2);
        }
    } else if (how == 1) {
        for (i = 0; i < len - full; i++) {
            ADD();
            SUB();
            EMIT(1);
        }
    } else {
        for (i = 0; i < len - full; i++) {
            ADD();
            SUB();
            EMIT(0);
        }
    }
    for (i = 0; i < half - 1; i++) {
        SUB();
        SET_COUNT(count - 1);
        count--;
        if (fma)
            EMIT(1);
        else
            EMIT(0);
    }
#undef EMIT
    for (k = oi - oi % 8; k < oi; k++)
        for (v = 0; v < L32; v++)
            rows[v][k] = stage[(k % 8) * L32 + (uint32_t)v];
}

/* 32 rows of cols floats (@p rs apart) to the lane layout t[k * 32 + l]. */
__attribute__((target("avx2,fma")))
static void rows_to_lanes32_avx2(float *t, const float *src, uint32_t cols,
                                 size_t rs)
{
    uint32_t k = 0, l;
    int v, i;

    for (; k + 8 <= cols; k += 8)
        _Pragma("GCC unroll 8") for (v = 0; v < 4; v++) {
            __m256 x[8];

            _Pragma("GCC unroll 8") for (i = 0; i < 8; i++)
                x[i] = _mm256_loadu_ps(src + (size_t)(8 * v + i) * rs + k);
            vigil_pdq__transpose8(x);
            _Pragma("GCC unroll 8") for (i = 0; i < 8; i++)
                _mm256_storeu_ps(t + (size_t)(k + (uint32_t)i) * L32 + 8 * v,
                                 x[i]);
        }
    for (; k < cols; k++)
        for (l = 0; l < L32; l++)
            t[(size_t)k * L32 + l] = src[(size_t)l * rs + k];
}

/* box1d on 32 lanes, divided only at the sampled columns (pass C): lane l
 * of sample j to out[l * 64 + j]. */
__attribute__((target("avx2,fma")))
static void box32_sampled_avx2(const float *in, float *out, int len,
                               int full, const uint32_t *sj)
{
    int half = (full + 2) / 2, i, v, count = 0;
    size_t li = 0, ri = 0;
    uint32_t oi = 0, next = 0;
    __m256 s[4];

#define EMIT()                                                          \
    do {                                                                \
        if (oi == sj[next]) {                                           \
            const __m256 c = _mm256_set1_ps((float)count);              \
            float val[L32];                                             \
            int l_;                                                     \
                                                                        \
            _Pragma("GCC unroll 8") for (v = 0; v < 4; v++)                                     \
                _mm256_storeu_ps(val + 8 * v, _mm256_div_ps(s[v], c));  \
            do {                                                        \
                for (l_ = 0; l_ < L32; l_++)                            \
                    out[l_ * 64 + next] = val[l_];                      \
            } while (++next < 64 && sj[next] == oi);                    \
            if (next == 64)                                             \
                return;                                                 \
        }                                                               \
        oi++;                                                           \
    } while (0)
    _Pragma("GCC unroll 8") for (v = 0; v < 4; v++)
        s[v] = _mm256_setzero_ps();
    for (i = 0; i < half - 1; i++, count++)
        ADD();
    for (i = 0; i < full - half + 1; i++) {
        ADD();
        count++;
        EMIT();
    }
    for (i = 0; i < len - full; i++) {
        ADD();
        SUB();
        EMIT();
    }
    for (i = 0; i < half - 1; i++) {
        SUB();
        count--;
        EMIT();
    }
#undef EMIT
#undef ADD
#undef SUB
#undef SET_COUNT
}
#endif

/*
 * Scratch for one downsample. The four passes run as a pipeline over
 * blocks of brows rows (32 with AVX2, else 16), so only a window of rows
 * is ever held:
 *   A  luma rows from the producer, box along rows  -> ring (R rows)
 *   B  box along columns over the ring              -> brow (16 rows)
 *   C  box along rows of each 16-row block, sampled -> c64 (rows x 64)
 *   D  box along the 64 sampled columns, in place   -> c64
 */
struct bop;

#define MAXB (4 * LANES)      /* most rows per pipeline block */

struct ds {
    uint32_t rows, cols, nring;
    uint32_t brows;           /* rows per pipeline block: 16 or 32 */
    size_t rs;                /* row stride of ring and brow: cols padded
                               * so 16 rows do not share cache sets */
    int wr, wc;
    int avx2;                 /* AVX2 and FMA kernels usable */
    float *ring;              /* nring x cols: pass A rows, k at k % nring */
    float *brow;              /* brows x cols: pass B output block */
    float *luma;              /* 8 x cols luma rows from the producer */
    float *t1;                /* cols x brows interleaved block */
    float *acc;               /* cols: pass B column sums */
    float *c64, *d64;         /* rows x 64 after C; D's saved rows */
    uint32_t sj[64];          /* sampled columns */
    uint32_t bstep;           /* pass B: next step (see b_step) */
    struct bop *ops;          /* pass B: one chunk's steps */
};

#define RING(d, k) ((d)->ring + ((size_t)(k) % (d)->nring) * (d)->rs)

/* Pass C on B's rows r0..r0+n-1 (held in brow, n <= brows). */
static void pass_c_block(struct ds *d, uint32_t r0, uint32_t n)
{
    uint32_t j, l = 0, cols = d->cols;
    const float *src = d->brow;
    float *c = d->c64 + (size_t)r0 * 64;

#ifdef PDQ_HAVE_FMA_DIV
    if (n == L32 && d->avx2) {
        rows_to_lanes32_avx2(d->t1, src, cols, d->rs);
        box32_sampled_avx2(d->t1, c, (int)cols, d->wr, d->sj);
        return;
    }
#endif
    for (; l + 2 * LANES <= n; l += 2 * LANES) {
        vigil_pdq__rows_to_lanes(d->t1, src + (size_t)l * d->rs, cols,
                                 d->rs, 2 * LANES);
        vigil_pdq__rows_to_lanes(d->t1 + LANES,
                                 src + (size_t)(l + LANES) * d->rs, cols,
                                 d->rs, 2 * LANES);
        box16_sampled(d->t1, c + (size_t)l * 64, (int)cols, d->wr, d->sj);
    }
    if (n - l >= LANES) {
        vigil_pdq__rows_to_lanes(d->t1, src + (size_t)l * d->rs, cols, d->rs,
                                 LANES);
        box8_sampled(d->t1, c + (size_t)l * 64, (int)cols, d->wr, d->sj);
        l += LANES;
    }
    for (; l < n; l++) {
        box1d(src + (size_t)l * d->rs, 1, d->luma, 1, (int)cols, d->wr);
        for (j = 0; j < 64; j++)
            c[(size_t)l * 64 + j] = d->luma[d->sj[j]];
    }
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
    float count, recip;       /* recip = 1 / count, for pdq_div.h */
};

#ifdef PDQ_HAVE_FMA_DIV
/*
 * Pass B with AVX2 for the 8 * nv columns at @p j (nv <= 8 ymm sums in
 * registers); the divide is pdq_div.h's exact FMA form when @p fma (every
 * count <= PDQ_DIV_MAXD), else vdivps. Same per-column order as box1d.
 */
__attribute__((target("avx2,fma"), always_inline))
static inline void pass_b_strip_avx2(float *acc, const struct bop *op,
                                     uint32_t n, size_t j, int nv, int fma)
{
    __m256 a[8];
    uint32_t k;
    int v;

#define FOR_NV _Pragma("GCC unroll 8") for (v = 0; v < nv; v++)
    FOR_NV a[v] = _mm256_loadu_ps(acc + j + 8 * v);
    for (k = 0; k < n; k++) {
        const float *p = op[k].add, *q = op[k].sub;

        if (p)
            FOR_NV a[v] = _mm256_add_ps(a[v], _mm256_loadu_ps(p + j + 8 * v));
        if (q)
            FOR_NV a[v] = _mm256_sub_ps(a[v], _mm256_loadu_ps(q + j + 8 * v));
        if (op[k].out) {
            const __m256 c = _mm256_set1_ps(op[k].count);
            const __m256 r = _mm256_set1_ps(op[k].recip);
            float *o = op[k].out + j;

            if (fma)
                FOR_NV _mm256_storeu_ps(o + 8 * v, vigil_pdq__div8(a[v], c, r));
            else
                FOR_NV _mm256_storeu_ps(o + 8 * v, _mm256_div_ps(a[v], c));
        }
    }
    FOR_NV _mm256_storeu_ps(acc + j + 8 * v, a[v]);
#undef FOR_NV
}

/* Pass B's columns from 0, in AVX2 strips; returns the first column left. */
__attribute__((target("avx2,fma")))
static uint32_t pass_b_avx2(float *acc, const struct bop *op, uint32_t n,
                            uint32_t cols, int fma)
{
    uint32_t j = 0;

    if (fma) {
        for (; j + 64 <= cols; j += 64)
            pass_b_strip_avx2(acc, op, n, j, 8, 1);
        for (; j + 8 <= cols; j += 8)
            pass_b_strip_avx2(acc, op, n, j, 1, 1);
    } else {
        for (; j + 64 <= cols; j += 64)
            pass_b_strip_avx2(acc, op, n, j, 8, 0);
        for (; j + 8 <= cols; j += 8)
            pass_b_strip_avx2(acc, op, n, j, 1, 0);
    }
    return j;
}
#endif

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
 * allow, in chunks that end where a 16-row output block completes; each
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
            op->out = st.out >= 0
                          ? d->brow + (size_t)((uint32_t)st.out % d->brows) *
                                          d->rs
                          : NULL;
            op->count = (float)st.count;
            op->recip = 1.0f / (float)st.count;
            n++;
            if (st.out >= 0 && ((uint32_t)st.out % d->brows == d->brows - 1 ||
                                (uint32_t)st.out == d->rows - 1)) {
                done_block = 1;
                break;
            }
        }
        if (n == 0)
            return;
        j = 0;
#ifdef PDQ_HAVE_FMA_DIV
        if (d->avx2)
            j = pass_b_avx2(d->acc, d->ops, n, d->cols,
                            d->wc <= PDQ_DIV_MAXD);
#endif
        for (; j + 16 <= d->cols; j += 16)
            pass_b_strip16(d->acc, d->ops, n, j);
        for (; j < d->cols; j++)
            pass_b_col(d->acc, d->ops, n, j);
        d->bstep += n;
        if (done_block)
            pass_c_block(d, (uint32_t)st.out / d->brows * d->brows,
                         (uint32_t)st.out % d->brows + 1);
    }
}

/* Pass A for rows r0..r0+n-1 (n <= brows), into the ring. */
static int pass_a_block(struct ds *d, uint32_t r0, uint32_t n,
                        pdq_luma_fn produce, void *ctx)
{
    uint32_t l, k, cols = d->cols;
    float *dst[MAXB];
    int err;

    for (l = 0; l < n; l++)
        dst[l] = RING(d, r0 + l);
#ifdef PDQ_HAVE_FMA_DIV
    if (n == L32 && d->avx2) {
        for (k = 0; k < L32; k += LANES)
            if ((err = produce(ctx, r0 + k, LANES, d->t1 + k, L32)) < 0)
                return err;
        box32_rows_avx2(d->t1, dst, (int)cols, d->wr);
        return VIGIL_OK;
    }
#endif
    for (l = 0; l + 2 * LANES <= n; l += 2 * LANES) {
        if ((err = produce(ctx, r0 + l, LANES, d->t1, 2 * LANES)) < 0 ||
            (err = produce(ctx, r0 + l + LANES, LANES, d->t1 + LANES,
                           2 * LANES)) < 0)
            return err;
        box16_rows(d->t1, dst + l, (int)cols, d->wr);
    }
    if (n - l >= LANES) {
        if ((err = produce(ctx, r0 + l, LANES, d->t1, LANES)) < 0)
            return err;
        box8_rows(d->t1, dst + l, (int)cols, d->wr);
        l += LANES;
    }
    if (l < n) {
        if ((err = produce(ctx, r0 + l, n - l, d->luma, 0)) < 0)
            return err;
        for (k = 0; l < n; l++, k++)
            box1d(d->luma + (size_t)k * cols, 1, dst[l], 1, (int)cols,
                  d->wr);
    }
    return VIGIL_OK;
}

static int ds_alloc(struct ds *d)
{
    /* Pass B still subtracts rows up to wc behind the newest, and pass A
     * writes a block of brows ahead of it. */
    d->nring = (uint32_t)d->wc + 2 * d->brows;
    d->rs = ((size_t)d->cols + 15) / 16 * 16 + 16;
    if ((d->ring = vigil__mallocarray(d->rs * sizeof(float), d->nring)) ==
            NULL ||
        (d->luma = vigil__mallocarray((size_t)d->cols * (LANES + d->brows) +
                                          d->rs * d->brows,
                                      sizeof(float))) == NULL ||
        (d->acc = vigil__calloc(d->cols, sizeof(float))) == NULL ||
        (d->c64 = vigil__mallocarray((size_t)d->rows,
                                     128 * sizeof(float))) == NULL ||
        (d->ops = vigil__mallocarray((size_t)d->wc + d->brows,
                                     sizeof(*d->ops))) == NULL)
        return vigil_error_set(VIGIL_ENOMEM, "no memory for PDQ filter "
                               "(%ux%u)", (unsigned)d->cols, (unsigned)d->rows);
    d->t1 = d->luma + (size_t)d->cols * LANES;
    d->brow = d->t1 + (size_t)d->cols * d->brows;
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
                          pdq_luma_fn produce, void *ctx, int avx2)
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
#ifdef PDQ_HAVE_FMA_DIV
    d.avx2 = avx2;
#else
    (void)avx2;
#endif
    d.brows = d.avx2 ? 4 * LANES : 2 * LANES;
    if ((err = ds_alloc(&d)) < 0)
        goto out;
    /* Sample the centre of each of the 64x64 cells: (j + 0.5) * n / 64. */
    for (j = 0; j < 64; j++) {
        d.sj[j] = (uint32_t)(((2 * (uint64_t)j + 1) * cols) / 128);
    }
    for (r0 = 0; r0 < rows; r0 += d.brows) {
        uint32_t n = rows - r0 < d.brows ? rows - r0 : d.brows;

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
