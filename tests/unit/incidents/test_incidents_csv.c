/*
 * tests/unit/incidents/test_incidents_csv.c - the streaming CSV reader
 * (util/csv.c): RFC 4180 quoting, quoted newlines, BOM, CRLF, blank lines,
 * malformed records that do not stop the reader, limits, line numbers and
 * input split at every byte boundary.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/csv.h"

typedef struct {
    const char *p;
    size_t len, pos, chunk;     /* chunk: bytes handed out per read */
} mem_src;

static size_t mem_read(void *payload, char *buf, size_t n)
{
    mem_src *m = payload;
    size_t k = m->len - m->pos;

    if (k > n)
        k = n;
    if (m->chunk && k > m->chunk)
        k = m->chunk;
    memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    return k;
}

static vgu_csv *open_mem(mem_src *m, const char *s, size_t len, size_t chunk,
                         const vgu_csv_limits *lim)
{
    m->p = s;
    m->len = len;
    m->pos = 0;
    m->chunk = chunk;
    return vgu_csv_new(mem_read, m, lim);
}

static void check_field(vgu_csv *c, size_t i, const char *want)
{
    size_t len;
    const char *got = vgu_csv_get(c, i, &len);

    CHECK_EQ_STR(got, want);
    CHECK_EQ_INT(len, strlen(want));
}

static const char sample[] =
    "\xEF\xBB\xBFid,note,n\r\n"
    "1,\"a, b\",2\r\n"
    "\r\n"
    "2,\"line one\r\nline \"\"two\"\"\",3\r\n"
    "3,,\n"
    "4,plain,5";

static void run_sample(size_t chunk)
{
    mem_src m;
    vgu_csv *c = open_mem(&m, sample, sizeof(sample) - 1, chunk, NULL);

    CHECK(c != NULL);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);
    CHECK_EQ_INT(vgu_csv_nfields(c), 3);
    check_field(c, 0, "id");                 /* BOM stripped */
    CHECK_EQ_INT(vgu_csv_line(c), 1);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);
    check_field(c, 1, "a, b");
    CHECK_EQ_INT(vgu_csv_line(c), 2);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);   /* blank line skipped */
    CHECK_EQ_INT(vgu_csv_line(c), 4);
    check_field(c, 0, "2");
    check_field(c, 1, "line one\r\nline \"two\"");
    check_field(c, 2, "3");
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);
    CHECK_EQ_INT(vgu_csv_line(c), 6);
    CHECK_EQ_INT(vgu_csv_nfields(c), 3);
    check_field(c, 1, "");
    check_field(c, 2, "");
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);    /* no final newline */
    check_field(c, 2, "5");
    CHECK_EQ_INT(vgu_csv_line(c), 7);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_END);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_END);
    vgu_csv_free(c);
}

static void test_incidents_csv__rfc4180(void)
{
    run_sample(0);
}

/* Every read boundary: 1, 2, 3 ... bytes per read gives the same records. */
static void test_incidents_csv__chunked(void)
{
    size_t chunk;

    for (chunk = 1; chunk <= 8; chunk++)
        run_sample(chunk);
}

static void test_incidents_csv__bad_records_recover(void)
{
    static const char s[] =
        "a,b\n"
        "\"x\"y,2\n"            /* text after closing quote */
        "ok,3\n"
        "q\"uote,4\n"           /* quote inside unquoted field: kept */
        "\"open,5\nstill open";
    mem_src m;
    vgu_csv *c = open_mem(&m, s, sizeof(s) - 1, 0, NULL);

    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_BAD);
    CHECK_EQ_INT(vgu_csv_line(c), 2);
    CHECK(strstr(vgu_csv_error(c), "closing quote") != NULL);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);
    check_field(c, 0, "ok");
    CHECK_EQ_INT(vgu_csv_line(c), 3);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);
    check_field(c, 0, "q\"uote");
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_BAD);
    CHECK_EQ_INT(vgu_csv_line(c), 5);
    CHECK(strstr(vgu_csv_error(c), "line 5 is never closed") != NULL);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_END);
    vgu_csv_free(c);
}

static void test_incidents_csv__limits(void)
{
    static const char s[] = "aaaaaaaaaa,b\n1,2,3,4,5\nok\n";
    vgu_csv_limits lim = { 8, 4 };
    mem_src m;
    vgu_csv *c = open_mem(&m, s, sizeof(s) - 1, 0, &lim);

    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_BAD);          /* too long */
    CHECK(strstr(vgu_csv_error(c), "longer than 8") != NULL);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_BAD);          /* 5 fields > 4 */
    CHECK(strstr(vgu_csv_error(c), "more than 4 fields") != NULL);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);
    check_field(c, 0, "ok");
    CHECK_EQ_INT(vgu_csv_line(c), 3);
    vgu_csv_free(c);
}

/* A long record (bigger than the 64 KiB window) crosses refills. */
static void test_incidents_csv__large_field(void)
{
    size_t n = 200000, i;
    char *s = malloc(n + 16);
    mem_src m;
    vgu_csv *c;
    size_t len;

    s[0] = '"';
    for (i = 1; i <= n; i++)
        s[i] = (char)('a' + i % 26);
    memcpy(s + n + 1, "\",z\n", 4);
    c = open_mem(&m, s, n + 5, 0, NULL);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);
    vgu_csv_get(c, 0, &len);
    CHECK_EQ_INT(len, n);
    check_field(c, 1, "z");
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_END);
    vgu_csv_free(c);
    free(s);
}

static void test_incidents_csv__lone_cr_and_empty(void)
{
    static const char s[] = "a\rb\r\n\"\"\n";
    mem_src m;
    vgu_csv *c = open_mem(&m, s, sizeof(s) - 1, 1, NULL);

    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);
    check_field(c, 0, "a");
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);
    check_field(c, 0, "b");
    CHECK_EQ_INT(vgu_csv_line(c), 2);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);   /* "" is one empty field */
    CHECK_EQ_INT(vgu_csv_nfields(c), 1);
    CHECK_EQ_INT(vgu_csv_line(c), 3);
    CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_END);
    vgu_csv_free(c);
}

/* Regression (issue 6, found by csv_fuzzer): a partial BOM read one byte
 * per call used to rewind the window index below zero. */
static void test_incidents_csv__partial_bom(void)
{
    static const char s1[] = "\xEF\xBBx,y\n\xEF\n";
    static const char s2[] = "\xEF\xBB\xBF" "a\n";
    size_t chunk;

    for (chunk = 0; chunk <= 2; chunk++) {
        mem_src m;
        vgu_csv *c = open_mem(&m, s1, sizeof(s1) - 1, chunk, NULL);

        CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);
        check_field(c, 0, "\xEF\xBBx");
        check_field(c, 1, "y");
        CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);
        check_field(c, 0, "\xEF");
        CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_END);
        vgu_csv_free(c);
        c = open_mem(&m, s2, sizeof(s2) - 1, chunk, NULL);
        CHECK_EQ_INT(vgu_csv_next(c), VGU_CSV_RECORD);
        check_field(c, 0, "a");
        vgu_csv_free(c);
    }
}

int main(int argc, char **argv)
{
    static const test_case cases[] = {
        { "rfc4180", test_incidents_csv__rfc4180 },
        { "chunked", test_incidents_csv__chunked },
        { "bad_records_recover", test_incidents_csv__bad_records_recover },
        { "limits", test_incidents_csv__limits },
        { "large_field", test_incidents_csv__large_field },
        { "lone_cr_and_empty", test_incidents_csv__lone_cr_and_empty },
        { "partial_bom", test_incidents_csv__partial_bom },
        { NULL, NULL }
    };
    return test_main(argc, argv, cases);
}
