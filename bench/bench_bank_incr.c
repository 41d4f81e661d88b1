/*
 * bench/bench_bank_incr.c - a small change to a big bank, end to end on a
 * real SQLite store: 1M random PDQ entries (VIGIL_BENCH_INCR_N to change),
 * a saved index, then 1,000 adds + 100 removes and the next matcher open
 * (index file + change-log tail) against a forced full rebuild from the
 * store. Prints wall and process CPU time; see docs/internals/index.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "pdq_rand.h"
#include "vigil/bank.h"
#include "vigil/match.h"
#include "vigil/pdq.h"
#include "vigil/store.h"

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_s(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

/* n random PDQ entries as hex; hex[i] 65 bytes each. */
static vigil_bank_entry *entries(char (*hex)[65], size_t n)
{
    vigil_bank_entry *e = calloc(n, sizeof(*e));
    vigil_pdq h;
    size_t i;

    if (!e)
        abort();
    for (i = 0; i < n; i++) {
        pdq_rand_hash(&h);
        vigil_pdq_to_hex(hex[i], &h);
        e[i].type = VIGIL_SIGNAL_PDQ;
        e[i].value = hex[i];
    }
    return e;
}

struct timing {
    double wall, cpu;
};

static struct timing open_matcher(vigil_store *st, const char *ipath,
                                  int rebuild, int compact,
                                  vigil_match_index_info *info)
{
    vigil_match_options mo = VIGIL_MATCH_OPTIONS_INIT;
    vigil_matcher *m;
    struct timing t;
    double w = now_s(), c = cpu_s();

    mo.index_path = ipath;
    mo.index_rebuild = rebuild;
    mo.index_compact = compact;
    if (vigil_matcher_open(&m, st, &mo) != 0)
        abort();
    t.wall = now_s() - w;
    t.cpu = cpu_s() - c;
    vigil_matcher_index_info(m, info);
    vigil_matcher_free(m);
    return t;
}

static void show(const char *what, struct timing t,
                 const vigil_match_index_info *i)
{
    printf("  %-44s %8.3f s wall %8.3f s cpu  (rebuilt %d, tail %zu, "
           "merged %d, saved %d, %zu entries)\n", what, t.wall, t.cpu,
           i->rebuilt, i->tail, i->compacted, i->saved, i->entries);
}

int main(void)
{
    const char *env = getenv("VIGIL_BENCH_INCR_N");
    size_t n = env ? (size_t)atoll(env) : 1000000, i;
    char dir[256], db[300], ipath[300];
    char (*hex)[65] = malloc((n + 1000) * sizeof(*hex));
    vigil_bank b = VIGIL_BANK_INIT;
    vigil_match_index_info info;
    vigil_import_counts c;
    vigil_bank_entry *e, rm[100];
    vigil_store *st;
    struct timing t;
    size_t removed;
    double w, cp;

    if (!hex)
        abort();
    snprintf(dir, sizeof(dir), "%s/vigil_bench_incr_%d",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    snprintf(db, sizeof(db), "%s.db", dir);
    snprintf(ipath, sizeof(ipath), "%s.db.pdqidx", dir);
    printf("bank of %zu random PDQ entries in SQLite (shared 2-core "
           "machine; CPU = user + system of the process)\n", n);
    if (vigil_store_open(&st, db, VIGIL_STORE_OPEN_CREATE) != 0)
        abort();
    b.name = (char *)"big";
    if (vigil_bank_create(st, &b) != 0)
        abort();
    e = entries(hex, n + 1000);
    w = now_s();
    cp = cpu_s();
    if (vigil_bank_add_entries(st, "big", e, n, &c) != 0 || c.added != n)
        abort();
    printf("  %-44s %8.3f s wall %8.3f s cpu\n", "add the entries (store + "
           "change log)", now_s() - w, cpu_s() - cp);
    show("first open: build from the store + save",
         open_matcher(st, ipath, 0, 0, &info), &info);
    show("open, nothing changed", open_matcher(st, ipath, 0, 0, &info),
         &info);
    w = now_s();
    cp = cpu_s();
    if (vigil_bank_add_entries(st, "big", e + n, 1000, &c) != 0)
        abort();
    for (i = 0; i < 100; i++)
        rm[i] = e[i * (n / 100)];
    if (vigil_bank_remove_entries(st, "big", rm, 100, &removed) != 0 ||
        removed != 100)
        abort();
    printf("  %-44s %8.3f s wall %8.3f s cpu\n", "store: add 1,000 + remove "
           "100 entries", now_s() - w, cpu_s() - cp);
    t = open_matcher(st, ipath, 0, 0, &info);
    show("open after the change: file + log tail", t, &info);
    show("again (tail applied again, file untouched)",
         open_matcher(st, ipath, 0, 0, &info), &info);
    show("full rebuild from the store + save (old way)",
         open_matcher(st, ipath, 1, 0, &info), &info);
    if (vigil_bank_add_entries(st, "big", e, 1, &c) != 0)   /* re-add one */
        abort();
    show("merge a tail + save (rematch, bank reindex)",
         open_matcher(st, ipath, 0, 1, &info), &info);
    vigil_store_close(st);
    unlink(db);
    unlink(ipath);
    snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), ".db-wal");
    unlink(dir);
    free(e);
    free(hex);
    return 0;
}
