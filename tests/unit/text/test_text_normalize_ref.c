/*
 * tests/unit/text/test_text_normalize_ref.c - the normaliser's fast paths
 * (per-code-point cache, two-byte table, letter loop) against the plain
 * ICU-per-code-point reference pass: identical text, offset map and letter
 * counts on the evasion cases, the dev snippets, the fuzz seeds, the bench
 * corpus and sample posts (when their generators are built) and random
 * UTF-8 with invalid bytes, marks, joiners, fullwidth forms, look-alikes.
 */
#include "test.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text/text_internal.h"
#include "vigil/text.h"

static vigil_normalizer *nz, *nz_ref;
static vigil_norm_text fast = VIGIL_NORM_TEXT_INIT;
static vigil_norm_text ref = VIGIL_NORM_TEXT_INIT;
static size_t compared, mismatches;

/* Normalise @p s both ways (both flag settings) and compare everything. */
static void compare(const char *s, size_t len)
{
    unsigned int flags;

    for (flags = 0; flags <= VIGIL_NORM_TERM; flags += VIGIL_NORM_TERM) {
        size_t i, at;
        int same;

        CHECK_OK(vigil_text_normalize(&fast, nz, s, len, flags));
        CHECK_OK(vigil_text__normalize_ref(&ref, nz_ref, s, len, flags));
        same = fast.len == ref.len &&
               memcmp(fast.text, ref.text, fast.len + 1) == 0 &&
               memcmp(fast.map, ref.map,
                      (fast.len + 1) * sizeof(uint32_t)) == 0 &&
               memcmp(fast.letters, ref.letters, sizeof(fast.letters)) == 0;
        compared++;
        if (same)
            continue;
        if (++mismatches > 5)
            continue;                   /* the first few are printed */
        for (at = 0; at < fast.len && at < ref.len &&
                     fast.text[at] == ref.text[at] &&
                     fast.map[at] == ref.map[at]; at++)
            ;
        fprintf(stderr, "mismatch (flags %u, %zu input bytes) at output "
                "byte %zu: fast len %zu \"%.80s\", ref len %zu \"%.80s\"\n"
                "  input:", flags, len, at, fast.len, fast.text, ref.len,
                ref.text);
        for (i = 0; i < len && i < 96; i++)
            fprintf(stderr, " %02x", (unsigned char)s[i]);
        fprintf(stderr, "\n");
        CHECK(same);
    }
}

/* Each line of @p s, then the whole buffer as one text. */
static void compare_lines(const char *s, size_t len)
{
    size_t a = 0, b;

    for (b = 0; b <= len; b++)
        if (b == len || s[b] == '\n') {
            compare(s + a, b - a);
            a = b + 1;
        }
    compare(s, len);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
        fread(buf, 1, (size_t)n, f) == (size_t)n) {
        *len = (size_t)n;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static void compare_file(const char *path)
{
    size_t len = 0;
    char *buf = slurp(path, &len);

    CHECK(buf != NULL);
    if (!buf) {
        fprintf(stderr, "cannot read %s\n", path);
        return;
    }
    compare_lines(buf, len);
    free(buf);
}

/* Every regular file under @p dir (recursively) whose name ends in
 * @p suffix (NULL: every file). Returns how many were compared. */
static size_t compare_tree(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        size_t nl = strlen(e->d_name), sl = suffix ? strlen(suffix) : 0;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            n += compare_tree(path, suffix);
        } else if (S_ISREG(st.st_mode) &&
                   (!suffix || (nl >= sl &&
                                strcmp(e->d_name + nl - sl, suffix) == 0))) {
            compare_file(path);
            n++;
        }
    }
    closedir(d);
    return n;
}

static const char *source_dir(void)
{
    const char *s = getenv("VIGIL_SOURCE_DIR");
    return s ? s : "../..";
}

/* ---- cases -------------------------------------------------------------- */

static const char *const evasions[] = {
    "KHORASAN", "\xEF\xBC\xAB\xEF\xBD\x88\xEF\xBD\x8F",
    "\xF0\x9D\x90\x8A\xF0\x9D\x90\xA1", "Khor\xC4\x81s\xC4\x81n",
    "Khora\xCC\x84san",
    "\xD8\xB5\xD8\xAF\xD8\xA7\xD9\x8A \xD8\xB5\xD8\xAF\xD8\xA7\xDB\x8C "
    "\xD8\xB5\xD8\xAF\xD8\xA7\xD9\x89",
    "\xD9\x83\xD8\xAA\xD8\xA7\xD8\xA8 \xDA\xA9\xD8\xAA\xD8\xA7\xD8\xA8",
    "\xD8\xB1\xD8\xA7\xD9\x87 \xD8\xB1\xD8\xA7\xDB\x95 \xD8\xB1\xD8\xA7\xDB"
    "\x81 \xD8\xB1\xD8\xA7\xDB\x80 \xEF\xBB\x99",
    "\xD8\xA7\xD9\x84\xD8\xB9\xD9\x80\xD9\x80\xD8\xB2\xD8\xA7\xD8\xA6\xD9\x85",
    "\xD8\xA7\xD9\x84\xD8\xB9\xD9\x8E\xD8\xB2\xD9\x8E\xD8\xA7\xD8\xA6\xD9\x90"
    "\xD9\x85",
    "\xD8\xA7\xD9\x84\xD8\xB9\xE2\x80\x8C\xD8\xB2\xD8\xA7\xE2\x80\x8D\xD8\xA6"
    "\xD9\x85",
    "Khur\xD0\xB0s\xD0\xB0n Kh\xCE\xBFr\xD0\xB0s\xD0\xB0n \xCE\x9Ahorasan "
    "\xD0\x9Ahorasan V\xD0\xBE\xD1\x96\xD1\x81\xD0\xB5 Hal\xC4\xB1mmu",
    "K.h.o.r.a.s.a.n", "K-h-o-r-a-s-a-n Ghag", "A l - A z a i m",
    "K h o r a s a n", "Kh o r a s a n", "al-N a b a", "al-N a b a: hr",
    "T r a n s l a t i o n \xE2\x86\x92 1", "the U-N a b c",
    "K_h_o_r \xC2\xB7 a s a n", "Al-Aza'im", "I\xE2\x80\x99lam",
    "the  radio,  I think; a day", "end. Next -one two- three", "ab.cd x - yz",
    "Kh0r4s4n", "V01c3 0f KHUR@5AN", "Al-Az@im", "$ 5", "@x a@ @@b a$$b",
    "x \xD0\x9A.h.o \xD8\xB9\xD9\x80\xD9\x8E\xD8\xB2 y",
    "ab\xFF\xC0\x80 cd\xE2\x82", "", " ", "a", ".", "a b", "a b c",
    "\xD0\xA1\xD0\xB0\xD0\xB4\xD0\xBE\xD0\xB8 \xD0\xA5\xD1\x83\xD1\x80\xD0\xBE"
    "\xD1\x81\xD0\xBE\xD0\xBD",
    "\xD9\x85\xD8\xA4\xD8\xB3\xD8\xB3\xD8\xA9 \xD8\xA7\xD9\x84\xD8\xB9\xD9\x80"
    "\xD8\xB2\xD8\xA7\xD8\xA6\xD9\x85",
    "\xC5\x89 \xC3\x9F \xEF\xB7\xBA \xC7\x84 \xE2\x84\xAB",  /* ŉ ß ﷺ Ǆ Å */
    "\xD9\x84 \xD8\xA7 \xD9\x84 \xD8\xB9 \xD8\xB2 \xD8\xA7 \xD8\xA6 \xD9\x85",
    "\xD0\x90 \xD0\x91 \xD0\x92 \xD0\x93 x",
    /* regional indicators: spelled out (letters), in pairs (flags) */
    "\xF0\x9F\x87\xA6 \xF0\x9F\x87\xB2 \xF0\x9F\x87\xA6 \xF0\x9F\x87\xB6", "x\xF0\x9F\x87\xA6\xF0\x9F\x87\xB2\xF0\x9F\x87\xA6\xF0\x9F\x87\xB6y",
    "\xF0\x9F\x87\xA6 \xF0\x9F\x87\xAB\xF0\x9F\x87\xA6 \xF0\x9F\x87\xAB\xF0\x9F\x87\xA6\xF0\x9F\x87\xB2",
};

static void test_normalize_ref__evasions(void)
{
    size_t i;

    for (i = 0; i < sizeof(evasions) / sizeof(evasions[0]); i++)
        compare(evasions[i], strlen(evasions[i]));
    CHECK_EQ_INT(mismatches, 0);
}

static void test_normalize_ref__dev_snippets(void)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/data/langid/dev.tsv", source_dir());
    compare_file(path);
    CHECK(compared > 9000);             /* 4,600 lines, both flag settings */
    CHECK_EQ_INT(mismatches, 0);
}

static void test_normalize_ref__fuzz_seeds(void)
{
    char path[4096];
    size_t n;

    snprintf(path, sizeof(path), "%s/fuzz/corpora", source_dir());
    n = compare_tree(path, NULL);
    CHECK(n > 50);
    CHECK_EQ_INT(mismatches, 0);
}

/* The bench corpus (bench_scan dump) and the sample posts
 * (vigil-gensample): only when this build has those programs. */
static void test_normalize_ref__generated_corpora(void)
{
    const char *build = getenv("VIGIL_BUILD_DIR"), *tmp = test_tmpdir();
    char bench[4096], gen[4096];

    if (!build) {
        fprintf(stderr, "generated_corpora: VIGIL_BUILD_DIR unset, skipped\n");
        return;
    }
    snprintf(bench, sizeof(bench), "%s/bench/bench_scan", build);
    snprintf(gen, sizeof(gen), "%s/vigil-gensample", build);
    if (access(bench, X_OK) == 0) {
        CHECK_EQ_INT(test_system("'%s' 1 dump > '%s'", bench,
                                 test_path(tmp, "bench.txt")), 0);
        compare_file(test_path(tmp, "bench.txt"));
    } else {
        fprintf(stderr, "generated_corpora: no %s, bench corpus skipped\n",
                bench);
    }
    if (access(gen, X_OK) == 0) {
        CHECK_EQ_INT(test_system("'%s' --out '%s' --seed 42 --quiet", gen,
                                 test_path(tmp, "gs")), 0);
        CHECK(compare_tree(test_path(tmp, "gs"), ".json") >= 3);
        CHECK(compare_tree(test_path(tmp, "gs"), ".jsonl") >= 1);
    } else {
        fprintf(stderr, "generated_corpora: no %s, sample posts skipped\n",
                gen);
    }
    CHECK_EQ_INT(mismatches, 0);
}

/* ---- random UTF-8 ------------------------------------------------------- */

static uint64_t rs = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(uint32_t n)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (uint32_t)((rs >> 11) % n);
}

/* Append code point @p c as UTF-8, surrogates included (bad input). */
static size_t put_cp(char *o, size_t k, uint32_t c)
{
    if (c < 0x80) {
        o[k++] = (char)c;
    } else if (c < 0x800) {
        o[k++] = (char)(0xC0 | (c >> 6));
        o[k++] = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        o[k++] = (char)(0xE0 | (c >> 12));
        o[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[k++] = (char)(0x80 | (c & 0x3F));
    } else {
        o[k++] = (char)(0xF0 | (c >> 18));
        o[k++] = (char)(0x80 | ((c >> 12) & 0x3F));
        o[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[k++] = (char)(0x80 | (c & 0x3F));
    }
    return k;
}

/* Code point ranges the generator draws from, with weights. */
static const struct { uint32_t lo, hi, w; } ranges[] = {
    { 'a', 'z', 30 }, { 'A', 'Z', 10 }, { '0', '9', 6 }, { ' ', ' ', 25 },
    { '!', '/', 6 }, { ':', '@', 4 }, { '[', '`', 3 }, { '{', '~', 3 },
    { 0, 0x1F, 2 }, { 0x7F, 0x9F, 1 },
    { 0x0621, 0x064A, 25 }, { 0x064B, 0x0652, 6 }, { 0x0640, 0x0640, 3 },
    { 0x060C, 0x061F, 2 }, { 0x0660, 0x0669, 2 }, { 0x0671, 0x06D5, 8 },
    { 0x06F0, 0x06F9, 2 }, { 0x0400, 0x04FF, 25 }, { 0x0370, 0x03FF, 6 },
    { 0x00A0, 0x00FF, 8 }, { 0x0100, 0x024F, 6 }, { 0x0250, 0x02FF, 3 },
    { 0x0300, 0x036F, 5 }, { 0x0531, 0x0587, 2 }, { 0x0590, 0x05FF, 1 },
    { 0x0700, 0x07FF, 2 }, { 0x200B, 0x200F, 5 }, { 0x2010, 0x2027, 4 },
    { 0x2028, 0x206F, 1 }, { 0x2070, 0x218F, 2 }, { 0xFF01, 0xFF5E, 5 },
    { 0xFB50, 0xFDFF, 3 }, { 0xFE70, 0xFEFC, 3 }, { 0x3000, 0x30FF, 1 },
    { 0x4E00, 0x4E2F, 1 }, { 0xAC00, 0xAC1F, 1 }, { 0xD800, 0xDFFF, 1 },
    { 0xFFF0, 0xFFFF, 1 }, { 0x1D400, 0x1D7FF, 3 }, { 0x1F600, 0x1F64F, 1 },
    { 0x10000, 0x10FFFF, 1 }, { 0x0E00, 0x0E7F, 1 }, { 0x0900, 0x097F, 1 },
};

static uint32_t random_cp(void)
{
    static uint32_t total;
    uint32_t r, k;

    if (!total)
        for (k = 0; k < sizeof(ranges) / sizeof(ranges[0]); k++)
            total += ranges[k].w;
    r = rnd(total);
    for (k = 0; r >= ranges[k].w; k++)
        r -= ranges[k].w;
    return ranges[k].lo + rnd(ranges[k].hi - ranges[k].lo + 1);
}

/* One random text: code points, spelled-out letters, raw bad bytes. */
static size_t random_text(char *o, size_t cap)
{
    size_t k = 0, pieces = rnd(120), p;

    for (p = 0; p < pieces && k + 16 < cap; p++) {
        uint32_t r = rnd(100);

        if (r < 70) {
            k = put_cp(o, k, random_cp());
        } else if (r < 85) {            /* "x " or "x." spelled letters */
            k = put_cp(o, k, random_cp());
            o[k++] = ". -_"[rnd(4)];
        } else if (r < 92) {            /* a bad or cut sequence */
            static const char *const bad[] = {
                "\xFF", "\xC0\x80", "\xE2\x82", "\x80", "\xBF\xBF",
                "\xF5\x80\x80\x80", "\xED\xA0\x80", "\xC2", "\xF0\x9F\x98",
                "\xE0\x80\xAF"
            };
            const char *b = bad[rnd(10)];
            memcpy(o + k, b, strlen(b));
            k += strlen(b);
        } else {                        /* any byte */
            o[k++] = (char)rnd(256);
        }
    }
    return k;
}

static void test_normalize_ref__random(void)
{
    char buf[2048];
    int i;

    for (i = 0; i < 4000; i++) {
        if (i % 500 == 0) {             /* a cold cache now and then */
            vigil_normalizer_free(nz);
            CHECK_OK(vigil_normalizer_new(&nz));
        }
        compare(buf, random_text(buf, sizeof(buf)));
        if (mismatches)
            break;
    }
    CHECK_EQ_INT(mismatches, 0);
}

/* Code point @p c between letters, doubled, after a space and at text
 * edges, three times: met once through the slow path, then again through
 * the two-/three-byte tables. */
static void compare_cp_in_context(uint32_t c)
{
    char buf[64];
    size_t k = 0, j, one;

    for (j = 0; j < 3; j++) {
        buf[k++] = 'a';
        k = put_cp(buf, k, c);
        k = put_cp(buf, k, c);
        buf[k++] = ' ';
        k = put_cp(buf, k, c);
        buf[k++] = 'b';
        k = put_cp(buf, k, 0x0628);
        k = put_cp(buf, k, c);
    }
    compare(buf, k);
    one = put_cp(buf, 0, c);
    compare(buf, one);                  /* alone */
    compare(buf, one - 1);              /* cut short */
}

/* Every two-byte code point, cold. */
static void test_normalize_ref__all_two_byte(void)
{
    uint32_t c;

    for (c = 0x80; c < 0x800; c++)
        compare_cp_in_context(c);
    CHECK_EQ_INT(mismatches, 0);
}

/* The three-byte blocks triage meets most (Indic scripts, punctuation
 * and joiners, CJK symbols, presentation and fullwidth forms), cold. */
static void test_normalize_ref__three_byte_blocks(void)
{
    static const uint32_t blocks[][2] = {
        { 0x0800, 0x0DFF }, { 0x1E00, 0x20FF }, { 0x2C00, 0x2E7F },
        { 0x3000, 0x30FF }, { 0xA640, 0xA69F }, { 0xD7F0, 0xD7FF },
        { 0xFB00, 0xFFFF },
    };
    size_t b;
    uint32_t c;

    vigil_normalizer_free(nz);
    CHECK_OK(vigil_normalizer_new(&nz));
    for (b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++)
        for (c = blocks[b][0]; c <= blocks[b][1]; c++)
            compare_cp_in_context(c);
    CHECK_EQ_INT(mismatches, 0);
}

int main(int argc, char **argv)
{
    static const test_case cases[] = {
        { "test_normalize_ref__evasions", test_normalize_ref__evasions },
        { "test_normalize_ref__all_two_byte", test_normalize_ref__all_two_byte },
        { "test_normalize_ref__three_byte_blocks",
          test_normalize_ref__three_byte_blocks },
        { "test_normalize_ref__dev_snippets", test_normalize_ref__dev_snippets },
        { "test_normalize_ref__fuzz_seeds", test_normalize_ref__fuzz_seeds },
        { "test_normalize_ref__generated_corpora",
          test_normalize_ref__generated_corpora },
        { "test_normalize_ref__random", test_normalize_ref__random },
        { NULL, NULL }
    };
    int rc;

    if (vigil_normalizer_new(&nz) != VIGIL_OK ||
        vigil_normalizer_new(&nz_ref) != VIGIL_OK)
        return 1;
    rc = test_main(argc, argv, cases);
    fprintf(stderr, "%zu texts compared, %zu mismatches\n", compared,
            mismatches);
    vigil_norm_text_dispose(&fast);
    vigil_norm_text_dispose(&ref);
    vigil_normalizer_free(nz);
    vigil_normalizer_free(nz_ref);
    return rc;
}
