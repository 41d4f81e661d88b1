/*
 * image/image_internal.h - shared by the decoder adapters: size limits
 * checked before allocation, the pixel buffer allocator, and one decode
 * function per format.
 */
#ifndef VIGIL_IMAGE_INTERNAL_H
#define VIGIL_IMAGE_INTERNAL_H

#include "vigil/image.h"

/** Effective limits (defaults filled in). */
typedef struct {
    uint32_t max_side;
    uint64_t max_pixels;
    int allow_grey;
    int exif_orient;
    int jpeg_luma_only;       /* benchmark only: decode JPEG to its Y
                                 channel (not used by hashing: it moves
                                 bits, see docs/internals/pdq.md) */
} img_limits;

/**
 * @p lim with the size limits of @p opts (NULL or 0: the defaults) and
 * everything else zero (no grey output, no EXIF rotation).
 */
void vigil_image__limits_default(img_limits *lim,
                                 const vigil_image_options *opts);

/**
 * VIGIL_OK when an encoded image of @p len bytes fits the file-size limit
 * of @p opts (NULL or 0: the default), else VIGIL_ELIMIT naming both.
 */
int vigil_image__check_bytes(size_t len, const vigil_image_options *opts);

/**
 * VIGIL_OK when a @p w x @p h image of format @p what fits the limits;
 * VIGIL_EFORMAT for a zero side, VIGIL_ELIMIT otherwise (message names
 * the dimensions and the limit).
 */
int vigil_image__check_size(const img_limits *lim, uint32_t w, uint32_t h,
                            const char *what);

/**
 * Allocate out->pixels for a checked w x h image of @p channels (1 or 3),
 * tightly packed, and fill in the geometry. VIGIL_OK or VIGIL_ENOMEM.
 */
int vigil_image__alloc(vigil_image *out, uint32_t w, uint32_t h, int channels);

/* Decoders: fill @p out (pixels allocated with vigil_image__alloc) or
 * return VIGIL_EFORMAT / VIGIL_ELIMIT / VIGIL_ENOMEM with a message. On
 * failure they release what they allocated. */
int vigil_image__decode_jpeg(vigil_image *out, const uint8_t *data,
                             size_t len, const img_limits *lim);
int vigil_image__decode_png(vigil_image *out, const uint8_t *data,
                            size_t len, const img_limits *lim);
int vigil_image__decode_webp(vigil_image *out, const uint8_t *data,
                             size_t len, const img_limits *lim);
int vigil_image__decode_gif(vigil_image *out, const uint8_t *data,
                            size_t len, const img_limits *lim);
int vigil_image__decode_bmp(vigil_image *out, const uint8_t *data,
                            size_t len, const img_limits *lim);
int vigil_image__decode_pnm(vigil_image *out, const uint8_t *data,
                            size_t len, const img_limits *lim);

/** Incremental JPEG decoding for vigil_image_reader. */
struct jpeg_stream;

/** Read the header, check limits, start decompressing. VIGIL_OK,
 * VIGIL_EFORMAT, VIGIL_ELIMIT or VIGIL_ENOMEM. */
int vigil_image__jpeg_stream_open(struct jpeg_stream **out,
                                  const uint8_t *data, size_t len,
                                  const img_limits *lim, uint32_t *w,
                                  uint32_t *h, int *channels);
/** Decode the next @p n rows into dst. VIGIL_OK or VIGIL_EFORMAT. */
int vigil_image__jpeg_stream_rows(struct jpeg_stream *s, uint8_t *dst,
                                  size_t stride, uint32_t n);
void vigil_image__jpeg_stream_free(struct jpeg_stream *s);

/** EXIF orientation (1..8) from a JPEG's APP1 segment; 1 when absent or
 * unreadable (a broken EXIF block never fails the decode). */
int vigil_image__jpeg_orientation(const uint8_t *data, size_t len);

/** Rotate/flip @p img in place (new buffer) so orientation 1 results.
 * VIGIL_OK or VIGIL_ENOMEM. */
int vigil_image__apply_orientation(vigil_image *img, int orientation);

#endif
