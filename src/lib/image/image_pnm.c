/*
 * image/image_pnm.c - Netpbm PGM/PPM (P2, P3, P5, P6) and PBM (P1, P4)
 * without a library. Samples with maxval other than 255 are scaled to
 * 0..255 with rounding; 16-bit binary samples are big-endian.
 */
#define VIGIL_MODULE "image"
#include "image/image_internal.h"

#include <string.h>

#include "common/error.h"

struct pnm {
    const uint8_t *d;
    size_t len, pos;
};

static void pnm_space(struct pnm *p)
{
    while (p->pos < p->len) {
        uint8_t c = p->d[p->pos];

        if (c == '#') {
            while (p->pos < p->len && p->d[p->pos] != '\n')
                p->pos++;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
                   c == '\v' || c == '\f') {
            p->pos++;
        } else {
            break;
        }
    }
}

/* Next decimal number (<= 65535), or -1. */
static long pnm_number(struct pnm *p)
{
    long v = 0;
    int digits = 0;

    pnm_space(p);
    while (p->pos < p->len && p->d[p->pos] >= '0' && p->d[p->pos] <= '9') {
        v = v * 10 + (p->d[p->pos++] - '0');
        if (v > 65535)
            return -1;
        digits++;
    }
    return digits ? v : -1;
}

/* Next sample of a plain (ASCII) or raw file, scaled to 0..255; -1 = EOF. */
static int pnm_sample(struct pnm *p, int raw, long maxval)
{
    long v;

    if (!raw) {
        v = pnm_number(p);
    } else if (maxval < 256) {
        if (p->pos >= p->len)
            return -1;
        v = p->d[p->pos++];
    } else {
        if (p->len - p->pos < 2)
            return -1;
        v = (long)p->d[p->pos] << 8 | p->d[p->pos + 1];
        p->pos += 2;
    }
    if (v < 0)
        return -1;
    if (v > maxval)
        v = maxval;
    return maxval == 255 ? (int)v : (int)((v * 255 + maxval / 2) / maxval);
}

static int pnm_bits(struct pnm *p, vigil_image *out, int raw)
{
    uint32_t x, y;

    for (y = 0; y < out->height; y++) {
        for (x = 0; x < out->width; x++) {
            int bit;

            if (raw) {
                size_t at = p->pos + (size_t)y * ((out->width + 7) / 8) + x / 8;

                if (at >= p->len)
                    return vigil_error_set(VIGIL_EFORMAT, "PBM: truncated");
                bit = (p->d[at] >> (7 - x % 8)) & 1;
            } else {
                pnm_space(p);
                if (p->pos >= p->len || (p->d[p->pos] != '0' &&
                                         p->d[p->pos] != '1'))
                    return vigil_error_set(VIGIL_EFORMAT, "PBM: truncated");
                bit = p->d[p->pos++] == '1';
            }
            out->pixels[(size_t)y * out->stride + x] = bit ? 0 : 255;
        }
    }
    return VIGIL_OK;
}

int vigil_image__decode_pnm(vigil_image *out, const uint8_t *data,
                            size_t len, const img_limits *lim)
{
    struct pnm p = { data, len, 2 };
    int kind = data[1] - '0', raw = kind >= 4, bits = kind == 1 || kind == 4;
    int colour = kind == 3 || kind == 6, err;
    long w, h, maxval = 1;
    size_t i, n;

    w = pnm_number(&p);
    h = pnm_number(&p);
    if (!bits)
        maxval = pnm_number(&p);
    if (w < 0 || h < 0 || maxval < 1)
        return vigil_error_set(VIGIL_EFORMAT, "PNM: bad header");
    if ((err = vigil_image__check_size(lim, (uint32_t)w, (uint32_t)h,
                                       "PNM")) < 0)
        return err;
    if (p.pos >= len)
        return vigil_error_set(VIGIL_EFORMAT, "PNM: no pixel data");
    p.pos++;                       /* the single whitespace after the header */
    if ((err = vigil_image__alloc(out, (uint32_t)w, (uint32_t)h,
                                  colour ? 3 : 1)) < 0)
        return err;
    if (bits)
        return pnm_bits(&p, out, raw);
    n = out->stride * out->height;
    if (raw && (len - p.pos) / (maxval < 256 ? 1 : 2) < n)
        return vigil_error_set(VIGIL_EFORMAT, "PNM: pixel data truncated");
    for (i = 0; i < n; i++) {
        int v = pnm_sample(&p, raw, maxval);

        if (v < 0)
            return vigil_error_set(VIGIL_EFORMAT, "PNM: pixel data truncated");
        out->pixels[i] = (uint8_t)v;
    }
    return VIGIL_OK;
}
