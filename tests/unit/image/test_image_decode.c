/*
 * tests/unit/image/test_image_decode.c - every decoder on images written
 * here (JPEG baseline/progressive/4:2:0/4:2:2/4:4:4/grey, PNG 8/16-bit,
 * palette, grey, 1-bit, RGBA, interlaced, WebP, GIF, BMP, PPM), limits
 * checked before allocation, corrupt input refused with a reason.
 */
#include <stdlib.h>
#include <string.h>

#include "imgenc.h"
#include "test.h"
#include "vigil/image.h"

#define W 37
#define H 23

static int same_rgb(const vigil_image *img, const unsigned char *rgb)
{
    uint32_t y;

    if (img->channels != 3)
        return 0;
    for (y = 0; y < img->height; y++)
        if (memcmp(img->pixels + (size_t)y * img->stride,
                   rgb + (size_t)y * img->width * 3, (size_t)img->width * 3))
            return 0;
    return 1;
}

/* Decode @p b and expect exactly @p want (RGB), then free the blob. */
static void expect_exact(enc_blob b, const unsigned char *want,
                         vigil_image_format fmt)
{
    vigil_image img;

    CHECK_OK(vigil_image_decode(&img, b.data, b.len, NULL));
    CHECK_EQ_INT(img.format, fmt);
    CHECK_EQ_INT(img.width, W);
    CHECK_EQ_INT(img.height, H);
    CHECK(same_rgb(&img, want));
    vigil_image_dispose(&img);
    free(b.data);
}

static void test_image_decode__png_kinds(void)
{
    unsigned char *rgb = enc_scene(W, H, 1), *q = malloc(W * H * 3);
    int interlaced;

    enc_quant332(q, rgb, W * H);
    for (interlaced = 0; interlaced < 2; interlaced++) {
        expect_exact(enc_png(rgb, W, H, PNG_RGB8, interlaced), rgb,
                     VIGIL_IMAGE_PNG);
        /* 16-bit: the high byte of each sample */
        expect_exact(enc_png(rgb, W, H, PNG_RGB16, interlaced), rgb,
                     VIGIL_IMAGE_PNG);
        /* alpha dropped without compositing */
        expect_exact(enc_png(rgb, W, H, PNG_RGBA8, interlaced), rgb,
                     VIGIL_IMAGE_PNG);
        expect_exact(enc_png(rgb, W, H, PNG_PALETTE, interlaced), q,
                     VIGIL_IMAGE_PNG);
    }
    free(q);
    free(rgb);
}

static void test_image_decode__png_grey(void)
{
    unsigned char *rgb = enc_scene(W, H, 2);
    int kind;

    for (kind = PNG_GREY8; kind <= PNG_GREY16; kind++) {
        enc_blob b = enc_png(rgb, W, H, kind, kind == PNG_GREY16);
        vigil_image img;
        uint32_t x, y;
        int ok = 1;

        CHECK_OK(vigil_image_decode(&img, b.data, b.len, NULL));
        CHECK_EQ_INT(img.channels, 1);
        for (y = 0; y < H; y++)
            for (x = 0; x < W; x++)
                ok &= img.pixels[y * img.stride + x] == rgb[(y * W + x) * 3];
        CHECK(ok);
        vigil_image_dispose(&img);
        free(b.data);
    }
    {
        enc_blob b = enc_png(rgb, W, H, PNG_GREY1, 0);
        vigil_image img;

        CHECK_OK(vigil_image_decode(&img, b.data, b.len, NULL));
        CHECK_EQ_INT(img.channels, 1);
        CHECK(img.pixels[0] == 0 || img.pixels[0] == 255);
        CHECK_EQ_INT(img.pixels[W - 1], rgb[(W - 1) * 3] >= 128 ? 255 : 0);
        vigil_image_dispose(&img);
        free(b.data);
    }
    free(rgb);
}

static void test_image_decode__lossless_others(void)
{
    unsigned char *rgb = enc_scene(W, H, 3), *q = malloc(W * H * 3);

    enc_quant332(q, rgb, W * H);
    expect_exact(enc_webp_lossless(rgb, W, H), rgb, VIGIL_IMAGE_WEBP);
    expect_exact(enc_gif(rgb, W, H), q, VIGIL_IMAGE_GIF);
    expect_exact(enc_bmp24(rgb, W, H, 0), rgb, VIGIL_IMAGE_BMP);
    expect_exact(enc_bmp24(rgb, W, H, 1), rgb, VIGIL_IMAGE_BMP);
    expect_exact(enc_ppm(rgb, W, H, 0), rgb, VIGIL_IMAGE_PNM);
    expect_exact(enc_ppm(rgb, W, H, 1), rgb, VIGIL_IMAGE_PNM);
    free(q);
    free(rgb);
}

/* JPEG variants decode at full size, close to the source. */
static void test_image_decode__jpeg_variants(void)
{
    static const int subs[] = { 420, 422, 444 };
    unsigned char *rgb = enc_scene(W, H, 4);
    int s, prog;

    for (s = 0; s < 3; s++)
        for (prog = 0; prog < 2; prog++) {
            enc_blob b = enc_jpeg(rgb, W, H, 95, subs[s], prog, 0, 0);
            vigil_image img;
            long diff = 0;
            size_t i;

            CHECK_OK(vigil_image_decode(&img, b.data, b.len, NULL));
            CHECK_EQ_INT(img.channels, 3);
            CHECK_EQ_INT(img.width, W);
            for (i = 0; i < (size_t)W * 3; i++)
                diff += labs((long)img.pixels[i] - (long)rgb[i]);
            CHECK(diff / (W * 3) < 24);
            vigil_image_dispose(&img);
            free(b.data);
        }
    {
        enc_blob b = enc_jpeg(rgb, W, H, 90, 420, 0, 1, 0);
        vigil_image img;

        CHECK_OK(vigil_image_decode(&img, b.data, b.len, NULL));
        CHECK_EQ_INT(img.channels, 1);
        vigil_image_dispose(&img);
        free(b.data);
    }
    free(rgb);
}

/* EXIF orientation 6 (rotate 90 CW): ignored by default, applied on request. */
static void test_image_decode__exif_orientation(void)
{
    unsigned char *rgb = enc_scene(W, H, 5);
    enc_blob b = enc_jpeg(rgb, W, H, 90, 444, 0, 0, 6);
    vigil_image_options o = VIGIL_IMAGE_OPTIONS_INIT;
    vigil_image plain, turned;
    uint32_t x, y;
    int ok = 1;

    CHECK_OK(vigil_image_decode(&plain, b.data, b.len, NULL));
    CHECK_EQ_INT(plain.width, W);
    CHECK_EQ_INT(plain.orientation, 6);
    o.exif_orient = 1;
    CHECK_OK(vigil_image_decode(&turned, b.data, b.len, &o));
    CHECK_EQ_INT(turned.width, H);
    CHECK_EQ_INT(turned.height, W);
    /* turned(x, y) = plain(y, H-1-x) */
    for (y = 0; y < W; y++)
        for (x = 0; x < H; x++)
            ok &= memcmp(turned.pixels + y * turned.stride + 3 * x,
                         plain.pixels + (H - 1 - x) * plain.stride + 3 * y,
                         3) == 0;
    CHECK(ok);
    vigil_image_dispose(&plain);
    vigil_image_dispose(&turned);
    free(b.data);
    free(rgb);
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A 60000x60000 PNG header is refused from its IHDR. */
static void test_image_decode__png_bomb_refused(void)
{
    unsigned char png[45] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    vigil_image img;
    const vigil_error *e;

    put_be32(png + 8, 13);
    memcpy(png + 12, "IHDR", 4);
    put_be32(png + 16, 60000);
    put_be32(png + 20, 60000);
    png[24] = 8;
    png[25] = 2;
    CHECK_EQ_INT(vigil_image_decode(&img, png, sizeof(png), NULL),
                 VIGIL_ELIMIT);
    e = vigil_error_last();
    CHECK(e && strstr(e->message, "60000x60000") != NULL);
    CHECK(img.pixels == NULL);
}

static void test_image_decode__limits(void)
{
    unsigned char *rgb = enc_scene(W, H, 6);
    enc_blob b = enc_png(rgb, W, H, PNG_RGB8, 0);
    vigil_image_options o = VIGIL_IMAGE_OPTIONS_INIT;
    vigil_image img;

    o.max_side = 30;
    CHECK_EQ_INT(vigil_image_decode(&img, b.data, b.len, &o), VIGIL_ELIMIT);
    o.max_side = 0;
    o.max_pixels = W * H - 1;
    CHECK_EQ_INT(vigil_image_decode(&img, b.data, b.len, &o), VIGIL_ELIMIT);
    o.max_pixels = 0;
    o.max_file_bytes = b.len - 1;
    CHECK_EQ_INT(vigil_image_decode(&img, b.data, b.len, &o), VIGIL_ELIMIT);
    free(b.data);
    b = enc_jpeg(rgb, W, H, 90, 420, 1, 0, 0);
    o.max_file_bytes = 0;
    o.max_side = 36;
    CHECK_EQ_INT(vigil_image_decode(&img, b.data, b.len, &o), VIGIL_ELIMIT);
    free(b.data);
    free(rgb);
}

/* Corrupt and truncated files fail with a reason, never a blank image. */
static void test_image_decode__corrupt(void)
{
    unsigned char *rgb = enc_scene(W, H, 7);
    enc_blob blobs[5];
    vigil_image img;
    int i;

    blobs[0] = enc_jpeg(rgb, W, H, 90, 420, 0, 0, 0);
    blobs[1] = enc_png(rgb, W, H, PNG_RGB8, 0);
    blobs[2] = enc_webp_lossless(rgb, W, H);
    blobs[3] = enc_gif(rgb, W, H);
    blobs[4] = enc_bmp24(rgb, W, H, 0);
    for (i = 0; i < 5; i++) {
        const vigil_error *e;
        int rc = vigil_image_decode(&img, blobs[i].data, blobs[i].len / 2,
                                    NULL);

        CHECK_EQ_INT(rc, VIGIL_EFORMAT);
        e = vigil_error_last();
        CHECK(e && e->message && e->message[0]);
        free(blobs[i].data);
    }
    CHECK_EQ_INT(vigil_image_decode(&img, "hello world", 11, NULL),
                 VIGIL_EFORMAT);
    CHECK_EQ_INT(vigil_image_decode(&img, "", 0, NULL), VIGIL_EFORMAT);
    CHECK_EQ_INT(vigil_image_decode(&img, "P6\n65535 65535\n255\n", 19, NULL),
                 VIGIL_ELIMIT);
    CHECK_EQ_INT(vigil_image_decode(&img, "P6\n4 4\n255\nab", 13, NULL),
                 VIGIL_EFORMAT);
    free(rgb);
}

/* The streaming reader gives the same rows as a whole decode. */
static void test_image_decode__reader_matches(void)
{
    unsigned char *rgb = enc_scene(W, H, 8);
    enc_blob b = enc_jpeg(rgb, W, H, 85, 422, 1, 0, 0);
    vigil_image_reader *r;
    vigil_image img;
    unsigned char rows[3 * W * 5];
    uint32_t w, h, y = 0;
    int ch, ok = 1;

    CHECK_OK(vigil_image_decode(&img, b.data, b.len, NULL));
    CHECK_OK(vigil_image_reader_open(&r, b.data, b.len, NULL));
    vigil_image_reader_info(r, &w, &h, &ch);
    CHECK_EQ_INT(w, W);
    CHECK_EQ_INT(h, H);
    CHECK_EQ_INT(ch, 3);
    while (y < h) {
        uint32_t n = h - y < 5 ? h - y : 5, i;

        CHECK_OK(vigil_image_reader_rows(r, rows, 3 * W, n));
        for (i = 0; i < n; i++)
            ok &= memcmp(rows + i * 3 * W, img.pixels + (y + i) * img.stride,
                         3 * W) == 0;
        y += n;
    }
    CHECK(ok);
    CHECK_EQ_INT(vigil_image_reader_rows(r, rows, 3 * W, 1), VIGIL_EINVAL);
    vigil_image_reader_free(r);
    vigil_image_dispose(&img);
    free(b.data);
    free(rgb);
}

static const test_case cases[] = {
    { "png_kinds", test_image_decode__png_kinds },
    { "png_grey", test_image_decode__png_grey },
    { "lossless_others", test_image_decode__lossless_others },
    { "jpeg_variants", test_image_decode__jpeg_variants },
    { "exif_orientation", test_image_decode__exif_orientation },
    { "png_bomb_refused", test_image_decode__png_bomb_refused },
    { "limits", test_image_decode__limits },
    { "corrupt", test_image_decode__corrupt },
    { "reader_matches", test_image_decode__reader_matches },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, cases);
}
