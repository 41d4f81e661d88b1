/*
 * tests/unit/image/imgenc.h - tiny encoders for test images (JPEG through
 * libjpeg, PNG through libpng, WebP, GIF, BMP, PPM) and a synthetic scene,
 * so decoder and hash tests need no binary fixtures. Header-only test code
 * (each test is one translation unit).
 */
#ifndef VIGIL_TEST_IMGENC_H
#define VIGIL_TEST_IMGENC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>
#include <jpeglib.h>
#include <png.h>
#include <webp/encode.h>

#define ENC_UNUSED __attribute__((unused))

typedef struct {
    unsigned char *data;   /* malloc'd; free() */
    size_t len;
} enc_blob;

/* A deterministic benign RGB scene (gradients, a disc, stripes). */
ENC_UNUSED static unsigned char *enc_scene(uint32_t w, uint32_t h,
                                           unsigned seed)
{
    unsigned char *rgb = malloc((size_t)w * h * 3);
    uint32_t x, y;

    for (y = 0; y < h; y++)
        for (x = 0; x < w; x++) {
            unsigned char *p = rgb + ((size_t)y * w + x) * 3;
            long dx = (long)x - (long)(w / 3), dy = (long)y - (long)(h / 2);
            int in = dx * dx + dy * dy < (long)(w * h) / 16;

            p[0] = (unsigned char)((x * 255) / (w > 1 ? w - 1 : 1));
            p[1] = (unsigned char)((y * 255) / (h > 1 ? h - 1 : 1));
            p[2] = (unsigned char)(in ? 230 : ((x / 7 + y / 5 + seed) % 3) * 60);
            if (((x + seed) / 9) % 4 == 0)
                p[1] = (unsigned char)(255 - p[1]);
        }
    return rgb;
}

/* EXIF APP1 payload: "Exif\0\0" + big-endian TIFF with one IFD0 entry. */
static void enc_exif(j_compress_ptr ci, int orientation)
{
    static const unsigned char tmpl[] = {
        'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
        0, 1,                           /* one entry */
        0x01, 0x12, 0, 3, 0, 0, 0, 1,   /* Orientation, SHORT, count 1 */
        0, 0, 0, 0,                     /* value (patched) */
        0, 0, 0, 0                      /* next IFD */
    };
    unsigned char buf[sizeof(tmpl)];

    memcpy(buf, tmpl, sizeof(tmpl));
    buf[25] = (unsigned char)orientation;
    jpeg_write_marker(ci, JPEG_APP0 + 1, buf, sizeof(buf));
}

ENC_UNUSED static enc_blob enc_jpeg(const unsigned char *rgb, uint32_t w,
                                    uint32_t h, int quality, int sub,
                                    int progressive, int grey, int exif)
{
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr je;
    unsigned char *out = NULL, *row = malloc((size_t)w * 3);
    unsigned long len = 0;
    enc_blob b;
    uint32_t x;

    ci.err = jpeg_std_error(&je);
    jpeg_create_compress(&ci);
    jpeg_mem_dest(&ci, &out, &len);
    ci.image_width = w;
    ci.image_height = h;
    ci.input_components = grey ? 1 : 3;
    ci.in_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, quality, TRUE);
    if (!grey) {
        ci.comp_info[0].h_samp_factor = sub == 444 ? 1 : 2;
        ci.comp_info[0].v_samp_factor = sub == 420 ? 2 : 1;
    }
    if (progressive)
        jpeg_simple_progression(&ci);
    jpeg_start_compress(&ci, TRUE);
    if (exif)
        enc_exif(&ci, exif);
    while (ci.next_scanline < h) {
        const unsigned char *src = rgb + (size_t)ci.next_scanline * w * 3;
        JSAMPROW r = row;

        if (grey)
            for (x = 0; x < w; x++)
                row[x] = src[3 * x];
        else
            memcpy(row, src, (size_t)w * 3);
        jpeg_write_scanlines(&ci, &r, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    free(row);
    b.data = out;
    b.len = len;
    return b;
}

ENC_UNUSED static void enc_quant332(unsigned char *out,
                                    const unsigned char *rgb, size_t npix)
{
    size_t i;

    for (i = 0; i < npix; i++) {
        unsigned idx = (rgb[3 * i] >> 5) << 5 | (rgb[3 * i + 1] >> 5) << 2 |
                       rgb[3 * i + 2] >> 6;

        out[3 * i] = (unsigned char)((idx >> 5) * 255 / 7);
        out[3 * i + 1] = (unsigned char)(((idx >> 2) & 7) * 255 / 7);
        out[3 * i + 2] = (unsigned char)((idx & 3) * 255 / 3);
    }
}

static unsigned enc_idx332(const unsigned char *p)
{
    return (unsigned)((p[0] >> 5) << 5 | (p[1] >> 5) << 2 | p[2] >> 6);
}

struct enc_mem {
    unsigned char *p;
    size_t len, cap;
};

static void enc_mem_put(struct enc_mem *m, const void *d, size_t n)
{
    if (m->len + n > m->cap) {
        m->cap = (m->len + n) * 2;
        m->p = realloc(m->p, m->cap);
    }
    memcpy(m->p + m->len, d, n);
    m->len += n;
}

static void enc_png_write(png_structp png, png_bytep d, png_size_t n)
{
    enc_mem_put(png_get_io_ptr(png), d, n);
}

static void enc_png_flush(png_structp png)
{
    (void)png;
}

/* PNG kinds. */
enum { PNG_RGB8, PNG_RGB16, PNG_RGBA8, PNG_GREY8, PNG_GREY16, PNG_PALETTE,
       PNG_GREY1 };

/* One output row of @p kind from RGB source row @p src. */
static void enc_png_row(unsigned char *row, const unsigned char *src,
                        uint32_t w, int kind)
{
    uint32_t x;

    memset(row, 0, (size_t)w * 8);
    for (x = 0; x < w; x++) {
        const unsigned char *p = src + 3 * (size_t)x;

        switch (kind) {
        case PNG_RGB8: memcpy(row + 3 * x, p, 3); break;
        case PNG_RGB16:
            row[6 * x] = p[0]; row[6 * x + 1] = 0x5a;
            row[6 * x + 2] = p[1]; row[6 * x + 3] = 0xa5;
            row[6 * x + 4] = p[2]; row[6 * x + 5] = 0x33;
            break;
        case PNG_RGBA8:
            memcpy(row + 4 * x, p, 3);
            row[4 * x + 3] = (unsigned char)(x * 7);
            break;
        case PNG_GREY8: row[x] = p[0]; break;
        case PNG_GREY16: row[2 * x] = p[0]; row[2 * x + 1] = 0x77; break;
        case PNG_PALETTE: row[x] = (unsigned char)enc_idx332(p); break;
        case PNG_GREY1:
            if (p[0] >= 128)
                row[x / 8] |= (unsigned char)(0x80 >> (x % 8));
            break;
        }
    }
}

ENC_UNUSED static enc_blob enc_png(const unsigned char *rgb, uint32_t w,
                                   uint32_t h, int kind, int interlaced)
{
    static const int type[] = {
        PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA,
        PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_PALETTE,
        PNG_COLOR_TYPE_GRAY
    };
    static const int depth[] = { 8, 16, 8, 8, 16, 8, 1 };
    struct enc_mem m = { NULL, 0, 0 };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
                                              NULL, NULL);
    png_infop info = png_create_info_struct(png);
    unsigned char *img = malloc((size_t)w * h * 8);
    png_bytep *rows = malloc(h * sizeof(*rows));
    enc_blob b;
    uint32_t y;
    int pass, npass;

    png_set_write_fn(png, &m, enc_png_write, enc_png_flush);
    png_set_IHDR(png, info, w, h, depth[kind], type[kind],
                 interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (kind == PNG_PALETTE) {
        png_color pal[256];
        unsigned i;

        for (i = 0; i < 256; i++) {
            pal[i].red = (png_byte)((i >> 5) * 255 / 7);
            pal[i].green = (png_byte)(((i >> 2) & 7) * 255 / 7);
            pal[i].blue = (png_byte)((i & 3) * 255 / 3);
        }
        png_set_PLTE(png, info, pal, 256);
    }
    png_write_info(png, info);
    for (y = 0; y < h; y++) {
        rows[y] = img + (size_t)y * w * 8;
        enc_png_row(rows[y], rgb + (size_t)y * w * 3, w, kind);
    }
    npass = interlaced ? png_set_interlace_handling(png) : 1;
    for (pass = 0; pass < npass; pass++)
        for (y = 0; y < h; y++)
            png_write_row(png, rows[y]);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(rows);
    free(img);
    b.data = m.p;
    b.len = m.len;
    return b;
}

ENC_UNUSED static enc_blob enc_webp_lossless(const unsigned char *rgb,
                                             uint32_t w, uint32_t h)
{
    enc_blob b;
    uint8_t *out = NULL;
    size_t n = WebPEncodeLosslessRGB(rgb, (int)w, (int)h, (int)w * 3, &out);

    b.data = malloc(n);
    memcpy(b.data, out, n);
    b.len = n;
    WebPFree(out);
    return b;
}

static int enc_gif_write(GifFileType *g, const GifByteType *d, int n)
{
    enc_mem_put(g->UserData, d, (size_t)n);
    return n;
}

/* One frame, 3-3-2 palette, global colour map. */
ENC_UNUSED static enc_blob enc_gif(const unsigned char *rgb, uint32_t w,
                                   uint32_t h)
{
    struct enc_mem m = { NULL, 0, 0 };
    GifColorType colors[256];
    ColorMapObject *cmap;
    GifByteType *line = malloc(w);
    GifFileType *g;
    enc_blob b;
    uint32_t x, y;
    int err, i;

    for (i = 0; i < 256; i++) {
        colors[i].Red = (GifByteType)((i >> 5) * 255 / 7);
        colors[i].Green = (GifByteType)(((i >> 2) & 7) * 255 / 7);
        colors[i].Blue = (GifByteType)((i & 3) * 255 / 3);
    }
    cmap = GifMakeMapObject(256, colors);
    g = EGifOpen(&m, enc_gif_write, &err);
    EGifPutScreenDesc(g, (int)w, (int)h, 8, 0, cmap);
    EGifPutImageDesc(g, 0, 0, (int)w, (int)h, false, NULL);
    for (y = 0; y < h; y++) {
        for (x = 0; x < w; x++)
            line[x] = (GifByteType)enc_idx332(rgb + ((size_t)y * w + x) * 3);
        EGifPutLine(g, line, (int)w);
    }
    EGifCloseFile(g, &err);
    GifFreeMapObject(cmap);
    free(line);
    b.data = m.p;
    b.len = m.len;
    return b;
}

static void enc_le(unsigned char *p, uint32_t v, int n)
{
    int i;

    for (i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

ENC_UNUSED static enc_blob enc_bmp24(const unsigned char *rgb, uint32_t w,
                                     uint32_t h, int topdown)
{
    size_t rowbytes = ((size_t)w * 3 + 3) / 4 * 4, n = 54 + rowbytes * h;
    unsigned char *d = calloc(1, n);
    enc_blob b;
    uint32_t x, y;

    d[0] = 'B';
    d[1] = 'M';
    enc_le(d + 2, (uint32_t)n, 4);
    enc_le(d + 10, 54, 4);
    enc_le(d + 14, 40, 4);
    enc_le(d + 18, w, 4);
    enc_le(d + 22, topdown ? (uint32_t)-(int32_t)h : h, 4);
    enc_le(d + 26, 1, 2);
    enc_le(d + 28, 24, 2);
    for (y = 0; y < h; y++) {
        unsigned char *row = d + 54 + rowbytes * (topdown ? y : h - 1 - y);

        for (x = 0; x < w; x++) {
            const unsigned char *p = rgb + ((size_t)y * w + x) * 3;

            row[3 * x] = p[2];
            row[3 * x + 1] = p[1];
            row[3 * x + 2] = p[0];
        }
    }
    b.data = d;
    b.len = n;
    return b;
}

ENC_UNUSED static enc_blob enc_ppm(const unsigned char *rgb, uint32_t w,
                                   uint32_t h, int ascii)
{
    size_t cap = 64 + (size_t)w * h * 12, n, i;
    char *d = malloc(cap);
    enc_blob b;

    n = (size_t)snprintf(d, cap, "%s\n# vigil test\n%u %u\n255\n",
                         ascii ? "P3" : "P6", (unsigned)w, (unsigned)h);
    for (i = 0; i < (size_t)w * h * 3; i++) {
        if (ascii)
            n += (size_t)snprintf(d + n, cap - n, "%u%c", rgb[i],
                                  i % 12 == 11 ? '\n' : ' ');
        else
            d[n++] = (char)rgb[i];
    }
    b.data = (unsigned char *)d;
    b.len = n;
    return b;
}

#endif
