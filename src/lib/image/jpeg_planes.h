/*
 * image/jpeg_planes.h - the image module's planar JPEG reader for other
 * library modules (hash/pdq_file.c): a YCbCr JPEG's Y, Cb and Cr sample
 * rows exactly as libjpeg-turbo decodes them before upsampling and colour
 * conversion (jpeg_read_raw_data), one iMCU row at a time.
 */
#ifndef VIGIL_IMAGE_JPEG_PLANES_H
#define VIGIL_IMAGE_JPEG_PLANES_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/image.h"

/** Chroma sampling of an accepted JPEG. */
enum {
    VIGIL_JPEG_444 = 0,       /* Y 1x1, Cb 1x1, Cr 1x1 */
    VIGIL_JPEG_422 = 1,       /* Y 2x1: chroma half width */
    VIGIL_JPEG_420 = 2        /* Y 2x2: chroma half width and height */
};

/** Readable margin (bytes) before and after the samples of every row. */
#define VIGIL_JPEG_PLANES_PAD 64

typedef struct vigil_jpeg_planes vigil_jpeg_planes;

typedef struct {
    uint32_t width, height;   /* image (and Y plane) size */
    uint32_t cw, ch;          /* chroma plane size (libjpeg's
                                 downsampled_width / downsampled_height) */
    int sampling;             /* VIGIL_JPEG_444 / 422 / 420 */
} vigil_jpeg_planes_info;

/**
 * Open @p data (borrowed until vigil_image__jpeg_planes_free) when it is a
 * JPEG whose RGB decode is libjpeg-turbo's fancy upsampling plus its
 * YCbCr->RGB conversion of 8-bit samples: three components, colour space
 * JCS_YCbCr, sampling 4:4:4, 4:2:2 or 4:2:0 as in the enum above (and
 * chroma more than 2 samples wide when subsampled, below which libjpeg
 * switches to box upsampling). Limits from @p opts (NULL: defaults) are
 * checked from the header.
 * @return VIGIL_OK with *out set; VIGIL_OK with *out NULL when the file is
 *         not such a JPEG (the caller decodes it some other way);
 *         VIGIL_EFORMAT, VIGIL_ELIMIT or VIGIL_ENOMEM.
 * Threads: a reader is used by one thread at a time.
 */
int vigil_image__jpeg_planes_open(vigil_jpeg_planes **out,
                                  vigil_jpeg_planes_info *info,
                                  const uint8_t *data, size_t len,
                                  const vigil_image_options *opts);

/**
 * Decode as far as image row @p y needs: its Y row and the chroma rows
 * that libjpeg's upsampler reads for it (for 4:2:0 the nearer chroma row
 * y / 2 and the further one above or below it). Rows must be asked for in
 * non-decreasing order; rows up to 16 image rows back stay available.
 * The last row's call also finishes the decode (libjpeg reads to EOI).
 * @return VIGIL_OK or VIGIL_EFORMAT (bad or truncated data)
 */
int vigil_image__jpeg_planes_need(vigil_jpeg_planes *p, uint32_t y);

/**
 * Row @p row (clamped to the plane: rows above the top are row 0, rows
 * below the bottom the last row, as libjpeg's context rows) of component
 * @p comp (0 Y, 1 Cb, 2 Cr), decoded by an earlier _need(). Bytes
 * [-VIGIL_JPEG_PLANES_PAD, plane width + VIGIL_JPEG_PLANES_PAD) are
 * readable; for chroma, byte -1 repeats byte 0 and byte cw repeats byte
 * cw - 1 (libjpeg's edge rule); the rest of the margin is unspecified.
 */
const uint8_t *vigil_image__jpeg_planes_row(const vigil_jpeg_planes *p,
                                            int comp, int64_t row);

/** Release a reader; NULL is a no-op. */
void vigil_image__jpeg_planes_free(vigil_jpeg_planes *p);

#endif
