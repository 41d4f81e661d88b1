/*
 * image/image_bmp.c - Windows BMP without a library: OS/2 core and
 * BITMAPINFOHEADER..V5, 1/4/8-bit palettes, 16/24/32-bit (BI_RGB and
 * BI_BITFIELDS), bottom-up or top-down. RLE and embedded JPEG/PNG are
 * refused. Alpha is dropped. Every read is bounds-checked.
 */
#define VIGIL_MODULE "image"
#include "image/image_internal.h"

#include <string.h>

#include "common/error.h"

struct bmp {
    int32_t w, h;
    unsigned bpp, compression, hdr, pal_entry;
    uint32_t offset, ncolors, mask[3];
    const uint8_t *pal;
};

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static unsigned le16(const uint8_t *p)
{
    return (unsigned)(p[0] | p[1] << 8);
}

/* Value of the bits selected by @p mask, scaled to 0..255. */
static uint8_t mask_value(uint32_t px, uint32_t mask)
{
    unsigned shift = 0, bits = 0;
    uint64_t v, top;

    if (mask == 0)
        return 0;
    while (!(mask & 1)) {
        mask >>= 1;
        shift++;
    }
    while (mask & 1) {
        mask >>= 1;
        bits++;
    }
    top = ((uint64_t)1 << bits) - 1;
    v = ((uint64_t)px >> shift) & top;
    if (bits >= 8)
        return (uint8_t)(v >> (bits - 8));
    return (uint8_t)((v * 255 + top / 2) / top);
}

static int bmp_header(struct bmp *b, const uint8_t *d, size_t len)
{
    if (len < 26 || (b->hdr = le32(d + 14)) < 12 || 14 + (size_t)b->hdr > len)
        return vigil_error_set(VIGIL_EFORMAT, "BMP: truncated header");
    b->offset = le32(d + 10);
    if (b->hdr == 12) {
        b->w = (int32_t)le16(d + 18);
        b->h = (int32_t)le16(d + 20);
        b->bpp = le16(d + 24);
        b->compression = 0;
        b->pal_entry = 3;
        b->ncolors = 0;
    } else {
        if (b->hdr < 40)
            return vigil_error_set(VIGIL_EFORMAT, "BMP: header of %u bytes",
                                   b->hdr);
        b->w = (int32_t)le32(d + 18);
        b->h = (int32_t)le32(d + 22);
        b->bpp = le16(d + 28);
        b->compression = le32(d + 30);
        b->ncolors = le32(d + 46);
        b->pal_entry = 4;
    }
    b->mask[0] = 0xFF0000;
    b->mask[1] = 0x00FF00;
    b->mask[2] = 0x0000FF;
    if (b->bpp == 16 && b->compression == 0) {
        b->mask[0] = 0x7C00;
        b->mask[1] = 0x03E0;
        b->mask[2] = 0x001F;
    }
    if (b->compression == 3) {
        if (14 + (size_t)b->hdr + (b->hdr == 40 ? 12 : 0) > len ||
            (b->hdr < 52 && b->hdr != 40))
            return vigil_error_set(VIGIL_EFORMAT, "BMP: no bit masks");
        b->mask[0] = le32(d + 54);
        b->mask[1] = le32(d + 58);
        b->mask[2] = le32(d + 62);
    } else if (b->compression != 0) {
        return vigil_error_set(VIGIL_EFORMAT,
                               "BMP: compression %u is not supported",
                               b->compression);
    }
    if (b->bpp != 1 && b->bpp != 4 && b->bpp != 8 && b->bpp != 16 &&
        b->bpp != 24 && b->bpp != 32)
        return vigil_error_set(VIGIL_EFORMAT, "BMP: %u bits per pixel",
                               b->bpp);
    if (b->bpp <= 8) {
        size_t pal_off = 14 + (size_t)b->hdr + (b->compression == 3 ? 12 : 0);

        if (b->ncolors == 0 || b->ncolors > (1u << b->bpp))
            b->ncolors = 1u << b->bpp;
        if (pal_off + (size_t)b->ncolors * b->pal_entry > len)
            return vigil_error_set(VIGIL_EFORMAT, "BMP: truncated palette");
        b->pal = d + pal_off;
    }
    return VIGIL_OK;
}

static void bmp_pixel(const struct bmp *b, const uint8_t *row, uint32_t x,
                      uint8_t *out)
{
    if (b->bpp <= 8) {
        unsigned per = 8 / b->bpp, i;
        unsigned byte = row[x / per];

        i = (byte >> (8 - b->bpp * (x % per + 1))) & ((1u << b->bpp) - 1);
        if (i >= b->ncolors)
            i = 0;
        out[0] = b->pal[i * b->pal_entry + 2];
        out[1] = b->pal[i * b->pal_entry + 1];
        out[2] = b->pal[i * b->pal_entry + 0];
    } else if (b->bpp == 24 || (b->bpp == 32 && b->compression == 0)) {
        const uint8_t *p = row + (size_t)x * (b->bpp / 8);

        out[0] = p[2];
        out[1] = p[1];
        out[2] = p[0];
    } else {
        uint32_t px = b->bpp == 16 ? le16(row + 2 * (size_t)x)
                                   : le32(row + 4 * (size_t)x);
        int c;

        for (c = 0; c < 3; c++)
            out[c] = mask_value(px, b->mask[c]);
    }
}

int vigil_image__decode_bmp(vigil_image *out, const uint8_t *data,
                            size_t len, const img_limits *lim)
{
    struct bmp b;
    uint32_t w, h, x, y;
    size_t rowbytes;
    int err, topdown;

    memset(&b, 0, sizeof(b));
    if ((err = bmp_header(&b, data, len)) < 0)
        return err;
    if (b.w <= 0 || b.h == 0 || b.h == INT32_MIN)
        return vigil_error_set(VIGIL_EFORMAT, "BMP: %dx%d pixels",
                               (int)b.w, (int)b.h);
    topdown = b.h < 0;
    w = (uint32_t)b.w;
    h = (uint32_t)(topdown ? -b.h : b.h);
    if ((err = vigil_image__check_size(lim, w, h, "BMP")) < 0)
        return err;
    rowbytes = (((size_t)w * b.bpp + 31) / 32) * 4;
    if (b.offset > len || (len - b.offset) / rowbytes < h)
        return vigil_error_set(VIGIL_EFORMAT, "BMP: pixel data truncated "
                               "(%zu bytes for %ux%u)", len,
                               (unsigned)w, (unsigned)h);
    if ((err = vigil_image__alloc(out, w, h, 3)) < 0)
        return err;
    for (y = 0; y < h; y++) {
        const uint8_t *row = data + b.offset +
                             (size_t)(topdown ? y : h - 1 - y) * rowbytes;
        uint8_t *d = out->pixels + (size_t)y * out->stride;

        for (x = 0; x < w; x++)
            bmp_pixel(&b, row, x, d + 3 * (size_t)x);
    }
    return VIGIL_OK;
}
