/*
 * tests/harness/test.c - the test runner behind test.h.
 */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "vigil/common.h"

int test_failures;
static const char *current;

void test_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "  FAIL %s: %s:%d: %s\n", current, file, line, what);
    test_failures++;
}

void test_fail_rc(const char *file, int line, const char *what, int rc)
{
    const vigil_error *e = vigil_error_last();
    char m[1024];

    snprintf(m, sizeof(m), "%s returned %d (%s)", what, rc,
             e ? e->message : vigil_strerror(rc));
    test_fail(file, line, m);
}

const char *test_source_dir(void)
{
    const char *s = getenv("VIGIL_SOURCE_DIR");
    return s ? s : ".";
}

const char *test_tmpdir(void)
{
    static char dir[512];
    const char *base = getenv("TMPDIR");

    snprintf(dir, sizeof(dir), "%s/vigil-test-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(99);
    }
    return dir;
}

const char *test_path(const char *dir, const char *name)
{
    static char bufs[8][1024];
    static int next;
    char *b = bufs[next++ & 7];

    snprintf(b, 1024, "%s/%s", dir, name);
    return b;
}

void test_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(99);
    }
}

int test_system(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    int st;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int test_main(int argc, char **argv, const test_case *cases)
{
    int passed = 0, failed = 0;
    const test_case *c;

    for (c = cases; c->name; c++) {
        int before = test_failures;

        if (argc > 1 && strcmp(argv[1], c->name) != 0)
            continue;
        current = c->name;
        c->fn();
        if (test_failures == before) {
            passed++;
            fprintf(stderr, "  ok   %s\n", c->name);
        } else {
            failed++;
        }
    }
    fprintf(stderr, "%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

long long test_sql_int(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *s;
    long long v = -1;

    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(h);
        return -2;
    }
    if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    } else {
        fprintf(stderr, "  sql error: %s: %s\n", sql, sqlite3_errmsg(h));
    }
    sqlite3_close(h);
    return v;
}

const char *test_sql_text(const char *db, const char *sql)
{
    static char out[4096];
    sqlite3 *h;
    sqlite3_stmt *s;

    out[0] = '\0';
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(h);
        return "(open failed)";
    }
    if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
            snprintf(out, sizeof(out), "%s", sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
    } else {
        fprintf(stderr, "  sql error: %s: %s\n", sql, sqlite3_errmsg(h));
    }
    sqlite3_close(h);
    return out;
}
