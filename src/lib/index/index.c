/*
 * index/index.c - exact Hamming-radius search over PDQ hashes by
 * multi-index hashing (Norouzi, Punjani, Fleet, "Fast Search in Hamming
 * Space with Multi-Index Hashing", CVPR 2012), with a pair-wise pigeonhole
 * filter; see docs/internals/index.md for the argument and the numbers.
 *
 * The 256 bits are cut into 16 substrings of 16 bits, grouped in 8 pairs
 * (2p, 2p+1). If d(q, h) <= r then some pair has distance <= t = r / 8,
 * and inside that pair one half has distance <= t / 2. Table s is a
 * counting-sorted array of all entries keyed by substring s, each slot
 * holding the sibling substring (s ^ 1) inline. A search probes every key
 * within t / 2 of the query's substring s and keeps a slot only when
 * d(key) + d(sibling) <= t; only those get a full 256-bit distance.
 */
#define VIGIL_MODULE "index"
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/error.h"
#include "index/index_internal.h"

#define IDX_MAX_ENTRIES_DEFAULT 0x7fffffffu

static inline unsigned key_of(const vigil_pdq *h, unsigned s)
{
    return (unsigned)(h->w[s >> 2] >> (48 - 16 * (s & 3))) & 0xffffu;
}

static size_t align64(size_t x)
{
    return (x + 63) & ~(size_t)63;
}

size_t idx__image_size(size_t n)
{
    size_t sz = IDX_HEADER_SIZE;

    sz = align64(sz + n * sizeof(vigil_pdq));
    sz = align64(sz + n * sizeof(int64_t));
    sz = align64(sz + (size_t)IDX_TABLES * (IDX_KEYS + 1) * sizeof(uint32_t));
    sz = align64(sz + (size_t)IDX_TABLES * n * sizeof(uint16_t));
    sz = align64(sz + (size_t)IDX_TABLES * n * sizeof(uint32_t));
    return sz;
}

void idx__base_attach(struct idx_base *b, unsigned char *mem, size_t n)
{
    size_t at = IDX_HEADER_SIZE;
    unsigned s;

    b->mem = mem;
    b->n = n;
    b->hashes = (const vigil_pdq *)(mem + at);
    at = align64(at + n * sizeof(vigil_pdq));
    b->ids = (const int64_t *)(mem + at);
    at = align64(at + n * sizeof(int64_t));
    for (s = 0; s < IDX_TABLES; s++) {
        b->off[s] = (const uint32_t *)(mem + at);
        at += (IDX_KEYS + 1) * sizeof(uint32_t);
    }
    at = align64(at);
    for (s = 0; s < IDX_TABLES; s++) {
        b->sib[s] = (const uint16_t *)(mem + at);
        at += n * sizeof(uint16_t);
    }
    at = align64(at);
    for (s = 0; s < IDX_TABLES; s++) {
        b->pos[s] = (const uint32_t *)(mem + at);
        at += n * sizeof(uint32_t);
    }
}

/* Counting sort of every entry into the 16 tables. */
static int image_build(struct idx_base *out, const vigil_pdq *h,
                       const int64_t *ids, size_t n)
{
    size_t size = idx__image_size(n), i;
    unsigned char *mem;
    uint32_t *cur;
    struct idx_header *hd;
    unsigned s;

    memset(out, 0, sizeof(*out));
    if ((mem = vigil__calloc(1, size)) == NULL)
        return vigil_error_set(VIGIL_ENOMEM, "index of %zu entries needs %zu "
                               "bytes", n, size);
    if ((cur = vigil__malloc(IDX_KEYS * sizeof(*cur))) == NULL) {
        vigil__free(mem);
        return VIGIL_ENOMEM;
    }
    idx__advise_huge(mem, size);
    idx__base_attach(out, mem, n);
    out->mem_len = size;
    if (n) {
        memcpy((void *)out->hashes, h, n * sizeof(*h));
        memcpy((void *)out->ids, ids, n * sizeof(*ids));
    }
    for (s = 0; s < IDX_TABLES; s++) {
        uint32_t *off = (uint32_t *)out->off[s];
        uint16_t *sib = (uint16_t *)out->sib[s];
        uint32_t *pos = (uint32_t *)out->pos[s];
        unsigned k;

        for (i = 0; i < n; i++)
            off[key_of(&h[i], s) + 1]++;
        for (k = 0; k < IDX_KEYS; k++) {
            off[k + 1] += off[k];
            cur[k] = off[k];
        }
        for (i = 0; i < n; i++) {
            uint32_t slot = cur[key_of(&h[i], s)]++;

            sib[slot] = (uint16_t)key_of(&h[i], s ^ 1);
            pos[slot] = (uint32_t)i;
        }
    }
    vigil__free(cur);
    hd = (struct idx_header *)mem;
    memcpy(hd->magic, IDX_MAGIC, sizeof(hd->magic));
    hd->version = IDX_VERSION;
    hd->header_size = IDX_HEADER_SIZE;
    hd->n = n;
    hd->file_size = size;
    hd->tables = IDX_TABLES;
    hd->key_bits = 16;
    return VIGIL_OK;
}

static size_t max_entries(const vigil_index *idx)
{
    return idx->opts.max_entries ? idx->opts.max_entries
                                 : IDX_MAX_ENTRIES_DEFAULT;
}

static int index_alloc(vigil_index **out, const vigil_index_options *opts)
{
    vigil_index *idx;
    vigil_index_options def = VIGIL_INDEX_OPTIONS_INIT;

    *out = NULL;
    if (opts && opts->version != 1)
        return vigil_error_set(VIGIL_EINVAL, "index options version %u, "
                               "expected 1", opts->version);
    if ((idx = vigil__calloc(1, sizeof(*idx))) == NULL)
        return VIGIL_ENOMEM;
    if (pthread_rwlock_init(&idx->lock, NULL) != 0) {
        vigil__free(idx);
        return vigil_error_set(VIGIL_ENOMEM, "cannot create index lock");
    }
    idx->opts = opts ? *opts : def;
    if (idx->opts.max_entries > IDX_MAX_ENTRIES_DEFAULT)
        idx->opts.max_entries = IDX_MAX_ENTRIES_DEFAULT;
    *out = idx;
    return VIGIL_OK;
}

int idx__alloc(vigil_index **out, const vigil_index_options *opts)
{
    return index_alloc(out, opts);
}

int vigil_index_new(vigil_index **out, const vigil_index_options *opts)
{
    vigil_index *idx;
    int rc;

    VIGIL_ASSERT_ARG(out != NULL);
    if ((rc = index_alloc(&idx, opts)) < 0)
        return rc;
    if ((rc = image_build(&idx->base, NULL, NULL, 0)) < 0) {
        vigil_index_free(idx);
        return rc;
    }
    *out = idx;
    return VIGIL_OK;
}

int vigil_index_build(vigil_index **out, const vigil_pdq *hashes,
                      const int64_t *ids, size_t n,
                      const vigil_index_options *opts)
{
    vigil_index *idx;
    int rc;

    VIGIL_ASSERT_ARG(out != NULL);
    VIGIL_ASSERT_ARG(n == 0 || (hashes && ids));
    if ((rc = index_alloc(&idx, opts)) < 0)
        return rc;
    if (n > max_entries(idx)) {
        rc = vigil_error_set(VIGIL_ELIMIT, "%zu hashes, index limit is %zu",
                             n, max_entries(idx));
        vigil_index_free(idx);
        return rc;
    }
    if ((rc = image_build(&idx->base, hashes, ids, n)) < 0) {
        vigil_index_free(idx);
        return rc;
    }
    *out = idx;
    return VIGIL_OK;
}

void vigil_index_free(vigil_index *idx)
{
    if (!idx)
        return;
    idx__base_release(&idx->base);
    vigil__free(idx->dead);
    vigil__free(idx->dh);
    vigil__free(idx->did);
    pthread_rwlock_destroy(&idx->lock);
    vigil__free(idx);
}

static int is_dead(const vigil_index *idx, size_t p)
{
    return idx->dead && (idx->dead[p >> 6] >> (p & 63) & 1);
}

/* Rebuild the tables from the live base entries and the delta.
 * Caller holds the write lock. */
static int compact_locked(vigil_index *idx)
{
    size_t n = idx->base.n - idx->n_dead + idx->dn, i, k = 0;
    vigil_pdq *h;
    int64_t *ids;
    struct idx_base nb;
    int rc;

    if (idx->dn == 0 && idx->n_dead == 0)
        return VIGIL_OK;
    h = vigil__mallocarray(n ? n : 1, sizeof(*h));
    ids = vigil__mallocarray(n ? n : 1, sizeof(*ids));
    if (!h || !ids) {
        vigil__free(h);
        vigil__free(ids);
        return vigil_error_set(VIGIL_ENOMEM, "compacting %zu entries", n);
    }
    for (i = 0; i < idx->base.n; i++) {
        if (is_dead(idx, i))
            continue;
        h[k] = idx->base.hashes[i];
        ids[k++] = idx->base.ids[i];
    }
    for (i = 0; i < idx->dn; i++) {
        h[k] = idx->dh[i];
        ids[k++] = idx->did[i];
    }
    rc = image_build(&nb, h, ids, n);
    vigil__free(h);
    vigil__free(ids);
    if (rc < 0)
        return rc;
    idx__base_release(&idx->base);
    idx->base = nb;
    vigil__free(idx->dead);
    idx->dead = NULL;
    idx->n_dead = 0;
    idx->dn = 0;
    return VIGIL_OK;
}

int idx__compact_locked(vigil_index *idx)
{
    return compact_locked(idx);
}

int vigil_index_compact(vigil_index *idx)
{
    int rc;

    VIGIL_ASSERT_ARG(idx != NULL);
    pthread_rwlock_wrlock(&idx->lock);
    rc = compact_locked(idx);
    pthread_rwlock_unlock(&idx->lock);
    return rc;
}

static size_t delta_limit(const vigil_index *idx)
{
    size_t lim = idx->base.n / 1024;

    if (idx->opts.delta_max)
        return idx->opts.delta_max;
    return lim < 4096 ? 4096 : lim > 65536 ? 65536 : lim;
}

static int add_locked(vigil_index *idx, const vigil_pdq *h, int64_t id)
{
    if (idx->base.n - idx->n_dead + idx->dn >= max_entries(idx))
        return vigil_error_set(VIGIL_ELIMIT, "index holds %zu entries, the "
                               "limit", max_entries(idx));
    if (idx->dn == idx->dcap) {
        size_t nc = idx->dcap ? idx->dcap * 2 : 256;
        vigil_pdq *nh = vigil__realloc(idx->dh, nc * sizeof(*nh));
        int64_t *ni;

        if (!nh)
            return VIGIL_ENOMEM;
        idx->dh = nh;
        if ((ni = vigil__realloc(idx->did, nc * sizeof(*ni))) == NULL)
            return VIGIL_ENOMEM;
        idx->did = ni;
        idx->dcap = nc;
    }
    idx->dh[idx->dn] = *h;
    idx->did[idx->dn++] = id;
    if (idx->dn >= delta_limit(idx))
        return compact_locked(idx);
    return VIGIL_OK;
}

int vigil_index_add(vigil_index *idx, const vigil_pdq *h, int64_t id)
{
    int rc;

    VIGIL_ASSERT_ARG(idx != NULL && h != NULL);
    pthread_rwlock_wrlock(&idx->lock);
    rc = add_locked(idx, h, id);
    pthread_rwlock_unlock(&idx->lock);
    return rc;
}

static int same(const vigil_pdq *a, const vigil_pdq *b)
{
    return a->w[0] == b->w[0] && a->w[1] == b->w[1] && a->w[2] == b->w[2] &&
           a->w[3] == b->w[3];
}

static int remove_base(vigil_index *idx, const vigil_pdq *h, int64_t id)
{
    const struct idx_base *b = &idx->base;
    unsigned k = key_of(h, 0), sk = key_of(h, 1);
    uint32_t j;

    for (j = b->off[0][k]; j < b->off[0][k + 1]; j++) {
        uint32_t p = b->pos[0][j];

        if (b->sib[0][j] != sk || b->ids[p] != id || is_dead(idx, p) ||
            !same(&b->hashes[p], h))
            continue;
        if (!idx->dead &&
            (idx->dead = vigil__calloc((b->n + 63) / 64, 8)) == NULL)
            return VIGIL_ENOMEM;
        idx->dead[p >> 6] |= (uint64_t)1 << (p & 63);
        idx->n_dead++;
        return VIGIL_OK;
    }
    return VIGIL_ENOTFOUND;
}

int vigil_index_remove(vigil_index *idx, const vigil_pdq *h, int64_t id)
{
    size_t i;
    int rc;

    VIGIL_ASSERT_ARG(idx != NULL && h != NULL);
    pthread_rwlock_wrlock(&idx->lock);
    rc = remove_base(idx, h, id);
    for (i = 0; rc == VIGIL_ENOTFOUND && i < idx->dn; i++) {
        if (idx->did[i] != id || !same(&idx->dh[i], h))
            continue;
        idx->dh[i] = idx->dh[idx->dn - 1];
        idx->did[i] = idx->did[idx->dn - 1];
        idx->dn--;
        rc = VIGIL_OK;
    }
    pthread_rwlock_unlock(&idx->lock);
    if (rc == VIGIL_ENOTFOUND)
        return vigil_error_set(rc, "no entry %lld with that hash",
                               (long long)id);
    return rc;
}

size_t vigil_index_count(vigil_index *idx)
{
    size_t n;

    pthread_rwlock_rdlock(&idx->lock);
    n = idx->base.n - idx->n_dead + idx->dn;
    pthread_rwlock_unlock(&idx->lock);
    return n;
}

void vigil_index_results_dispose(vigil_index_results *res)
{
    if (!res)
        return;
    vigil__free(res->v);
    res->v = NULL;
    res->n = res->cap = 0;
}

/* ---- search ------------------------------------------------------------ */

#define IDX_CAND_MAX 256

struct sctx {
    const vigil_index *idx;
    vigil_index_results *res;
    const vigil_pdq *q;
    unsigned radius;
    uint8_t variant;
    int err;
    unsigned nc;                        /* candidates waiting for verify */
    uint32_t cand[IDX_CAND_MAX];        /* base positions, prefetched */
};

static void push_hit(struct sctx *c, int64_t id, unsigned d)
{
    vigil_index_results *r = c->res;

    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 64;
        vigil_index_hit *nv = vigil__realloc(r->v, nc * sizeof(*nv));

        if (!nv) {
            c->err = VIGIL_ENOMEM;
            return;
        }
        r->v = nv;
        r->cap = nc;
    }
    r->v[r->n].id = id;
    r->v[r->n].distance = (uint16_t)d;
    r->v[r->n++].variant = c->variant;
}

static inline __attribute__((always_inline)) unsigned
dist256(const vigil_pdq *a, const vigil_pdq *b)
{
    return (unsigned)(__builtin_popcountll(a->w[0] ^ b->w[0]) +
                      __builtin_popcountll(a->w[1] ^ b->w[1]) +
                      __builtin_popcountll(a->w[2] ^ b->w[2]) +
                      __builtin_popcountll(a->w[3] ^ b->w[3]));
}

static inline __attribute__((always_inline)) void
verify(struct sctx *c, uint32_t p)
{
    const struct idx_base *b = &c->idx->base;
    unsigned d = dist256(&b->hashes[p], c->q);

    c->res->verified++;
    if (d <= c->radius && !is_dead(c->idx, p))
        push_hit(c, b->ids[p], d);
}

/* Queue a position for verification; its hash is prefetched meanwhile so
 * that the misses of a batch overlap. */
static inline __attribute__((always_inline)) void
flush_cand(struct sctx *c)
{
    unsigned i;

    for (i = 0; i < c->nc; i++)
        verify(c, c->cand[i]);
    c->nc = 0;
}

static inline __attribute__((always_inline)) void
push_cand(struct sctx *c, uint32_t p)
{
    __builtin_prefetch(&c->idx->base.hashes[p]);
    c->cand[c->nc++] = p;
    if (c->nc == IDX_CAND_MAX)
        flush_cand(c);
}

/* One bucket to scan: table s, slots [lo, hi), sibling distance limit. */
struct probe {
    uint32_t key;               /* phase 1; replaced by lo in phase 2 */
    uint32_t hi;
    uint16_t s;
    uint8_t limit;
};

#define IDX_MAX_PROBES (IDX_TABLES * 137)   /* probe radius <= 2 */
#define IDX_AHEAD 4                 /* buckets prefetched ahead of the scan */

/* Keys within pr (0..2) of the query's substring s. */
static unsigned probe_keys(struct probe *p, unsigned s, unsigned qk,
                           unsigned t, unsigned pr)
{
    unsigned n = 0, i, j;

    p[n++] = (struct probe){ qk, 0, (uint16_t)s, (uint8_t)t };
    for (i = 0; pr >= 1 && i < 16; i++)
        p[n++] = (struct probe){ qk ^ (1u << i), 0, (uint16_t)s,
                                 (uint8_t)(t - 1) };
    for (i = 0; pr >= 2 && i < 16; i++)
        for (j = i + 1; j < 16; j++)
            p[n++] = (struct probe){ qk ^ (1u << i) ^ (1u << j), 0,
                                     (uint16_t)s, (uint8_t)(t - 2) };
    return n;
}

/*
 * Three passes so that the cache misses of all buckets overlap instead of
 * queueing: list the keys and prefetch their bucket bounds, read the bounds
 * and prefetch the first sibling slots, then scan.
 */
typedef void (*scan_fn)(struct sctx *c, const uint16_t *sib,
                        const uint32_t *pos, uint32_t lo, uint32_t hi,
                        unsigned q, unsigned lim);

static inline __attribute__((always_inline)) void
scan_body(struct sctx *c, const uint16_t *sib, const uint32_t *pos,
          uint32_t lo, uint32_t hi, unsigned q, unsigned lim)
{
    uint32_t j;

    for (j = lo; j < hi; j++)
        if ((unsigned)__builtin_popcount((unsigned)(sib[j] ^ q)) <= lim)
            push_cand(c, pos[j]);
}

static void scan_generic(struct sctx *c, const uint16_t *sib,
                         const uint32_t *pos, uint32_t lo, uint32_t hi,
                         unsigned q, unsigned lim)
{
    scan_body(c, sib, pos, lo, hi, q, lim);
}

__attribute__((target("popcnt")))
static void scan_popcnt(struct sctx *c, const uint16_t *sib,
                        const uint32_t *pos, uint32_t lo, uint32_t hi,
                        unsigned q, unsigned lim)
{
    scan_body(c, sib, pos, lo, hi, q, lim);
}

/* 16 siblings per step: nibble-table popcount (pshufb), compare, and
 * verify only the lanes within the limit. */
__attribute__((target("avx2,popcnt")))
static void scan_avx2(struct sctx *c, const uint16_t *sib,
                      const uint32_t *pos, uint32_t lo, uint32_t hi,
                      unsigned q, unsigned lim)
{
    const __m256i lut = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3,
                                         2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3,
                                         1, 2, 2, 3, 2, 3, 3, 4);
    const __m256i m4 = _mm256_set1_epi8(0x0f), m8 = _mm256_set1_epi16(0xff);
    const __m256i qv = _mm256_set1_epi16((short)q);
    const __m256i lv = _mm256_set1_epi16((short)lim);
    uint32_t j = lo;

    for (; j + 16 <= hi; j += 16) {
        __m256i x = _mm256_xor_si256(
            _mm256_loadu_si256((const __m256i *)(const void *)(sib + j)), qv);
        __m256i cnt = _mm256_add_epi8(
            _mm256_shuffle_epi8(lut, _mm256_and_si256(x, m4)),
            _mm256_shuffle_epi8(lut,
                                _mm256_and_si256(_mm256_srli_epi16(x, 4), m4)));
        __m256i c16 = _mm256_add_epi16(_mm256_and_si256(cnt, m8),
                                       _mm256_srli_epi16(cnt, 8));
        unsigned m = ~(unsigned)_mm256_movemask_epi8(
                         _mm256_cmpgt_epi16(c16, lv)) & 0x55555555u;

        while (m) {
            push_cand(c, pos[j + (unsigned)__builtin_ctz(m) / 2]);
            m &= m - 1;
        }
    }
    scan_body(c, sib, pos, j, hi, q, lim);
}

static inline __attribute__((always_inline)) void
search_mih(struct sctx *c, struct probe *p, scan_fn scan)
{
    const struct idx_base *b = &c->idx->base;
    unsigned t = c->radius / 8, s, n = 0, i, qs[IDX_TABLES];

    for (s = 0; s < IDX_TABLES; s++) {
        unsigned m = probe_keys(p + n, s, key_of(c->q, s), t, t / 2);

        qs[s] = key_of(c->q, s ^ 1);
        for (i = n; i < n + m; i++)
            __builtin_prefetch(&b->off[s][p[i].key]);
        n += m;
    }
    for (i = 0; i < n; i++) {
        const uint32_t *off = b->off[p[i].s];
        uint32_t k = p[i].key;

        p[i].key = off[k];
        p[i].hi = off[k + 1];
        __builtin_prefetch(&b->sib[p[i].s][p[i].key]);
    }
    for (i = 0; i < n; i++) {
        if (i + IDX_AHEAD < n) {        /* whole bucket a few steps ahead */
            const struct probe *a = &p[i + IDX_AHEAD];
            const char *x = (const char *)(b->sib[a->s] + a->key);
            const char *e = (const char *)(b->sib[a->s] + a->hi);

            for (x += 64; x < e; x += 64)
                __builtin_prefetch(x);
        }
        c->res->scanned += p[i].hi - p[i].key;
        scan(c, b->sib[p[i].s], b->pos[p[i].s], p[i].key, p[i].hi,
             qs[p[i].s], p[i].limit);
    }
    flush_cand(c);
}

static inline __attribute__((always_inline)) void
search_one_body(struct sctx *c, struct probe *p, scan_fn scan)
{
    const struct idx_base *b = &c->idx->base;
    size_t i;

    if (c->radius <= VIGIL_INDEX_MIH_MAX_RADIUS) {
        search_mih(c, p, scan);
    } else {
        for (i = 0; i < b->n; i++)
            verify(c, (uint32_t)i);
    }
    for (i = 0; i < c->idx->dn; i++) {
        unsigned d = dist256(&c->idx->dh[i], c->q);

        if (d <= c->radius)
            push_hit(c, c->idx->did[i], d);
    }
}

static void search_one_generic(struct sctx *c, struct probe *p)
{
    search_one_body(c, p, scan_generic);
}

__attribute__((target("popcnt")))
static void search_one_popcnt(struct sctx *c, struct probe *p)
{
    search_one_body(c, p, scan_popcnt);
}

__attribute__((target("avx2,popcnt")))
static void search_one_avx2(struct sctx *c, struct probe *p)
{
    search_one_body(c, p, scan_avx2);
}

static int hit_cmp(const void *a, const void *b)
{
    const vigil_index_hit *x = a, *y = b;

    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    if (x->distance != y->distance)
        return x->distance < y->distance ? -1 : 1;
    return (int)x->variant - (int)y->variant;
}

static void dedup(vigil_index_results *r)
{
    size_t i, k = 0;

    if (r->n < 2)
        return;
    qsort(r->v, r->n, sizeof(*r->v), hit_cmp);
    for (i = 0; i < r->n; i++)
        if (k == 0 || r->v[i].id != r->v[k - 1].id)
            r->v[k++] = r->v[i];
    r->n = k;
}

int vigil_index_search(vigil_index *idx, vigil_index_results *res,
                       const vigil_pdq *queries, unsigned n_queries,
                       unsigned radius)
{
    static const struct sctx zero;
    struct sctx c = zero;
    struct probe probes[IDX_MAX_PROBES];
    int fast = __builtin_cpu_supports("popcnt");
    int avx2 = fast && __builtin_cpu_supports("avx2");
    unsigned v;

    VIGIL_ASSERT_ARG(idx != NULL && res != NULL && queries != NULL);
    if (n_queries < 1 || n_queries > 8 || radius > VIGIL_PDQ_BITS)
        return vigil_error_set(VIGIL_EINVAL, "search of %u queries at radius "
                               "%u (1..8 queries, radius 0..256)", n_queries,
                               radius);
    res->n = 0;
    res->scanned = res->verified = 0;
    c.idx = idx;
    c.res = res;
    c.radius = radius;
    pthread_rwlock_rdlock(&idx->lock);
    for (v = 0; v < n_queries && !c.err; v++) {
        c.q = &queries[v];
        c.variant = (uint8_t)v;
        if (avx2)
            search_one_avx2(&c, probes);
        else if (fast)
            search_one_popcnt(&c, probes);
        else
            search_one_generic(&c, probes);
    }
    pthread_rwlock_unlock(&idx->lock);
    if (c.err)
        return vigil_error_set(c.err, "out of memory for search results");
    dedup(res);
    return VIGIL_OK;
}
