/*
 * hash/pdq_internal.h - PDQ pieces shared between pdq.c (luma, DCT, bits),
 * pdq_filter.c (the Jarosz downsample) and pdq_file.c (decode + hash).
 */
#ifndef VIGIL_HASH_PDQ_INTERNAL_H
#define VIGIL_HASH_PDQ_INTERNAL_H

#include "vigil/pdq.h"

/** Borrowed view of 8-bit pixels: 1 (grey) or 3 (RGB) channels. */
typedef struct {
    const uint8_t *pixels;
    uint32_t width, height;   /* pixels, > 0 */
    size_t stride;            /* bytes per row */
    int channels;             /* 1 or 3 */
} pdq_pixels;

/**
 * Hash @p src into out[0] (and out[1..7], the dihedral variants, when
 * @p nout is 8). @p prescale is 0 (HMA flavour) or 512 (reference CLI).
 * @return VIGIL_OK, VIGIL_EINVAL, VIGIL_EFORMAT (under 5 px a side),
 *         VIGIL_ENOMEM
 */
int vigil_pdq__hash(vigil_pdq *out, int nout, int *quality_out,
                    const pdq_pixels *src, unsigned int prescale);

/**
 * Blur @p buf1 (rows x cols luma, row-major) in place with two passes of
 * the Jarosz box filter in each direction, using @p buf2 as scratch, and
 * decimate it to 64x64 into @p out, exactly as the reference.
 * @return VIGIL_OK or VIGIL_ENOMEM
 */
int vigil_pdq__downsample(float out[64][64], float *buf1, float *buf2,
                          uint32_t rows, uint32_t cols);

#endif
