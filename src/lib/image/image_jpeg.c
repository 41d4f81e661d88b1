/*
 * image/image_jpeg.c - JPEG through libjpeg-turbo with its default decoder
 * settings (islow IDCT, fancy upsampling), which is what ImageMagick and
 * Pillow use, so the pixels are the reference's pixels. Grey JPEGs stay
 * one channel; CMYK/YCCK become RGB; a truncated file is an error.
 */
#define VIGIL_MODULE "image"
#include "image/image_internal.h"
#include "image/jpeg_planes.h"

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

/* ---- Planar YCbCr rows (image/jpeg_planes.h) ------------------------- */

#define PLANE_SLOTS 3         /* iMCU rows held: previous, current, next */

struct vigil_jpeg_planes {
    struct jpeg_decompress_struct ci;
    struct jerr je;
    vigil_jpeg_planes_info info;
    uint32_t rows[3];         /* sample rows per iMCU row, per component */
    uint32_t plane_h[3];      /* real rows per component */
    size_t stride[3];
    uint8_t *buf[3];          /* PLANE_SLOTS * rows[c] rows of stride[c] */
    JSAMPROW *ptr[3];         /* the same rows, for jpeg_read_raw_data */
    uint32_t decoded;         /* iMCU rows decoded so far */
    uint32_t total;           /* iMCU rows in the image */
};

void vigil_image__jpeg_planes_free(vigil_jpeg_planes *p)
{
    int c;

    if (p == NULL)
        return;
    jpeg_destroy_decompress(&p->ci);
    for (c = 0; c < 3; c++) {
        vigil__free(p->buf[c]);
        vigil__free(p->ptr[c]);
    }
    vigil__free(p);
}

/*
 * Whether libjpeg-turbo would turn this header's samples into RGB by
 * exactly the fancy upsampling + ycc_rgb_convert that the hash side
 * reproduces (jdsample.c picks h2v1/h2v2 fancy only for chroma wider than
 * 2 samples; merged upsampling is off while do_fancy_upsampling is on).
 */
static int planes_sampling(const struct jpeg_decompress_struct *ci)
{
    const jpeg_component_info *c = ci->comp_info;
    int s;

    if (ci->num_components != 3 || ci->jpeg_color_space != JCS_YCbCr ||
        ci->data_precision != 8 || !ci->do_fancy_upsampling ||
        ci->scale_num != ci->scale_denom ||
        c[1].h_samp_factor != 1 || c[1].v_samp_factor != 1 ||
        c[2].h_samp_factor != 1 || c[2].v_samp_factor != 1)
        return -1;
    if (c[0].h_samp_factor == 1 && c[0].v_samp_factor == 1)
        s = VIGIL_JPEG_444;
    else if (c[0].h_samp_factor == 2 && c[0].v_samp_factor == 1)
        s = VIGIL_JPEG_422;
    else if (c[0].h_samp_factor == 2 && c[0].v_samp_factor == 2)
        s = VIGIL_JPEG_420;
    else
        return -1;
    if (s != VIGIL_JPEG_444 && c[1].downsampled_width <= 2)
        return -1;
    return s;
}

static int planes_alloc(vigil_jpeg_planes *p)
{
    int c;
    uint32_t i;

    for (c = 0; c < 3; c++) {
        jpeg_component_info *cp = &p->ci.comp_info[c];

        p->rows[c] = (uint32_t)cp->v_samp_factor * DCTSIZE;
        p->plane_h[c] = cp->downsampled_height;
        p->stride[c] = ((size_t)cp->width_in_blocks * DCTSIZE +
                        2 * VIGIL_JPEG_PLANES_PAD + 63) / 64 * 64;
        p->buf[c] = vigil__calloc((size_t)PLANE_SLOTS * p->rows[c],
                                  p->stride[c]);
        p->ptr[c] = vigil__mallocarray((size_t)PLANE_SLOTS * p->rows[c],
                                       sizeof(JSAMPROW));
        if (p->buf[c] == NULL || p->ptr[c] == NULL)
            return vigil_error_set(VIGIL_ENOMEM, "no memory for JPEG planes "
                                   "(%u pixels wide)",
                                   (unsigned)p->info.width);
        for (i = 0; i < PLANE_SLOTS * p->rows[c]; i++)
            p->ptr[c][i] = p->buf[c] + (size_t)i * p->stride[c] +
                           VIGIL_JPEG_PLANES_PAD;
    }
    return VIGIL_OK;
}

int vigil_image__jpeg_planes_open(vigil_jpeg_planes **out,
                                  vigil_jpeg_planes_info *info,
                                  const uint8_t *data, size_t len,
                                  const vigil_image_options *opts)
{
    vigil_jpeg_planes *p;
    img_limits lim;
    int err, sampling, channels;

    *out = NULL;
    if (vigil_image_detect(data, len) != VIGIL_IMAGE_JPEG ||
        (opts && opts->exif_orient &&
         vigil_image__jpeg_orientation(data, len) != 1))
        return VIGIL_OK;
    if ((err = vigil_image__check_bytes(len, opts)) < 0)
        return err;
    vigil_image__limits_default(&lim, opts);
    if ((p = vigil__calloc(1, sizeof(*p))) == NULL)
        return vigil_error_set(VIGIL_ENOMEM, "no memory for a JPEG decoder");
    p->ci.err = jpeg_std_error(&p->je.pub);
    p->je.pub.error_exit = jerr_exit;
    p->je.pub.emit_message = jerr_emit;
    if (setjmp(p->je.jmp)) {
        err = vigil_error_set(VIGIL_EFORMAT, "JPEG: %s", p->je.msg);
        vigil_image__jpeg_planes_free(p);
        return err;
    }
    jpeg_create_decompress(&p->ci);
    jpeg_mem_src(&p->ci, data, (unsigned long)len);
    jpeg_read_header(&p->ci, TRUE);
    if ((err = jpeg_setup(&p->ci, &lim, &channels)) < 0 ||
        (sampling = planes_sampling(&p->ci)) < 0) {
        vigil_image__jpeg_planes_free(p);
        return err;            /* OK and no reader when just not eligible */
    }
    p->info.width = p->ci.image_width;
    p->info.height = p->ci.image_height;
    p->info.cw = p->ci.comp_info[1].downsampled_width;
    p->info.ch = p->ci.comp_info[1].downsampled_height;
    p->info.sampling = sampling;
    p->ci.raw_data_out = TRUE;
    jpeg_start_decompress(&p->ci);
    p->total = p->ci.total_iMCU_rows;
    if ((err = planes_alloc(p)) < 0) {
        vigil_image__jpeg_planes_free(p);
        return err;
    }
    *info = p->info;
    *out = p;
    return VIGIL_OK;
}

/* Decode the next iMCU row into its slot; repeat the chroma edge samples
 * into the margins (libjpeg's first/last column rule). */
static void planes_decode_one(vigil_jpeg_planes *p)
{
    JSAMPARRAY comp[3];
    uint32_t slot = p->decoded % PLANE_SLOTS, i;
    int c;

    for (c = 0; c < 3; c++)
        comp[c] = p->ptr[c] + (size_t)slot * p->rows[c];
    if (jpeg_read_raw_data(&p->ci, comp, p->rows[0]) != p->rows[0]) {
        snprintf(p->je.msg, sizeof(p->je.msg), "no iMCU row %u",
                 (unsigned)p->decoded);
        longjmp(p->je.jmp, 1);
    }
    for (c = 1; c < 3; c++)
        for (i = 0; i < p->rows[c]; i++) {
            uint8_t *r = comp[c][i];

            r[-1] = r[0];
            r[p->info.cw] = r[p->info.cw - 1];
        }
    p->decoded++;
    if (p->decoded == p->total)
        jpeg_finish_decompress(&p->ci);
}

int vigil_image__jpeg_planes_need(vigil_jpeg_planes *p, uint32_t y)
{
    vigil_jpeg_planes *volatile vp = p;
    uint32_t last_c = y, need;

    if (p->info.sampling == VIGIL_JPEG_420) {
        last_c = y / 2 + (y & 1);     /* row below for odd rows */
        if (last_c >= p->plane_h[1])
            last_c = p->plane_h[1] - 1;
    }
    need = y / p->rows[0];
    if (last_c / p->rows[1] > need)
        need = last_c / p->rows[1];
    if (need < p->decoded)
        return VIGIL_OK;
    if (setjmp(p->je.jmp))
        return vigil_error_set(VIGIL_EFORMAT, "JPEG: %s", vp->je.msg);
    while (vp->decoded <= need && vp->decoded < vp->total)
        planes_decode_one(vp);
    return VIGIL_OK;
}

const uint8_t *vigil_image__jpeg_planes_row(const vigil_jpeg_planes *p,
                                            int comp, int64_t row)
{
    uint32_t r = row < 0 ? 0 : (uint32_t)row;

    if (row >= (int64_t)p->plane_h[comp])
        r = p->plane_h[comp] - 1;
    return p->ptr[comp][(r / p->rows[comp]) % PLANE_SLOTS * p->rows[comp] +
                        r % p->rows[comp]];
}
