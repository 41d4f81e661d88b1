/*
 * tools/gensample/image.c - synthetic pictures (gradients, rectangles,
 * discs and noise; never real content) encoded as JPEG with libjpeg, their
 * re-encoded or resized re-posts, and tiny valid PDF documents.
 */
#include "gs.h"

#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

static void encode(const uint8_t *rgb, int w, int h, int quality, gs_jpeg *out)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    unsigned char *mem = NULL;
    unsigned long mem_len = 0;
    JSAMPROW row;

    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &mem, &mem_len);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        row = (JSAMPROW)(rgb + (size_t)c.next_scanline * (size_t)w * 3);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    out->data = gs_xmalloc(mem_len);
    memcpy(out->data, mem, mem_len);
    out->len = mem_len;
    out->width = w;
    out->height = h;
    free(mem);
}

static uint8_t clamp8(int v)
{
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

void gs_image_make(gs_rng *r, gs_jpeg *out)
{
    static const int sizes[][2] = { { 480, 360 }, { 400, 400 }, { 512, 288 },
                                    { 360, 480 }, { 448, 336 } };
    int w = sizes[gs_rng_below(r, 5)][0], h, x, y, s, shapes;
    uint8_t *rgb, c0[3], c1[3];
    int k;

    h = sizes[0][1];
    for (k = 0; k < 5; k++)
        if (sizes[k][0] == w)
            h = sizes[k][1];
    rgb = gs_xmalloc((size_t)w * (size_t)h * 3);
    gs_rng_bytes(r, c0, 3);
    gs_rng_bytes(r, c1, 3);
    for (y = 0; y < h; y++) {
        uint8_t *row = rgb + (size_t)y * (size_t)w * 3;
        for (x = 0; x < w; x++) {
            int t = (x * 256 / w + y * 256 / h) / 2;
            for (k = 0; k < 3; k++)
                row[x * 3 + k] = (uint8_t)((c0[k] * (256 - t) + c1[k] * t) >> 8);
        }
    }
    shapes = 3 + (int)gs_rng_below(r, 6);
    for (s = 0; s < shapes; s++) {
        int cx = (int)gs_rng_below(r, (uint32_t)w), cy = (int)gs_rng_below(r, (uint32_t)h);
        int rad = 20 + (int)gs_rng_below(r, (uint32_t)(h / 3));
        bool disc = gs_rng_chance(r, 500);
        uint8_t col[3];

        gs_rng_bytes(r, col, 3);
        for (y = cy - rad < 0 ? 0 : cy - rad; y < h && y <= cy + rad; y++)
            for (x = cx - rad < 0 ? 0 : cx - rad; x < w && x <= cx + rad; x++) {
                if (disc && (x - cx) * (x - cx) + (y - cy) * (y - cy) > rad * rad)
                    continue;
                memcpy(rgb + ((size_t)y * (size_t)w + (size_t)x) * 3, col, 3);
            }
    }
    for (k = 0; k < w * h * 3; k += 8) {    /* light sensor-like noise */
        uint64_t bits = gs_rng_next(r);
        int b;
        for (b = 0; b < 8 && k + b < w * h * 3; b++, bits >>= 8)
            rgb[k + b] = clamp8(rgb[k + b] + (int)(bits & 15) - 8);
    }
    encode(rgb, w, h, 80 + (int)gs_rng_below(r, 16), out);
    free(rgb);
}

static uint8_t *decode(const gs_jpeg *src, int *w, int *h)
{
    struct jpeg_decompress_struct d;
    struct jpeg_error_mgr err;
    uint8_t *rgb;
    JSAMPROW row;

    d.err = jpeg_std_error(&err);
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, src->data, (unsigned long)src->len);
    if (jpeg_read_header(&d, TRUE) != JPEG_HEADER_OK)
        gs_die("internal: cannot re-read generated JPEG");
    d.out_color_space = JCS_RGB;
    jpeg_start_decompress(&d);
    *w = (int)d.output_width;
    *h = (int)d.output_height;
    rgb = gs_xmalloc((size_t)*w * (size_t)*h * 3);
    while (d.output_scanline < d.output_height) {
        row = rgb + (size_t)d.output_scanline * (size_t)*w * 3;
        jpeg_read_scanlines(&d, &row, 1);
    }
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
    return rgb;
}

/* Bilinear resample, integer arithmetic (8.8 fixed point) for determinism. */
static uint8_t *resize(const uint8_t *src, int sw, int sh, int dw, int dh)
{
    uint8_t *dst = gs_xmalloc((size_t)dw * (size_t)dh * 3);
    int x, y, k;

    for (y = 0; y < dh; y++) {
        int fy = (int)(((long)y * (sh - 1) * 256) / (dh > 1 ? dh - 1 : 1));
        int y0 = fy >> 8, y1 = y0 + 1 < sh ? y0 + 1 : y0, wy = fy & 255;
        for (x = 0; x < dw; x++) {
            int fx = (int)(((long)x * (sw - 1) * 256) / (dw > 1 ? dw - 1 : 1));
            int x0 = fx >> 8, x1 = x0 + 1 < sw ? x0 + 1 : x0, wx = fx & 255;
            for (k = 0; k < 3; k++) {
                int a = src[((size_t)y0 * (size_t)sw + (size_t)x0) * 3 + (size_t)k];
                int b = src[((size_t)y0 * (size_t)sw + (size_t)x1) * 3 + (size_t)k];
                int c = src[((size_t)y1 * (size_t)sw + (size_t)x0) * 3 + (size_t)k];
                int d = src[((size_t)y1 * (size_t)sw + (size_t)x1) * 3 + (size_t)k];
                int top = a * (256 - wx) + b * wx, bot = c * (256 - wx) + d * wx;
                dst[((size_t)y * (size_t)dw + (size_t)x) * 3 + (size_t)k] =
                    (uint8_t)((top * (256 - wy) + bot * wy + 32768) >> 16);
            }
        }
    }
    return dst;
}

void gs_image_variant(const gs_jpeg *src, int quality, int scale_pct, gs_jpeg *out)
{
    int w, h;
    uint8_t *rgb = decode(src, &w, &h);

    if (scale_pct != 100) {
        int dw = w * scale_pct / 100, dh = h * scale_pct / 100;
        uint8_t *small = resize(rgb, w, h, dw, dh);
        free(rgb);
        rgb = small;
        w = dw;
        h = dh;
    }
    encode(rgb, w, h, quality, out);
    free(rgb);
}

void gs_jpeg_free(gs_jpeg *j)
{
    free(j->data);
    j->data = NULL;
    j->len = 0;
}

/* PDF 1.4 with one page and one line of Helvetica; the xref offsets are
 * computed from what was written, so readers accept the file. */
void gs_pdf_make(const char *text, vgu_buf *out)
{
    size_t off[6];
    char stream[512];
    int n, i;

    n = snprintf(stream, sizeof(stream), "BT /F1 14 Tf 72 720 Td (%s) Tj ET", text);
    if (n < 0 || (size_t)n >= sizeof(stream))
        gs_die("internal: PDF text too long");
    vgu_buf_clear(out);
    vgu_buf_puts(out, "%PDF-1.4\n");
    off[1] = out->len;
    vgu_buf_puts(out, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = out->len;
    vgu_buf_puts(out, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
    off[3] = out->len;
    vgu_buf_puts(out, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                      "/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n");
    off[4] = out->len;
    vgu_buf_printf(out, "4 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n",
                   n, stream);
    off[5] = out->len;
    vgu_buf_puts(out, "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\n"
                      "endobj\n");
    off[0] = out->len;
    vgu_buf_puts(out, "xref\n0 6\n0000000000 65535 f \n");
    for (i = 1; i < 6; i++)
        vgu_buf_printf(out, "%010zu 00000 n \n", off[i]);
    if (vgu_buf_printf(out, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                       off[0]) < 0)
        gs_die("out of memory");
}
