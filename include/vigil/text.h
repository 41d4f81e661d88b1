/*
 * vigil/text.h - text triage: evasion-resistant normalisation (ICU NFKC,
 * case folding, Arabic-script variants, UTS #39 skeletons, separators,
 * leetspeak) with an offset map back to the original bytes, the outlet
 * watchlist (Hyperscan), and wallet/link indicators with checksum checks.
 */
#ifndef VIGIL_TEXT_H
#define VIGIL_TEXT_H

#include "common.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest text accepted by one call, bytes (offsets are 32-bit). */
#define VIGIL_TEXT_MAX_BYTES (64u * 1024u * 1024u)
/** At most this many raw watchlist matches and indicators are kept per
 * text (the first ones in text order); bounds the per-text work. */
#define VIGIL_TEXT_MAX_HITS 4096
#define VIGIL_TEXT_MAX_INDICATORS 4096

/* ---- normalisation ----------------------------------------------------- */

/** A normaliser: ICU handles plus a per-code-point mapping cache. */
typedef struct vigil_normalizer vigil_normalizer;

/**
 * Create a normaliser.
 * @param[out] out  release with vigil_normalizer_free()
 * @return VIGIL_OK, VIGIL_ENOMEM, VIGIL_ERROR (ICU could not open its data)
 * Threads: one normaliser per thread (its cache is filled on use).
 */
int vigil_normalizer_new(vigil_normalizer **out);
void vigil_normalizer_free(vigil_normalizer *nz);     /* NULL is a no-op */

/** Flags for vigil_text_normalize(). */
#define VIGIL_NORM_TERM 0x1u  /* watchlist term: every separator is a word break */

/**
 * Normalised text. Words are separated by single ASCII spaces; letters are
 * NFKC-case-folded, Arabic-script variants unified, marks, tatweel, ZWNJ/ZWJ
 * and apostrophes dropped, Latin/Cyrillic/Greek look-alikes replaced by their
 * UTS #39 skeleton, leetspeak digits and signs read as letters, styled
 * letters (small capitals, negative squared) read as ASCII, letters spaced
 * out with separators ("K.h.o.r.a.s.a.n", "A l - A z a i m") joined, a
 * letter repeated three times or more in a row ("Amaaaq") read as one, and
 * so a doubled ASCII letter other than i and v, with ee read as i and oo as
 * u ("Hallummu" as "halumu", "Tawheed" as "tawhid": romanisations of one
 * Arabic name).
 * A span under a bidi override that shows it reversed on screen (U+202E
 * before Latin or Cyrillic letters, U+202D before Arabic-script ones) is
 * read as shown: "\u202Enasaruhk" as "khurasan".
 * map[i] is the byte offset in the original text of the code point that
 * produced byte i (a letter's code point is always valid UTF-8, so its end
 * follows from its lead byte); map[len] is the original length. The map is
 * non-decreasing except inside such a reversed span.
 */
typedef struct {
    char *text;          /* NUL-terminated, len bytes */
    size_t len;
    uint32_t *map;       /* len + 1 entries (see above) */
    size_t cap;          /* allocated entries, internal */
    size_t letters[4];   /* source letters by VIGIL_NORM_LATN.. (ASCII
                            digits not counted) */
} vigil_norm_text;

/* Indexes of vigil_norm_text.letters. */
#define VIGIL_NORM_OTHER 0
#define VIGIL_NORM_LATN  1
#define VIGIL_NORM_ARAB  2
#define VIGIL_NORM_CYRL  3

#define VIGIL_NORM_TEXT_INIT { NULL, 0, NULL, 0, { 0, 0, 0, 0 } }

/**
 * Normalise @p s into @p out (reusing its buffers).
 * @param s    UTF-8; invalid bytes become separators
 * @return VIGIL_OK, VIGIL_ENOMEM, VIGIL_ELIMIT (over VIGIL_TEXT_MAX_BYTES)
 */
int vigil_text_normalize(vigil_norm_text *out, vigil_normalizer *nz,
                         const char *s, size_t len, unsigned int flags);
void vigil_norm_text_dispose(vigil_norm_text *t);    /* NULL is a no-op */

/* ---- watchlist --------------------------------------------------------- */

typedef struct vigil_watchlist vigil_watchlist;

/**
 * Build a watchlist from TSV text (format: data/watchlist/README.md:
 * term, outlet, kind, language, strength, weight; '#' comments).
 * @param[out] out  release with vigil_watchlist_free()
 * @param name      shown in error messages ("outlets.tsv")
 * @return VIGIL_OK, VIGIL_EFORMAT ("name:line: reason"), VIGIL_ENOMEM,
 *         VIGIL_ERROR (Hyperscan refused the patterns)
 * Threads: a built watchlist is read-only and may be shared.
 */
int vigil_watchlist_new(vigil_watchlist **out, const char *tsv, size_t len,
                        const char *name);
/** The watchlist bundled with vigil (data/watchlist/outlets.tsv). */
int vigil_watchlist_new_default(vigil_watchlist **out);
/**
 * Read a TSV file.
 * @param with_default  1: the bundled terms come first, then the file's
 * @return as vigil_watchlist_new(), or VIGIL_EIO when @p path cannot be
 *         read, VIGIL_ELIMIT over 64 MiB
 */
int vigil_watchlist_load(vigil_watchlist **out, const char *path,
                         int with_default);
void vigil_watchlist_free(vigil_watchlist *wl);       /* NULL is a no-op */
/** Number of terms. */
size_t vigil_watchlist_count(const vigil_watchlist *wl);

/* ---- indicators -------------------------------------------------------- */

typedef enum {
    VIGIL_IND_MONERO = 0,
    VIGIL_IND_BITCOIN,
    VIGIL_IND_ETHEREUM,
    VIGIL_IND_TRON,
    VIGIL_IND_TELEGRAM_LINK,
    VIGIL_IND_TELEGRAM_HANDLE,
    VIGIL_IND_ARCHIVE_ORG,
    VIGIL_IND_URL,
    VIGIL_IND_ONION,
    VIGIL_IND__COUNT
} vigil_indicator_type;

/** "monero", "bitcoin", ...; NULL when out of range. */
const char *vigil_indicator_type_name(vigil_indicator_type t);

/** Validity of an indicator. */
#define VIGIL_VALID_NO        0   /* checksum or syntax check failed */
#define VIGIL_VALID_YES       1   /* checksum (or, for links, syntax) holds */
#define VIGIL_VALID_UNCHECKED 2   /* no checksum in this form (lower-case ETH) */

/**
 * Check one address (whole string) by its own checksum.
 * @param[out] subtype_out  static name ("standard", "p2wpkh", ...) or NULL;
 *                          may be NULL
 * @return VIGIL_VALID_* ; a string that is not of the type at all is _NO.
 * Threads: safe.
 */
int vigil_check_monero(const char *s, size_t len, const char **subtype_out);
int vigil_check_bitcoin(const char *s, size_t len, const char **subtype_out);
int vigil_check_ethereum(const char *s, size_t len);
int vigil_check_tron(const char *s, size_t len);
/** @p s is the 56-character label, with or without ".onion". */
int vigil_check_onion(const char *s, size_t len);

/* ---- triage: one text in, language, hits and indicators out ------------- */

typedef struct vigil_triage vigil_triage;

/** One watchlist hit; offsets are bytes into the text given to scan. */
typedef struct {
    const char *outlet;      /* borrowed from the watchlist */
    const char *term;        /* the watchlist term that matched */
    const char *kind;        /* outlet kind ("radio", ...) */
    size_t start, end;       /* byte offsets into the original text */
    double weight;           /* term weight from the watchlist */
    int weak;                /* 1 for a weak key kept next to a strong one */
} vigil_hit;

/** One indicator found in the text. */
typedef struct {
    vigil_indicator_type type;
    const char *value;       /* normalised form, owned by the result */
    const char *subtype;     /* static ("integrated", "p2sh", ...) or NULL */
    size_t start, end;       /* byte offsets into the original text */
    int valid;               /* VIGIL_VALID_* */
} vigil_indicator;

/** What triage found in one text; owned by the vigil_triage handle. */
typedef struct {
    char lang[16];           /* "tgk-Cyrl", or "und" */
    char script[8];          /* dominant ISO 15924 script, "Zyyy" if none */
    const vigil_hit *hits;
    size_t n_hits;
    const vigil_indicator *indicators;
    size_t n_indicators;
} vigil_triage_result;

/** What vigil_triage_scan() computes. */
#define VIGIL_TRIAGE_LANG       0x1u
#define VIGIL_TRIAGE_WATCHLIST  0x2u
#define VIGIL_TRIAGE_INDICATORS 0x4u
#define VIGIL_TRIAGE_ALL        0x7u

/**
 * Create a triage handle.
 * @param[out] out  release with vigil_triage_free()
 * @param wl        watchlist to use, or NULL for the bundled one; when
 *                  given, ownership passes to the handle (also on failure)
 * @return VIGIL_OK, VIGIL_ENOMEM, VIGIL_ERROR (ICU/Hyperscan setup)
 * Threads: one handle per thread.
 */
int vigil_triage_new(vigil_triage **out, vigil_watchlist *wl);
void vigil_triage_free(vigil_triage *t);              /* NULL is a no-op */

/**
 * Triage one text.
 * @param[out] out  borrowed; valid until the next scan on @p t or its free
 * @param what      VIGIL_TRIAGE_* bits
 * @return VIGIL_OK, VIGIL_ELIMIT (text over VIGIL_TEXT_MAX_BYTES),
 *         VIGIL_ENOMEM, VIGIL_ERROR (Hyperscan runtime failure)
 */
int vigil_triage_scan(const vigil_triage_result **out, vigil_triage *t,
                      const char *text, size_t len, unsigned int what);

/**
 * Triage every stored item with id >= @p min_item_id that has text: sets
 * items.lang and replaces its watchlist_hits and indicators rows (so a
 * re-run gives the same rows). One transaction per 500 items.
 * @param t      handle to use, or NULL for a fresh one with the bundled list
 * @param[out] n_out  items triaged (may be NULL)
 * @return VIGIL_OK, VIGIL_ESTORE, VIGIL_ENOMEM, VIGIL_EINVAL
 * Threads: as for @p st.
 */
int vigil_triage_store_items_with(vigil_triage *t, vigil_store *st,
                                  int64_t min_item_id, uint64_t *n_out);
/** Same with the bundled watchlist. */
int vigil_triage_store_items(vigil_store *st, int64_t min_item_id,
                             uint64_t *n_out);

/** Progress of vigil_triage_store_items_progress(): items triaged so far
 *  and the number it started with (items with text, id >= min_item_id). */
typedef void (*vigil_triage_progress_fn)(uint64_t done, uint64_t total,
                                         void *payload);

/**
 * vigil_triage_store_items_with(), calling @p progress (may be NULL) after
 * each transaction of 500 items (`vigil retriage`).
 */
int vigil_triage_store_items_progress(vigil_triage *t, vigil_store *st,
                                      int64_t min_item_id,
                                      vigil_triage_progress_fn progress,
                                      void *payload, uint64_t *n_out);

#ifdef __cplusplus
}
#endif
#endif
