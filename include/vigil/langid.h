/*
 * vigil/langid.h - language and script identification for the 25 labels of
 * the triage set (ISO 639-3 + ISO 15924, e.g. "tgk-Cyrl", "prs-Arab"), or "und".
 * Compact built-in tables; no allocation and no global mutable state per call.
 */
#ifndef VIGIL_LANGID_H
#define VIGIL_LANGID_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of labels the model knows (not counting "und"). */
#define VIGIL_LANGID_NLABELS 25

/** One candidate language for a text. */
typedef struct {
    char label[16];   /* "tgk-Cyrl", "und"; NUL-terminated */
    char script[8];   /* "Cyrl", "Arab", "Latn", ...; "Zyyy" when no letters */
    float score;      /* 0..1; the candidates of one call sum to <= 1 */
} vigil_langid_guess;

/**
 * Identify the language of one text.
 * @param[out] out    at least @p k guesses, best first
 * @param k           how many guesses the caller wants (>= 1)
 * @param[out] n_out  how many were written (1..k); a single "und" guess when
 *                    the text has too little evidence, mixes scripts with no
 *                    dominant one, or is in none of the 25 labels
 * @param text        UTF-8 (invalid bytes are skipped, never read past len)
 * @param len         bytes in @p text
 * @return VIGIL_OK, or VIGIL_EINVAL when out/n_out is NULL, k == 0, or
 *         text is NULL with len > 0.
 * Dari (prs-Arab) is answered only on positive evidence; otherwise Persian
 * text is pes-Arab and prs-Arab follows it as the second guess.
 * Threads: safe (read-only tables, no per-call allocation).
 */
int vigil_langid_identify(vigil_langid_guess *out, size_t k, size_t *n_out,
                          const char *text, size_t len);

/** Per-thread memo of word scores (opaque, about 8.5 MB, zeroed lazily: pages
 * are touched as words are stored). */
typedef struct vigil_langid_cache vigil_langid_cache;

/**
 * Allocate an empty word cache for vigil_langid_identify_cached().
 * @return VIGIL_OK, VIGIL_EINVAL (NULL out) or VIGIL_ENOMEM.
 * The caller owns *out and frees it with vigil_langid_cache_free().
 */
int vigil_langid_cache_new(vigil_langid_cache **out);

/** Free a cache from vigil_langid_cache_new(); NULL is ignored. */
void vigil_langid_cache_free(vigil_langid_cache *c);

/**
 * vigil_langid_identify() through a word cache: what a word contributes
 * (its features' weights, lexicon points) does not depend on its context,
 * so it is remembered per exact word bytes and reused. Results are
 * identical to vigil_langid_identify(); only the speed differs (words
 * repeat across the texts of a stream). @p wc may be NULL (no cache).
 * Threads: one cache per thread; the cache is written by every call.
 */
int vigil_langid_identify_cached(vigil_langid_cache *wc,
                                 vigil_langid_guess *out, size_t k,
                                 size_t *n_out, const char *text, size_t len);

/** A run of text in one script, with the language guessed for that run. */
typedef struct {
    size_t start;             /* byte offset into the text */
    size_t end;               /* one past the last byte */
    vigil_langid_guess best;  /* label/script/score of the run */
} vigil_langid_span;

/**
 * Mixed-script mode: split a text into runs of one script (digits, spaces
 * and punctuation join the surrounding run) and identify each run.
 * @param[out] out    up to @p cap spans, in text order
 * @param[out] n_out  spans written; when the text has more runs than @p cap,
 *                    the last span covers the rest of the text
 * @return VIGIL_OK or VIGIL_EINVAL (NULL out/n_out, cap == 0, NULL text).
 * Threads: safe.
 */
int vigil_langid_spans(vigil_langid_span *out, size_t cap, size_t *n_out,
                       const char *text, size_t len);

/**
 * The label strings, index 0..VIGIL_LANGID_NLABELS-1, in a fixed order
 * (static storage). Returns NULL past the end.
 */
const char *vigil_langid_label_name(size_t i);

#ifdef __cplusplus
}
#endif
#endif
