/*
 * tests/unit/bank/test_bank_lists.c - every hash-list format: valid lines,
 * malformed lines reported with their number and reason while the rest
 * parse, canonical values, and format guessing.
 */
#include <stdlib.h>

#include "test.h"
#include "vigil/bank.h"

#define CHECK_VAL(a, b) CHECK(strcmp((a), (b)) == 0)
#define PDQ_A "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
#define PDQ_B "0000000000000000000000000000000000000000000000000000000000000001"
#define MD5_A "d41d8cd98f00b204e9800998ecf8427e"
#define SHA_A "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct got {
    int n;
    int type[16];
    char value[16][600];
    char label[16][64];
    char note[16][96];
    char date[16][40];
    char source[16][40];
    char category[16][40];
    size_t line[16];
    int nbad;
    size_t bad_line[16];
    char bad[16][300];
    int header;
    char header_name[64];
    int header_thr, header_supp;
};

static void cp(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

static int on_entry(void *payload, const vigil_bank_entry *e)
{
    struct got *g = payload;

    if (g->n < 16) {
        g->type[g->n] = (int)e->type;
        cp(g->value[g->n], sizeof(g->value[0]), e->value);
        cp(g->label[g->n], sizeof(g->label[0]), e->label);
        cp(g->note[g->n], sizeof(g->note[0]), e->note);
        cp(g->date[g->n], sizeof(g->date[0]), e->date_added);
        cp(g->source[g->n], sizeof(g->source[0]), e->source_list);
        cp(g->category[g->n], sizeof(g->category[0]), e->category);
        g->line[g->n] = e->line;
    }
    g->n++;
    return 0;
}

static void on_error(void *payload, size_t line, const char *reason)
{
    struct got *g = payload;

    if (g->nbad < 16) {
        g->bad_line[g->nbad] = line;
        cp(g->bad[g->nbad], sizeof(g->bad[0]), reason);
    }
    g->nbad++;
}

static int on_header(void *payload, const vigil_bank *b)
{
    struct got *g = payload;

    g->header++;
    cp(g->header_name, sizeof(g->header_name), b->name);
    g->header_thr = b->threshold;
    g->header_supp = b->is_suppression;
    return 0;
}

static void parse(struct got *g, vigil_list_format fmt, const char *name,
                  int deftype, const char *text)
{
    vigil_list_parse_options o = VIGIL_LIST_PARSE_OPTIONS_INIT;
    size_t ok = 0, bad = 0;

    memset(g, 0, sizeof(*g));
    o.format = fmt;
    o.name = name;
    o.default_type = deftype;
    o.on_entry = on_entry;
    o.on_error = on_error;
    o.on_header = on_header;
    o.payload = g;
    CHECK_OK(vigil_list_parse(&o, text, strlen(text), &ok, &bad));
    CHECK_EQ_INT(ok, g->n);
    CHECK_EQ_INT(bad, g->nbad);
}

static void test_bank_lists__plain(void)
{
    struct got g;

    parse(&g, VIGIL_LIST_PLAIN, "x.txt", VIGIL_SIGNAL_PDQ,
          "# comment\n"
          PDQ_A ",amaq banner\r\n"
          "\n"
          "F8F8F0CEE0F4A84F06370A22038F63F0B36E2ED596621E1D33E6B39C4E9C9B22\n"
          MD5_A "\n"
          "nothex" PDQ_A "\n"
          "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9bzz\n"
          "  " PDQ_B " , spaced label  ");
    CHECK_EQ_INT(g.n, 4);
    CHECK_EQ_INT(g.type[0], VIGIL_SIGNAL_PDQ);
    CHECK_VAL(g.value[0], PDQ_A);
    CHECK_EQ_STR(g.label[0], "amaq banner");
    CHECK_EQ_INT(g.line[0], 2);
    CHECK_VAL(g.value[1], PDQ_A);        /* upper case folded */
    CHECK_EQ_STR(g.label[1], "");
    CHECK_EQ_INT(g.type[2], VIGIL_SIGNAL_MD5);
    CHECK_EQ_STR(g.label[3], "spaced label");
    CHECK_EQ_INT(g.line[3], 8);
    CHECK_EQ_INT(g.nbad, 2);
    CHECK_EQ_INT(g.bad_line[0], 6);
    CHECK(strstr(g.bad[0], "not 70 characters") != NULL);
    CHECK_EQ_INT(g.bad_line[1], 7);
    CHECK(strstr(g.bad[1], "character 63 is not a hex digit") != NULL);

    /* 64 hex digits without a type: ambiguous, reported */
    parse(&g, VIGIL_LIST_PLAIN, NULL, -1, SHA_A "\n" MD5_A "\n");
    CHECK_EQ_INT(g.n, 1);
    CHECK_EQ_INT(g.nbad, 1);
    CHECK(strstr(g.bad[0], "pdq or sha256") != NULL);
    parse(&g, VIGIL_LIST_PLAIN, NULL, VIGIL_SIGNAL_SHA256, SHA_A "\n");
    CHECK_EQ_INT(g.type[0], VIGIL_SIGNAL_SHA256);
}

static void test_bank_lists__threatexchange(void)
{
    struct got g;

    parse(&g, VIGIL_LIST_TE, NULL, -1,
          "pdq " PDQ_A "\n"
          "video_md5 " MD5_A "\n"
          "url https://example.org/x\n"
          "pdq 1234\n"
          "HASH_SHA256\t" SHA_A "\n");
    CHECK_EQ_INT(g.n, 3);
    CHECK_EQ_INT(g.type[1], VIGIL_SIGNAL_MD5);
    CHECK_EQ_INT(g.type[2], VIGIL_SIGNAL_SHA256);
    CHECK_EQ_INT(g.nbad, 2);
    CHECK_EQ_INT(g.bad_line[0], 3);
    CHECK(strstr(g.bad[0], "unsupported signal type 'url'") != NULL);
    CHECK_EQ_INT(g.bad_line[1], 4);

    parse(&g, VIGIL_LIST_TE, NULL, -1,
          "signal_type,signal_str,collab,category,tags\n"
          "pdq," PDQ_A ",gifct-hsdb,terrorism,\"banner, logo\"\n"
          "pdq," PDQ_B "\n"
          "pdq,\"unterminated\n"
          "raw_text,hello,,,\n");
    CHECK_EQ_INT(g.n, 2);
    CHECK_EQ_STR(g.source[0], "gifct-hsdb");
    CHECK_EQ_STR(g.category[0], "terrorism");
    CHECK_EQ_STR(g.label[0], "banner, logo");
    CHECK_EQ_INT(g.nbad, 2);
    CHECK_EQ_INT(g.bad_line[0], 4);
    CHECK(strstr(g.bad[0], "quoting") != NULL);
}

static void test_bank_lists__hma(void)
{
    struct got g;

    parse(&g, VIGIL_LIST_HMA, "/tmp/simple.HASH_PDQ.te", -1,
          PDQ_A ",12345,678,2021-05-01T10:00:00Z,isis amaq\n"
          PDQ_B ",678,2021-05-02,label2\n"
          PDQ_B ",1,2\n"
          MD5_A ",1,2,3,4\n");
    CHECK_EQ_INT(g.n, 2);
    CHECK_EQ_INT(g.type[0], VIGIL_SIGNAL_PDQ);
    CHECK_EQ_STR(g.label[0], "isis amaq");
    CHECK_EQ_STR(g.date[0], "2021-05-01T10:00:00Z");
    CHECK_EQ_STR(g.note[0], "te_indicator_id=12345 te_descriptor_id=678");
    CHECK_EQ_STR(g.note[1], "te_descriptor_id=678");
    CHECK_EQ_INT(g.nbad, 2);
    CHECK_EQ_INT(g.bad_line[0], 3);
    CHECK(strstr(g.bad[0], "got 3") != NULL);
    CHECK_EQ_INT(g.bad_line[1], 4);         /* an md5 in a PDQ file */

    parse(&g, VIGIL_LIST_HMA, "simple.HASH_MD5.te", -1,
          MD5_A ",1,2,2020-01-01,\n");
    CHECK_EQ_INT(g.n, 1);
    CHECK_EQ_INT(g.type[0], VIGIL_SIGNAL_MD5);
}

static void test_bank_lists__vpdq(void)
{
    struct got g;

    parse(&g, VIGIL_LIST_VPDQ, "v.json", -1,
          "[\n  \"" PDQ_A ",100,0.000\",\n  \"" PDQ_B ",87,1.5\"\n]\n");
    CHECK_EQ_INT(g.n, 1);
    CHECK_EQ_INT(g.type[0], VIGIL_SIGNAL_VPDQ);
    CHECK_VAL(g.value[0], "[\"" PDQ_A ",100,0.000\",\"" PDQ_B
                 ",87,1.500\"]");
    /* old form keyed by frame number, out of order */
    parse(&g, VIGIL_LIST_VPDQ, "v.json", -1,
          "{\"10\":\"" PDQ_B ",50,1\",\"2\":\"" PDQ_A ",60,0.2\"}");
    CHECK_EQ_INT(g.n, 1);
    CHECK_VAL(g.value[0], "[\"" PDQ_A ",60,0.200\",\"" PDQ_B
                 ",50,1.000\"]");
    /* one array per line, with bad lines */
    parse(&g, VIGIL_LIST_VPDQ, "v.jsonl", -1,
          "[\"" PDQ_A ",100,0\"]\n"
          "[\"" PDQ_A ",101,0\"]\n"
          "[]\n"
          "[\"" PDQ_A ",100\"]\n"
          "not json\n"
          "[\"" PDQ_B ",3,7.25\"]\n");
    CHECK_EQ_INT(g.n, 2);
    CHECK_EQ_INT(g.line[1], 6);
    CHECK_EQ_INT(g.nbad, 4);
    CHECK(strstr(g.bad[0], "quality") != NULL);
    CHECK(strstr(g.bad[1], "no frames") != NULL);
    CHECK_EQ_INT(g.bad_line[3], 5);
}

static void test_bank_lists__jsonl(void)
{
    struct got g;

    parse(&g, VIGIL_LIST_JSONL, NULL, -1,
          "{\"vigil_bank\":{\"name\":\"fp\",\"threshold\":20,"
          "\"is_suppression\":true}}\n"
          "{\"type\":\"pdq\",\"value\":\"" PDQ_A "\",\"label\":\"L\","
          "\"outlet\":\"Amaq\",\"category\":\"c\",\"source_list\":\"s\","
          "\"date_added\":\"2024-01-01\",\"note\":\"n\"}\n"
          "{\"type\":\"sha256\",\"value\":\"" SHA_A "\"}\n"
          "{\"type\":\"pdq\"}\n"
          "{\"type\":\"pdq\",\"value\":\"" PDQ_B "\",\"label\":5}\n"
          "[1,2]\n"
          "{\"vigil_bank\":{}}\n"
          "{\"type\":\"tlsh\",\"value\":\"T1\"}\n"
          "{broken\n");
    CHECK_EQ_INT(g.header, 1);
    CHECK_EQ_STR(g.header_name, "fp");
    CHECK_EQ_INT(g.header_thr, 20);
    CHECK_EQ_INT(g.header_supp, 1);
    CHECK_EQ_INT(g.n, 2);
    CHECK_EQ_STR(g.label[0], "L");
    CHECK_EQ_STR(g.note[0], "n");
    CHECK_EQ_INT(g.type[1], VIGIL_SIGNAL_SHA256);
    CHECK_EQ_INT(g.nbad, 6);
    CHECK_EQ_INT(g.bad_line[0], 4);
    CHECK(strstr(g.bad[1], "'label' must be a string") != NULL);
    CHECK_EQ_INT(g.bad_line[3], 7);
    CHECK(strstr(g.bad[3], "first line") != NULL);
    CHECK_EQ_INT(g.bad_line[5], 9);
}

static void test_bank_lists__guess_and_names(void)
{
    vigil_signal_type t;
    vigil_list_format f;

    CHECK_EQ_INT(vigil_list_format_guess("a/simple.HASH_PDQ.te", "", 0),
                 VIGIL_LIST_HMA);
    CHECK_EQ_INT(vigil_list_format_guess("x.jsonl", "", 0), VIGIL_LIST_JSONL);
    CHECK_EQ_INT(vigil_list_format_guess("x", "  {\"a\":1}", 9),
                 VIGIL_LIST_JSONL);
    CHECK_EQ_INT(vigil_list_format_guess("x", "[\"a\"]", 5), VIGIL_LIST_VPDQ);
    CHECK_EQ_INT(vigil_list_format_guess("x", "pdq abc\n", 8), VIGIL_LIST_TE);
    CHECK_EQ_INT(vigil_list_format_guess("x", "signal_type,signal_str\n", 23),
                 VIGIL_LIST_TE);
    CHECK_EQ_INT(vigil_list_format_guess("x", PDQ_A "\n", 65),
                 VIGIL_LIST_PLAIN);
    CHECK_OK(vigil_signal_type_parse(&t, "HASH_VIDEO_MD5", 14));
    CHECK_EQ_INT(t, VIGIL_SIGNAL_MD5);
    CHECK_EQ_INT(vigil_signal_type_parse(&t, "tmk", 3), VIGIL_EFORMAT);
    CHECK_OK(vigil_list_format_parse(&f, "hma"));
    CHECK_EQ_INT(f, VIGIL_LIST_HMA);
    CHECK_EQ_INT(vigil_list_format_parse(&f, "csv"), VIGIL_EINVAL);
}

static const test_case cases[] = {
    { "plain", test_bank_lists__plain },
    { "threatexchange", test_bank_lists__threatexchange },
    { "hma", test_bank_lists__hma },
    { "vpdq", test_bank_lists__vpdq },
    { "jsonl", test_bank_lists__jsonl },
    { "guess_and_names", test_bank_lists__guess_and_names },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, cases);
}
