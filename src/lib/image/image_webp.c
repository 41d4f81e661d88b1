/*
 * image/image_webp.c - WebP (Telegram stickers) through libwebp. Still
 * images decode straight to RGB (alpha dropped, as Pillow's RGBA->RGB);
 * animated ones give their first frame, composed by WebPAnimDecoder.
 */
#define VIGIL_MODULE "image"
#include "image/image_internal.h"

#include <string.h>

#include <webp/decode.h>
#include <webp/demux.h>

#include "common/error.h"

static int webp_first_frame(vigil_image *out, const uint8_t *data, size_t len)
{
    WebPAnimDecoderOptions aopt;
    WebPAnimDecoder *dec;
    WebPData wd = { data, len };
    uint8_t *rgba = NULL;
    int ts, err;
    uint32_t x, y;

    if (!WebPAnimDecoderOptionsInit(&aopt))
        return vigil_error_set(VIGIL_ERROR, "WebP: library version mismatch");
    aopt.color_mode = MODE_RGBA;
    aopt.use_threads = 0;
    if ((dec = WebPAnimDecoderNew(&wd, &aopt)) == NULL)
        return vigil_error_set(VIGIL_EFORMAT, "WebP: bad animation container");
    if (!WebPAnimDecoderGetNext(dec, &rgba, &ts)) {
        WebPAnimDecoderDelete(dec);
        return vigil_error_set(VIGIL_EFORMAT, "WebP: cannot decode frame 1");
    }
    if ((err = vigil_image__alloc(out, out->width, out->height, 3)) == 0) {
        for (y = 0; y < out->height; y++) {
            const uint8_t *s = rgba + (size_t)y * out->width * 4;
            uint8_t *d = out->pixels + (size_t)y * out->stride;

            for (x = 0; x < out->width; x++, s += 4, d += 3)
                memcpy(d, s, 3);
        }
    }
    WebPAnimDecoderDelete(dec);
    return err;
}

int vigil_image__decode_webp(vigil_image *out, const uint8_t *data,
                             size_t len, const img_limits *lim)
{
    WebPBitstreamFeatures f;
    int err;

    if (WebPGetFeatures(data, len, &f) != VP8_STATUS_OK)
        return vigil_error_set(VIGIL_EFORMAT, "WebP: bad header");
    if ((err = vigil_image__check_size(lim, (uint32_t)f.width,
                                       (uint32_t)f.height, "WebP")) < 0)
        return err;
    if (f.has_animation) {
        out->width = (uint32_t)f.width;
        out->height = (uint32_t)f.height;
        return webp_first_frame(out, data, len);
    }
    if ((err = vigil_image__alloc(out, (uint32_t)f.width, (uint32_t)f.height,
                                  3)) < 0)
        return err;
    if (WebPDecodeRGBInto(data, len, out->pixels, out->stride * out->height,
                          (int)out->stride) == NULL)
        return vigil_error_set(VIGIL_EFORMAT, "WebP: corrupt image data");
    return VIGIL_OK;
}
