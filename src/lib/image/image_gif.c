/*
 * image/image_gif.c - GIF through giflib: the first frame only, drawn at
 * its offset on the logical screen (filled with the background colour).
 * Transparency is dropped like any alpha: a transparent index shows its
 * palette colour (as Pillow's P->RGB). Later frames are never read.
 */
#define VIGIL_MODULE "image"
#include "image/image_internal.h"

#include <string.h>

#include <gif_lib.h>

#include "common/alloc.h"
#include "common/error.h"

struct gif_src {
    const uint8_t *data;
    size_t len, pos;
};

static int gif_read_mem(GifFileType *gif, GifByteType *buf, int n)
{
    struct gif_src *s = gif->UserData;
    size_t k = (size_t)n;

    if (n < 0)
        return 0;
    if (k > s->len - s->pos)
        k = s->len - s->pos;
    memcpy(buf, s->data + s->pos, k);
    s->pos += k;
    return (int)k;
}

/* Skip an extension record and its sub-blocks. */
static int gif_skip_ext(GifFileType *gif)
{
    GifByteType *ext = NULL;
    int code;

    if (DGifGetExtension(gif, &code, &ext) != GIF_OK)
        return GIF_ERROR;
    while (ext != NULL)
        if (DGifGetExtensionNext(gif, &ext) != GIF_OK)
            return GIF_ERROR;
    return GIF_OK;
}

/* Decode the first image's indices into @p idx (fw x fh). */
static int gif_read_indices(GifFileType *gif, uint8_t *idx)
{
    static const int start[4] = { 0, 4, 2, 1 }, step[4] = { 8, 8, 4, 2 };
    int fw = gif->Image.Width, fh = gif->Image.Height, pass, y;

    if (!gif->Image.Interlace) {
        for (y = 0; y < fh; y++)
            if (DGifGetLine(gif, idx + (size_t)y * fw, fw) != GIF_OK)
                return GIF_ERROR;
        return GIF_OK;
    }
    for (pass = 0; pass < 4; pass++)
        for (y = start[pass]; y < fh; y += step[pass])
            if (DGifGetLine(gif, idx + (size_t)y * fw, fw) != GIF_OK)
                return GIF_ERROR;
    return GIF_OK;
}

static int gif_paint(vigil_image *out, GifFileType *gif, const uint8_t *idx)
{
    const ColorMapObject *cm = gif->Image.ColorMap ? gif->Image.ColorMap
                                                   : gif->SColorMap;
    int fx = gif->Image.Left, fy = gif->Image.Top;
    int fw = gif->Image.Width, fh = gif->Image.Height, x, y;
    GifColorType bg = { 0, 0, 0 };

    if (cm == NULL)
        return vigil_error_set(VIGIL_EFORMAT, "GIF: no colour map");
    if (gif->SColorMap && gif->SBackGroundColor < gif->SColorMap->ColorCount)
        bg = gif->SColorMap->Colors[gif->SBackGroundColor];
    for (y = 0; y < (int)out->height; y++)
        for (x = 0; x < (int)out->width; x++) {
            uint8_t *d = out->pixels + (size_t)y * out->stride + 3 * (size_t)x;
            GifColorType c = bg;

            if (x >= fx && x - fx < fw && y >= fy && y - fy < fh) {
                int i = idx[(size_t)(y - fy) * fw + (x - fx)];

                if (i < cm->ColorCount)
                    c = cm->Colors[i];
            }
            d[0] = c.Red;
            d[1] = c.Green;
            d[2] = c.Blue;
        }
    return VIGIL_OK;
}

static int gif_first_frame(vigil_image *out, GifFileType *gif,
                           const img_limits *lim)
{
    GifRecordType rec;
    uint8_t *idx = NULL;
    int err;

    for (;;) {
        if (DGifGetRecordType(gif, &rec) != GIF_OK)
            return vigil_error_set(VIGIL_EFORMAT, "GIF: %s",
                                   GifErrorString(gif->Error));
        if (rec == TERMINATE_RECORD_TYPE)
            return vigil_error_set(VIGIL_EFORMAT, "GIF: no image in file");
        if (rec == EXTENSION_RECORD_TYPE) {
            if (gif_skip_ext(gif) != GIF_OK)
                return vigil_error_set(VIGIL_EFORMAT, "GIF: bad extension");
            continue;
        }
        if (rec == IMAGE_DESC_RECORD_TYPE)
            break;
    }
    if (DGifGetImageDesc(gif) != GIF_OK)
        return vigil_error_set(VIGIL_EFORMAT, "GIF: bad image descriptor");
    if ((err = vigil_image__check_size(lim, (uint32_t)gif->Image.Width,
                                       (uint32_t)gif->Image.Height,
                                       "GIF frame")) < 0)
        return err;
    if ((idx = vigil__mallocarray((size_t)gif->Image.Width,
                                  (size_t)gif->Image.Height)) == NULL)
        return vigil_error_set(VIGIL_ENOMEM, "no memory for a GIF frame");
    if (gif_read_indices(gif, idx) != GIF_OK)
        err = vigil_error_set(VIGIL_EFORMAT, "GIF: corrupt image data");
    else
        err = gif_paint(out, gif, idx);
    vigil__free(idx);
    return err;
}

int vigil_image__decode_gif(vigil_image *out, const uint8_t *data,
                            size_t len, const img_limits *lim)
{
    struct gif_src src = { data, len, 0 };
    GifFileType *gif;
    int gerr = 0, err;

    if ((gif = DGifOpen(&src, gif_read_mem, &gerr)) == NULL)
        return vigil_error_set(VIGIL_EFORMAT, "GIF: %s", GifErrorString(gerr));
    if ((err = vigil_image__check_size(lim, (uint32_t)gif->SWidth,
                                       (uint32_t)gif->SHeight, "GIF")) < 0 ||
        (err = vigil_image__alloc(out, (uint32_t)gif->SWidth,
                                  (uint32_t)gif->SHeight, 3)) < 0)
        goto out;
    err = gif_first_frame(out, gif, lim);
out:
    DGifCloseFile(gif, &gerr);
    return err;
}
