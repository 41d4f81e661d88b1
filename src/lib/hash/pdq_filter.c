/*
 * hash/pdq_filter.c - the Jarosz downsample of PDQ: repeated box filters
 * (a tent after two passes) along rows then columns, then decimation to
 * 64x64. Bit-exact with the reference's running-sum box filter, and fast:
 * 16 independent rows (or 16 columns) advance together in 4-float vectors
 * (SSE), or 32 rows / 64 columns in 8-float vectors with the exact FMA
 * division of pdq_div.h (AVX2, chosen per call); the passes run as a
 * pipeline over blocks of 16 or 32 luma rows (no full-size float image),
 * the column pass hands its output to the second row pass strip by strip
 * through L1, and the second row/column passes only divide where the
 * decimation will sample. See docs/internals/pdq.md.
 */
#define VIGIL_MODULE "pdq"
#include <string.h>

#include "common/alloc.h"
#include "common/error.h"
#include "hash/pdq_div.h"
#include "hash/pdq_internal.h"

#ifdef __SSE__
#include <xmmintrin.h>
#endif

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

/* The same from 16-byte aligned memory: the SSE add or subtract then
 * takes it as a memory operand (one instruction instead of two). */
static inline v4f load4a(const float *p)
{
#ifdef __SSE__
    return (v4f)_mm_load_ps(p);
#else
    return load4(p);
#endif
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

static inline void lanes_to_rows4(float *dst, size_t rs, const float *t,
                                  size_t step)
{
    __m128 a = _mm_loadu_ps(t), b = _mm_loadu_ps(t + step);
    __m128 c = _mm_loadu_ps(t + 2 * step), d = _mm_loadu_ps(t + 3 * step);

    _MM_TRANSPOSE4_PS(a, b, c, d);
    _mm_storeu_ps(dst, a);
    _mm_storeu_ps(dst + rs, b);
    _mm_storeu_ps(dst + 2 * rs, c);
    _mm_storeu_ps(dst + 3 * rs, d);
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

/* Staged outputs of n <= 4 columns o.. (stage[k * step + l]) to the rows
 * base + l * rs, l < 4 * nv. */
static inline void flush_rows(float *base, size_t rs, const float *stage,
                              size_t step, int nv, uint32_t o, uint32_t n)
{
    uint32_t k;
    int l;

#if BLOCK
    if (n == 4) {
        int v;

        for (v = 0; v < nv; v++)
            lanes_to_rows4(base + 4 * (size_t)v * rs + o, rs, stage + 4 * v,
                           step);
        return;
    }
#endif
    for (k = 0; k < n; k++)
        for (l = 0; l < 4 * nv; l++)
            base[(size_t)l * rs + o + k] = stage[k * step + (size_t)l];
}

/*
 * box1d on 4*nv interleaved lanes, output lane l to the row base + l * rs.
 * Outputs are staged 4 columns at a time and transposed into the rows;
 * the slide phase (nearly every column) does four columns per iteration.
 */
static inline __attribute__((always_inline))
void box_rows(const float *in, float *base, size_t rs, int len, int full,
              int nv)
{
    const size_t step = 4 * (size_t)nv;
    int half = (full + 2) / 2, i, v, count = 0;
    size_t li = 0, ri = 0;
    uint32_t oi = 0;
    float stage[4 * 4 * MAXV];
    v4f s[MAXV], c, r;

#define FOR_V _Pragma("GCC unroll 4") for (v = 0; v < nv; v++)
#define ADD() do { FOR_V s[v] += load4a(in + ri + 4 * v); ri += step; } \
    while (0)
#define SUB() do { FOR_V s[v] -= load4a(in + li + 4 * v); li += step; } \
    while (0)
#define EMIT(op)                                                        \
    do {                                                                \
        FOR_V store4(stage + (oi % 4) * step + 4 * v, s[v] op);         \
        if (oi % 4 == 3)                                                \
            flush_rows(base, rs, stage, step, nv, oi - 3, 4);           \
        oi++;                                                           \
    } while (0)
#define SLIDE1(k, op)                                                   \
    do {                                                                \
        ADD();                                                          \
        SUB();                                                          \
        FOR_V store4(stage + (k) * step + 4 * v, s[v] op);              \
    } while (0)
    /* Slide: count is fixed. x / 2^k and x * 2^-k are the same real
     * number, so they round to the same float: for a power-of-two window
     * the multiply is bit-identical and cheaper. */
#define SLIDE(op)                                                       \
    do {                                                                \
        for (i = 0; i < len - full && oi % 4; i++) {                    \
            ADD();                                                      \
            SUB();                                                      \
            EMIT(op);                                                   \
        }                                                               \
        for (; i + 4 <= len - full; i += 4, oi += 4) {                  \
            SLIDE1(0, op);                                              \
            SLIDE1(1, op);                                              \
            SLIDE1(2, op);                                              \
            SLIDE1(3, op);                                              \
            flush_rows(base, rs, stage, step, nv, oi, 4);               \
        }                                                               \
        for (; i < len - full; i++) {                                   \
            ADD();                                                      \
            SUB();                                                      \
            EMIT(op);                                                   \
        }                                                               \
    } while (0)
    FOR_V s[v] = splat4(0.0f);
    for (i = 0; i < half - 1; i++, count++)
        ADD();
    for (i = 0; i < full - half + 1; i++) {
        ADD();
        c = splat4((float)++count);
        EMIT(/ c);
    }
    c = splat4((float)count);
    r = splat4(1.0f / (float)count);
    if (is_pow2(count))
        SLIDE(* r);
    else
        SLIDE(/ c);
    for (i = 0; i < half - 1; i++) {
        SUB();
        c = splat4((float)--count);
        EMIT(/ c);
    }
#undef SLIDE
#undef SLIDE1
#undef EMIT
    if (oi % 4)
        flush_rows(base, rs, stage, step, nv, oi - oi % 4, oi % 4);
}

#undef ADD
#undef SUB
#undef FOR_V

static void box8_rows(const float *in, float *base, size_t rs, int len,
                      int full)
{
    box_rows(in, base, rs, len, full, 2);
}

static void box16_rows(const float *in, float *base, size_t rs, int len,
                       int full)
{
    box_rows(in, base, rs, len, full, 4);
}

/*
 * Pass C (box along the rows of pass B's output), fed strip by strip while
 * pass B's output is still in L1: the rows of one pipeline block advance
 * together as interleaved lanes, and their input columns arrive a strip at
 * a time in a small ring of lane columns (column k's lanes at
 * lr[(k & mask) * lanes]). Step t of box1d adds column t, subtracts column
 * t - full, and when t >= half - 1 yields output t - (half - 1), which is
 * divided only at the 64 sampled columns sj[] (lanes of sample j to
 * samp[j * lanes], turned into rows of the 64-column image at the end of
 * the block). The running sums still take every column: they fix the
 * bits.
 */
#define MAXB (4 * LANES)      /* most rows per pipeline block */

struct crun {
    uint32_t t, next;         /* next step of box1d; next sample */
    float s[MAXB];            /* running sums, lane by lane */
};

struct cgeo {
    const uint32_t *sj;       /* sampled columns */
    uint32_t len, full, half1;/* row length, window, half - 1 */
    uint32_t mask;            /* columns in the lane ring - 1 */
    float *samp;              /* 64 x lanes: the block's samples, sample j's
                               * lanes at samp[j * lanes] */
};

/* Sample @p next was just stored (@p lanes floats at samp[next * lanes]);
 * copy it to the following samples that take the same column @p o (only
 * for rows under 64 columns) and return the next sample. */
static inline uint32_t c_dup(const struct cgeo *g, uint32_t next, uint32_t o,
                             size_t lanes)
{
    const float *v = g->samp + next * lanes;

    while (++next < 64 && g->sj[next] == o)
        memcpy(g->samp + next * lanes, v, lanes * sizeof(float));
    return next;
}

/*
 * The body of the pass C runners: box1d's steps st->t .. tend - 1 (tend
 * may exceed the last step), phase by phase, with the caller's ADD(k),
 * SUB(k) and EMIT(count) (which jumps to done after the last sample).
 */
#define C_STEPS()                                                       \
    do {                                                                \
        lim = tend < half1 ? tend : half1;                              \
        for (; t < lim; t++)                          /* accumulate */  \
            ADD(t);                                                     \
        lim = tend < full ? tend : full;                                \
        for (; t < lim; t++) {                        /* grow */        \
            ADD(t);                                                     \
            EMIT(t + 1);                                                \
        }                                                               \
        lim = tend < len ? tend : len;                                  \
        while (t < lim) {                             /* slide */       \
            stop = sj[next] + half1;  /* the step of the next sample */ \
            if (stop > lim)                                             \
                stop = lim;                                             \
            for (; t < stop; t++) {                                     \
                ADD(t);                                                 \
                SUB(t - full);                                          \
            }                                                           \
            if (t == lim)                                               \
                break;                                                  \
            ADD(t);                                                     \
            SUB(t - full);                                              \
            EMIT(full);                                                 \
            t++;                                                        \
        }                                                               \
        lim = tend < len + half1 ? tend : len + half1;                  \
        for (; t < lim; t++) {                        /* shrink */      \
            SUB(t - full);                                              \
            EMIT(full - (t - len) - 1);                                 \
        }                                                               \
    } while (0)

/* Pass C on 16 lanes (four 4-float sums), steps up to @p tend. */
static void c_run16(const float *lr, struct crun *st, uint32_t tend,
                    const struct cgeo *g)
{
    const uint32_t full = g->full, half1 = g->half1, len = g->len;
    const uint32_t mask = g->mask, *sj = g->sj;
    uint32_t t = st->t, next = st->next, lim, stop;
    v4f s0, s1, s2, s3;

    if (next == 64)
        return;
    s0 = load4(st->s);
    s1 = load4(st->s + 4);
    s2 = load4(st->s + 8);
    s3 = load4(st->s + 12);
#define COL(k) (lr + ((size_t)(k) & mask) * 16)
#define ADD(k)                                                          \
    do {                                                                \
        const float *p_ = COL(k);                                       \
        s0 += load4a(p_);                                               \
        s1 += load4a(p_ + 4);                                           \
        s2 += load4a(p_ + 8);                                           \
        s3 += load4a(p_ + 12);                                          \
    } while (0)
#define SUB(k)                                                          \
    do {                                                                \
        const float *p_ = COL(k);                                       \
        s0 -= load4a(p_);                                               \
        s1 -= load4a(p_ + 4);                                           \
        s2 -= load4a(p_ + 8);                                           \
        s3 -= load4a(p_ + 12);                                          \
    } while (0)
#define EMIT(count_)                                                    \
    do {                                                                \
        if (t - half1 == sj[next]) {                                    \
            const v4f c_ = splat4((float)(count_));                     \
            float *o_ = g->samp + (size_t)next * 16;                    \
                                                                        \
            store4(o_, s0 / c_);                                        \
            store4(o_ + 4, s1 / c_);                                    \
            store4(o_ + 8, s2 / c_);                                    \
            store4(o_ + 12, s3 / c_);                                   \
            if ((next = c_dup(g, next, t - half1, 16)) == 64)           \
                goto done;                                              \
        }                                                               \
    } while (0)
    C_STEPS();
done:
    store4(st->s, s0);
    store4(st->s + 4, s1);
    store4(st->s + 8, s2);
    store4(st->s + 12, s3);
    st->t = t;
    st->next = next;
#undef COL
#undef ADD
#undef SUB
#undef EMIT
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

/* Staged outputs of 8 columns (o..o+7, stage[k * 32 + l]) to the rows
 * base + l * rs. */
__attribute__((target("avx2,fma"), always_inline))
static inline void flush8_avx2(float *base, size_t rs, const float *stage,
                               uint32_t o)
{
    __m256 t[8];
    int v, k;

    _Pragma("GCC unroll 8") for (v = 0; v < 4; v++) {
        _Pragma("GCC unroll 8") for (k = 0; k < 8; k++)
            t[k] = _mm256_loadu_ps(stage + k * L32 + 8 * v);
        vigil_pdq__transpose8(t);
        _Pragma("GCC unroll 8") for (k = 0; k < 8; k++)
            _mm256_storeu_ps(base + (size_t)(8 * v + k) * rs + o, t[k]);
    }
}

/* box1d on 32 interleaved lanes, output lane l to the row base + l * rs
 * (pass A). */
__attribute__((target("avx2,fma")))
static void box32_rows_avx2(const float *in, float *base, size_t rs, int len,
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
            flush8_avx2(base, rs, stage, oi - 7);                       \
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
            base[(size_t)v * rs + k] = stage[(k % 8) * L32 + (uint32_t)v];
}

#undef ADD
#undef SUB
#undef SET_COUNT

/* Pass C on 32 lanes (four 8-float sums), steps up to @p tend; as
 * c_run16. */
__attribute__((target("avx2,fma")))
static void c_run32_avx2(const float *lr, struct crun *st, uint32_t tend,
                         const struct cgeo *g)
{
    const uint32_t full = g->full, half1 = g->half1, len = g->len;
    const uint32_t mask = g->mask, *sj = g->sj;
    uint32_t t = st->t, next = st->next, lim, stop;
    __m256 s0, s1, s2, s3;

    if (next == 64)
        return;
    s0 = _mm256_loadu_ps(st->s);
    s1 = _mm256_loadu_ps(st->s + 8);
    s2 = _mm256_loadu_ps(st->s + 16);
    s3 = _mm256_loadu_ps(st->s + 24);
#define COL(k) (lr + ((size_t)(k) & mask) * L32)
#define ADD(k)                                                          \
    do {                                                                \
        const float *p_ = COL(k);                                       \
        s0 = _mm256_add_ps(s0, _mm256_loadu_ps(p_));                    \
        s1 = _mm256_add_ps(s1, _mm256_loadu_ps(p_ + 8));                \
        s2 = _mm256_add_ps(s2, _mm256_loadu_ps(p_ + 16));               \
        s3 = _mm256_add_ps(s3, _mm256_loadu_ps(p_ + 24));               \
    } while (0)
#define SUB(k)                                                          \
    do {                                                                \
        const float *p_ = COL(k);                                       \
        s0 = _mm256_sub_ps(s0, _mm256_loadu_ps(p_));                    \
        s1 = _mm256_sub_ps(s1, _mm256_loadu_ps(p_ + 8));                \
        s2 = _mm256_sub_ps(s2, _mm256_loadu_ps(p_ + 16));               \
        s3 = _mm256_sub_ps(s3, _mm256_loadu_ps(p_ + 24));               \
    } while (0)
#define EMIT(count_)                                                    \
    do {                                                                \
        if (t - half1 == sj[next]) {                                    \
            const __m256 c_ = _mm256_set1_ps((float)(count_));          \
            float *o_ = g->samp + (size_t)next * L32;                   \
                                                                        \
            _mm256_storeu_ps(o_, _mm256_div_ps(s0, c_));                \
            _mm256_storeu_ps(o_ + 8, _mm256_div_ps(s1, c_));            \
            _mm256_storeu_ps(o_ + 16, _mm256_div_ps(s2, c_));           \
            _mm256_storeu_ps(o_ + 24, _mm256_div_ps(s3, c_));           \
            if ((next = c_dup(g, next, t - half1, L32)) == 64)          \
                goto done;                                              \
        }                                                               \
    } while (0)
    C_STEPS();
done:
    _mm256_storeu_ps(st->s, s0);
    _mm256_storeu_ps(st->s + 8, s1);
    _mm256_storeu_ps(st->s + 16, s2);
    _mm256_storeu_ps(st->s + 24, s3);
    st->t = t;
    st->next = next;
#undef COL
#undef ADD
#undef SUB
#undef EMIT
}

/* Columns j .. j+w-1 of a 32-row tile (row l at tile[l * ts]) into the
 * lane ring of pass C (column k's 32 lanes at lr[(k & mask) * 32]). */
__attribute__((target("avx2,fma")))
static void tile_to_lanes32_avx2(float *lr, uint32_t mask, const float *tile,
                                 size_t ts, uint32_t j, uint32_t w)
{
    uint32_t c = 0, l;
    int v, i;

    for (; c + 8 <= w; c += 8)
        _Pragma("GCC unroll 8") for (v = 0; v < 4; v++) {
            __m256 x[8];

            _Pragma("GCC unroll 8") for (i = 0; i < 8; i++)
                x[i] = _mm256_loadu_ps(tile + (size_t)(8 * v + i) * ts + c);
            vigil_pdq__transpose8(x);
            _Pragma("GCC unroll 8") for (i = 0; i < 8; i++)
                _mm256_storeu_ps(lr + ((size_t)(j + c + (uint32_t)i) & mask) *
                                          L32 + 8 * v, x[i]);
        }
    for (; c < w; c++)
        for (l = 0; l < L32; l++)
            lr[((size_t)(j + c) & mask) * L32 + l] = tile[(size_t)l * ts + c];
}
#endif

/*
 * Scratch for one downsample. The four passes run as a pipeline over
 * blocks of brows rows (32 with AVX2, else 16), so only a window of rows
 * is ever held:
 *   A  luma rows from the producer, box along rows   -> ring (nring rows)
 *   B  box along columns over the ring, one block of
 *      output rows at a time, in strips of sw columns -> tile (brows x sw)
 *   C  box along the rows of that block, fed each strip
 *      at once through the lane ring, sampled         -> c64 (rows x 64)
 *   D  box along the 64 sampled columns, in place     -> c64
 * B's output thus goes to C through L1 (tile 1-8 KiB, lane ring 2-16 KiB
 * for windows up to 64) instead of a block of full rows and a transposed
 * copy of it (64-128 KiB each, through L2).
 */
struct bop;

struct ds {
    uint32_t rows, cols, nring;
    uint32_t brows;           /* rows per pipeline block: 16 or 32 */
    uint32_t sw;              /* pass B strip width: 16 or 64 columns */
    size_t rs;                /* row stride of the ring: cols padded so
                               * 16 rows do not share cache sets */
    int wr, wc;
    int avx2;                 /* AVX2 and FMA kernels usable */
    float *ring;              /* nring x cols: pass A rows, k at k % nring */
    float *luma;              /* 8 x cols luma rows from the producer */
    void *ring_mem, *luma_mem, *tile_mem; /* what ring, luma and tile are
                               * 64-byte aligned views of */
    float *t1;                /* cols x brows interleaved luma block */
    float *tile;              /* brows x sw: pass B's output strip */
    float *lr;                /* (lmask + 1) x brows: pass C's lane ring */
    float *samp;              /* 64 x brows: pass C's samples of a block */
    uint32_t lmask;
    float *acc;               /* cols: pass B column sums */
    float *c64, *d64;         /* rows x 64 after C; D's saved rows */
    uint32_t sj[64];          /* sampled columns */
    uint32_t bout;            /* pass B: output rows done */
    struct bop *ops;          /* pass B: one block's steps */
};

#define RING(d, k) ((d)->ring + ((size_t)(k) % (d)->nring) * (d)->rs)

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

/* A pass B step resolved to rows: NULL (out: -1) where box1d has no such
 * operation; out is the row in the tile. */
struct bop {
    const float *add, *sub;
    int out;
    float count, recip;       /* recip = 1 / count, for pdq_div.h */
};

#ifdef PDQ_HAVE_FMA_DIV
/*
 * Pass B with AVX2 for the 8 * nv columns at @p j (nv <= 8 ymm sums in
 * registers), outputs to tile[out * ts]; the divide is pdq_div.h's exact
 * FMA form when @p fma (every count <= PDQ_DIV_MAXD), else vdivps. Same
 * per-column order as box1d.
 */
__attribute__((target("avx2,fma"), always_inline))
static inline void pass_b_strip_avx2(float *acc, const struct bop *op,
                                     uint32_t n, size_t j, float *tile,
                                     size_t ts, int nv, int fma)
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
        if (op[k].out >= 0) {
            const __m256 c = _mm256_set1_ps(op[k].count);
            const __m256 r = _mm256_set1_ps(op[k].recip);
            float *o = tile + (size_t)op[k].out * ts;

            if (fma)
                FOR_NV _mm256_storeu_ps(o + 8 * v, vigil_pdq__div8(a[v], c, r));
            else
                FOR_NV _mm256_storeu_ps(o + 8 * v, _mm256_div_ps(a[v], c));
        }
    }
    FOR_NV _mm256_storeu_ps(acc + j + 8 * v, a[v]);
#undef FOR_NV
}

/* Pass B's columns j .. j+w-1 (w <= 64) into the tile (row stride 64),
 * in AVX2 strips; returns how many columns are left for pass_b_col. */
__attribute__((target("avx2,fma")))
static uint32_t pass_b_avx2(float *acc, const struct bop *op, uint32_t n,
                            uint32_t j, uint32_t w, float *tile, int fma)
{
    uint32_t c = 0;

    if (w == 64) {
        if (fma)
            pass_b_strip_avx2(acc, op, n, j, tile, 64, 8, 1);
        else
            pass_b_strip_avx2(acc, op, n, j, tile, 64, 8, 0);
        return 0;
    }
    for (; c + 8 <= w; c += 8)
        pass_b_strip_avx2(acc, op, n, j + c, tile + c, 64, 1, fma);
    return w - c;
}
#endif

/*
 * Steps op[0..n-1] of pass B for the 16 columns at @p j, outputs to
 * tile[out * 16]: the four sums stay in registers across the steps.
 */
static void pass_b_strip16(float *acc, const struct bop *op, uint32_t n,
                           size_t j, float *tile)
{
    v4f a0 = load4(acc + j), a1 = load4(acc + j + 4);
    v4f a2 = load4(acc + j + 8), a3 = load4(acc + j + 12);
    uint32_t k;

    for (k = 0; k < n; k++) {
        const float *p = op[k].add, *q = op[k].sub;

        if (p) {
            a0 += load4a(p + j);
            a1 += load4a(p + j + 4);
            a2 += load4a(p + j + 8);
            a3 += load4a(p + j + 12);
        }
        if (q) {
            a0 -= load4a(q + j);
            a1 -= load4a(q + j + 4);
            a2 -= load4a(q + j + 8);
            a3 -= load4a(q + j + 12);
        }
        if (op[k].out >= 0) {
            const v4f c = splat4(op[k].count);
            float *o = tile + (size_t)op[k].out * 16;

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

/* The same for column @p j alone, output to tile[out * ts]. */
static void pass_b_col(float *acc, const struct bop *op, uint32_t n, size_t j,
                       float *tile, size_t ts)
{
    float sum = acc[j];
    uint32_t k;

    for (k = 0; k < n; k++) {
        if (op[k].add)
            sum += op[k].add[j];
        if (op[k].sub)
            sum -= op[k].sub[j];
        if (op[k].out >= 0)
            tile[(size_t)op[k].out * ts] = sum / op[k].count;
    }
    acc[j] = sum;
}

/* Columns j .. j+w-1 of a 16-row tile (row l at tile[l * ts]) into the
 * lane ring of pass C (column k's 16 lanes at lr[(k & mask) * 16]). */
static void tile_to_lanes16(float *lr, uint32_t mask, const float *tile,
                            size_t ts, uint32_t j, uint32_t w)
{
    uint32_t c = 0, l;

#if BLOCK
    /* j + c is a multiple of 4 and the ring's size a power of two >= 32:
     * the four columns are contiguous. */
    for (; c + 4 <= w; c += 4) {
        float *t = lr + ((size_t)(j + c) & mask) * 16;

        rows4_to_lanes(t, 16, tile + c, ts);
        rows4_to_lanes(t + 4, 16, tile + 4 * ts + c, ts);
        rows4_to_lanes(t + 8, 16, tile + 8 * ts + c, ts);
        rows4_to_lanes(t + 12, 16, tile + 12 * ts + c, ts);
    }
#endif
    for (; c < w; c++)
        for (l = 0; l < 16; l++)
            lr[((size_t)(j + c) & mask) * 16 + l] = tile[(size_t)l * ts + c];
}

/* The samples of a block (sample j's lanes at samp[j * lanes]) to rows
 * l < nout of the 64-column image at @p out (out[l * 64 + j]). */
static void samples_to_rows(float *out, const float *samp, uint32_t lanes,
                            uint32_t nout)
{
    uint32_t j, l = 0;

#if BLOCK
    for (; l + 4 <= nout; l += 4)
        for (j = 0; j < 64; j += 4)
            rows4_to_lanes(out + (size_t)l * 64 + j, 64,
                           samp + (size_t)j * lanes + l, lanes);
#endif
    for (; l < nout; l++)
        for (j = 0; j < 64; j++)
            out[(size_t)l * 64 + j] = samp[(size_t)j * lanes + l];
}

/*
 * Pass B for the block of output rows o0 .. o0+nout-1 (its steps op[0..n-1],
 * box1d's order per column) and pass C on those rows: strip by strip, each
 * strip's output transposed into the lane ring and taken by pass C while
 * it is still in L1.
 */
static void pass_bc_block(struct ds *d, const struct bop *op, uint32_t n,
                          uint32_t o0, uint32_t nout)
{
    const uint32_t cols = d->cols, sw = d->sw;
    struct cgeo g;
    struct crun st;
    uint32_t j, w, c, tend;

    g.sj = d->sj;
    g.len = cols;
    g.full = (uint32_t)d->wr;
    g.half1 = (uint32_t)d->wr / 2;
    g.mask = d->lmask;
    g.samp = d->samp;
    memset(&st, 0, sizeof(st));
    for (j = 0; j < cols; j += w) {
        w = cols - j < sw ? cols - j : sw;
        tend = j + w < cols ? j + w : UINT32_MAX;     /* last: to the end */
#ifdef PDQ_HAVE_FMA_DIV
        if (d->avx2) {
            c = w - pass_b_avx2(d->acc, op, n, j, w, d->tile,
                                d->wc <= PDQ_DIV_MAXD);
            for (; c < w; c++)
                pass_b_col(d->acc, op, n, j + c, d->tile + c, sw);
            tile_to_lanes32_avx2(d->lr, d->lmask, d->tile, sw, j, w);
            c_run32_avx2(d->lr, &st, tend, &g);
            continue;
        }
#endif
        if (w == 16)
            pass_b_strip16(d->acc, op, n, j, d->tile);
        else
            for (c = 0; c < w; c++)
                pass_b_col(d->acc, op, n, j + c, d->tile + c, sw);
        tile_to_lanes16(d->lr, d->lmask, d->tile, sw, j, w);
        c_run16(d->lr, &st, tend, &g);
    }
    samples_to_rows(d->c64 + (size_t)o0 * 64, d->samp, d->brows, nout);
}

/*
 * Run pass B (and C) on every block of output rows whose steps only add
 * rows < @p avail of pass A.
 */
static void pass_b_advance(struct ds *d, uint32_t avail)
{
    const uint32_t half1 = (uint32_t)d->wc / 2;

    while (d->bout < d->rows) {
        uint32_t o0 = d->bout;
        uint32_t nout = d->rows - o0 < d->brows ? d->rows - o0 : d->brows;
        /* Output o comes from step o + half1; the first block's steps also
         * accumulate half1 rows. Step k < rows adds row k. */
        uint32_t k0 = o0 ? o0 + half1 : 0, k1 = o0 + nout + half1, k;
        uint32_t last = k1 - 1 < d->rows - 1 ? k1 - 1 : d->rows - 1;
        struct bop *op = d->ops;

        if (last >= avail)
            return;
        for (k = k0; k < k1; k++, op++) {
            struct bstep st = b_step(k, (int)d->rows, d->wc);

            op->add = st.add >= 0 ? RING(d, st.add) : NULL;
            op->sub = st.sub >= 0 ? RING(d, st.sub) : NULL;
            op->out = st.out >= 0 ? st.out - (int)o0 : -1;
            op->count = (float)st.count;
            op->recip = 1.0f / (float)st.count;
        }
        pass_bc_block(d, d->ops, k1 - k0, o0, nout);
        d->bout = o0 + nout;
    }
}

/* Pass A for rows r0..r0+n-1 (n <= brows), into the ring: r0 is a
 * multiple of brows, and so is the ring's size, so the rows are
 * consecutive, rs apart. */
static int pass_a_block(struct ds *d, uint32_t r0, uint32_t n,
                        pdq_luma_fn produce, void *ctx)
{
    uint32_t l, k, cols = d->cols;
    float *base = RING(d, r0);
    const size_t rs = d->rs;
    int err;

#ifdef PDQ_HAVE_FMA_DIV
    if (n == L32 && d->avx2) {
        for (k = 0; k < L32; k += LANES)
            if ((err = produce(ctx, r0 + k, LANES, d->t1 + k, L32)) < 0)
                return err;
        box32_rows_avx2(d->t1, base, rs, (int)cols, d->wr);
        return VIGIL_OK;
    }
#endif
    for (l = 0; l + 2 * LANES <= n; l += 2 * LANES) {
        if ((err = produce(ctx, r0 + l, LANES, d->t1, 2 * LANES)) < 0 ||
            (err = produce(ctx, r0 + l + LANES, LANES, d->t1 + LANES,
                           2 * LANES)) < 0)
            return err;
        box16_rows(d->t1, base + l * rs, rs, (int)cols, d->wr);
    }
    if (n - l >= LANES) {
        if ((err = produce(ctx, r0 + l, LANES, d->t1, LANES)) < 0)
            return err;
        box8_rows(d->t1, base + l * rs, rs, (int)cols, d->wr);
        l += LANES;
    }
    if (l < n) {
        if ((err = produce(ctx, r0 + l, n - l, d->luma, 0)) < 0)
            return err;
        for (k = 0; l < n; l++, k++)
            box1d(d->luma + (size_t)k * cols, 1, base + l * rs, 1,
                  (int)cols, d->wr);
    }
    return VIGIL_OK;
}

/* A 64-byte aligned view of @p n floats from the allocator (*mem, for
 * vigil__free): the SSE kernels' loads need 16-byte alignment to fold into
 * the adds (load4a), and the AVX2 ones should not straddle cache lines.
 * Zeroed when @p zero. NULL when out of memory. */
static float *alloc_floats(void **mem, size_t n, int zero)
{
    uintptr_t p;

    *mem = zero ? vigil__calloc(n + 16, sizeof(float))
                : vigil__mallocarray(n + 16, sizeof(float));
    if (*mem == NULL)
        return NULL;
    p = ((uintptr_t)*mem + 63) & ~(uintptr_t)63;
    return (float *)(void *)p;
}

static int ds_alloc(struct ds *d)
{
    uint32_t nl = 32;

    /* Pass B still subtracts rows up to wc behind the newest, and pass A
     * writes a block of brows ahead of it (at least wc + 2 brows rows,
     * rounded up to whole blocks so no block wraps). Pass C's lane ring
     * holds the columns its window still subtracts and a strip of new
     * ones. Row strides and block sizes are multiples of 16 floats, so
     * every row, lane block and strip stays 64-byte aligned. */
    d->nring = ((uint32_t)d->wc + 3 * d->brows - 1) / d->brows * d->brows;
    d->rs = ((size_t)d->cols + 15) / 16 * 16 + 16;
    while (nl < (uint32_t)d->wr + d->sw)
        nl *= 2;
    d->lmask = nl - 1;
    if ((d->ring = alloc_floats(&d->ring_mem, d->rs * d->nring, 0)) == NULL ||
        (d->luma = alloc_floats(&d->luma_mem,
                                ((size_t)d->cols + 15) / 16 * 16 *
                                    (LANES + d->brows), 0)) == NULL ||
        (d->tile = alloc_floats(&d->tile_mem,
                                (size_t)d->brows * (d->sw + nl + 64), 1)) ==
            NULL ||
        (d->acc = vigil__calloc(d->cols, sizeof(float))) == NULL ||
        (d->c64 = vigil__mallocarray((size_t)d->rows,
                                     128 * sizeof(float))) == NULL ||
        (d->ops = vigil__mallocarray((size_t)d->wc + d->brows,
                                     sizeof(*d->ops))) == NULL)
        return vigil_error_set(VIGIL_ENOMEM, "no memory for PDQ filter "
                               "(%ux%u)", (unsigned)d->cols, (unsigned)d->rows);
    d->t1 = d->luma + ((size_t)d->cols + 15) / 16 * 16 * LANES;
    d->lr = d->tile + (size_t)d->brows * d->sw;
    d->samp = d->lr + (size_t)d->brows * nl;
    d->d64 = d->c64 + (size_t)d->rows * 64;
    return VIGIL_OK;
}

static void ds_free(struct ds *d)
{
    vigil__free(d->ring_mem);
    vigil__free(d->luma_mem);
    vigil__free(d->tile_mem);
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
    d.sw = d.avx2 ? 64 : 16;
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
