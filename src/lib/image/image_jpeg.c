/*
 * image/image_jpeg.c - JPEG through libjpeg-turbo with its default decoder
 * settings (islow IDCT, fancy upsampling), which is what ImageMagick and
 * Pillow use, so the pixels are the reference's pixels. Grey JPEGs stay
 * one channel; CMYK/YCCK become RGB; a truncated file is an error.
 */
#define VIGIL_MODULE "image"
#include "image/image_internal.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "common/alloc.h"
#include "common/error.h"

struct jerr {
    struct jpeg_error_mgr pub;
    jmp_buf jmp;
    char msg[JMSG_LENGTH_MAX];
};

static void jerr_exit(j_common_ptr cinfo)
{
    struct jerr *e = (struct jerr *)cinfo->err;

    cinfo->err->format_message(cinfo, e->msg);
    longjmp(e->jmp, 1);
}

/* Warnings are ignored as ImageMagick and Pillow do, except a premature
 * end of data: the rest of the image would be invented grey. */
static void jerr_emit(j_common_ptr cinfo, int level)
{
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        struct jerr *e = (struct jerr *)cinfo->err;

        snprintf(e->msg, sizeof(e->msg), "truncated JPEG data");
        longjmp(e->jmp, 1);
    }
}

/* Adobe CMYK JPEGs store inverted ink; R = (255-C)(255-K)/255 etc. */
static void cmyk_row_to_rgb(uint8_t *dst, const uint8_t *src, uint32_t w,
                            int inverted)
{
    uint32_t x;

    for (x = 0; x < w; x++, src += 4, dst += 3) {
        unsigned c = src[0], m = src[1], y = src[2], k = src[3];

        if (!inverted) {
            c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k;
        }
        dst[0] = (uint8_t)((c * k + 127) / 255);
        dst[1] = (uint8_t)((m * k + 127) / 255);
        dst[2] = (uint8_t)((y * k + 127) / 255);
    }
}

static int jpeg_setup(struct jpeg_decompress_struct *ci, const img_limits *lim,
                      int *channels)
{
    int err;

    if ((err = vigil_image__check_size(lim, ci->image_width, ci->image_height,
                                       "JPEG")) < 0)
        return err;
    switch (ci->jpeg_color_space) {
    case JCS_GRAYSCALE:
        ci->out_color_space = JCS_GRAYSCALE;
        *channels = 1;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        ci->out_color_space = JCS_CMYK;
        *channels = 4;
        break;
    default:
        ci->out_color_space = lim->jpeg_luma_only ? JCS_GRAYSCALE : JCS_RGB;
        *channels = lim->jpeg_luma_only ? 1 : 3;
        break;
    }
    return VIGIL_OK;
}

int vigil_image__decode_jpeg(vigil_image *out, const uint8_t *data,
                             size_t len, const img_limits *lim)
{
    struct jpeg_decompress_struct ci;
    struct jerr je;
    uint8_t *volatile row4 = NULL;
    volatile int err = VIGIL_OK;
    int channels = 3;

    memset(&ci, 0, sizeof(ci));
    ci.err = jpeg_std_error(&je.pub);
    je.pub.error_exit = jerr_exit;
    je.pub.emit_message = jerr_emit;
    if (setjmp(je.jmp)) {
        err = vigil_error_set(VIGIL_EFORMAT, "JPEG: %s", je.msg);
        goto out;
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, data, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    if ((err = jpeg_setup(&ci, lim, &channels)) < 0)
        goto out;
    if ((err = vigil_image__alloc(out, ci.image_width, ci.image_height,
                                  channels == 1 ? 1 : 3)) < 0)
        goto out;
    if (channels == 4 &&
        (row4 = vigil__mallocarray(ci.image_width, 4)) == NULL) {
        err = vigil_error_set(VIGIL_ENOMEM, "no memory for a JPEG row");
        goto out;
    }
    jpeg_start_decompress(&ci);
    while (ci.output_scanline < ci.output_height) {
        uint8_t *dst = out->pixels + (size_t)ci.output_scanline * out->stride;
        JSAMPROW r = channels == 4 ? row4 : dst;

        if (jpeg_read_scanlines(&ci, &r, 1) != 1)
            break;
        if (channels == 4)
            cmyk_row_to_rgb(dst, row4, ci.image_width, ci.saw_Adobe_marker);
    }
    jpeg_finish_decompress(&ci);
    out->orientation = vigil_image__jpeg_orientation(data, len);
out:
    jpeg_destroy_decompress(&ci);
    vigil__free(row4);
    return err;
}

/* ---- Incremental decoding (vigil_image_reader) ----------------------- */

struct jpeg_stream {
    struct jpeg_decompress_struct ci;
    struct jerr je;
    uint8_t *row4;            /* one CMYK row, or NULL */
    int channels;             /* 1, 3, or 4 (CMYK, converted per row) */
    int started;
};

void vigil_image__jpeg_stream_free(struct jpeg_stream *s)
{
    if (s == NULL)
        return;
    jpeg_destroy_decompress(&s->ci);
    vigil__free(s->row4);
    vigil__free(s);
}

int vigil_image__jpeg_stream_open(struct jpeg_stream **out,
                                  const uint8_t *data, size_t len,
                                  const img_limits *lim, uint32_t *w,
                                  uint32_t *h, int *channels)
{
    struct jpeg_stream *s;
    int err;

    *out = NULL;
    if ((s = vigil__calloc(1, sizeof(*s))) == NULL)
        return vigil_error_set(VIGIL_ENOMEM, "no memory for a JPEG decoder");
    s->ci.err = jpeg_std_error(&s->je.pub);
    s->je.pub.error_exit = jerr_exit;
    s->je.pub.emit_message = jerr_emit;
    if (setjmp(s->je.jmp)) {
        err = vigil_error_set(VIGIL_EFORMAT, "JPEG: %s", s->je.msg);
        vigil_image__jpeg_stream_free(s);
        return err;
    }
    jpeg_create_decompress(&s->ci);
    jpeg_mem_src(&s->ci, data, (unsigned long)len);
    jpeg_read_header(&s->ci, TRUE);
    if ((err = jpeg_setup(&s->ci, lim, &s->channels)) < 0 ||
        (s->channels == 4 &&
         (s->row4 = vigil__mallocarray(s->ci.image_width, 4)) == NULL)) {
        if (err == 0)
            err = vigil_error_set(VIGIL_ENOMEM, "no memory for a JPEG row");
        vigil_image__jpeg_stream_free(s);
        return err;
    }
    jpeg_start_decompress(&s->ci);
    *w = s->ci.output_width;
    *h = s->ci.output_height;
    *channels = s->channels == 1 ? 1 : 3;
    *out = s;
    return VIGIL_OK;
}

int vigil_image__jpeg_stream_rows(struct jpeg_stream *s, uint8_t *dst,
                                  size_t stride, uint32_t n)
{
    struct jpeg_stream *volatile vs = s;
    uint8_t *volatile vdst = dst;
    volatile uint32_t done = 0;

    if (setjmp(s->je.jmp))
        return vigil_error_set(VIGIL_EFORMAT, "JPEG: %s", vs->je.msg);
    while (done < n) {
        uint8_t *row = vdst + (size_t)done * stride;
        JSAMPROW r = vs->channels == 4 ? vs->row4 : row;

        if (jpeg_read_scanlines(&vs->ci, &r, 1) != 1)
            return vigil_error_set(VIGIL_EFORMAT, "JPEG: no row %u",
                                   (unsigned)vs->ci.output_scanline);
        if (vs->channels == 4)
            cmyk_row_to_rgb(row, vs->row4, vs->ci.output_width,
                            vs->ci.saw_Adobe_marker);
        done++;
    }
    if (vs->ci.output_scanline == vs->ci.output_height)
        jpeg_finish_decompress(&vs->ci);
    return VIGIL_OK;
}
