/*
 * bench/bench_scan.c - text triage throughput (texts/s, MB/s) on one core
 * over a generated multilingual corpus (Latin, Arabic-script, Cyrillic;
 * synthetic benign words plus outlet names, evasion spellings, wallets and
 * links): normalisation, watchlist, indicators and full scan, beside a
 * Hyperscan-only anchor (the watchlist terms as caseless literals over the
 * raw text, no normalisation). Usage: bench_scan [MB [MODE]] (default 8
 * MB, every mode; MODE runs only the modes whose name starts with it;
 * MODE "dump" writes the corpus to stdout instead, to diff scan outputs),
 * or bench_scan --file FILE [MODE]: the texts of FILE instead, one per
 * line, the last tab-separated field of each (so data/langid/dev.tsv and
 * oos.tsv serve as they are; lines starting with '#' skipped). The
 * generated corpus has a small vocabulary, which the language-ID word
 * memo turns into hits; real text has far more words seen once, and
 * --file on real snippets gives the slower, truer figure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hs/hs.h>

#include "vigil/text.h"

extern const unsigned char vigil__watchlist_default_tsv[];

static uint64_t rs = 0x243F6A8885A308D3ULL;

static uint64_t rnd(void)
{
    rs ^= rs >> 12;
    rs ^= rs << 25;
    rs ^= rs >> 27;
    return rs * 0x2545F4914F6CDD1DULL;
}

#define PICK(a) (a[rnd() % (sizeof(a) / sizeof(a[0]))])

static const char *const w_latn[] = {
    "the", "market", "river", "school", "weather", "today", "people", "road",
    "water", "news", "report", "city", "bridge", "bread", "garden", "winter",
    "bozor", "maktab", "daryo", "yangi", "kitob", "shahar", "odamlar", "yo'l",
};
static const char *const w_arab[] = {
    "\xD9\x83\xD8\xAA\xD8\xA7\xD8\xA8", "\xD9\x85\xD8\xAF\xD8\xB1\xD8\xB3\xD8"
    "\xA9", "\xD8\xB3\xD9\x88\xD9\x82", "\xD9\x86\xD9\x87\xD8\xB1",
    "\xD8\xA7\xD9\x84\xD9\x8A\xD9\x88\xD9\x85", "\xD8\xB4\xD9\x87\xD8\xB1",
    "\xD8\xAE\xD8\xA7\xD9\x86\xD9\x87", "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xB1"
    "\xD9\x88\xD8\xAF", "\xDA\xA9\xD8\xAA\xD8\xA7\xD8\xA8",
    "\xD9\xBE\xD9\x84", "\xD8\xA8\xD8\xA7\xD8\xB1\xD8\xA7\xD9\x86",
};
static const char *const w_cyrl[] = {
    "\xD0\xB1\xD0\xBE\xD0\xB7\xD0\xBE\xD1\x80", "\xD0\xBC\xD0\xB0\xD0\xBA"
    "\xD1\x82\xD0\xB0\xD0\xB1", "\xD0\xB4\xD0\xB0\xD1\x80\xD1\x91",
    "\xD1\x88\xD0\xB0\xD2\xB3\xD1\x80", "\xD0\xBE\xD0\xB1", "\xD0\xBD\xD0\xB0"
    "\xD0\xB2", "\xD0\xBA\xD0\xB8\xD1\x82\xD0\xBE\xD0\xB1", "\xD1\x80\xD0\xBE"
    "\xD2\xB3", "\xD0\xBE\xD0\xB4\xD0\xB0\xD0\xBC\xD0\xBE\xD0\xBD",
};
static const char *const w_name[] = {
    "Al-Azaim", "Voice of Khurasan", "K.h.o.r.a.s.a.n Ghag", "V0ice 0f Khura5an",
    "\xD0\xA1\xD0\xB0\xD0\xB4\xD0\xBE\xD0\xB8 \xD0\xA5\xD1\x83\xD1\x80\xD0\xBE"
    "\xD1\x81\xD0\xBE\xD0\xBD", "\xD9\x85\xD8\xA4\xD8\xB3\xD8\xB3\xD8\xA9 "
    "\xD8\xA7\xD9\x84\xD8\xB9\xD9\x80\xD8\xB2\xD8\xA7\xD8\xA6\xD9\x85",
    "Amaq News", "Halummu",
};
static const char *const w_ind[] = {
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "bc1qp5dzwdzpfedksavz37w2ndkr6rw74acydz2xp7",
    "https://t.me/examplechan/12?utm_source=a", "@example_chan",
    "43TLt8wqBPj9b7oZQt3SHsGJgyLLXEJGDP2G979eNKNdVjqJPC8xg6hcTNGgFKocCVj1EmSNA"
    "yrBf6uHjeeDNhPb9URcEbm", "https://archive.org/details/item_2024",
};

struct corpus {
    char *buf;          /* lines joined by '\n' */
    size_t len;
    size_t *off;        /* line starts; off[n] = len + 1 */
    size_t n;
};

static void gen_line(char *out, size_t *k, size_t cap)
{
    int script = (int)(rnd() % 3), words = 8 + (int)(rnd() % 40), i;

    for (i = 0; i < words; i++) {
        const char *w;
        unsigned r = (unsigned)(rnd() % 100);
        if (r < 2)
            w = PICK(w_name);
        else if (r < 3)
            w = PICK(w_ind);
        else
            w = script == 0 ? PICK(w_latn) : script == 1 ? PICK(w_arab)
                                                         : PICK(w_cyrl);
        size_t wl = strlen(w);
        if (*k + wl + 2 >= cap)
            return;
        memcpy(out + *k, w, wl);
        *k += wl;
        out[(*k)++] = (i % 9 == 8) ? '.' : ' ';
    }
}

static void make_corpus(struct corpus *c, size_t bytes)
{
    size_t cap = bytes + 4096, k = 0, ncap = bytes / 40 + 16;

    c->buf = malloc(cap);
    c->off = malloc(ncap * sizeof(size_t));
    c->n = 0;
    while (k < bytes && c->n + 1 < ncap) {
        c->off[c->n++] = k;
        gen_line(c->buf, &k, cap);
        c->buf[k++] = '\n';
    }
    c->off[c->n] = k;
    c->len = k;
}

/* The texts of @p path as a corpus (see the header comment); 0 or -1. */
static int load_corpus(struct corpus *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 20, ncap = 1024, k = 0, lcap = 0;
    char *line = NULL;
    ssize_t got;

    if (!f) {
        perror(path);
        return -1;
    }
    c->buf = malloc(cap);
    c->off = malloc(ncap * sizeof(size_t));
    c->n = 0;
    while ((got = getline(&line, &lcap, f)) >= 0) {
        size_t n = strcspn(line, "\r\n");
        char *t;

        line[n] = '\0';
        if (line[0] == '#' || n == 0)
            continue;
        t = strrchr(line, '\t');
        t = t ? t + 1 : line;
        n = strlen(t);
        while (k + n + 2 > cap)
            c->buf = realloc(c->buf, cap *= 2);
        if (c->n + 2 > ncap)
            c->off = realloc(c->off, (ncap *= 2) * sizeof(size_t));
        c->off[c->n++] = k;
        memcpy(c->buf + k, t, n);
        k += n;
        c->buf[k++] = '\n';
    }
    free(line);
    fclose(f);
    c->off[c->n] = k;
    c->len = k;
    if (c->n == 0) {
        fprintf(stderr, "%s: no texts\n", path);
        return -1;
    }
    return 0;
}

static double clock_s(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef int (*pass_fn)(const struct corpus *c, void *ctx);

static const char *only;        /* run only modes starting with this */

static void measure(const char *name, const struct corpus *c, pass_fn fn,
                    void *ctx)
{
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    double t, w;
    int passes = 0;

    if (only && strncmp(name, only, strlen(only)) != 0)
        return;
    do {
        if (fn(c, ctx) < 0) {
            fprintf(stderr, "%s: failed\n", name);
            exit(1);
        }
        passes++;
        t = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    } while (t < 1.0);
    w = clock_s(CLOCK_MONOTONIC) - w0;
    printf("%-28s %12.0f %10.1f %12.1f\n", name, (double)c->n * passes / t,
           (double)c->len * passes / t / 1e6,
           (double)c->len * passes / w / 1e6);
}

/* ---- passes ------------------------------------------------------------- */

struct hs_ctx {
    hs_database_t *db;
    hs_scratch_t *scratch;
    unsigned long hits;
};

static int on_hs(unsigned id, unsigned long long from, unsigned long long to,
                 unsigned flags, void *ctx)
{
    (void)id; (void)from; (void)to; (void)flags;
    ((struct hs_ctx *)ctx)->hits++;
    return 0;
}

static int pass_hs(const struct corpus *c, void *ctx)
{
    struct hs_ctx *h = ctx;
    size_t i;

    for (i = 0; i < c->n; i++)
        if (hs_scan(h->db, c->buf + c->off[i],
                    (unsigned)(c->off[i + 1] - 1 - c->off[i]), 0, h->scratch,
                    on_hs, h) != HS_SUCCESS)
            return -1;
    return 0;
}

struct nz_ctx {
    vigil_normalizer *nz;
    vigil_norm_text nt;
};

static int pass_norm(const struct corpus *c, void *ctx)
{
    struct nz_ctx *z = ctx;
    size_t i;

    for (i = 0; i < c->n; i++)
        if (vigil_text_normalize(&z->nt, z->nz, c->buf + c->off[i],
                                 c->off[i + 1] - 1 - c->off[i], 0) < 0)
            return -1;
    return 0;
}

struct tr_ctx {
    vigil_triage *t;
    unsigned what;
    unsigned long hits, inds;
};

static int pass_triage(const struct corpus *c, void *ctx)
{
    struct tr_ctx *x = ctx;
    const vigil_triage_result *r;
    size_t i;

    for (i = 0; i < c->n; i++) {
        if (vigil_triage_scan(&r, x->t, c->buf + c->off[i],
                              c->off[i + 1] - 1 - c->off[i], x->what) < 0)
            return -1;
        x->hits += r->n_hits;
        x->inds += r->n_indicators;
    }
    return 0;
}

/* The watchlist terms as caseless literal patterns: the anchor. */
static int hs_anchor(struct hs_ctx *h)
{
    const char *p = (const char *)vigil__watchlist_default_tsv;
    const char *exprs[512] = { NULL };
    unsigned flags[512] = { 0 }, ids[512] = { 0 }, n = 0;
    hs_compile_error_t *err;
    int rc;

    while (*p && n < 512) {
        const char *eol = strchr(p, '\n'), *tab = strchr(p, '\t'), *q;
        char *e, *w;

        if (!eol)
            eol = p + strlen(p);
        if (*p != '#' && tab && tab < eol && strncmp(p, "term\t", 5) != 0) {
            e = malloc((size_t)(tab - p) * 4 + 1);
            for (q = p, w = e; q < tab; q++)
                w += snprintf(w, 5, "\\x%02x", (unsigned char)*q);
            exprs[n] = e;
            flags[n] = HS_FLAG_CASELESS;
            ids[n] = n;
            n++;
        }
        p = *eol ? eol + 1 : eol;
    }
    rc = hs_compile_multi(exprs, flags, ids, n, HS_MODE_BLOCK, NULL, &h->db,
                          &err);
    while (n)
        free((char *)exprs[--n]);
    if (rc != HS_SUCCESS)
        return -1;
    return hs_alloc_scratch(h->db, &h->scratch) == HS_SUCCESS ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct corpus c;
    struct hs_ctx h = { NULL, NULL, 0 };
    struct nz_ctx z = { NULL, VIGIL_NORM_TEXT_INIT };
    struct tr_ctx x = { NULL, 0, 0, 0 };
    const char *file = argc > 2 && strcmp(argv[1], "--file") == 0 ? argv[2] : NULL;
    double mb = argc > 1 && !file ? strtod(argv[1], NULL) : 8.0;

    if (mb <= 0 || mb > 1024)
        mb = 8.0;
    if (file) {
        only = argc > 3 ? argv[3] : NULL;
        if (load_corpus(&c, file) < 0)
            return 1;
    } else {
        only = argc > 2 ? argv[2] : NULL;
        make_corpus(&c, (size_t)(mb * 1e6));
    }
    if (only && strcmp(only, "dump") == 0) {
        fwrite(c.buf, 1, c.len, stdout);
        free(c.buf);
        free(c.off);
        return 0;
    }
    if (hs_anchor(&h) < 0 || vigil_normalizer_new(&z.nz) < 0 ||
        vigil_triage_new(&x.t, NULL) < 0) {
        fprintf(stderr, "bench_scan: setup failed\n");
        return 1;
    }
    if (file)
        printf("bench_scan: %zu texts of %s, %.1f MB, read in passes;"
               " one thread (machine shared with other jobs)\n", c.n, file,
               (double)c.len / 1e6);
    else
        printf("bench_scan: %zu texts, %.1f MB, Latin/Arabic-script/Cyrillic mix;"
               " one thread (machine shared with other jobs)\n", c.n,
               (double)c.len / 1e6);
    printf("throughput per CPU-second of this thread (wall-clock MB/s beside "
           "it, lower when the cores are shared)\n");
    printf("%-28s %12s %10s %12s\n", "mode", "texts/s", "MB/s", "wall MB/s");
    measure("hyperscan-only (anchor)", &c, pass_hs, &h);
    measure("normalise", &c, pass_norm, &z);
    x.what = VIGIL_TRIAGE_WATCHLIST;
    measure("watchlist (normalise+match)", &c, pass_triage, &x);
    x.what = VIGIL_TRIAGE_INDICATORS;
    measure("indicators", &c, pass_triage, &x);
    x.what = VIGIL_TRIAGE_LANG;
    measure("lang/script (langid)", &c, pass_triage, &x);
    x.what = VIGIL_TRIAGE_WATCHLIST | VIGIL_TRIAGE_INDICATORS;
    measure("full scan without langid", &c, pass_triage, &x);
    x.what = VIGIL_TRIAGE_ALL;
    measure("full scan", &c, pass_triage, &x);
    x.hits = x.inds = 0;
    h.hits = 0;
    pass_triage(&c, &x);
    pass_hs(&c, &h);
    printf("one pass: full scan %lu watchlist hits, %lu indicators; anchor %lu"
           " raw literal matches (no evasion handling, no boundaries)\n",
           x.hits, x.inds, h.hits);
    vigil_triage_free(x.t);
    vigil_norm_text_dispose(&z.nt);
    vigil_normalizer_free(z.nz);
    hs_free_scratch(h.scratch);
    hs_free_database(h.db);
    free(c.buf);
    free(c.off);
    return 0;
}
