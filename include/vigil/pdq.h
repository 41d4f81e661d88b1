/*
 * vigil/pdq.h - PDQ perceptual image hashes (256 bits), as produced by
 * Meta's reference implementation and exchanged by GIFCT, ThreatExchange,
 * HMA and TCAP: hex (de)serialisation, Hamming distance, and hashing.
 */
#ifndef VIGIL_PDQ_H
#define VIGIL_PDQ_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_PDQ_BITS 256
#define VIGIL_PDQ_HEX_LEN 64
/** Distance at or below which two PDQ hashes are taken to match (HMA's). */
#define VIGIL_PDQ_DEFAULT_THRESHOLD 31
/** Quality below which HMA ignores a hash. */
#define VIGIL_PDQ_MIN_QUALITY 50

/**
 * A PDQ hash. w[0] holds the first 16 hex digits of the canonical hex form
 * (most significant digit first), w[3] the last 16.
 */
typedef struct {
    uint64_t w[4];
} vigil_pdq;

/**
 * Parse 64 hex digits (either case; no prefix, no separators).
 * @return VIGIL_OK or VIGIL_EFORMAT (message says which character)
 */
int vigil_pdq_from_hex(vigil_pdq *out, const char *hex, size_t len);

/** Write 64 lower-case hex digits and a NUL into @p out (65 bytes). */
void vigil_pdq_to_hex(char *out, const vigil_pdq *h);

/** Hamming distance, 0..256. */
static inline int vigil_pdq_distance(const vigil_pdq *a, const vigil_pdq *b)
{
    return __builtin_popcountll(a->w[0] ^ b->w[0]) +
           __builtin_popcountll(a->w[1] ^ b->w[1]) +
           __builtin_popcountll(a->w[2] ^ b->w[2]) +
           __builtin_popcountll(a->w[3] ^ b->w[3]);
}

#ifdef __cplusplus
}
#endif
#endif
