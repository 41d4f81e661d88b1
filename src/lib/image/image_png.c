/*
 * image/image_png.c - PNG through libpng: palette expanded to RGB, 1/2/4-bit
 * grey to 8 bits, 16-bit samples reduced to their high byte (as Pillow does
 * for RGB), alpha and tRNS dropped without compositing, interlacing undone.
 * Gamma and colour profiles are ignored, like the reference decoders.
 */
#define VIGIL_MODULE "image"
#include "image/image_internal.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <png.h>

#include "common/alloc.h"
#include "common/error.h"

#define PNG_CHUNK_MAX (8u << 20)   /* bytes per ancillary chunk */

struct png_src {
    const uint8_t *data;
    size_t len, pos;
    char msg[200];
};

static void png_read_mem(png_structp png, png_bytep out, png_size_t n)
{
    struct png_src *s = png_get_io_ptr(png);

    if (n > s->len - s->pos)
        png_error(png, "truncated PNG data");
    memcpy(out, s->data + s->pos, n);
    s->pos += n;
}

static void png_on_error(png_structp png, png_const_charp msg)
{
    struct png_src *s = png_get_error_ptr(png);

    snprintf(s->msg, sizeof(s->msg), "%s", msg);
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* Ask libpng for 8-bit grey or RGB; returns the channel count. */
static int png_transforms(png_structp png, png_infop info, int allow_grey)
{
    int type = png_get_color_type(png, info);
    int depth = png_get_bit_depth(png, info);

    if (type == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if ((type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA) &&
        depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16)
        png_set_strip_16(png);
    if (type & PNG_COLOR_MASK_ALPHA)
        png_set_strip_alpha(png);
    if (!(type & PNG_COLOR_MASK_COLOR) && !allow_grey)
        png_set_gray_to_rgb(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    return png_get_channels(png, info);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

int vigil_image__decode_png(vigil_image *out, const uint8_t *data,
                            size_t len, const img_limits *lim)
{
    struct png_src src = { data, len, 0, "" };
    png_structp png;
    png_infop info = NULL;
    png_bytep *volatile rows = NULL;
    volatile int err = VIGIL_OK;
    uint32_t w, h, y;
    int channels;

    /* IHDR is always first: refuse a bomb before libpng allocates. */
    if (len >= 24 && memcmp(data + 12, "IHDR", 4) == 0 &&
        (err = vigil_image__check_size(lim, be32(data + 16), be32(data + 20),
                                       "PNG")) < 0)
        return err;
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_on_error,
                                 png_on_warning);
    if (png == NULL || (info = png_create_info_struct(png)) == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return vigil_error_set(VIGIL_ENOMEM, "no memory for a PNG decoder");
    }
    if (setjmp(png_jmpbuf(png))) {
        err = vigil_error_set(VIGIL_EFORMAT, "PNG: %s", src.msg);
        goto out;
    }
    png_set_user_limits(png, lim->max_side, lim->max_side);
    png_set_chunk_malloc_max(png, PNG_CHUNK_MAX);
    png_set_read_fn(png, &src, png_read_mem);
    png_read_info(png, info);
    w = png_get_image_width(png, info);
    h = png_get_image_height(png, info);
    if ((err = vigil_image__check_size(lim, w, h, "PNG")) < 0)
        goto out;
    channels = png_transforms(png, info, lim->allow_grey);
    if (channels != 1 && channels != 3) {
        err = vigil_error_set(VIGIL_EFORMAT, "PNG: %d channels after "
                              "conversion", channels);
        goto out;
    }
    if ((err = vigil_image__alloc(out, w, h, channels)) < 0)
        goto out;
    if ((rows = vigil__mallocarray(h, sizeof(*rows))) == NULL) {
        err = vigil_error_set(VIGIL_ENOMEM, "no memory for PNG rows");
        goto out;
    }
    for (y = 0; y < h; y++)
        rows[y] = out->pixels + (size_t)y * out->stride;
    png_read_image(png, rows);
out:
    png_destroy_read_struct(&png, &info, NULL);
    vigil__free(rows);
    return err;
}
