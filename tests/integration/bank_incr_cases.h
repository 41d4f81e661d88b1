/*
 * tests/integration/bank_incr_cases.h - the saved PDQ index kept current
 * from the bank change log (bank_pdq_log) instead of rebuilt: cases shared
 * by test_bank_incr.c (SQLite file) and test_bank_incr_pg.c (PostgreSQL).
 * The includer defines incr_open(): a fresh, empty store in @p dir, or
 * with NULL the last one again (forked children reopen it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store_internal.h"
#include "pdq_rand.h"
#include "test.h"
#include "vigil/bank.h"
#include "vigil/index.h"
#include "vigil/match.h"

static vigil_store *incr_open(const char *dir);

static vigil_pdq rand_pdq(void)
{
    vigil_pdq h;

    pdq_rand_hash(&h);
    return h;
}

/* @p h with @p d distinct bits flipped. */
static vigil_pdq near_pdq(const vigil_pdq *h, unsigned d)
{
    vigil_pdq r = *h;

    pdq_rand_flip(&r, d);
    return r;
}

static unsigned dist(const vigil_pdq *a, const vigil_pdq *b)
{
    unsigned d = 0;
    int i;

    for (i = 0; i < 4; i++)
        d += (unsigned)__builtin_popcountll(a->w[i] ^ b->w[i]);
    return d;
}

static void mkbank(vigil_store *st, const char *name, int thr, int supp)
{
    vigil_bank b = VIGIL_BANK_INIT;

    b.name = (char *)name;
    b.threshold = thr;
    b.is_suppression = supp;
    b.signal_types = (char *)"pdq,md5";
    CHECK_OK(vigil_bank_create(st, &b));
}

/* Add (or, with @p rm, remove) @p n hashes of bank @p name. */
static void change(vigil_store *st, const char *name, const vigil_pdq *h,
                   size_t n, int rm)
{
    vigil_bank_entry *e = calloc(n ? n : 1, sizeof(*e));
    char (*hex)[65] = calloc(n ? n : 1, sizeof(*hex));
    vigil_import_counts c;
    size_t i, removed = 0;

    CHECK(e && hex);
    if (!e || !hex)
        return;
    for (i = 0; i < n; i++) {
        vigil_pdq_to_hex(hex[i], &h[i]);
        e[i].type = VIGIL_SIGNAL_PDQ;
        e[i].value = hex[i];
        e[i].label = hex[i];
    }
    if (rm) {
        CHECK_OK(vigil_bank_remove_entries(st, name, e, n, &removed));
        CHECK_EQ_INT(removed, n);
    } else {
        CHECK_OK(vigil_bank_add_entries(st, name, e, n, &c));
        CHECK_EQ_INT(c.added, n);
    }
    free(e);
    free(hex);
}

struct fstamp {
    long long ino, size, mtime_ns;
};

static struct fstamp stamp(const char *path)
{
    struct stat sb;
    struct fstamp s = { -1, -1, -1 };

    if (stat(path, &sb) == 0) {
        s.ino = (long long)sb.st_ino;
        s.size = (long long)sb.st_size;
        s.mtime_ns = (long long)sb.st_mtim.tv_sec * 1000000000LL +
                     sb.st_mtim.tv_nsec;
    }
    return s;
}

static int same_file(struct fstamp a, struct fstamp b)
{
    return a.ino == b.ino && a.size == b.size && a.mtime_ns == b.mtime_ns;
}

/* Open a matcher on @p ipath; its index info into @p info. */
static vigil_matcher *matcher(vigil_store *st, const char *ipath,
                              size_t tail_max, vigil_match_index_info *info)
{
    vigil_match_options mo = VIGIL_MATCH_OPTIONS_INIT;
    vigil_matcher *m = NULL;

    mo.index_path = ipath;
    mo.index_tail_max = tail_max;
    CHECK_OK(vigil_matcher_open(&m, st, &mo));
    if (m && info)
        CHECK_OK(vigil_matcher_index_info(m, info));
    return m;
}

/* Distance at which @p q matches in bank @p bank, or -1. */
static int found(vigil_matcher *m, const vigil_pdq *q, const char *bank)
{
    vigil_match_list l = VIGIL_MATCH_LIST_INIT;
    int d = -1;
    size_t i;

    CHECK_OK(vigil_matcher_pdq(m, q, 1, &l));
    for (i = 0; i < l.n; i++)
        if (!bank || strcmp(l.v[i].bank, bank) == 0)
            d = d < 0 || l.v[i].distance < d ? l.v[i].distance : d;
    vigil_match_list_dispose(&l);
    return d;
}

static long long sql_int(vigil_store *st, const char *sql)
{
    vigil__stmt *s;
    long long v = -1;

    CHECK_OK(vigil__stmt_new(&s, st, sql));
    if (vigil__step(s) == VIGIL_ROW)
        v = vigil__col_int64(s, 0);
    vigil__stmt_free(s);
    return v;
}

#define NBASE 3000

/* A bank of NBASE entries with a saved index; returns the matcher info. */
static void seed(vigil_store *st, const char *ipath, vigil_pdq *base)
{
    vigil_match_index_info info;
    size_t i;

    for (i = 0; i < NBASE; i++)
        base[i] = rand_pdq();
    mkbank(st, "g", 31, 0);
    change(st, "g", base, NBASE, 0);
    vigil_matcher_free(matcher(st, ipath, 0, &info));
    CHECK_EQ_INT(info.rebuilt, 1);
    CHECK_EQ_INT(info.saved, 1);
    CHECK_EQ_INT(info.entries, NBASE);
}

/* Adds are found by the next matcher without rewriting the file; the
 * boundary (31 in, 32 out) holds for the applied tail too. */
static void incr_add_found(void)
{
    const char *dir = test_tmpdir();
    const char *ipath = test_path(dir, "i.pdqidx");
    vigil_store *st = incr_open(dir);
    static vigil_pdq base[NBASE];
    vigil_pdq add[10], q;
    vigil_match_index_info info;
    vigil_matcher *m;
    struct fstamp before;
    size_t i;

    if (!st)
        return;
    seed(st, ipath, base);
    before = stamp(ipath);
    for (i = 0; i < 10; i++)
        add[i] = rand_pdq();
    change(st, "g", add, 10, 0);
    m = matcher(st, ipath, 0, &info);
    CHECK_EQ_INT(info.rebuilt, 0);
    CHECK_EQ_INT(info.saved, 0);
    CHECK_EQ_INT(info.tail, 10);
    CHECK_EQ_INT(info.entries, NBASE + 10);
    for (i = 0; m && i < 10; i++)
        CHECK_EQ_INT(found(m, &add[i], "g"), 0);
    q = near_pdq(&add[3], 31);
    CHECK_EQ_INT(m ? found(m, &q, "g") : 0, 31);
    q = near_pdq(&add[4], 32);
    CHECK_EQ_INT(m ? found(m, &q, "g") : 0, -1);
    CHECK_EQ_INT(m ? found(m, &base[17], "g") : 0, 0);
    vigil_matcher_free(m);
    CHECK(same_file(before, stamp(ipath)));
    vigil_store_close(st);
}

/* Removed entries (from the file and from the tail, and a whole small
 * bank) are never reported, still without a rebuild. */
static void incr_remove_never_reported(void)
{
    const char *dir = test_tmpdir();
    const char *ipath = test_path(dir, "i.pdqidx");
    vigil_store *st = incr_open(dir);
    static vigil_pdq base[NBASE];
    vigil_pdq add[4], small[3], gone[4];
    vigil_match_index_info info;
    vigil_matcher *m;
    struct fstamp before;
    size_t i;

    if (!st)
        return;
    seed(st, ipath, base);
    before = stamp(ipath);
    for (i = 0; i < 4; i++)
        add[i] = rand_pdq();
    for (i = 0; i < 3; i++)
        small[i] = rand_pdq();
    change(st, "g", add, 4, 0);
    mkbank(st, "small", 31, 0);
    change(st, "small", small, 3, 0);
    gone[0] = base[0];
    gone[1] = base[NBASE - 1];
    gone[2] = add[1];               /* added after the file was saved */
    gone[3] = add[2];
    change(st, "g", gone, 4, 1);
    CHECK_OK(vigil_bank_remove(st, "small"));
    m = matcher(st, ipath, 0, &info);
    CHECK_EQ_INT(info.rebuilt, 0);
    CHECK_EQ_INT(info.tail, 4 + 3 + 4 + 3);
    CHECK_EQ_INT(info.entries, NBASE + 4 - 4);
    for (i = 0; m && i < 4; i++) {
        vigil_pdq q = near_pdq(&gone[i], 2);

        CHECK_EQ_INT(found(m, &gone[i], NULL), -1);
        CHECK_EQ_INT(found(m, &q, NULL), -1);
    }
    for (i = 0; m && i < 3; i++)
        CHECK_EQ_INT(found(m, &small[i], NULL), -1);
    CHECK_EQ_INT(m ? found(m, &add[0], "g") : -1, 0);
    CHECK_EQ_INT(m ? found(m, &add[3], "g") : -1, 0);
    vigil_matcher_free(m);
    CHECK(same_file(before, stamp(ipath)));
    /* added again after its removal: found again */
    change(st, "g", &gone[0], 1, 0);
    m = matcher(st, ipath, 0, &info);
    CHECK_EQ_INT(info.rebuilt, 0);
    CHECK_EQ_INT(m ? found(m, &gone[0], "g") : -1, 0);
    CHECK_EQ_INT(m ? found(m, &gone[1], "g") : 0, -1);
    vigil_matcher_free(m);
    vigil_store_close(st);
}

/* A tail past the bound is merged and saved (atomically: a new inode),
 * the covered log rows are pruned, and the next open applies nothing. */
static void incr_tail_bound_compacts(void)
{
    const char *dir = test_tmpdir();
    const char *ipath = test_path(dir, "i.pdqidx");
    vigil_store *st = incr_open(dir);
    static vigil_pdq base[NBASE];
    vigil_pdq add[60];
    vigil_match_index_info info;
    vigil_matcher *m;
    struct fstamp before;
    size_t i;

    if (!st)
        return;
    seed(st, ipath, base);
    for (i = 0; i < 60; i++)
        add[i] = rand_pdq();
    change(st, "g", add, 30, 0);
    vigil_matcher_free(matcher(st, ipath, 50, &info));
    CHECK_EQ_INT(info.compacted, 0);        /* 30 <= 50: applied only */
    before = stamp(ipath);
    change(st, "g", add + 30, 30, 0);
    change(st, "g", base + 5, 1, 1);
    m = matcher(st, ipath, 50, &info);
    CHECK_EQ_INT(info.rebuilt, 0);
    CHECK_EQ_INT(info.tail, 61);
    CHECK_EQ_INT(info.compacted, 1);
    CHECK_EQ_INT(info.saved, 1);
    CHECK(!same_file(before, stamp(ipath)));
    CHECK_EQ_INT(m ? found(m, &add[59], "g") : -1, 0);
    CHECK_EQ_INT(m ? found(m, &base[5], "g") : 0, -1);
    vigil_matcher_free(m);
    CHECK_EQ_INT(sql_int(st, "SELECT COUNT(*) FROM bank_pdq_log"), 0);
    CHECK_EQ_INT(sql_int(st, "SELECT value FROM bank_state WHERE key = "
                              "'pdq_log_floor'"), info.gen);
    before = stamp(ipath);
    m = matcher(st, ipath, 50, &info);
    CHECK_EQ_INT(info.rebuilt + info.compacted + info.saved, 0);
    CHECK_EQ_INT(info.tail, 0);
    CHECK_EQ_INT(info.entries, NBASE + 60 - 1);
    CHECK_EQ_INT(m ? found(m, &add[7], "g") : -1, 0);
    vigil_matcher_free(m);
    CHECK(same_file(before, stamp(ipath)));
    vigil_store_close(st);
}

static void copy_file(const char *from, const char *to)
{
    CHECK_EQ_INT(test_system("cp '%s' '%s'", from, to), 0);
}

/* Corrupt, truncated, pruned-past and foreign files are rebuilt. */
static void incr_bad_file_rebuilt(void)
{
    const char *dir = test_tmpdir();
    char ipath[512], old[512], foreign[512];
    vigil_store *st = incr_open(dir);
    static vigil_pdq base[NBASE];
    vigil_pdq add[3];
    vigil_match_index_info info;
    vigil_matcher *m;
    vigil_index *fi;
    const int64_t fid[7] = { 1, 2, 3, 4, 5, 6, 7 };
    FILE *f;
    size_t i;

    if (!st)
        return;
    snprintf(ipath, sizeof(ipath), "%s", test_path(dir, "i.pdqidx"));
    snprintf(old, sizeof(old), "%s", test_path(dir, "old.pdqidx"));
    snprintf(foreign, sizeof(foreign), "%s", test_path(dir, "f.pdqidx"));
    seed(st, ipath, base);
    copy_file(ipath, old);
    /* corrupt one payload byte */
    f = fopen(ipath, "r+b");
    CHECK(f != NULL);
    if (f) {
        fseek(f, 4096 + 100, SEEK_SET);
        fputc(0x5a ^ fgetc(f), f);
        fclose(f);
    }
    m = matcher(st, ipath, 0, &info);
    CHECK_EQ_INT(info.rebuilt, 1);
    CHECK_EQ_INT(info.entries, NBASE);
    CHECK_EQ_INT(m ? found(m, &base[9], "g") : -1, 0);
    vigil_matcher_free(m);
    /* truncated */
    CHECK_EQ_INT(truncate(ipath, 5000), 0);
    m = matcher(st, ipath, 0, &info);
    CHECK_EQ_INT(info.rebuilt, 1);
    CHECK_EQ_INT(m ? found(m, &base[10], "g") : -1, 0);
    vigil_matcher_free(m);
    /* the log rows the old file needs were pruned by that rebuild */
    for (i = 0; i < 3; i++)
        add[i] = rand_pdq();
    change(st, "g", add, 3, 0);
    vigil_matcher_free(matcher(st, ipath, 1, &info));   /* compacts, prunes */
    CHECK_EQ_INT(info.compacted, 1);
    copy_file(old, ipath);
    change(st, "g", add, 1, 1);
    m = matcher(st, ipath, 0, &info);
    CHECK_EQ_INT(info.rebuilt, 1);
    CHECK_EQ_INT(info.entries, NBASE + 2);
    CHECK_EQ_INT(m ? found(m, &add[0], "g") : 0, -1);
    CHECK_EQ_INT(m ? found(m, &add[2], "g") : -1, 0);
    vigil_matcher_free(m);
    /* a file of other hashes that claims a current generation */
    fi = NULL;
    CHECK_OK(vigil_index_build(&fi, base, fid, 7, NULL));
    if (fi) {
        CHECK_OK(vigil_index_save(fi, foreign, (uint64_t)info.gen));
        vigil_index_free(fi);
    }
    m = matcher(st, foreign, 0, &info);
    CHECK_EQ_INT(info.rebuilt, 1);
    CHECK_EQ_INT(info.entries, NBASE + 2);
    vigil_matcher_free(m);
    /* a live count changed behind the library's back: rebuilt once, and
     * recounted so that the next open uses the file again */
    CHECK_OK(vigil__store_exec(st, "UPDATE bank_state SET value = 5 WHERE "
                                   "key = 'pdq_count'"));
    vigil_matcher_free(matcher(st, foreign, 0, &info));
    CHECK_EQ_INT(info.rebuilt, 1);
    CHECK_EQ_INT(sql_int(st, "SELECT value FROM bank_state WHERE key = "
                              "'pdq_count'"), NBASE + 2);
    m = matcher(st, foreign, 0, &info);
    CHECK_EQ_INT(info.rebuilt, 0);
    CHECK_EQ_INT(m ? found(m, &add[2], "g") : -1, 0);
    vigil_matcher_free(m);
    vigil_store_close(st);
}

/* Recall and precision against brute force after a mixed sequence of
 * adds and removes, over several opens, some merging their tail. */
static void incr_recall_mixed(void)
{
    enum { MAXN = NBASE + 2000, NQ = 300 };
    const char *dir = test_tmpdir();
    const char *ipath = test_path(dir, "i.pdqidx");
    vigil_store *st = incr_open(dir);
    static vigil_pdq live[MAXN], base[NBASE];
    vigil_match_index_info info;
    size_t n = NBASE, round, i, j;
    long long checked = 0;

    if (!st)
        return;
    seed(st, ipath, base);
    memcpy(live, base, sizeof(base));
    for (round = 0; round < 6; round++) {
        vigil_pdq add[150], rm[60];
        vigil_matcher *m;
        size_t na = 50 + pdq_rand() % 100, nr = 10 + pdq_rand() % 50;

        for (i = 0; i < na; i++)    /* half of them near existing ones */
            add[i] = i % 2 ? rand_pdq()
                           : near_pdq(&live[pdq_rand() % n], 3 + pdq_rand() % 30);
        for (i = 0; i < nr; i++) {  /* distinct live entries */
            j = pdq_rand() % n;
            rm[i] = live[j];
            live[j] = live[--n];
        }
        change(st, "g", add, na, 0);
        change(st, "g", rm, nr, 1);
        memcpy(live + n, add, na * sizeof(*add));
        n += na;
        m = matcher(st, ipath, round % 3 == 2 ? 100 : 0, &info);
        CHECK_EQ_INT(info.rebuilt, 0);
        CHECK_EQ_INT(info.entries, n);
        for (i = 0; m && i < NQ; i++) {
            vigil_match_list l = VIGIL_MATCH_LIST_INIT;
            vigil_pdq q = i % 3 == 0 ? rand_pdq()
                          : near_pdq(i % 3 == 1 ? &live[pdq_rand() % n]
                                                : &rm[pdq_rand() % nr],
                                     (unsigned)(pdq_rand() % 40));
            size_t want = 0;

            for (j = 0; j < n; j++)
                want += dist(&q, &live[j]) <= 31;
            CHECK_OK(vigil_matcher_pdq(m, &q, 1, &l));
            CHECK_EQ_INT(l.n, want);
            for (j = 0; j < l.n; j++)
                CHECK(l.v[j].distance <= 31);
            checked += (long long)want;
            vigil_match_list_dispose(&l);
        }
        vigil_matcher_free(m);
    }
    CHECK(checked > 500);
    vigil_store_close(st);
}

/* Threshold, enable and suppression apply to hits: no rebuild, no tail. */
static void incr_settings_no_rebuild(void)
{
    const char *dir = test_tmpdir();
    const char *ipath = test_path(dir, "i.pdqidx");
    vigil_store *st = incr_open(dir);
    static vigil_pdq base[NBASE];
    vigil_match_index_info info;
    vigil_match_list l = VIGIL_MATCH_LIST_INIT;
    vigil_matcher *m;
    vigil_bank b;
    vigil_pdq q;
    struct fstamp before;

    if (!st)
        return;
    seed(st, ipath, base);
    mkbank(st, "fp", 31, 1);
    change(st, "fp", &base[1], 1, 0);
    vigil_matcher_free(matcher(st, ipath, 0, &info));
    before = stamp(ipath);
    q = near_pdq(&base[0], 20);
    CHECK_OK(vigil_bank_get(&b, st, "g"));
    b.threshold = 10;
    CHECK_OK(vigil_bank_update(st, &b));
    m = matcher(st, ipath, 0, &info);
    CHECK_EQ_INT(info.rebuilt, 0);
    CHECK_EQ_INT(info.tail, 1);         /* the "fp" entry, as before */
    CHECK_EQ_INT(m ? found(m, &q, "g") : 0, -1);        /* 20 > 10 */
    vigil_matcher_free(m);
    b.threshold = 31;
    b.enabled = 0;
    CHECK_OK(vigil_bank_update(st, &b));
    m = matcher(st, ipath, 0, &info);
    CHECK_EQ_INT(info.rebuilt, 0);
    CHECK_EQ_INT(info.tail, 1);         /* the "fp" entry, as before */
    CHECK_EQ_INT(m ? found(m, &base[0], "g") : 0, -1);  /* disabled */
    vigil_matcher_free(m);
    b.enabled = 1;
    CHECK_OK(vigil_bank_update(st, &b));
    vigil_bank_dispose(&b);
    m = matcher(st, ipath, 0, &info);
    CHECK_EQ_INT(info.rebuilt, 0);
    CHECK_EQ_INT(info.tail, 1);         /* the "fp" entry, as before */
    CHECK_EQ_INT(m ? found(m, &q, "g") : -1, 20);
    if (m) {                        /* base[1] is also a known FP */
        CHECK_OK(vigil_matcher_pdq(m, &base[1], 1, &l));
        CHECK_EQ_INT(l.suppressed, 1);
        vigil_match_list_dispose(&l);
    }
    vigil_matcher_free(m);
    CHECK(same_file(before, stamp(ipath)));
    vigil_store_close(st);
}

/* Processes opening (and merging) at once while entries change never see
 * a half-written file: no open fails and none falls back to a rebuild. */
static void incr_concurrent_opens(void)
{
    enum { KIDS = 3, ROUNDS = 8 };
    const char *dir = test_tmpdir();
    const char *ipath = test_path(dir, "i.pdqidx");
    vigil_store *st = incr_open(dir);
    static vigil_pdq base[NBASE];
    pid_t kids[KIDS];
    int k, r, status;

    if (!st)
        return;
    seed(st, ipath, base);
    vigil_store_close(st);
    for (k = 0; k < KIDS + 1; k++) {
        pid_t p = k < KIDS ? fork() : 0;

        if (p < 0) {
            CHECK(p >= 0);
            return;
        }
        if (k < KIDS && p > 0) {
            kids[k] = p;
            continue;
        }
        pdq_rand_state += (uint64_t)k * 7919u + 1;
        st = incr_open(NULL);
        for (r = 0; st && r < ROUNDS; r++) {
            vigil_match_options mo = VIGIL_MATCH_OPTIONS_INIT;
            vigil_match_index_info info;
            vigil_matcher *m = NULL;
            vigil_pdq add[20];
            size_t i;

            if (k == KIDS) {        /* the parent writes */
                for (i = 0; i < 20; i++)
                    add[i] = rand_pdq();
                change(st, "g", add, 20, 0);
                continue;
            }
            mo.index_path = ipath;
            mo.index_tail_max = 10; /* every open with a tail merges */
            mo.index_keep_log = 1;  /* so that no open needs a rebuild */
            if (vigil_matcher_open(&m, st, &mo) != VIGIL_OK)
                _exit(10);
            vigil_matcher_index_info(m, &info);
            if (info.rebuilt || info.entries < NBASE ||
                found(m, &base[r], "g") != 0)
                _exit(11);
            vigil_matcher_free(m);
        }
        if (k < KIDS) {
            vigil_store_close(st);
            _exit(st ? 0 : 12);
        }
    }
    for (k = 0; k < KIDS; k++) {
        CHECK_EQ_INT(waitpid(kids[k], &status, 0), kids[k]);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    vigil_store_close(st);
}

static const test_case incr_cases[] = {
    { "add_found", incr_add_found },
    { "remove_never_reported", incr_remove_never_reported },
    { "tail_bound_compacts", incr_tail_bound_compacts },
    { "bad_file_rebuilt", incr_bad_file_rebuilt },
    { "recall_mixed", incr_recall_mixed },
    { "settings_no_rebuild", incr_settings_no_rebuild },
    { "concurrent_opens", incr_concurrent_opens },
    { NULL, NULL }
};
