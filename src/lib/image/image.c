/*
 * image/image.c - format detection, limits, file reading and dispatch to
 * the decoder adapters (image_jpeg.c, image_png.c, ...).
 */
#define VIGIL_MODULE "image"
#include "image/image_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/alloc.h"
#include "common/error.h"

vigil_image_format vigil_image_detect(const void *data, size_t len)
{
    const uint8_t *p = data;

    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return VIGIL_IMAGE_JPEG;
    if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        return VIGIL_IMAGE_PNG;
    if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
        return VIGIL_IMAGE_WEBP;
    if (len >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
        return VIGIL_IMAGE_GIF;
    if (len >= 2 && p[0] == 'B' && p[1] == 'M')
        return VIGIL_IMAGE_BMP;
    if (len >= 2 && p[0] == 'P' && p[1] >= '1' && p[1] <= '6')
        return VIGIL_IMAGE_PNM;
    return VIGIL_IMAGE_UNKNOWN;
}

const char *vigil_image_format_name(vigil_image_format fmt)
{
    switch (fmt) {
    case VIGIL_IMAGE_JPEG: return "jpeg";
    case VIGIL_IMAGE_PNG:  return "png";
    case VIGIL_IMAGE_WEBP: return "webp";
    case VIGIL_IMAGE_GIF:  return "gif";
    case VIGIL_IMAGE_BMP:  return "bmp";
    case VIGIL_IMAGE_PNM:  return "pnm";
    default:               return "unknown";
    }
}

int vigil_image__check_size(const img_limits *lim, uint32_t w, uint32_t h,
                            const char *what)
{
    if (w == 0 || h == 0)
        return vigil_error_set(VIGIL_EFORMAT, "%s image is %ux%u pixels",
                               what, (unsigned)w, (unsigned)h);
    if (w > lim->max_side || h > lim->max_side)
        return vigil_error_set(VIGIL_ELIMIT,
            "%s image is %ux%u pixels, limit is %u per side", what,
            (unsigned)w, (unsigned)h, (unsigned)lim->max_side);
    if ((uint64_t)w * h > lim->max_pixels)
        return vigil_error_set(VIGIL_ELIMIT,
            "%s image is %ux%u pixels, limit is %llu pixels", what,
            (unsigned)w, (unsigned)h, (unsigned long long)lim->max_pixels);
    return VIGIL_OK;
}

int vigil_image__alloc(vigil_image *out, uint32_t w, uint32_t h, int channels)
{
    size_t stride, n;

    if (!vigil__mul_size(&stride, w, (size_t)channels) ||
        !vigil__mul_size(&n, stride, h) ||
        (out->pixels = vigil__malloc(n)) == NULL)
        return vigil_error_set(VIGIL_ENOMEM, "no memory for %ux%u image",
                               (unsigned)w, (unsigned)h);
    out->width = w;
    out->height = h;
    out->stride = stride;
    out->channels = channels;
    return VIGIL_OK;
}

void vigil_image_dispose(vigil_image *img)
{
    if (img == NULL)
        return;
    vigil__free(img->pixels);
    memset(img, 0, sizeof(*img));
}

void vigil_image__limits_default(img_limits *lim,
                                 const vigil_image_options *opts)
{
    memset(lim, 0, sizeof(*lim));
    lim->max_side = opts && opts->max_side ? opts->max_side
                                           : VIGIL_IMAGE_DEFAULT_MAX_SIDE;
    lim->max_pixels = opts && opts->max_pixels ? opts->max_pixels
                                               : VIGIL_IMAGE_DEFAULT_MAX_PIXELS;
}

int vigil_image__check_bytes(size_t len, const vigil_image_options *opts)
{
    uint64_t max_bytes = opts && opts->max_file_bytes
                             ? opts->max_file_bytes
                             : VIGIL_IMAGE_DEFAULT_MAX_FILE_BYTES;

    if (len > max_bytes)
        return vigil_error_set(VIGIL_ELIMIT, "image is %zu bytes, limit %llu",
                               len, (unsigned long long)max_bytes);
    return VIGIL_OK;
}

static void limits_from(img_limits *lim, const vigil_image_options *opts)
{
    vigil_image__limits_default(lim, opts);
    lim->allow_grey = opts ? opts->allow_grey : 1;
    lim->exif_orient = opts ? opts->exif_orient : 0;
}

/* Replicate a grey image to RGB for callers that asked for 3 channels. */
static int grey_to_rgb(vigil_image *img)
{
    vigil_image rgb = *img;
    uint32_t x, y;
    int err;

    if ((err = vigil_image__alloc(&rgb, img->width, img->height, 3)) < 0)
        return err;
    for (y = 0; y < img->height; y++) {
        const uint8_t *s = img->pixels + (size_t)y * img->stride;
        uint8_t *d = rgb.pixels + (size_t)y * rgb.stride;

        for (x = 0; x < img->width; x++, d += 3)
            d[0] = d[1] = d[2] = s[x];
    }
    vigil__free(img->pixels);
    *img = rgb;
    return VIGIL_OK;
}

int vigil_image_decode(vigil_image *out, const void *data, size_t len,
                       const vigil_image_options *opts)
{
    vigil_image_format fmt;
    img_limits lim;
    int err;

    if (out == NULL || (data == NULL && len > 0))
        return vigil_error_set(VIGIL_EINVAL, "no image buffer");
    memset(out, 0, sizeof(*out));
    if ((err = vigil_image__check_bytes(len, opts)) < 0)
        return err;
    limits_from(&lim, opts);
    switch ((fmt = vigil_image_detect(data, len))) {
    case VIGIL_IMAGE_JPEG: err = vigil_image__decode_jpeg(out, data, len, &lim); break;
    case VIGIL_IMAGE_PNG:  err = vigil_image__decode_png(out, data, len, &lim); break;
    case VIGIL_IMAGE_WEBP: err = vigil_image__decode_webp(out, data, len, &lim); break;
    case VIGIL_IMAGE_GIF:  err = vigil_image__decode_gif(out, data, len, &lim); break;
    case VIGIL_IMAGE_BMP:  err = vigil_image__decode_bmp(out, data, len, &lim); break;
    case VIGIL_IMAGE_PNM:  err = vigil_image__decode_pnm(out, data, len, &lim); break;
    default:
        return vigil_error_set(VIGIL_EFORMAT, "not a JPEG, PNG, WebP, GIF, "
                               "BMP or PPM image (%zu bytes)", len);
    }
    if (err < 0) {
        vigil_image_dispose(out);
        return err;
    }
    out->format = fmt;
    if (out->orientation == 0)
        out->orientation = 1;
    if (lim.exif_orient && out->orientation != 1 &&
        (err = vigil_image__apply_orientation(out, out->orientation)) < 0)
        goto fail;
    if (out->channels == 1 && !lim.allow_grey && (err = grey_to_rgb(out)) < 0)
        goto fail;
    return VIGIL_OK;
fail:
    vigil_image_dispose(out);
    return err;
}

int vigil_image_read_file(uint8_t **out, size_t *len_out, const char *path,
                          uint64_t max_bytes)
{
    struct stat st;
    uint8_t *buf = NULL;
    size_t len;
    FILE *f;
    int err = VIGIL_OK;

    *out = NULL;
    *len_out = 0;
    if (max_bytes == 0)
        max_bytes = VIGIL_IMAGE_DEFAULT_MAX_FILE_BYTES;
    if ((f = fopen(path, "rb")) == NULL)
        return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        err = vigil_error_set(VIGIL_EIO, "%s: not a regular file", path);
        goto out;
    }
    if ((uint64_t)st.st_size > max_bytes) {
        err = vigil_error_set(VIGIL_ELIMIT, "%s: %lld bytes, limit %llu", path,
                              (long long)st.st_size,
                              (unsigned long long)max_bytes);
        goto out;
    }
    len = (size_t)st.st_size;
    if ((buf = vigil__malloc(len ? len : 1)) == NULL) {
        err = vigil_error_set(VIGIL_ENOMEM, "%s: no memory for %zu bytes",
                              path, len);
        goto out;
    }
    if (fread(buf, 1, len, f) != len) {
        err = vigil_error_set(VIGIL_EIO, "%s: short read", path);
        goto out;
    }
    *out = buf;
    *len_out = len;
    buf = NULL;
out:
    vigil__free(buf);
    fclose(f);
    return err;
}

void vigil_image_free_bytes(uint8_t *bytes)
{
    vigil__free(bytes);
}
