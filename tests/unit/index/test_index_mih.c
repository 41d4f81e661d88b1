/*
 * tests/unit/index/test_index_mih.c - the PDQ index against brute force:
 * recall and precision on uniform and clustered banks, the radius boundary
 * (31 in, 32 out), incremental add/remove, dihedral queries, save/open and
 * corruption detection, concurrent searches.
 */
#include <pthread.h>
#include <stdlib.h>

#include "test.h"
#include "pdq_rand.h"
#include "vigil/index.h"

/* Uniform (seeds == 0) or clustered: near-duplicates of @p seeds hashes. */
static void make_bank(vigil_pdq *h, int64_t *ids, size_t n, size_t seeds)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (seeds && i >= seeds) {
            h[i] = h[pdq_rand() % seeds];
            pdq_rand_flip(&h[i], (unsigned)(pdq_rand() % 24));
        } else {
            pdq_rand_hash(&h[i]);
        }
        ids[i] = (int64_t)i * 3 + 7;
    }
}

/* Every id within @p r of @p q by brute force, compared with the index. */
static void check_against_brute(vigil_index *idx, const vigil_pdq *h,
                                const int64_t *ids, size_t n,
                                const vigil_pdq *q, unsigned r)
{
    vigil_index_results res = VIGIL_INDEX_RESULTS_INIT;
    size_t i, want = 0, k;

    CHECK_OK(vigil_index_search(idx, &res, q, 1, r));
    for (i = 0; i < n; i++) {
        int d = vigil_pdq_distance(&h[i], q);

        if ((unsigned)d > r || ids[i] < 0)    /* < 0: removed */
            continue;
        want++;
        for (k = 0; k < res.n && res.v[k].id != ids[i]; k++)
            ;
        CHECK(k < res.n);
        if (k < res.n)
            CHECK_EQ_INT(res.v[k].distance, d);
    }
    CHECK_EQ_INT(res.n, want);
    for (k = 0; k < res.n; k++)
        CHECK(res.v[k].distance <= r);
    vigil_index_results_dispose(&res);
}

static void recall_case(size_t seeds)
{
    enum { N = 20000 };
    vigil_pdq *h = malloc(N * sizeof(*h));
    int64_t *ids = malloc(N * sizeof(*ids));
    static const unsigned radii[] = { 0, 7, 8, 15, 16, 31, 32, 40, 47, 48, 70 };
    vigil_index *idx;
    size_t i, r;

    pdq_rand_state = 42 + seeds;
    make_bank(h, ids, N, seeds);
    CHECK_OK(vigil_index_build(&idx, h, ids, N, NULL));
    for (i = 0; i < 300; i++) {
        vigil_pdq q = h[pdq_rand() % N];

        pdq_rand_flip(&q, (unsigned)(pdq_rand() % 40));
        if (i % 3 == 0)
            pdq_rand_hash(&q);
        for (r = 0; r < sizeof(radii) / sizeof(radii[0]); r++)
            check_against_brute(idx, h, ids, N, &q, radii[r]);
    }
    vigil_index_free(idx);
    free(h);
    free(ids);
}

static void test_index_mih__recall_uniform(void)
{
    recall_case(0);
}

static void test_index_mih__recall_clustered(void)
{
    recall_case(200);
}

/* A bank hash at exactly 31 and another at exactly 32 from the query. */
static void test_index_mih__boundary_31_32(void)
{
    vigil_pdq h[3], q;
    int64_t ids[3] = { 1, 2, 3 };
    vigil_index_results res = VIGIL_INDEX_RESULTS_INIT;
    vigil_index *idx;
    int trial;

    pdq_rand_state = 7;
    for (trial = 0; trial < 200; trial++) {
        pdq_rand_hash(&q);
        h[0] = q;
        pdq_rand_flip(&h[0], 31);
        h[1] = q;
        pdq_rand_flip(&h[1], 32);
        h[2] = q;
        CHECK_EQ_INT(vigil_pdq_distance(&h[0], &q), 31);
        CHECK_EQ_INT(vigil_pdq_distance(&h[1], &q), 32);
        CHECK_OK(vigil_index_build(&idx, h, ids, 3, NULL));
        CHECK_OK(vigil_index_search(idx, &res, &q, 1, 31));
        CHECK_EQ_INT(res.n, 2);
        CHECK_EQ_INT(res.v[0].id, 1);
        CHECK_EQ_INT(res.v[0].distance, 31);
        CHECK_EQ_INT(res.v[1].id, 3);
        CHECK_OK(vigil_index_search(idx, &res, &q, 1, 32));
        CHECK_EQ_INT(res.n, 3);
        CHECK_OK(vigil_index_search(idx, &res, &q, 1, 30));
        CHECK_EQ_INT(res.n, 1);
        vigil_index_free(idx);
    }
    vigil_index_results_dispose(&res);
}

static void test_index_mih__add_remove(void)
{
    enum { N = 3000 };
    vigil_pdq *h = malloc(N * sizeof(*h));
    int64_t *ids = malloc(N * sizeof(*ids));
    vigil_index_options o = VIGIL_INDEX_OPTIONS_INIT;
    vigil_index *idx;
    size_t i;

    pdq_rand_state = 99;
    make_bank(h, ids, N, 50);
    o.delta_max = 500;          /* several compactions along the way */
    CHECK_OK(vigil_index_new(&idx, &o));
    for (i = 0; i < N; i++)
        CHECK_OK(vigil_index_add(idx, &h[i], ids[i]));
    CHECK_EQ_INT(vigil_index_count(idx), N);
    for (i = 0; i < 50; i++)
        check_against_brute(idx, h, ids, N, &h[pdq_rand() % N], 31);
    /* remove every third entry: from the tables and from the delta */
    for (i = 0; i < N; i += 3)
        CHECK_OK(vigil_index_remove(idx, &h[i], ids[i]));
    CHECK_EQ_INT(vigil_index_remove(idx, &h[0], ids[0]), VIGIL_ENOTFOUND);
    CHECK_EQ_INT(vigil_index_remove(idx, &h[1], 12345), VIGIL_ENOTFOUND);
    CHECK_EQ_INT(vigil_index_count(idx), N - (N + 2) / 3);
    for (i = 0; i < N; i += 3)
        ids[i] = -1;                    /* brute force no longer sees them */
    for (i = 0; i < 50; i++) {
        vigil_pdq q = h[1 + 3 * (pdq_rand() % (N / 3 - 1))];

        check_against_brute(idx, h, ids, N, &q, 31);
    }
    CHECK_OK(vigil_index_compact(idx));
    for (i = 0; i < 50; i++)
        check_against_brute(idx, h, ids, N, &h[2 + 3 * (pdq_rand() % (N / 3 - 1))],
                            31);
    vigil_index_free(idx);
    free(h);
    free(ids);
}

static void test_index_mih__dihedral_variant(void)
{
    vigil_pdq bank[2], q[8];
    int64_t ids[2] = { 10, 20 };
    vigil_index_results res = VIGIL_INDEX_RESULTS_INIT;
    vigil_index *idx;
    int v;

    pdq_rand_state = 5;
    for (v = 0; v < 8; v++)
        pdq_rand_hash(&q[v]);
    bank[0] = q[5];
    pdq_rand_flip(&bank[0], 12);
    bank[1] = q[2];
    pdq_rand_flip(&bank[1], 3);
    CHECK_OK(vigil_index_build(&idx, bank, ids, 2, NULL));
    CHECK_OK(vigil_index_search(idx, &res, q, 8, 31));
    CHECK_EQ_INT(res.n, 2);
    CHECK_EQ_INT(res.v[0].id, 10);
    CHECK_EQ_INT(res.v[0].variant, 5);
    CHECK_EQ_INT(res.v[0].distance, 12);
    CHECK_EQ_INT(res.v[1].variant, 2);
    CHECK_OK(vigil_index_search(idx, &res, q, 1, 31));
    CHECK_EQ_INT(res.n, 0);
    CHECK_EQ_INT(vigil_index_search(idx, &res, q, 9, 31), VIGIL_EINVAL);
    CHECK_EQ_INT(vigil_index_search(idx, &res, q, 1, 257), VIGIL_EINVAL);
    vigil_index_results_dispose(&res);
    vigil_index_free(idx);
}

static void flip_byte(const char *path, long at)
{
    FILE *f = fopen(path, "r+b");
    int c;

    CHECK(f != NULL);
    if (!f)
        return;
    fseek(f, at, SEEK_SET);
    c = fgetc(f);
    fseek(f, at, SEEK_SET);
    fputc(c ^ 0x10, f);
    fclose(f);
}

static void test_index_mih__save_open_corrupt(void)
{
    enum { N = 5000 };
    vigil_pdq *h = malloc(N * sizeof(*h)), extra;
    int64_t *ids = malloc(N * sizeof(*ids));
    const char *dir = test_tmpdir();
    char path[512], bad[4096];
    vigil_index *idx, *back;
    vigil_index_options skip = VIGIL_INDEX_OPTIONS_INIT;
    uint64_t tag = 0;
    size_t i;

    pdq_rand_state = 11;
    skip.skip_verify = 1;
    make_bank(h, ids, N, 100);
    snprintf(path, sizeof(path), "%s/bank.idx", dir);
    CHECK_OK(vigil_index_build(&idx, h, ids, N - 1, NULL));
    CHECK_OK(vigil_index_add(idx, &h[N - 1], ids[N - 1]));  /* in delta */
    CHECK_OK(vigil_index_save(idx, path, 1234));
    vigil_index_free(idx);
    CHECK_OK(vigil_index_open(&back, path, &tag, NULL));
    CHECK_EQ_INT(tag, 1234);
    CHECK_EQ_INT(vigil_index_count(back), N);
    for (i = 0; i < 40; i++)
        check_against_brute(back, h, ids, N, &h[pdq_rand() % N], 31);
    /* a mapped index still takes adds and removes */
    pdq_rand_hash(&extra);
    CHECK_OK(vigil_index_add(back, &extra, 999999));
    CHECK_OK(vigil_index_remove(back, &h[0], ids[0]));
    CHECK_EQ_INT(vigil_index_count(back), N);
    vigil_index_free(back);

    snprintf(bad, sizeof(bad), "cp %s %s.1 && cp %s %s.2 && "
             "head -c 100000 %s > %s.3", path, path, path, path, path, path);
    CHECK_EQ_INT(test_system("%s", bad), 0);
    snprintf(bad, sizeof(bad), "%s.1", path);
    flip_byte(bad, 4096 + 32 * 100 + 3);           /* a hash bit */
    CHECK_EQ_INT(vigil_index_open(&back, bad, NULL, NULL), VIGIL_EFORMAT);
    CHECK(strstr(vigil_error_last()->message, "checksum") != NULL);
    CHECK_OK(vigil_index_open(&back, bad, NULL, &skip));   /* by request */
    vigil_index_free(back);
    snprintf(bad, sizeof(bad), "%s.2", path);
    flip_byte(bad, 20);                             /* header field */
    CHECK_EQ_INT(vigil_index_open(&back, bad, NULL, NULL), VIGIL_EFORMAT);
    snprintf(bad, sizeof(bad), "%s.3", path);
    CHECK_EQ_INT(vigil_index_open(&back, bad, NULL, NULL), VIGIL_EFORMAT);
    CHECK_EQ_INT(vigil_index_open(&back, "/nonexistent/x.idx", NULL, NULL),
                 VIGIL_ENOTFOUND);
    free(h);
    free(ids);
}

struct thr {
    vigil_index *idx;
    const vigil_pdq *q;
    const size_t *want;
    int bad;
};

static void *search_thread(void *arg)
{
    struct thr *t = arg;
    vigil_index_results res = VIGIL_INDEX_RESULTS_INIT;
    int i, round;

    for (round = 0; round < 5; round++)
        for (i = 0; i < 200; i++)
            if (vigil_index_search(t->idx, &res, &t->q[i], 1, 31) != 0 ||
                res.n < t->want[i])
                t->bad++;
    vigil_index_results_dispose(&res);
    return NULL;
}

/* Four threads search while the main thread adds (with compactions). */
static void test_index_mih__concurrent(void)
{
    enum { N = 20000 };
    vigil_pdq *h = malloc(N * sizeof(*h)), q[200], x;
    int64_t *ids = malloc(N * sizeof(*ids));
    size_t want[200];
    vigil_index_results res = VIGIL_INDEX_RESULTS_INIT;
    vigil_index_options o = VIGIL_INDEX_OPTIONS_INIT;
    struct thr t[4];
    pthread_t th[4];
    vigil_index *idx;
    int i;

    pdq_rand_state = 3;
    make_bank(h, ids, N, 100);
    o.delta_max = 300;
    CHECK_OK(vigil_index_build(&idx, h, ids, N, &o));
    for (i = 0; i < 200; i++) {
        q[i] = h[pdq_rand() % N];
        pdq_rand_flip(&q[i], 10);
        CHECK_OK(vigil_index_search(idx, &res, &q[i], 1, 31));
        want[i] = res.n;
        CHECK(want[i] >= 1);
    }
    for (i = 0; i < 4; i++) {
        t[i].idx = idx;
        t[i].q = q;
        t[i].want = want;
        t[i].bad = 0;
        pthread_create(&th[i], NULL, search_thread, &t[i]);
    }
    for (i = 0; i < 1000; i++) {
        pdq_rand_hash(&x);
        CHECK_OK(vigil_index_add(idx, &x, 1000000 + i));
    }
    for (i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK_EQ_INT(t[i].bad, 0);
    }
    CHECK_EQ_INT(vigil_index_count(idx), N + 1000);
    vigil_index_results_dispose(&res);
    vigil_index_free(idx);
    free(h);
    free(ids);
}

static const test_case cases[] = {
    { "recall_uniform", test_index_mih__recall_uniform },
    { "recall_clustered", test_index_mih__recall_clustered },
    { "boundary_31_32", test_index_mih__boundary_31_32 },
    { "add_remove", test_index_mih__add_remove },
    { "dihedral_variant", test_index_mih__dihedral_variant },
    { "save_open_corrupt", test_index_mih__save_open_corrupt },
    { "concurrent", test_index_mih__concurrent },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, cases);
}
