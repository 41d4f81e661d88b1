/*
 * tests/unit/hash/test_pdq_ycc.c - the luma taken straight from a JPEG's
 * YCbCr planes (hash/pdq_ycc.c) equals, float for float, the luma of the
 * RGB that libjpeg-turbo itself decodes, for JPEGs made here by libjpeg's
 * compressor: 4:4:4, 4:2:2, 4:2:0, sizes 1..33 and 511..513 and very
 * wide/tall, restart markers, progressive, noise, gradients and saturated
 * colours (clamped by the YCbCr->RGB conversion); every kernel and every
 * output layout. Also all 2^24 (Y, Cb, Cr) through each kernel.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "hash/pdq_internal.h"
#include "image/image_internal.h"
#include "image/jpeg_planes.h"
#include "test.h"
#include "vigil/pdq.h"

typedef struct {
    unsigned char *data;
    unsigned long len;
} blob;

/* Synthetic pixels: kind 0 noise, 1 gradients, 2 saturated blocks with
 * noise (hits the clamps after chroma subsampling), 3 grey-looking. */
static unsigned char *pixels(uint32_t w, uint32_t h, int kind, unsigned seed)
{
    unsigned char *rgb = malloc((size_t)w * h * 3 + 1);
    unsigned s = seed * 2654435761u + 17;
    static const unsigned char sat[8][3] = {
        { 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 }, { 255, 255, 0 },
        { 0, 255, 255 }, { 255, 0, 255 }, { 255, 255, 255 }, { 0, 0, 0 },
    };
    uint32_t x, y;
    int c;

    for (y = 0; y < h; y++)
        for (x = 0; x < w; x++) {
            unsigned char *p = rgb + ((size_t)y * w + x) * 3;

            s = s * 1103515245u + 12345u;
            for (c = 0; c < 3; c++) {
                unsigned v = s >> (8 + 5 * c);

                switch (kind) {
                case 0:
                    p[c] = (unsigned char)v;
                    break;
                case 1:
                    p[c] = (unsigned char)((x * (c + 1) * 7 + y * (3 - c) * 5) / 4);
                    break;
                case 2:
                    p[c] = sat[((x / 3) ^ (y / 2) ^ seed) & 7][c] ^
                           (unsigned char)(v & 3);
                    break;
                default:
                    p[c] = (unsigned char)((x + 2 * y) & 255) ^
                           (unsigned char)(c == 1 ? v & 1 : 0);
                    break;
                }
            }
        }
    return rgb;
}

/* JPEG of @p rgb by libjpeg: sampling 444/422/420 (Y factors), quality,
 * progressive, restart interval in MCU rows (0 none). */
static blob encode(const unsigned char *rgb, uint32_t w, uint32_t h,
                   int sampling, int quality, int progressive, int restart)
{
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr je;
    blob b = { NULL, 0 };
    JSAMPROW row;

    ci.err = jpeg_std_error(&je);
    jpeg_create_compress(&ci);
    jpeg_mem_dest(&ci, &b.data, &b.len);
    ci.image_width = w;
    ci.image_height = h;
    ci.input_components = 3;
    ci.in_color_space = JCS_RGB;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, quality, TRUE);
    ci.comp_info[0].h_samp_factor = sampling == PDQ_YCC_444 ? 1 : 2;
    ci.comp_info[0].v_samp_factor = sampling == PDQ_YCC_420 ? 2 : 1;
    ci.restart_in_rows = restart;
    if (progressive)
        jpeg_simple_progression(&ci);
    jpeg_start_compress(&ci, TRUE);
    while (ci.next_scanline < h) {
        row = (JSAMPROW)(rgb + (size_t)ci.next_scanline * w * 3);
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    return b;
}

static int same_float(float a, float b)
{
    return memcmp(&a, &b, sizeof(a)) == 0;
}

static long checked_images, checked_pixels;

/*
 * Decode @p b both ways and compare: libjpeg's RGB (the library's normal
 * decode) against the scalar model's RGB per row, and the luma of that
 * RGB against vigil_pdq__planes_luma() through every kernel, row-major
 * and in lanes of 8, 16 and 32 (n = 8 rows; the last block row-major).
 * Returns the number of mismatches; -1 when the planes path refused.
 */
static long compare_decode(const blob *b, int expect_sampling)
{
    img_limits lim = { VIGIL_IMAGE_DEFAULT_MAX_SIDE,
                       VIGIL_IMAGE_DEFAULT_MAX_PIXELS, 1, 0, 0 };
    static const size_t lane_set[] = { 0, 8, 16, 32 };
    vigil_image img;
    vigil_jpeg_planes *p = NULL;
    vigil_jpeg_planes_info info;
    pdq_planes_src src;
    pdq_ycc_row rows[8];
    uint8_t *rgb;
    float *luma, *out;
    long bad = 0;
    uint32_t r0, n, l, j, w;
    int k;
    size_t li;

    if (vigil_image__decode_jpeg(&img, b->data, b->len, &lim) < 0)
        return 1000000;
    if (vigil_image__jpeg_planes_open(&p, &info, b->data, (size_t)b->len,
                                      NULL) < 0 ||
        p == NULL) {
        vigil_image_dispose(&img);
        return -1;
    }
    w = info.width;
    if (info.sampling != expect_sampling || info.height != img.height ||
        w != img.width || img.channels != 3)
        bad++;
    src.p = p;
    src.width = w;
    src.sampling = info.sampling;
    rgb = malloc((size_t)w * 3);
    luma = malloc((size_t)w * 8 * sizeof(float));
    out = malloc((size_t)w * 32 * sizeof(float));
    for (r0 = 0; r0 < info.height; r0 += 8) {
        n = info.height - r0 < 8 ? info.height - r0 : 8;
        if (vigil_image__jpeg_planes_need(p, r0 + n - 1) < 0) {
            bad++;
            break;
        }
        vigil_pdq__planes_rows(rows, &src, r0, n);
        for (l = 0; l < n; l++) {
            const uint8_t *ref = img.pixels + (size_t)(r0 + l) * img.stride;

            vigil_pdq__ycc_rgb_ref(rgb, &rows[l], w, info.sampling);
            bad += memcmp(rgb, ref, (size_t)w * 3) != 0;
            for (j = 0; j < w; j++)
                luma[l * w + j] = vigil_pdq__luma_hma(
                    ref[3 * j], ref[3 * j + 1], ref[3 * j + 2]);
        }
        for (k = 0; k <= 2; k++)
            for (li = 0; li < sizeof(lane_set) / sizeof(lane_set[0]); li++) {
                size_t lanes = lane_set[li];

                if (lanes && n != 8)
                    continue;
                vigil_pdq__ycc_kernel = k;
                vigil_pdq__ycc_luma(out, lanes, rows, n, w, info.sampling);
                for (l = 0; l < n; l++)
                    for (j = 0; j < w; j++)
                        bad += !same_float(
                            out[lanes ? (size_t)j * lanes + l
                                      : (size_t)l * w + j],
                            luma[l * w + j]);
            }
        vigil_pdq__ycc_kernel = -1;
    }
    checked_images++;
    checked_pixels += (long)w * info.height;
    free(rgb);
    free(luma);
    free(out);
    vigil_image__jpeg_planes_free(p);
    vigil_image_dispose(&img);
    return bad;
}

/* Both hashes of @p b: planes path and RGB rows; 0 when identical. */
static int compare_hash(const blob *b)
{
    vigil_pdq a, c;
    int qa = -1, qc = -2, ea, ec;

    vigil_pdq__ycc_kernel = -1;
    ea = vigil_pdq_hash_buffer(&a, &qa, b->data, b->len, NULL);
    vigil_pdq__ycc_kernel = -2;
    ec = vigil_pdq_hash_buffer(&c, &qc, b->data, b->len, NULL);
    vigil_pdq__ycc_kernel = -1;
    if (ea != ec)
        return 1;
    return ea == 0 && (vigil_pdq_distance(&a, &c) != 0 || qa != qc);
}

static long one(uint32_t w, uint32_t h, int sampling, int kind, int quality,
                int progressive, int restart, int hash)
{
    unsigned char *rgb = pixels(w, h, kind, w * 31 + h);
    blob b = encode(rgb, w, h, sampling, quality, progressive, restart);
    long bad = compare_decode(&b, sampling);

    if (bad == -1)          /* refused: only chroma <= 2 samples wide */
        bad = sampling != PDQ_YCC_444 && (w + 1) / 2 <= 2 ? 0 : 1;
    if (bad)
        fprintf(stderr, "  %ux%u sampling %d kind %d q%d prog %d rst %d: "
                "%ld mismatches\n", (unsigned)w, (unsigned)h, sampling, kind,
                quality, progressive, restart, bad);
    if (hash && w >= 5 && h >= 5 && compare_hash(&b)) {
        fprintf(stderr, "  %ux%u: hashes differ\n", (unsigned)w, (unsigned)h);
        bad++;
    }
    free(b.data);
    free(rgb);
    return bad;
}

static void test_pdq_ycc__small_sizes(void)
{
    uint32_t w, h;
    int s;
    long bad = 0;

    checked_images = 0;
    for (s = 0; s < 3; s++)
        for (w = 1; w <= 33; w++)
            for (h = 1; h <= 33; h += (w % 5 == 0 ? 1 : 8))
                bad += one(w, h, s, (int)(w + h) % 4, w % 3 ? 90 : 100,
                           0, 0, 0);
    CHECK_EQ_INT(bad, 0);
    CHECK(checked_images > 600);
}

static void test_pdq_ycc__edge_sizes(void)
{
    static const uint32_t sz[][2] = {
        { 511, 512 }, { 512, 513 }, { 513, 511 }, { 64, 64 }, { 65, 63 },
        { 4100, 9 }, { 9, 4100 }, { 3, 700 }, { 1500, 17 }, { 1024, 768 },
    };
    size_t i;
    int s;
    long bad = 0;

    for (i = 0; i < sizeof(sz) / sizeof(sz[0]); i++)
        for (s = 0; s < 3; s++)
            bad += one(sz[i][0], sz[i][1], s, (int)(i + (size_t)s) % 4,
                       s == 1 ? 75 : 95, 0, 0, 1);
    CHECK_EQ_INT(bad, 0);
}

static void test_pdq_ycc__progressive_restart_saturated(void)
{
    int s, kind;
    long bad = 0;

    for (s = 0; s < 3; s++)
        for (kind = 0; kind < 4; kind++) {
            bad += one(301, 203, s, kind, 85, 1, 0, 1);
            bad += one(257, 130, s, kind, 92, 0, 1, 1);
            bad += one(97, 61, s, kind, 50, 1, 2, 1);
            bad += one(130, 99, s, 2, 100, kind & 1, kind, 1);
        }
    CHECK_EQ_INT(bad, 0);
}

/* Every (Y, Cb, Cr) through each kernel against the scalar model, as
 * 4:4:4 rows (the colour arithmetic alone), and every (Cb neighbour
 * triple) pattern is exercised by the JPEG cases above. */
static void test_pdq_ycc__all_ycc_colours(void)
{
    enum { W = 256 };
    static uint8_t yb[8][W + 128], cb[8][W + 128], cr[8][W + 128];
    float ref[8 * W], out[8 * W];
    pdq_ycc_row rows[8];
    uint32_t l, j, cbv, crb;
    long bad = 0;
    int k;

    for (l = 0; l < 8; l++) {
        rows[l].y = yb[l] + 64;
        rows[l].cb = rows[l].cb2 = cb[l] + 64;
        rows[l].cr = rows[l].cr2 = cr[l] + 64;
    }
    for (cbv = 0; cbv < 256; cbv++)
        for (crb = 0; crb < 256; crb += 8) {
            for (l = 0; l < 8; l++)
                for (j = 0; j < W; j++) {
                    yb[l][64 + j] = (uint8_t)j;
                    cb[l][64 + j] = (uint8_t)cbv;
                    cr[l][64 + j] = (uint8_t)(crb + l);
                }
            vigil_pdq__ycc_kernel = 0;
            vigil_pdq__ycc_luma(ref, 0, rows, 8, W, PDQ_YCC_444);
            for (k = 1; k <= 2; k++) {
                vigil_pdq__ycc_kernel = k;
                vigil_pdq__ycc_luma(out, 0, rows, 8, W, PDQ_YCC_444);
                for (j = 0; j < 8 * W; j++)
                    bad += !same_float(out[j], ref[j]);
            }
        }
    vigil_pdq__ycc_kernel = -1;
    CHECK_EQ_INT(bad, 0);
}

/* Files the planes path must leave to the RGB path. */
static void test_pdq_ycc__not_eligible(void)
{
    unsigned char *rgb = pixels(40, 30, 1, 3);
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr je;
    vigil_jpeg_planes *p = (vigil_jpeg_planes *)1;
    vigil_jpeg_planes_info info;
    blob b = { NULL, 0 };
    JSAMPROW row;
    uint8_t grey[40];
    int i;

    /* grey JPEG */
    ci.err = jpeg_std_error(&je);
    jpeg_create_compress(&ci);
    jpeg_mem_dest(&ci, &b.data, &b.len);
    ci.image_width = 40;
    ci.image_height = 30;
    ci.input_components = 1;
    ci.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&ci);
    jpeg_start_compress(&ci, TRUE);
    for (i = 0; i < 40; i++)
        grey[i] = (uint8_t)(i * 6);
    row = grey;
    while (ci.next_scanline < 30)
        jpeg_write_scanlines(&ci, &row, 1);
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    CHECK_OK(vigil_image__jpeg_planes_open(&p, &info, b.data, b.len, NULL));
    CHECK(p == NULL);
    free(b.data);

    /* RGB stored as RGB (no YCbCr transform): JCS_RGB */
    b.data = NULL;
    b.len = 0;
    jpeg_create_compress(&ci);
    jpeg_mem_dest(&ci, &b.data, &b.len);
    ci.image_width = 40;
    ci.image_height = 30;
    ci.input_components = 3;
    ci.in_color_space = JCS_RGB;
    jpeg_set_defaults(&ci);
    jpeg_set_colorspace(&ci, JCS_RGB);
    jpeg_start_compress(&ci, TRUE);
    while (ci.next_scanline < 30) {
        row = rgb + (size_t)ci.next_scanline * 40 * 3;
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    p = (vigil_jpeg_planes *)1;
    CHECK_OK(vigil_image__jpeg_planes_open(&p, &info, b.data, b.len, NULL));
    CHECK(p == NULL);
    CHECK_EQ_INT(compare_hash((const blob *)&b), 0);
    free(b.data);

    /* not a JPEG at all */
    p = (vigil_jpeg_planes *)1;
    CHECK_OK(vigil_image__jpeg_planes_open(&p, &info, rgb, 100, NULL));
    CHECK(p == NULL);
    free(rgb);
}

/* EXIF rotation asked for and present: the RGB path (which rotates);
 * not asked for, or orientation 1: the planes. Hash equal either way. */
static void test_pdq_ycc__exif_orientation(void)
{
    unsigned char *rgb = pixels(120, 80, 1, 5);
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr je;
    static const unsigned char exif6[] = {
        'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
        0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0,
    };
    vigil_image_options io = VIGIL_IMAGE_OPTIONS_INIT;
    vigil_pdq_options o = VIGIL_PDQ_OPTIONS_INIT;
    vigil_jpeg_planes *p = NULL;
    vigil_jpeg_planes_info info;
    vigil_image img;
    vigil_pdq a, c;
    blob b = { NULL, 0 };
    JSAMPROW row;
    int qa, qc;

    ci.err = jpeg_std_error(&je);
    jpeg_create_compress(&ci);
    jpeg_mem_dest(&ci, &b.data, &b.len);
    ci.image_width = 120;
    ci.image_height = 80;
    ci.input_components = 3;
    ci.in_color_space = JCS_RGB;
    jpeg_set_defaults(&ci);
    jpeg_start_compress(&ci, TRUE);
    jpeg_write_marker(&ci, JPEG_APP0 + 1, exif6, sizeof(exif6));
    while (ci.next_scanline < 80) {
        row = rgb + (size_t)ci.next_scanline * 120 * 3;
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);

    CHECK_OK(vigil_image__jpeg_planes_open(&p, &info, b.data, b.len, &io));
    CHECK(p != NULL);                   /* rotation not asked for */
    vigil_image__jpeg_planes_free(p);
    io.exif_orient = 1;
    p = (vigil_jpeg_planes *)1;
    CHECK_OK(vigil_image__jpeg_planes_open(&p, &info, b.data, b.len, &io));
    CHECK(p == NULL);                   /* rotation asked for: RGB path */
    o.exif_orient = 1;
    CHECK_OK(vigil_pdq_hash_buffer(&a, &qa, b.data, b.len, &o));
    CHECK_OK(vigil_image_decode(&img, b.data, b.len, &io));
    CHECK_EQ_INT(img.width, 80);        /* rotated */
    CHECK_OK(vigil_pdq_hash_pixels(&c, &qc, img.pixels, img.width,
                                   img.height, img.stride, img.channels, 0,
                                   0));
    CHECK_EQ_INT(vigil_pdq_distance(&a, &c), 0);
    CHECK_EQ_INT(qa, qc);
    vigil_image_dispose(&img);
    free(b.data);
    free(rgb);
}

/* A truncated YCbCr JPEG fails on both paths. */
static void test_pdq_ycc__truncated(void)
{
    unsigned char *rgb = pixels(200, 150, 0, 9);
    blob b = encode(rgb, 200, 150, PDQ_YCC_420, 90, 0, 0);
    vigil_pdq h;
    int q;

    b.len /= 2;
    CHECK(vigil_pdq_hash_buffer(&h, &q, b.data, b.len, NULL) < 0);
    CHECK_EQ_INT(compare_hash(&b), 0);
    free(b.data);
    free(rgb);
}

int main(int argc, char **argv)
{
    static const test_case cases[] = {
        { "small_sizes", test_pdq_ycc__small_sizes },
        { "edge_sizes", test_pdq_ycc__edge_sizes },
        { "progressive_restart_saturated",
          test_pdq_ycc__progressive_restart_saturated },
        { "all_ycc_colours", test_pdq_ycc__all_ycc_colours },
        { "not_eligible", test_pdq_ycc__not_eligible },
        { "exif_orientation", test_pdq_ycc__exif_orientation },
        { "truncated", test_pdq_ycc__truncated },
        { NULL, NULL },
    };

    return test_main(argc, argv, cases);
}
