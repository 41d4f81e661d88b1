/*
 * vigil/image.h - decoding of the still-image formats users meet (JPEG, PNG,
 * WebP, GIF first frame, BMP, PPM/PGM) into 8-bit grey or RGB pixels, with
 * size limits checked before any pixel buffer is allocated.
 */
#ifndef VIGIL_IMAGE_H
#define VIGIL_IMAGE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Container formats recognised from the first bytes of a file. */
typedef enum {
    VIGIL_IMAGE_UNKNOWN = 0,
    VIGIL_IMAGE_JPEG,
    VIGIL_IMAGE_PNG,
    VIGIL_IMAGE_WEBP,
    VIGIL_IMAGE_GIF,
    VIGIL_IMAGE_BMP,
    VIGIL_IMAGE_PNM
} vigil_image_format;

/** Default limits (used when an option is 0). */
#define VIGIL_IMAGE_DEFAULT_MAX_SIDE 65535u
#define VIGIL_IMAGE_DEFAULT_MAX_PIXELS 268435456u     /* 2^28 */
#define VIGIL_IMAGE_DEFAULT_MAX_FILE_BYTES 268435456u /* 256 MiB */

/** Decoding options; set version with VIGIL_IMAGE_OPTIONS_INIT. */
typedef struct {
    unsigned int version;     /* set by VIGIL_IMAGE_OPTIONS_INIT */
    int exif_orient;          /* non-zero: rotate/flip JPEG per EXIF tag */
    int allow_grey;           /* non-zero: grey sources stay 1 channel;
                                 zero: always 3 channels (RGB) */
    uint32_t max_side;        /* pixels; 0 = VIGIL_IMAGE_DEFAULT_MAX_SIDE */
    uint64_t max_pixels;      /* width*height; 0 = default */
    uint64_t max_file_bytes;  /* encoded bytes; 0 = default */
} vigil_image_options;

#define VIGIL_IMAGE_OPTIONS_INIT { 1, 0, 1, 0, 0, 0 }

/**
 * A decoded image: @c height rows of @c width pixels of @c channels bytes
 * (1 = grey, 3 = R,G,B), rows @c stride bytes apart. Alpha is dropped
 * without compositing (what Meta's PDQ reference and Pillow's RGBA->RGB do).
 */
typedef struct {
    uint8_t *pixels;          /* owned; release with vigil_image_dispose() */
    uint32_t width;           /* pixels, > 0 */
    uint32_t height;          /* pixels, > 0 */
    size_t stride;            /* bytes per row, >= width * channels */
    int channels;             /* 1 or 3 */
    vigil_image_format format;
    int orientation;          /* EXIF orientation seen (1..8), 1 if none */
} vigil_image;

/** Sniff the format from the first bytes; VIGIL_IMAGE_UNKNOWN if none. */
vigil_image_format vigil_image_detect(const void *data, size_t len);

/** Lower-case format name ("jpeg", "png", ...); static storage. */
const char *vigil_image_format_name(vigil_image_format fmt);

/**
 * Decode an encoded image held in memory.
 *
 * @param[out] out  filled on success; release with vigil_image_dispose().
 *                  Zeroed on failure.
 * @param data      encoded bytes; read only, not retained
 * @param opts      NULL for defaults
 * @return VIGIL_OK, VIGIL_EFORMAT (unknown or corrupt; message says why),
 *         VIGIL_ELIMIT (dimensions or size over a limit; checked from the
 *         header before the pixel buffer is allocated), VIGIL_ENOMEM
 * Threads: safe to call concurrently.
 */
int vigil_image_decode(vigil_image *out, const void *data, size_t len,
                       const vigil_image_options *opts);

/**
 * Read a whole file into memory, refusing files over @p max_bytes
 * (0 = VIGIL_IMAGE_DEFAULT_MAX_FILE_BYTES).
 *
 * @param[out] out      buffer owned by the caller; free with
 *                      vigil_image_free_bytes()
 * @param[out] len_out  its length
 * @return VIGIL_OK, VIGIL_EIO, VIGIL_ELIMIT, VIGIL_ENOMEM
 */
int vigil_image_read_file(uint8_t **out, size_t *len_out, const char *path,
                          uint64_t max_bytes);

/** Free a buffer from vigil_image_read_file(); NULL is a no-op. */
void vigil_image_free_bytes(uint8_t *bytes);

/** Free the pixels of @p img and zero it; NULL is a no-op. */
void vigil_image_dispose(vigil_image *img);

/**
 * A row-by-row reader: JPEG is decoded as rows are asked for (no
 * full-image buffer, rows stay hot in cache); other formats, and JPEGs
 * whose EXIF orientation is to be applied, are decoded whole on open and
 * served from memory. Same pixels as vigil_image_decode().
 */
typedef struct vigil_image_reader vigil_image_reader;

/**
 * Open a reader on @p data, which must stay valid and unchanged until
 * vigil_image_reader_free(). Limits are checked here, before any pixel
 * memory is allocated.
 * @return as vigil_image_decode()
 * Threads: a reader is used by one thread at a time.
 */
int vigil_image_reader_open(vigil_image_reader **out, const void *data,
                            size_t len, const vigil_image_options *opts);

/** Width, height (pixels) and channels (1 or 3) of the opened image. */
void vigil_image_reader_info(const vigil_image_reader *r, uint32_t *width,
                             uint32_t *height, int *channels);

/**
 * Copy the next @p nrows rows (top to bottom) into @p dst, rows @p stride
 * bytes apart (stride >= width * channels).
 * @return VIGIL_OK, VIGIL_EINVAL (past the last row), VIGIL_EFORMAT
 *         (corrupt or truncated data found while decoding)
 */
int vigil_image_reader_rows(vigil_image_reader *r, uint8_t *dst, size_t stride,
                            uint32_t nrows);

/** Close a reader; NULL is a no-op. */
void vigil_image_reader_free(vigil_image_reader *r);

#ifdef __cplusplus
}
#endif
#endif
