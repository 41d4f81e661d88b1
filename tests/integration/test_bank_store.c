/*
 * tests/integration/test_bank_store.c - banks in a real SQLite store:
 * create/list/update/remove, import with malformed lines in one
 * transaction, JSONL round trip, matching files and stored items
 * (PDQ with threshold and dihedral variants, digests, suppression).
 */
#include <stdio.h>
#include <stdlib.h>

#include "store/store_internal.h"
#include "test.h"
#include "vigil/bank.h"
#include "vigil/digest.h"
#include "vigil/match.h"

#define PDQ_A "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
#define PDQ_B "0000000000000000000000000000000000000000000000000000000000000001"
#define MD5_A "d41d8cd98f00b204e9800998ecf8427e"

static vigil_store *open_db(const char *dir)
{
    vigil_store *st = NULL;

    CHECK_OK(vigil_store_open(&st, test_path(dir, "v.db"),
                              VIGIL_STORE_OPEN_CREATE));
    return st;
}

static void create(vigil_store *st, const char *name, int thr, int supp)
{
    vigil_bank b = VIGIL_BANK_INIT;

    b.name = (char *)name;
    b.threshold = thr;
    b.is_suppression = supp;
    CHECK_OK(vigil_bank_create(st, &b));
}

static void test_bank_store__crud(void)
{
    const char *dir = test_tmpdir();
    vigil_store *st = open_db(dir);
    vigil_bank b = VIGIL_BANK_INIT, got, *v;
    size_t n;
    int64_t g0, g1;

    create(st, "gifct", 31, 0);
    b.name = "gifct";
    CHECK_EQ_INT(vigil_bank_create(st, &b), VIGIL_EEXISTS);
    b.name = "bad name!";
    CHECK_EQ_INT(vigil_bank_create(st, &b), VIGIL_EINVAL);
    b.name = "x";
    b.threshold = 300;
    CHECK_EQ_INT(vigil_bank_create(st, &b), VIGIL_EINVAL);
    b.threshold = 31;
    b.signal_types = "pdq,tlsh";
    CHECK_EQ_INT(vigil_bank_create(st, &b), VIGIL_EINVAL);
    b.signal_types = "md5 ";
    b.signal_types = "sha256,md5";
    CHECK_OK(vigil_bank_create(st, &b));
    CHECK_OK(vigil_bank_get(&got, st, "x"));
    CHECK_EQ_STR(got.signal_types, "md5,sha256");
    got.threshold = 12;
    got.enabled = 0;
    CHECK_OK(vigil_bank_update(st, &got));
    vigil_bank_dispose(&got);
    CHECK_OK(vigil_bank_get(&got, st, "x"));
    CHECK_EQ_INT(got.threshold, 12);
    CHECK_EQ_INT(got.enabled, 0);
    vigil_bank_dispose(&got);
    CHECK_OK(vigil_bank_list(&v, &n, st));
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_STR(v[0].name, "gifct");
    vigil_bank_list_dispose(v, n);

    CHECK_OK(vigil_bank_pdq_generation(st, &g0));
    {
        vigil_bank_entry e[3] = {
            { VIGIL_SIGNAL_PDQ, PDQ_A, "a", NULL, NULL, NULL, NULL, NULL, 0 },
            { VIGIL_SIGNAL_PDQ, PDQ_A, "dup", NULL, NULL, NULL, NULL, NULL, 0 },
            { VIGIL_SIGNAL_MD5, MD5_A, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
        };
        vigil_import_counts c;

        CHECK_OK(vigil_bank_add_entries(st, "gifct", e, 3, &c));
        CHECK_EQ_INT(c.added, 2);
        CHECK_EQ_INT(c.duplicate, 1);
        CHECK_OK(vigil_bank_add_entries(st, "x", e, 3, &c));
        CHECK_EQ_INT(c.added, 1);
        CHECK_EQ_INT(c.refused, 2);     /* x takes md5/sha256 only */
        CHECK_EQ_INT(c.duplicate, 0);
    }
    CHECK_OK(vigil_bank_pdq_generation(st, &g1));
    CHECK(g1 > g0);
    CHECK_OK(vigil_bank_get(&got, st, "gifct"));
    CHECK_EQ_INT(got.n_entries[VIGIL_SIGNAL_PDQ], 1);
    CHECK_EQ_INT(got.n_entries[VIGIL_SIGNAL_MD5], 1);
    vigil_bank_dispose(&got);
    CHECK_OK(vigil_bank_remove(st, "gifct"));
    CHECK_EQ_INT(vigil_bank_remove(st, "gifct"), VIGIL_ENOTFOUND);
    CHECK_EQ_INT(vigil_bank_get(&got, st, "gifct"), VIGIL_ENOTFOUND);
    vigil_store_close(st);
}

struct sink {
    char *buf;
    size_t len;
};

static int sink_write(void *payload, const char *d, size_t n)
{
    struct sink *s = payload;

    s->buf = realloc(s->buf, s->len + n + 1);
    memcpy(s->buf + s->len, d, n);
    s->len += n;
    s->buf[s->len] = '\0';
    return 0;
}

static int errors_seen;
static size_t last_bad_line;

static void count_error(void *payload, size_t line, const char *reason)
{
    (void)payload;
    (void)reason;
    errors_seen++;
    last_bad_line = line;
}

static void test_bank_store__import_roundtrip(void)
{
    const char *dir = test_tmpdir();
    vigil_store *st = open_db(dir);
    vigil_list_parse_options o = VIGIL_LIST_PARSE_OPTIONS_INIT;
    vigil_import_counts c;
    struct sink a = { NULL, 0 }, b = { NULL, 0 };
    vigil_bank got;
    const char *list =
        "{\"vigil_bank\":{\"name\":\"orig\",\"signal_types\":\"pdq,md5,vpdq\","
        "\"threshold\":24,\"enabled\":true,\"is_suppression\":false,"
        "\"description\":\"d \\\"q\\\"\"}}\n"
        "{\"type\":\"pdq\",\"value\":\"" PDQ_A "\",\"label\":\"L, \\\"x\\\"\","
        "\"outlet\":\"Amaq\",\"category\":\"c\",\"source_list\":\"tcap\","
        "\"date_added\":\"2024-01-01\",\"note\":\"n\\nl\"}\n"
        "{\"type\":\"md5\",\"value\":\"" MD5_A "\"}\n"
        "{\"type\":\"vpdq\",\"value\":\"[\\\"" PDQ_B ",90,1.000\\\"]\"}\n"
        "{\"type\":\"pdq\",\"value\":\"zz\"}\n";

    test_write_file(test_path(dir, "in.jsonl"), list, strlen(list));
    o.format = VIGIL_LIST_JSONL;
    o.on_error = count_error;
    errors_seen = 0;
    CHECK_OK(vigil_bank_import(st, "copy1", test_path(dir, "in.jsonl"), &o,
                               &c));
    CHECK_EQ_INT(c.added, 3);
    CHECK_EQ_INT(c.malformed, 1);
    CHECK_EQ_INT(errors_seen, 1);
    CHECK_EQ_INT(last_bad_line, 5);
    CHECK_OK(vigil_bank_get(&got, st, "copy1"));   /* header settings used */
    CHECK_EQ_INT(got.threshold, 24);
    CHECK_EQ_STR(got.signal_types, "pdq,md5,vpdq");
    vigil_bank_dispose(&got);
    CHECK_OK(vigil_bank_export(st, "copy1", VIGIL_LIST_JSONL, -1, sink_write,
                               &a, NULL));
    test_write_file(test_path(dir, "a.jsonl"), a.buf, a.len);
    CHECK_OK(vigil_bank_import(st, "copy2", test_path(dir, "a.jsonl"), &o,
                               &c));
    CHECK_EQ_INT(c.added, 3);
    CHECK_EQ_INT(c.malformed, 0);
    CHECK_OK(vigil_bank_export(st, "copy2", VIGIL_LIST_JSONL, -1, sink_write,
                               &b, NULL));
    /* identical apart from the bank name in the header line */
    CHECK(strstr(a.buf, "\"name\":\"copy1\"") != NULL);
    CHECK(strcmp(strchr(a.buf, '\n'), strchr(b.buf, '\n')) == 0);
    CHECK(strstr(a.buf, "\"note\":\"n\\nl\"") != NULL);
    /* re-import: all duplicates, nothing added */
    CHECK_OK(vigil_bank_import(st, "copy2", test_path(dir, "a.jsonl"), &o,
                               &c));
    CHECK_EQ_INT(c.added, 0);
    CHECK_EQ_INT(c.duplicate, 3);
    free(a.buf);
    free(b.buf);
    vigil_store_close(st);
}

/* Bulk path: 150 lines (two 64-row statements and single rows), values
 * stored as bytes (upper-case hex dedupes with lower-case, export gives
 * lower-case), duplicates inside one statement counted, exact MD5 and
 * SHA-256 lookups through the index, JSONL lines parsed by the fast path
 * (\u escapes) and by jansson (raw UTF-8, duplicate keys) alike. */
static void test_bank_store__import_bulk(void)
{
    const char *dir = test_tmpdir();
    vigil_store *st = open_db(dir);
    vigil_list_parse_options o = VIGIL_LIST_PARSE_OPTIONS_INIT;
    vigil_import_counts c;
    vigil_bank b = VIGIL_BANK_INIT;
    vigil_matcher *m;
    vigil_match_list ml = VIGIL_MATCH_LIST_INIT;
    struct sink out = { NULL, 0 };
    char *list = malloc(150 * 80), *w = list, hex[65];
    const char *jl;
    int i;

    for (i = 0; i < 146; i++)      /* distinct pdq hashes, reverse order */
        w += sprintf(w, "%064x,item %d\n", 1000 - i, i);
    w += sprintf(w, "%064X,upper dup\n", 0xabcdef + 0);   /* new, upper */
    w += sprintf(w, "%064x,lower dup\n", 0xabcdef);       /* duplicate */
    w += sprintf(w, "%064x,dup of first\n", 1000);         /* duplicate */
    w += sprintf(w, "%063x,short\n", 5);                   /* malformed */
    test_write_file(test_path(dir, "l.txt"), list, (size_t)(w - list));
    o.default_type = VIGIL_SIGNAL_PDQ;
    CHECK_OK(vigil_bank_import(st, "bulk", test_path(dir, "l.txt"), &o, &c));
    CHECK_EQ_INT(c.added, 147);
    CHECK_EQ_INT(c.duplicate, 2);
    CHECK_EQ_INT(c.malformed, 1);
    CHECK_OK(vigil_bank_export(st, "bulk", VIGIL_LIST_PLAIN, -1, sink_write,
                               &out, NULL));
    snprintf(hex, sizeof(hex), "%064x", 0xabcdef);
    CHECK(strstr(out.buf, hex) != NULL);
    CHECK(strstr(out.buf, "item 145\n") != NULL);
    CHECK(strstr(out.buf, "upper dup\n") != NULL);
    CHECK(strstr(out.buf, "lower dup") == NULL);
    free(out.buf);
    free(list);

    b.name = "dig";
    b.signal_types = "md5,sha256";
    CHECK_OK(vigil_bank_create(st, &b));
    jl = "{\"type\":\"md5\",\"value\":\"" MD5_A "\",\"label\":\"caf\\u00e9\"}\n"
         "{\"type\":\"sha256\",\"value\":\"E3B0C44298FC1C149AFBF4C8996FB924"
         "27AE41E4649B934CA495991B7852B855\",\"label\":\"caf\xc3\xa9\"}\n"
         "{\"type\":\"md5\",\"value\":\"00000000000000000000000000000000\","
         "\"label\":\"first\",\"label\":\"last\"}\n";
    test_write_file(test_path(dir, "d.jsonl"), jl, strlen(jl));
    o.format = VIGIL_LIST_JSONL;
    CHECK_OK(vigil_bank_import(st, "dig", test_path(dir, "d.jsonl"), &o, &c));
    CHECK_EQ_INT(c.added, 3);
    CHECK_EQ_INT(c.malformed, 0);
    CHECK_OK(vigil_matcher_open(&m, st, NULL));
    CHECK_OK(vigil_matcher_digest(m, VIGIL_SIGNAL_MD5, MD5_A, &ml));
    CHECK_EQ_INT(ml.n, 1);
    CHECK_EQ_STR(ml.n ? ml.v[0].label : "", "caf\xc3\xa9");
    vigil_match_list_clear(&ml);
    CHECK_OK(vigil_matcher_digest(m, VIGIL_SIGNAL_SHA256, "e3b0c44298fc1c149"
                                  "afbf4c8996fb92427ae41e4649b934ca495991b78"
                                  "52b855", &ml));
    CHECK_EQ_INT(ml.n, 1);
    CHECK_EQ_STR(ml.n ? ml.v[0].label : "", "caf\xc3\xa9");
    vigil_match_list_clear(&ml);
    CHECK_OK(vigil_matcher_digest(m, VIGIL_SIGNAL_MD5, "00000000000000000000"
                                  "000000000000", &ml));
    CHECK_EQ_INT(ml.n, 1);
    CHECK_EQ_STR(ml.n ? ml.v[0].label : "", "last");
    vigil_match_list_clear(&ml);
    CHECK_OK(vigil_matcher_digest(m, VIGIL_SIGNAL_SHA256, MD5_A, &ml));
    CHECK_EQ_INT(ml.n, 0);       /* wrong length for the type: no match */
    vigil_match_list_dispose(&ml);
    vigil_matcher_free(m);
    vigil_store_close(st);
}

/* A store failure part-way leaves nothing behind: a trigger makes the
 * third insert fail after two succeeded inside the import's transaction. */
static void test_bank_store__import_atomic(void)
{
    const char *dir = test_tmpdir();
    vigil_store *st = open_db(dir);
    vigil_list_parse_options o = VIGIL_LIST_PARSE_OPTIONS_INIT;
    vigil_import_counts c;
    vigil_bank got;
    const char *list = PDQ_A ",one\n" MD5_A ",two\n" PDQ_B ",boom\n";

    test_write_file(test_path(dir, "l.txt"), list, strlen(list));
    create(st, "b", 31, 0);
    CHECK_OK(vigil_bank_import(st, "b", test_path(dir, "l.txt"), NULL, &c));
    CHECK_EQ_INT(c.added, 1);       /* 64 hex without a type: malformed */
    CHECK_EQ_INT(c.malformed, 2);
    CHECK_OK(vigil__store_exec(st, "CREATE TRIGGER boom BEFORE INSERT ON "
                               "bank_entries WHEN NEW.label = 'boom' BEGIN "
                               "SELECT RAISE(ABORT, 'boom'); END"));
    o.default_type = VIGIL_SIGNAL_PDQ;
    CHECK_EQ_INT(vigil_bank_import(st, "b", test_path(dir, "l.txt"), &o, &c),
                 VIGIL_ESTORE);
    CHECK_EQ_INT(vigil_bank_import(st, "b", "/nonexistent/list", NULL, &c),
                 VIGIL_EIO);
    CHECK_OK(vigil_bank_get(&got, st, "b"));
    CHECK_EQ_INT(got.n_entries[VIGIL_SIGNAL_MD5], 1);
    CHECK_EQ_INT(got.n_entries[VIGIL_SIGNAL_PDQ], 0);   /* "one" rolled back */
    vigil_bank_dispose(&got);
    vigil_store_close(st);
}

/* A synthetic grey image (smooth pattern) as binary PGM. */
static void write_pgm(const char *path, int rot90)
{
    enum { W = 64 };
    unsigned char px[W * W];
    char hdr[32];
    FILE *f;
    int x, y;

    for (y = 0; y < W; y++)
        for (x = 0; x < W; x++) {
            int v = ((x * 7 + y * 3) % 64) * 3 + (x > 20 && y < 40 ? 60 : 0);
            int sx = rot90 ? y : x, sy = rot90 ? W - 1 - x : y;

            px[sy * W + sx] = (unsigned char)v;
        }
    snprintf(hdr, sizeof(hdr), "P5\n%d %d\n255\n", W, W);
    f = fopen(path, "wb");
    fwrite(hdr, 1, strlen(hdr), f);
    fwrite(px, 1, sizeof(px), f);
    fclose(f);
}

static void flip(char *hex, int nbits)
{
    int i;

    for (i = 0; i < nbits; i++) {
        int d = i * 3 % 64, v = hex[d] >= 'a' ? hex[d] - 'a' + 10 : hex[d] - '0';

        v ^= 1 << (i / 22);
        hex[d] = "0123456789abcdef"[v];
    }
}

static void test_bank_store__match_files_and_items(void)
{
    const char *dir = test_tmpdir();
    vigil_store *st = open_db(dir);
    vigil_match_options mo = VIGIL_MATCH_OPTIONS_INIT;
    vigil_match_list l = VIGIL_MATCH_LIST_INIT;
    vigil_matcher *m;
    vigil_pdq h;
    vigil_digests d;
    char img[512], rot[512], hex[65], near[65], far[65], sha[65];
    int q, ps, i;
    vigil_import_counts c;
    vigil_source src = { "telegram", "-100", NULL, "chan", NULL, NULL };
    vigil_item it;
    int64_t sid, iid;
    uint64_t nm;

    snprintf(img, sizeof(img), "%s", test_path(dir, "a.pgm"));
    snprintf(rot, sizeof(rot), "%s", test_path(dir, "r.pgm"));
    write_pgm(img, 0);
    write_pgm(rot, 1);
    CHECK_OK(vigil_pdq_hash_file(&h, &q, img, NULL));
    vigil_pdq_to_hex(hex, &h);
    strcpy(near, hex);
    flip(near, 31);                 /* exactly 31 bits away: matches */
    strcpy(far, hex);
    flip(far, 32);                  /* 32: does not */
    CHECK_OK(vigil_digest_file(&d, img));
    vigil_hex_encode(sha, d.sha256, VIGIL_SHA256_LEN);
    create(st, "bank", 31, 0);
    {
        vigil_bank_entry e[2] = {
            { VIGIL_SIGNAL_PDQ, near, "near", NULL, NULL, NULL, NULL, NULL, 0 },
            { VIGIL_SIGNAL_PDQ, far, "far", NULL, NULL, NULL, NULL, NULL, 0 },
        };
        CHECK_OK(vigil_bank_add_entries(st, "bank", e, 2, &c));
    }
    mo.index_path = test_path(dir, "v.pdqidx");
    CHECK_OK(vigil_matcher_open(&m, st, &mo));
    CHECK_OK(vigil_matcher_file(m, img, &l, &ps));
    CHECK_OK(ps);
    CHECK_EQ_INT(l.n, 1);
    if (l.n == 1) {
        CHECK_EQ_STR(l.v[0].label, "near");
        CHECK_EQ_INT(l.v[0].distance, 31);
        CHECK_EQ_INT(l.v[0].variant, -1);
    }
    vigil_match_list_clear(&l);
    CHECK_OK(vigil_matcher_file(m, rot, &l, &ps));   /* rotated: no match */
    CHECK_EQ_INT(l.n, 0);
    vigil_matcher_free(m);

    mo.dihedral = 1;                /* cached index file is reused */
    CHECK_OK(vigil_matcher_open(&m, st, &mo));
    vigil_match_list_clear(&l);
    CHECK_OK(vigil_matcher_file(m, rot, &l, &ps));
    CHECK_EQ_INT(l.n, 1);
    if (l.n == 1)
        CHECK(l.v[0].variant > 0);
    vigil_matcher_free(m);
    mo.dihedral = 0;

    /* stored items: one matching by PDQ, one by SHA-256 */
    CHECK_OK(vigil_store_source_upsert(st, &src, &sid));
    for (i = 0; i < 2; i++) {
        memset(&it, 0, sizeof(it));
        it.source_id = sid;
        it.external_id = i ? "2" : "1";
        it.posted_at = it.edited_at = VIGIL_TIME_UNKNOWN;
        it.kind = VIGIL_KIND_PHOTO;
        it.media_state = VIGIL_MEDIA_PRESENT;
        it.media_path = i ? rot : img;
        it.media_size = -1;
        it.sha256 = i ? "00" : sha;
        CHECK_OK(vigil_store_item_upsert(st, &it, NULL, &iid));
    }
    create(st, "digests", 31, 0);
    {
        vigil_bank_entry e = { VIGIL_SIGNAL_SHA256, sha, "exact", NULL, NULL,
                               NULL, NULL, NULL, 0 };
        CHECK_OK(vigil_bank_add_entries(st, "digests", &e, 1, &c));
    }
    CHECK_OK(vigil_match_items(st, 0, &mo, &nm));
    CHECK_EQ_INT(nm, 2);            /* item 1: pdq "near" + sha256 "exact" */
    CHECK_OK(vigil_match_items(st, 0, &mo, &nm));
    CHECK_EQ_INT(nm, 0);            /* rematch adds no duplicates */
    mo.dihedral = 1;
    CHECK_OK(vigil_match_items(st, iid, &mo, &nm));
    CHECK_EQ_INT(nm, 1);            /* item 2 rotated, found by a variant */

    /* a suppression bank holding the image silences it */
    create(st, "fp", 0, 1);
    {
        vigil_bank_entry e = { VIGIL_SIGNAL_PDQ, hex, "known fp", NULL, NULL,
                               NULL, NULL, NULL, 0 };
        CHECK_OK(vigil_bank_add_entries(st, "fp", &e, 1, &c));
    }
    mo.dihedral = 0;
    CHECK_OK(vigil_matcher_open(&m, st, &mo));   /* generation moved on */
    vigil_match_list_clear(&l);
    CHECK_OK(vigil_matcher_file(m, img, &l, &ps));
    CHECK_EQ_INT(l.suppressed, 1);
    CHECK_EQ_INT(l.n, 3);
    vigil_matcher_free(m);
    {
        const char *only[] = { "nosuch" };

        mo.banks = only;
        mo.n_banks = 1;
        CHECK_EQ_INT(vigil_matcher_open(&m, st, &mo), VIGIL_ENOTFOUND);
    }
    vigil_match_list_dispose(&l);
    vigil_store_close(st);
}

static const test_case cases[] = {
    { "crud", test_bank_store__crud },
    { "import_roundtrip", test_bank_store__import_roundtrip },
    { "import_atomic", test_bank_store__import_atomic },
    { "import_bulk", test_bank_store__import_bulk },
    { "match_files_and_items", test_bank_store__match_files_and_items },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, cases);
}
