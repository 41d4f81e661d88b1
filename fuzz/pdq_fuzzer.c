/*
 * fuzz/pdq_fuzzer.c - libFuzzer target over decode + PDQ hash of untrusted
 * bytes (every format, EXIF, both flavours). Properties: a rejection sets a
 * message; a success gives quality 0..100, the same bits twice, and a
 * streamed hash equal to decode-then-hash. For a JPEG the YCbCr planes
 * path takes (hash/pdq_ycc.c), every luma float must equal the luma of
 * libjpeg-turbo's own RGB, and the hash must equal the RGB-row path's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash/pdq_internal.h"
#include "image/jpeg_planes.h"
#include "vigil/image.h"
#include "vigil/pdq.h"

/* Small limits keep each run fast; bombs must still be refused. */
#define FUZZ_MAX_SIDE 4096
#define FUZZ_MAX_PIXELS (2u << 20)

static void check_hash(const uint8_t *data, size_t size,
                       const vigil_pdq_options *o)
{
    vigil_pdq a, b;
    vigil_image img;
    vigil_image_options io = VIGIL_IMAGE_OPTIONS_INIT;
    int qa = -1, qb = -1, rc;

    rc = vigil_pdq_hash_buffer(&a, &qa, data, size, o);
    if (rc < 0) {
        const vigil_error *e = vigil_error_last();

        if (e == NULL || e->message == NULL || e->message[0] == '\0')
            abort();                    /* every refusal says why */
        return;
    }
    if (qa < 0 || qa > 100)
        abort();
    if (vigil_pdq_hash_buffer(&b, &qb, data, size, o) < 0 ||
        vigil_pdq_distance(&a, &b) != 0 || qa != qb)
        abort();                        /* deterministic */
    io.exif_orient = o->exif_orient;
    io.max_side = o->max_side;
    io.max_pixels = o->max_pixels;
    if (vigil_image_decode(&img, data, size, &io) < 0)
        abort();                        /* streamed ok => whole ok */
    if (img.channels != 1 && img.channels != 3)
        abort();
    if (vigil_pdq_hash_pixels(&b, &qb, img.pixels, img.width, img.height,
                              img.stride, img.channels, o->prescale, 0) < 0 ||
        vigil_pdq_distance(&a, &b) != 0 || qa != qb)
        abort();                        /* same pixels, same hash */
    vigil_image_dispose(&img);
}

/* Luma of every row from the planes vs the luma of the decoded RGB. */
static void check_planes_luma(vigil_jpeg_planes *p,
                              const vigil_jpeg_planes_info *info,
                              const vigil_image *img, int decoded)
{
    pdq_planes_src src = { p, info->width, info->sampling };
    float *luma = NULL;
    uint32_t r0, n, l, j, w = info->width;
    int k;

    if (decoded && (img->width != w || img->height != info->height ||
                    img->channels != 3))
        abort();
    luma = malloc((size_t)w * 8 * sizeof(float));
    if (luma == NULL)
        abort();
    for (r0 = 0; r0 < info->height; r0 += 8) {
        n = info->height - r0 < 8 ? info->height - r0 : 8;
        for (k = 0; k < 2; k++) {
            vigil_pdq__ycc_kernel = k ? -1 : 0;
            if (vigil_pdq__planes_luma(&src, r0, n, luma, 0) < 0) {
                vigil_pdq__ycc_kernel = -1;
                if (decoded)
                    abort();        /* RGB decoded, planes did not */
                free(luma);
                return;
            }
            vigil_pdq__ycc_kernel = -1;
            if (!decoded)
                continue;
            for (l = 0; l < n; l++) {
                const uint8_t *px = img->pixels + (size_t)(r0 + l) * img->stride;

                for (j = 0; j < w; j++) {
                    float a = luma[(size_t)l * w + j];
                    float b = vigil_pdq__luma_hma(px[3 * j], px[3 * j + 1],
                                                  px[3 * j + 2]);

                    if (memcmp(&a, &b, sizeof(a)) != 0)
                        abort();    /* planes luma != libjpeg RGB luma */
                }
            }
        }
    }
    free(luma);
    if (!decoded)
        abort();                    /* planes decoded, RGB did not */
}

static void check_planes(const uint8_t *data, size_t size,
                         const vigil_pdq_options *o)
{
    vigil_image_options io = VIGIL_IMAGE_OPTIONS_INIT;
    vigil_jpeg_planes *p = NULL;
    vigil_jpeg_planes_info info;
    vigil_image img;
    vigil_pdq a, b;
    int qa = -1, qb = -2, ra, rb, decoded;

    io.max_side = o->max_side;
    io.max_pixels = o->max_pixels;
    if (vigil_image__jpeg_planes_open(&p, &info, data, size, &io) < 0 ||
        p == NULL)
        return;
    decoded = vigil_image_decode(&img, data, size, &io) == 0;
    check_planes_luma(p, &info, &img, decoded);
    if (decoded)
        vigil_image_dispose(&img);
    vigil_image__jpeg_planes_free(p);
    /* the whole hash: planes path vs RGB rows */
    ra = vigil_pdq_hash_buffer(&a, &qa, data, size, o);
    vigil_pdq__ycc_kernel = -2;
    rb = vigil_pdq_hash_buffer(&b, &qb, data, size, o);
    vigil_pdq__ycc_kernel = -1;
    if ((ra < 0) != (rb < 0) ||
        (ra == 0 && (vigil_pdq_distance(&a, &b) != 0 || qa != qb)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vigil_pdq_options o = VIGIL_PDQ_OPTIONS_INIT;

    o.max_side = FUZZ_MAX_SIDE;
    o.max_pixels = FUZZ_MAX_PIXELS;
    check_hash(data, size, &o);
    check_planes(data, size, &o);
    o.prescale = 512;
    o.exif_orient = 1;
    check_hash(data, size, &o);
    return 0;
}
