/*
 * image/image_reader.c - vigil_image_reader: rows on demand. JPEG streams
 * through libjpeg-turbo so a hasher never holds the whole decoded image;
 * every other case decodes whole with vigil_image_decode() and serves rows.
 */
#define VIGIL_MODULE "image"
#include "image/image_internal.h"

#include <string.h>

#include "common/alloc.h"
#include "common/error.h"

struct vigil_image_reader {
    struct jpeg_stream *jpeg;  /* streaming, or NULL */
    vigil_image img;           /* whole image when not streaming */
    uint32_t width, height, next;
    int channels;
};

/* JPEG can stream unless an EXIF rotation must be applied or grey must
 * become RGB. */
static int can_stream(const uint8_t *data, size_t len,
                      const vigil_image_options *opts)
{
    if (vigil_image_detect(data, len) != VIGIL_IMAGE_JPEG)
        return 0;
    if (opts && !opts->allow_grey)
        return 0;
    return !(opts && opts->exif_orient) ||
           vigil_image__jpeg_orientation(data, len) == 1;
}

int vigil_image_reader_open(vigil_image_reader **out, const void *data,
                            size_t len, const vigil_image_options *opts)
{
    vigil_image_reader *r;
    img_limits lim;
    int err;

    *out = NULL;
    if (data == NULL && len > 0)
        return vigil_error_set(VIGIL_EINVAL, "no image buffer");
    if ((err = vigil_image__check_bytes(len, opts)) < 0)
        return err;
    if ((r = vigil__calloc(1, sizeof(*r))) == NULL)
        return vigil_error_set(VIGIL_ENOMEM, "no memory for an image reader");
    if (can_stream(data, len, opts)) {
        vigil_image__limits_default(&lim, opts);
        lim.allow_grey = 1;
        err = vigil_image__jpeg_stream_open(&r->jpeg, data, len, &lim,
                                            &r->width, &r->height,
                                            &r->channels);
    } else if ((err = vigil_image_decode(&r->img, data, len, opts)) == 0) {
        r->width = r->img.width;
        r->height = r->img.height;
        r->channels = r->img.channels;
    }
    if (err < 0) {
        vigil__free(r);
        return err;
    }
    *out = r;
    return VIGIL_OK;
}

void vigil_image_reader_info(const vigil_image_reader *r, uint32_t *width,
                             uint32_t *height, int *channels)
{
    *width = r->width;
    *height = r->height;
    *channels = r->channels;
}

int vigil_image_reader_rows(vigil_image_reader *r, uint8_t *dst, size_t stride,
                            uint32_t nrows)
{
    size_t rowbytes = (size_t)r->width * (size_t)r->channels;
    uint32_t i;
    int err;

    if (nrows > r->height - r->next || stride < rowbytes)
        return vigil_error_set(VIGIL_EINVAL, "rows %u..%u of a %u-row image",
                               (unsigned)r->next, (unsigned)(r->next + nrows),
                               (unsigned)r->height);
    if (r->jpeg) {
        if ((err = vigil_image__jpeg_stream_rows(r->jpeg, dst, stride,
                                                 nrows)) < 0)
            return err;
    } else {
        for (i = 0; i < nrows; i++)
            memcpy(dst + (size_t)i * stride,
                   r->img.pixels + (size_t)(r->next + i) * r->img.stride,
                   rowbytes);
    }
    r->next += nrows;
    return VIGIL_OK;
}

void vigil_image_reader_free(vigil_image_reader *r)
{
    if (r == NULL)
        return;
    vigil_image__jpeg_stream_free(r->jpeg);
    vigil_image_dispose(&r->img);
    vigil__free(r);
}
