/*
 * text/text_internal.h - helpers shared by the triage files: hashes
 * (Keccak-256, SHA3-256, double SHA-256), base58 (Bitcoin and Monero
 * variants), base32 and bech32. Internal; tests and fuzzers may use them.
 */
#ifndef VIGIL_TEXT_INTERNAL_H
#define VIGIL_TEXT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/store.h"

/**
 * vigil_triage_store_items() over the items with ids in [min_item_id,
 * max_item_id], only those updated at or after @p updated_since (Unix
 * seconds, items.updated_at) when it is not 0, and with the
 * VIGIL_TRIAGE_* parts of @p what only: without VIGIL_TRIAGE_LANG,
 * items.lang is neither computed nor written (the ingest readers stored
 * it with the item). *n_out: items triaged.
 */
int vigil__triage_store_range(vigil_store *st, int64_t min_item_id,
                              int64_t max_item_id, int64_t updated_since,
                              unsigned int what, uint64_t *n_out);

/** Keccak-256 as Ethereum and Monero use it (pad byte 0x01). */
void vigil_text__keccak256(uint8_t out[32], const void *data, size_t len);
/** FIPS 202 SHA3-256 (pad byte 0x06), as Tor onion v3 uses it. */
void vigil_text__sha3_256(uint8_t out[32], const void *data, size_t len);
/** FIPS 180-4 SHA-256. */
void vigil_text__sha256(uint8_t out[32], const void *data, size_t len);
/** SHA-256(SHA-256(data)). */
void vigil_text__sha256d(uint8_t out[32], const void *data, size_t len);

/**
 * Bitcoin base58 (one big number, leading '1' = zero byte).
 * Decode: returns bytes written to @p out (<= cap) or -1 on a bad character
 * or when the result does not fit. @p len <= 128.
 */
int vigil_text__b58_decode(uint8_t *out, size_t cap, const char *s, size_t len);
/** Encode; returns chars written (NUL added, needs cap > result) or -1. */
int vigil_text__b58_encode(char *out, size_t cap, const uint8_t *p, size_t n);

/** Monero base58: 8-byte blocks as 11 chars, last partial block shorter. */
int vigil_text__xmr_b58_decode(uint8_t *out, size_t cap, const char *s,
                               size_t len);
int vigil_text__xmr_b58_encode(char *out, size_t cap, const uint8_t *p,
                               size_t n);

/** RFC 4648 base32, lower-case, no padding. Returns bytes / chars or -1. */
int vigil_text__b32_decode(uint8_t *out, size_t cap, const char *s, size_t len);
int vigil_text__b32_encode(char *out, size_t cap, const uint8_t *p, size_t n);

/** Bech32 checksum constants (BIP-173, BIP-350). */
#define VIGIL_BECH32  1u
#define VIGIL_BECH32M 0x2bc830a3u

/**
 * Decode a bech32/bech32m string (one case only). On success writes the
 * human-readable part (NUL-terminated, lower-case), the 5-bit data without
 * checksum, and returns the constant its checksum matched (VIGIL_BECH32 or
 * VIGIL_BECH32M); 0 when the checksum or syntax is wrong.
 */
uint32_t vigil_text__bech32_decode(char *hrp, size_t hrp_cap, uint8_t *data,
                                   size_t *data_len, size_t data_cap,
                                   const char *s, size_t len);
/** Encode 5-bit @p data with @p hrp and @p constant; returns chars or -1. */
int vigil_text__bech32_encode(char *out, size_t cap, const char *hrp,
                              const uint8_t *data, size_t n, uint32_t constant);
/** Regroup bits (8->5 with pad=1, 5->8 with pad=0); returns count or -1. */
int vigil_text__convert_bits(uint8_t *out, size_t cap, const uint8_t *in,
                             size_t n, int from, int to, int pad);

#endif

/* ---- indicator extraction (indicators.c) -------------------------------- */

#include "vigil/text.h"

/* One remembered address check: the result of a checksum (a pure function
 * of the bytes) for the address text b. */
#define VIGIL_TEXT__ADDR_MAX 106
#define VIGIL_TEXT__ADDR_MEMO 32
typedef struct {
    const char *sub;    /* subtype the check gave (static string) or NULL */
    uint8_t len;        /* 0 = empty slot */
    int8_t valid;       /* VIGIL_VALID_* */
    char b[VIGIL_TEXT__ADDR_MAX];
} vigil_text__addr_memo;

/** A growing list of indicators whose values live in one arena, and a memo
 * of the last address checks (a stream repeats its wallets; the memo only
 * saves the checksum work, results are those of the checks). */
typedef struct {
    vigil_indicator *v;
    size_t *val_off;    /* arena offset of each value */
    size_t n, cap;
    char *arena;
    size_t alen, acap;
    vigil_text__addr_memo memo[VIGIL_TEXT__ADDR_MEMO];
    char *fang;         /* a defanged text written back ("t[.]me" -> "t.me") */
    uint32_t *fang_from, *fang_to;  /* original span of each fang byte */
    size_t fang_cap;
    int step_by_step;   /* tests: byte-by-byte loops only (no 64-byte skip
                         * of plain words, no overlapping last window) */
} vigil_text__inds;

/**
 * Clear @p l and fill it with every indicator in @p s (duplicates of one
 * type and value reported once, at the first place). Defanged links
 * ("hxxps://example[.]com", "t(.)me/x", "host[dot]onion") are read as
 * links; their offsets still span the defanged bytes of @p s. Values point into
 * l->arena until the next call. Returns VIGIL_OK or VIGIL_ENOMEM.
 */
int vigil_text__inds_extract(vigil_text__inds *l, const char *s, size_t len);
void vigil_text__inds_dispose(vigil_text__inds *l);

/**
 * Normalise one URL (scheme and host lower-cased, default port, fragment
 * and tracking parameters dropped) into @p out (cap bytes, NUL added).
 * Returns its length, or -1 when @p s is not an http(s) URL or does not fit.
 */
int vigil_text__url_normalize(char *out, size_t cap, const char *s,
                              size_t len);

/* ---- watchlist matching (watchlist.c) ----------------------------------- */

/* The ASCII letter of a styled letter NFKC leaves alone (small capitals,
 * negative circled/squared capitals), else 0. normalize.c; langid too. */
char vigil_text__styled_letter(long cp);
int vigil_text__pictograph(long cp);

typedef struct vigil_text__wlscratch vigil_text__wlscratch;

int vigil_text__wl_scratch_new(vigil_text__wlscratch **out,
                               const vigil_watchlist *wl);
void vigil_text__wl_scratch_free(vigil_text__wlscratch *sc);

/**
 * Match @p nt (normalised from @p orig) against @p wl; hits get offsets
 * into @p orig through nt's map, weak keys without a strong hit nearby are dropped and
 * hits strictly inside a longer hit are dropped. *hits_out is owned by
 * @p sc until the next call. Returns VIGIL_OK, VIGIL_ENOMEM, VIGIL_ERROR.
 */
int vigil_text__wl_match(const vigil_hit **hits_out, size_t *n_out,
                         vigil_text__wlscratch *sc, const vigil_watchlist *wl,
                         const vigil_norm_text *nt, const char *orig);

/* ---- normalisation reference (normalize.c) ------------------------------ */

/* vigil_text_normalize() flag (internal): a doubled ASCII letter stays
 * doubled, only runs of three or more read as one. The watchlist adds the
 * form of each term normalised so, which letter-spaced text ("H a l u m m
 * u", whose letters are not adjacent) reads. */
#define VIGIL_TEXT__NORM_KEEP_DOUBLES 0x100u

/**
 * vigil_text_normalize() computed the plain way, for tests and fuzzers:
 * one code point at a time, every non-ASCII one mapped through ICU afresh
 * (no per-code-point cache, no inline two-byte table, no letter loop).
 * Its output, map and letter counts must equal vigil_text_normalize()'s on
 * every input. Much slower; same return codes.
 */
int vigil_text__normalize_ref(vigil_norm_text *out, vigil_normalizer *nz,
                              const char *s, size_t len, unsigned int flags);
