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

/* ---- Hashing ---------------------------------------------------------- */

/** Options for hashing; set version with VIGIL_PDQ_OPTIONS_INIT. */
typedef struct {
    unsigned int version;     /* set by VIGIL_PDQ_OPTIONS_INIT */
    unsigned int prescale;    /* 0 = none (HMA / python-threatexchange);
                                 512 = the reference CLI pdq-photo-hasher:
                                 images over 512 px on a side are first
                                 resized to 512x512, nearest neighbour */
    int exif_orient;          /* non-zero: apply JPEG EXIF orientation
                                 (the reference ignores it) */
    uint32_t max_side;        /* pixels per side; 0 = 65535 */
    uint64_t max_pixels;      /* width*height; 0 = 268435456 (2^28) */
    uint64_t max_file_bytes;  /* encoded size; 0 = 268435456 (256 MiB) */
} vigil_pdq_options;

#define VIGIL_PDQ_OPTIONS_INIT { 1, 0, 0, 0, 0, 0 }

/**
 * Hash an encoded image file (JPEG, PNG, WebP, GIF first frame, BMP,
 * PPM/PGM) exactly as Meta's reference does.
 *
 * @param[out] out          the hash
 * @param[out] quality_out  0..100 quality; may be NULL. HMA ignores hashes
 *                          below VIGIL_PDQ_MIN_QUALITY.
 * @param path              file to read
 * @param opts              NULL for defaults; not retained
 * @return VIGIL_OK, VIGIL_EIO (cannot read), VIGIL_EFORMAT (not a
 *         decodable image; the message says why), VIGIL_ELIMIT (over a
 *         limit in @p opts), VIGIL_ENOMEM, VIGIL_EINVAL
 * Threads: safe to call concurrently; no shared state.
 */
int vigil_pdq_hash_file(vigil_pdq *out, int *quality_out, const char *path,
                        const vigil_pdq_options *opts);

/**
 * As vigil_pdq_hash_file(), from @p len bytes of an encoded image in memory.
 * The buffer is only read, never retained.
 */
int vigil_pdq_hash_buffer(vigil_pdq *out, int *quality_out, const void *data,
                          size_t len, const vigil_pdq_options *opts);

/**
 * The eight dihedral hashes of an image file from one DCT, in the reference
 * order: original, rotate 90, rotate 180, rotate 270, flip x, flip y,
 * flip plus-1 (transpose), flip minus-1 (anti-transpose).
 * Same codes and threading as vigil_pdq_hash_file().
 */
int vigil_pdq_hash_file_dihedral(vigil_pdq out[8], int *quality_out,
                                 const char *path,
                                 const vigil_pdq_options *opts);

/**
 * As vigil_pdq_hash_file_dihedral(), from an encoded image in memory.
 */
int vigil_pdq_hash_buffer_dihedral(vigil_pdq out[8], int *quality_out,
                                   const void *data, size_t len,
                                   const vigil_pdq_options *opts);

/**
 * Hash already-decoded pixels.
 *
 * @param[out] out          one hash, or 8 when @p dihedral is non-zero
 * @param[out] quality_out  may be NULL
 * @param pixels            rows of @p width pixels, @p channels bytes each
 *                          (1 = grey, 3 = RGB), @p stride bytes apart
 * @param prescale          0 or 512, as in vigil_pdq_options
 * @return VIGIL_OK, VIGIL_EINVAL (bad sizes), VIGIL_ENOMEM
 * Threads: safe to call concurrently.
 */
int vigil_pdq_hash_pixels(vigil_pdq *out, int *quality_out,
                          const uint8_t *pixels, uint32_t width,
                          uint32_t height, size_t stride, int channels,
                          unsigned int prescale, int dihedral);

#ifdef __cplusplus
}
#endif
#endif
