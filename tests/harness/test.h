/*
 * tests/harness/test.h - a minimal test harness: each test file lists its
 * cases in a table and calls test_main(); a case name on the command line
 * runs that case alone. Failures print file:line and the expression.
 */
#ifndef VIGIL_TEST_H
#define VIGIL_TEST_H

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    void (*fn)(void);
} test_case;

extern int test_failures;

#define CHECK(expr) \
    do { if (!(expr)) { test_fail(__FILE__, __LINE__, #expr); } } while (0)
#define CHECK_EQ_INT(a, b) \
    do { long long a_ = (long long)(a), b_ = (long long)(b); \
         if (a_ != b_) { char m_[256]; snprintf(m_, sizeof(m_), \
         "%s == %s (%lld != %lld)", #a, #b, a_, b_); \
         test_fail(__FILE__, __LINE__, m_); } } while (0)
#define CHECK_EQ_STR(a, b) \
    do { const char *a_ = (a), *b_ = (b); \
         if (!a_ || !b_ || strcmp(a_, b_) != 0) { char m_[512]; \
         snprintf(m_, sizeof(m_), "%s == %s (\"%s\" != \"%s\")", #a, #b, \
         a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
         test_fail(__FILE__, __LINE__, m_); } } while (0)
#define CHECK_OK(expr) \
    do { int rc_ = (expr); if (rc_ != 0) test_fail_rc(__FILE__, __LINE__, \
         #expr, rc_); } while (0)

void test_fail(const char *file, int line, const char *what);
void test_fail_rc(const char *file, int line, const char *what, int rc);
int test_main(int argc, char **argv, const test_case *cases);

/** A fresh empty directory for this test (under $TMPDIR); static storage. */
const char *test_tmpdir(void);
/** Path joined into a static rotating buffer. */
const char *test_path(const char *dir, const char *name);
/** Write a whole file; aborts the test program on failure. */
void test_write_file(const char *path, const void *data, size_t len);
/** Run a shell command, return its exit status. */
int test_system(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** First column of the first row of @p sql on the SQLite file @p db, as
 *  an integer (-1 when no row, -2 when the file cannot be opened). */
long long test_sql_int(const char *db, const char *sql);
/** The same as text in a static buffer ("" for no row or NULL). */
const char *test_sql_text(const char *db, const char *sql);
/** $VIGIL_SOURCE_DIR or "." */
const char *test_source_dir(void);

#endif
