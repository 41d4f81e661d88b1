/*
 * bench/bench_index.c - PDQ radius-31 search: vigil's multi-index against a
 * plain brute-force scan and FAISS IndexBinaryFlat (when built with it), on
 * uniform and clustered banks of 1M hashes (and 10M with VIGIL_BENCH_10M=1).
 * Prints build/open time, RSS, q/s and p50/p99 latency per query mix
 * (true match at 5..30 bits, random no-match, near-miss 40..56 bits from a
 * bank hash, 8 dihedral queries), by wall clock and by thread CPU time,
 * and what a small change to the saved index costs (1,000 adds + 100
 * removes applied to the opened file, searching with them, merging them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pdq_rand.h"
#include "vigil/index.h"

#ifdef HAVE_FAISS
void *bench_faiss_build(const unsigned char *codes, size_t n);
size_t bench_faiss_range(void *h, const unsigned char *query, int radius);
void bench_faiss_free(void *h);
#endif

#define NQ 1000
#define RADIUS 31

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long rss_mib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;

    if (!f)
        return -1;
    if (fscanf(f, "%ld %ld", &pages, &res) != 2)
        res = 0;
    fclose(f);
    return res * sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Banks: uniform, or near-duplicates (0..30 bits flipped) of 100k seeds. */
static void make_bank(vigil_pdq *h, int64_t *ids, size_t n, int clustered)
{
    size_t seeds = 100000, i;

    for (i = 0; i < n; i++) {
        ids[i] = (int64_t)i;
        if (clustered && i >= seeds) {
            h[i] = h[pdq_rand() % seeds];
            pdq_rand_flip(&h[i], (unsigned)(pdq_rand() % 31));
        } else {
            pdq_rand_hash(&h[i]);
        }
    }
}

__attribute__((target("popcnt")))
static size_t brute_count(const vigil_pdq *h, size_t n, const vigil_pdq *q)
{
    size_t i, c = 0;

    for (i = 0; i < n; i++)
        c += (__builtin_popcountll(h[i].w[0] ^ q->w[0]) +
              __builtin_popcountll(h[i].w[1] ^ q->w[1]) +
              __builtin_popcountll(h[i].w[2] ^ q->w[2]) +
              __builtin_popcountll(h[i].w[3] ^ q->w[3])) <= RADIUS;
    return c;
}

struct mix_stats {
    double qps, p50_us, p99_us, max_us;
    double cpu_qps, cpu_p50_us, cpu_p99_us;     /* thread CPU time */
    double hits_per_q, scanned_per_q, verified_per_q;
    size_t with_hit;
};

static void run_mix(vigil_index *idx, const vigil_pdq *q, size_t nq,
                    unsigned nvar, struct mix_stats *st)
{
    vigil_index_results res = VIGIL_INDEX_RESULTS_INIT;
    double *lat = malloc(nq * sizeof(*lat)), *cl = malloc(nq * sizeof(*cl)),
           t0 = now_s(), c0 = cpu_s(), hits = 0, sc = 0, ve = 0;
    size_t i;

    st->with_hit = 0;
    for (i = 0; i < nq; i++) {
        double a = now_s(), ac = cpu_s();

        if (vigil_index_search(idx, &res, &q[i * nvar], nvar, RADIUS) != 0)
            abort();
        cl[i] = cpu_s() - ac;
        lat[i] = now_s() - a;
        hits += (double)res.n;
        sc += (double)res.scanned;
        ve += (double)res.verified;
        st->with_hit += res.n > 0;
    }
    st->qps = (double)nq / (now_s() - t0);
    st->cpu_qps = (double)nq / (cpu_s() - c0);
    qsort(cl, nq, sizeof(*cl), cmp_double);
    st->cpu_p50_us = cl[nq / 2] * 1e6;
    st->cpu_p99_us = cl[nq * 99 / 100] * 1e6;
    free(cl);
    qsort(lat, nq, sizeof(*lat), cmp_double);
    st->p50_us = lat[nq / 2] * 1e6;
    st->p99_us = lat[nq * 99 / 100] * 1e6;
    st->max_us = lat[nq - 1] * 1e6;
    st->hits_per_q = hits / (double)nq;
    st->scanned_per_q = sc / (double)nq;
    st->verified_per_q = ve / (double)nq;
    vigil_index_results_dispose(&res);
    free(lat);
}

static void print_mix(const char *what, const struct mix_stats *s, size_t nq)
{
    printf("  vigil %-10s wall %7.0f q/s p50 %6.1f p99 %7.1f max %7.1f us | "
           "cpu %7.0f q/s p50 %6.1f p99 %6.1f us | hit %zu/%zu hits/q %.1f "
           "scanned/q %.0f verified/q %.0f\n",
           what, s->qps, s->p50_us, s->p99_us, s->max_us, s->cpu_qps,
           s->cpu_p50_us, s->cpu_p99_us, s->with_hit, nq, s->hits_per_q,
           s->scanned_per_q, s->verified_per_q);
}

/* Anchors on a few queries each (they are 1000x slower); also checks that
 * the index finds exactly what the brute-force scan finds. */
static void anchors(vigil_index *idx, const vigil_pdq *h, size_t n,
                    const vigil_pdq *qm, const vigil_pdq *qn)
{
    vigil_index_results res = VIGIL_INDEX_RESULTS_INIT;
    size_t nb = n >= 5000000 ? 10 : 40, i, bad = 0;
    double t0, tc;

    t0 = now_s();
    tc = cpu_s();
    for (i = 0; i < nb; i++) {
        const vigil_pdq *q = i & 1 ? &qn[i] : &qm[i];
        size_t c = brute_count(h, n, q);

        vigil_index_search(idx, &res, q, 1, RADIUS);
        bad += c != res.n;
    }
    printf("  brute-force scan   wall %7.1f q/s cpu %7.1f q/s (%zu queries; "
           "index disagreed on %zu)\n", (double)nb / (now_s() - t0),
           (double)nb / (cpu_s() - tc), nb, bad);
#ifdef HAVE_FAISS
    {
        void *fx;
        double tb = now_s();
        size_t nf = n >= 5000000 ? 4 : 10;

        fx = bench_faiss_build((const unsigned char *)h, n);
        tb = now_s() - tb;
        bad = 0;
        t0 = now_s();
        tc = cpu_s();
        for (i = 0; i < nf; i++) {
            const vigil_pdq *q = i & 1 ? &qn[i] : &qm[i];
            size_t c = bench_faiss_range(fx, (const unsigned char *)q, RADIUS);

            vigil_index_search(idx, &res, q, 1, RADIUS);
            bad += c != res.n;
        }
        printf("  FAISS BinaryFlat   wall %7.1f q/s cpu %7.1f q/s (%zu queries, "
               "build %.2f s; index disagreed on %zu)\n",
               (double)nf / (now_s() - t0), (double)nf / (cpu_s() - tc), nf,
               tb, bad);
        bench_faiss_free(fx);
    }
#else
    printf("  FAISS BinaryFlat   not built (libfaiss-dev not found)\n");
#endif
    vigil_index_results_dispose(&res);
}

/*
 * What a small change costs on a persisted index: open it, apply 1,000
 * adds and 100 removes (what the matcher does with a change-log tail),
 * search with that delta, then merge it (what a long tail triggers);
 * the full build above is the alternative.
 */
static void bench_incr(const char *path, const vigil_pdq *h, size_t n,
                       const vigil_pdq *qm)
{
    vigil_index_options o = VIGIL_INDEX_OPTIONS_INIT;
    vigil_index *idx;
    vigil_pdq add;
    struct mix_stats s;
    double t, c;
    size_t i;

    o.delta_max = SIZE_MAX;
    t = now_s();
    if (vigil_index_open(&idx, path, NULL, &o) != 0)
        abort();
    printf("  incremental: open %.3f s;", now_s() - t);
    t = now_s();
    c = cpu_s();
    for (i = 0; i < 1000; i++) {
        pdq_rand_hash(&add);
        if (vigil_index_add(idx, &add, (int64_t)(n + i)) != 0)
            abort();
    }
    for (i = 0; i < 100; i++)
        if (vigil_index_remove(idx, &h[i * (n / 100)],
                               (int64_t)(i * (n / 100))) != 0)
            abort();
    printf(" 1,000 adds + 100 removes %.2f ms wall %.2f ms cpu;",
           (now_s() - t) * 1e3, (cpu_s() - c) * 1e3);
    t = now_s();
    c = cpu_s();
    if (vigil_index_compact(idx) != 0)
        abort();
    printf(" then merge (compact) %.2f s wall %.2f s cpu\n", now_s() - t,
           cpu_s() - c);
    vigil_index_free(idx);
    if (vigil_index_open(&idx, path, NULL, &o) != 0)
        abort();
    for (i = 0; i < 1000; i++) {
        pdq_rand_hash(&add);
        vigil_index_add(idx, &add, (int64_t)(n + i));
    }
    run_mix(idx, qm, NQ, 1, &s);
    print_mix("match+1k", &s, NQ);
    vigil_index_free(idx);
}

static void bench_bank(size_t n, int clustered)
{
    vigil_pdq *h = malloc(n * sizeof(*h)), *qm = malloc(NQ * sizeof(*qm)),
              *qn = malloc(NQ * sizeof(*qn)), *qd = malloc(NQ * 8 * sizeof(*qd)),
              *qf = malloc(NQ * sizeof(*qf));
    int64_t *ids = malloc(n * sizeof(*ids));
    char path[256];
    vigil_index *idx;
    struct mix_stats s;
    double t;
    long rss0;
    size_t i;
    int v;

    printf("%s bank, %zu hashes, radius %d, 1 thread:\n",
           clustered ? "clustered (100k seeds)" : "uniform", n, RADIUS);
    make_bank(h, ids, n, clustered);
    for (i = 0; i < NQ; i++) {
        qm[i] = h[pdq_rand() % n];
        pdq_rand_flip(&qm[i], 5 + (unsigned)(pdq_rand() % 26));   /* a true match at 5..30 */
        pdq_rand_hash(&qn[i]);
        qf[i] = h[pdq_rand() % n];
        pdq_rand_flip(&qf[i], 40 + (unsigned)(pdq_rand() % 17));  /* near a cluster, 40..56 */
        for (v = 0; v < 8; v++) {
            qd[i * 8 + v] = v == 3 ? qm[i] : qn[(i + (size_t)v) % NQ];
        }
    }
    t = now_s();
    if (vigil_index_build(&idx, h, ids, n, NULL) != 0)
        abort();
    printf("  build %.2f s\n", now_s() - t);
    if (getenv("VIGIL_BENCH_HEAP")) {
        run_mix(idx, qm, NQ, 1, &s);
        print_mix("heap-match", &s, NQ);
        run_mix(idx, qn, NQ, 1, &s);
        print_mix("heap-nomat", &s, NQ);
    }
    snprintf(path, sizeof(path), "%s/vigil_bench_%d.idx",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    t = now_s();
    if (vigil_index_save(idx, path, 1) != 0)
        abort();
    printf("  save %.2f s\n", now_s() - t);
    vigil_index_free(idx);
    rss0 = rss_mib();
    t = now_s();
    if (vigil_index_open(&idx, path, NULL, NULL) != 0)
        abort();
    printf("  open %.3f s (mmap + full checksum); RSS +%ld MiB for bank + "
           "index (process %ld MiB incl. the generator's copy)\n",
           now_s() - t, rss_mib() - rss0, rss_mib());
    run_mix(idx, qm, NQ, 1, &s);
    print_mix("match", &s, NQ);
    run_mix(idx, qn, NQ, 1, &s);
    print_mix("no-match", &s, NQ);
    run_mix(idx, qf, NQ, 1, &s);
    print_mix("near-miss", &s, NQ);
    run_mix(idx, qd, NQ, 8, &s);
    print_mix("dihedral8", &s, NQ);
    anchors(idx, h, n, qm, qn);
    vigil_index_free(idx);
    bench_incr(path, h, n, qm);
    unlink(path);
    free(h);
    free(ids);
    free(qm);
    free(qn);
    free(qd);
    free(qf);
}

/* VIGIL_BENCH_SHAPES: comma list of u1m, c1m, u10m, c10m (default the 1M
 * pair; VIGIL_BENCH_10M=1 adds the 10M pair). */
int main(void)
{
    const char *shapes = getenv("VIGIL_BENCH_SHAPES");
    int big = getenv("VIGIL_BENCH_10M") && atoi(getenv("VIGIL_BENCH_10M"));

    pdq_rand_state = 12345;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!shapes)
        shapes = big ? "u1m,c1m,u10m,c10m" : "u1m,c1m";
    printf("(shared 2-core machine; single-thread numbers)\n");
    if (strstr(shapes, "u1m"))
        bench_bank(1000000, 0);
    if (strstr(shapes, "c1m"))
        bench_bank(1000000, 1);
    if (strstr(shapes, "u10m"))
        bench_bank(10000000, 0);
    if (strstr(shapes, "c10m"))
        bench_bank(10000000, 1);
    if (!big && !getenv("VIGIL_BENCH_SHAPES"))
        printf("(10M banks: set VIGIL_BENCH_10M=1; needs ~3 GiB and a "
               "minute or two)\n");
    return 0;
}
