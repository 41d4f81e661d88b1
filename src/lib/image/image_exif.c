/*
 * image/image_exif.c - the EXIF orientation tag of a JPEG (APP1 "Exif",
 * TIFF IFD0 tag 0x0112) and the rotation/flip that undoes it. Parsing is
 * bounds-checked at every read; anything unexpected means "no orientation".
 */
#define VIGIL_MODULE "image"
#include "image/image_internal.h"

#include <string.h>

#include "common/alloc.h"
#include "common/error.h"

static unsigned rd16(const uint8_t *p, int le)
{
    return le ? (unsigned)(p[0] | p[1] << 8) : (unsigned)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p, int le)
{
    return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                    (uint32_t)p[3] << 24
              : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
                    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Orientation from a TIFF block (the APP1 payload after "Exif\0\0"). */
static int tiff_orientation(const uint8_t *t, size_t n)
{
    uint32_t ifd;
    unsigned count, i;
    int le;

    if (n < 8)
        return 1;
    if (t[0] == 'I' && t[1] == 'I')
        le = 1;
    else if (t[0] == 'M' && t[1] == 'M')
        le = 0;
    else
        return 1;
    if (rd16(t + 2, le) != 42)
        return 1;
    ifd = rd32(t + 4, le);
    if (ifd > n - 2)
        return 1;
    count = rd16(t + ifd, le);
    for (i = 0; i < count; i++) {
        size_t e = (size_t)ifd + 2 + (size_t)i * 12;

        if (e + 12 > n)
            return 1;
        if (rd16(t + e, le) == 0x0112 && rd16(t + e + 2, le) == 3) {
            unsigned v = rd16(t + e + 8, le);

            return v >= 1 && v <= 8 ? (int)v : 1;
        }
    }
    return 1;
}

int vigil_image__jpeg_orientation(const uint8_t *data, size_t len)
{
    size_t pos = 2;

    while (pos + 4 <= len && data[pos] == 0xFF) {
        unsigned marker = data[pos + 1];
        size_t seg = (size_t)(data[pos + 2] << 8 | data[pos + 3]);

        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) ||
            marker == 0x01) {
            pos += 2;
            continue;
        }
        if (marker == 0xFF) {
            pos++;
            continue;
        }
        if (marker == 0xDA || marker == 0xD9 || seg < 2 || pos + 2 + seg > len)
            return 1;
        if (marker == 0xE1 && seg >= 8 &&
            memcmp(data + pos + 4, "Exif\0\0", 6) == 0)
            return tiff_orientation(data + pos + 10, seg - 8);
        pos += 2 + seg;
    }
    return 1;
}

/*
 * Source pixel for destination (x, y) of a w x h output, per EXIF value:
 * 2 mirror, 3 rotate 180, 4 flip vertical, 5 transpose, 6 rotate 90 CW,
 * 7 transverse, 8 rotate 90 CCW. Orientations 5-8 swap the sides.
 */
static void src_xy(int o, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                   uint32_t *sx, uint32_t *sy)
{
    switch (o) {
    case 2: *sx = w - 1 - x; *sy = y; break;
    case 3: *sx = w - 1 - x; *sy = h - 1 - y; break;
    case 4: *sx = x; *sy = h - 1 - y; break;
    case 5: *sx = y; *sy = x; break;
    case 6: *sx = y; *sy = w - 1 - x; break;
    case 7: *sx = h - 1 - y; *sy = w - 1 - x; break;
    case 8: *sx = h - 1 - y; *sy = x; break;
    default: *sx = x; *sy = y; break;
    }
}

int vigil_image__apply_orientation(vigil_image *img, int orientation)
{
    vigil_image dst = *img;
    uint32_t w = img->width, h = img->height, x, y, sx, sy;
    int c, ch = img->channels, err;

    if (orientation >= 5) {
        w = img->height;
        h = img->width;
    }
    if ((err = vigil_image__alloc(&dst, w, h, ch)) < 0)
        return err;
    for (y = 0; y < h; y++) {
        uint8_t *d = dst.pixels + (size_t)y * dst.stride;

        for (x = 0; x < w; x++) {
            const uint8_t *s;

            src_xy(orientation, x, y, w, h, &sx, &sy);
            s = img->pixels + (size_t)sy * img->stride + (size_t)sx * ch;
            for (c = 0; c < ch; c++)
                *d++ = s[c];
        }
    }
    vigil__free(img->pixels);
    *img = dst;
    return VIGIL_OK;
}
