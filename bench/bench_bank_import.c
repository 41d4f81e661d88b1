/*
 * bench/bench_bank_import.c - import of a 1M-line hash list (plain PDQ
 * lines with labels, then the same bank exported and re-imported as vigil
 * JSONL) into a fresh SQLite store; target <= 5 s each. The anchor is the
 * raw parse alone (no store), printed beside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "store/store_internal.h"
#include "vigil/bank.h"

static int LINES = 1000000;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* User and system CPU seconds of this process so far. */
static void cpu_s(double *user, double *sys)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    *user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6;
    *sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static int count_entry(void *payload, const vigil_bank_entry *e)
{
    (void)e;
    ++*(size_t *)payload;
    return 0;
}

static int to_file(void *payload, const char *d, size_t n)
{
    return fwrite(d, 1, n, payload) == n ? 0 : -1;
}

static void parse_only(const char *path, vigil_list_format fmt)
{
    vigil_list_parse_options o = VIGIL_LIST_PARSE_OPTIONS_INIT;
    FILE *f = fopen(path, "rb");
    size_t len, n = 0;
    char *buf;
    double t;
    clock_t cpu;

    fseek(f, 0, SEEK_END);
    len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(len);
    if (fread(buf, 1, len, f) != len)
        abort();
    fclose(f);
    o.format = fmt;
    o.default_type = VIGIL_SIGNAL_PDQ;
    o.on_entry = count_entry;
    o.payload = &n;
    t = now_s();
    cpu = clock();
    vigil_list_parse(&o, buf, len, NULL, NULL);
    printf("  parse only (%s)   %.2f s (%.2f s CPU), %zu entries\n",
           vigil_list_format_name(fmt), now_s() - t,
           (double)(clock() - cpu) / CLOCKS_PER_SEC, n);
    free(buf);
}

static void import(vigil_store *st, const char *bank, const char *path,
                   vigil_list_format fmt)
{
    vigil_list_parse_options o = VIGIL_LIST_PARSE_OPTIONS_INIT;
    vigil_import_counts c;
    double t = now_s(), u0, s0, u1, s1;

    cpu_s(&u0, &s0);
    o.format = fmt;
    o.default_type = VIGIL_SIGNAL_PDQ;
    if (vigil_bank_import(st, bank, path, &o, &c) != 0)
        abort();
    cpu_s(&u1, &s1);
    printf("  import %-6s      %.2f s (%.2f s CPU: %.2f user + %.2f sys), "
           "%zu added, %zu malformed (target <= 5 s)\n",
           vigil_list_format_name(fmt), now_s() - t, u1 - u0 + s1 - s0,
           u1 - u0, s1 - s0, c.added, c.malformed);
}

/* Anchor: the same number of rows inserted one statement each straight
 * through the statement API (sorted 32-byte values, no file, no parsing,
 * no conflict clause): the per-row path the import used before. */
static void raw_insert(vigil_store *st)
{
    vigil__stmt *s;
    unsigned char v[32] = { 0 };
    char label[32];
    double t = now_s();
    clock_t cpu = clock();
    int i;

    vigil__store_exec(st, "INSERT INTO banks (name, created_at) VALUES "
                          "('raw', 0)");
    vigil_store_begin(st);
    vigil__stmt_new(&s, st, "INSERT INTO bank_entries (bank_id, signal_type, "
                    "value, label, added_at) SELECT id, 'pdq', ?, ?, 0 FROM "
                    "banks WHERE name = 'raw'");
    for (i = 0; i < LINES; i++) {
        v[28] = (unsigned char)(i >> 24);   /* 32 bytes, like a digest */
        v[29] = (unsigned char)(i >> 16);
        v[30] = (unsigned char)(i >> 8);
        v[31] = (unsigned char)i;
        snprintf(label, sizeof(label), "item %d", i);
        vigil__bind_blob(s, 1, v, sizeof(v));
        vigil__bind_str(s, 2, label);
        vigil__step(s);
        vigil__reset(s);
    }
    vigil__stmt_free(s);
    vigil_store_commit(st);
    printf("  anchor: raw sorted INSERTs  %.2f s (%.2f s CPU)\n", now_s() - t,
           (double)(clock() - cpu) / CLOCKS_PER_SEC);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char dir[256], list[300], jl[300], db[300];
    uint64_t x = 88172645463325252ull;
    vigil_store *st;
    FILE *f;
    int i, k;

    if (getenv("VIGIL_BENCH_LINES"))
        LINES = atoi(getenv("VIGIL_BENCH_LINES"));
    snprintf(dir, sizeof(dir), "%s/vigil_bench_import_%d", tmp, (int)getpid());
    snprintf(list, sizeof(list), "%s.txt", dir);
    snprintf(jl, sizeof(jl), "%s.jsonl", dir);
    snprintf(db, sizeof(db), "%s.db", dir);
    f = fopen(list, "w");
    for (i = 0; i < LINES; i++) {
        for (k = 0; k < 4; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            fprintf(f, "%016llx", (unsigned long long)x);
        }
        fprintf(f, ",item %d\n", i);
    }
    fclose(f);
    printf("1M-line hash list import (shared 2-core machine):\n");
    parse_only(list, VIGIL_LIST_PLAIN);
    if (vigil_store_open(&st, db, VIGIL_STORE_OPEN_CREATE) != 0)
        abort();
    raw_insert(st);
    import(st, "plain", list, VIGIL_LIST_PLAIN);
    f = fopen(jl, "w");
    vigil_bank_export(st, "plain", VIGIL_LIST_JSONL, -1, to_file, f, NULL);
    fclose(f);
    parse_only(jl, VIGIL_LIST_JSONL);
    import(st, "jsonl", jl, VIGIL_LIST_JSONL);
    vigil_store_close(st);
    unlink(list);
    unlink(jl);
    unlink(db);
    snprintf(list, sizeof(list), "%s.db-wal", dir);
    unlink(list);
    snprintf(list, sizeof(list), "%s.db-shm", dir);
    unlink(list);
    return 0;
}
