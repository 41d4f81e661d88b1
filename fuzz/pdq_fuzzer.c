/*
 * fuzz/pdq_fuzzer.c - libFuzzer target over decode + PDQ hash of untrusted
 * bytes (every format, EXIF, both flavours). Properties: a rejection sets a
 * message; a success gives quality 0..100, the same bits twice, and a
 * streamed hash equal to decode-then-hash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vigil_pdq_options o = VIGIL_PDQ_OPTIONS_INIT;

    o.max_side = FUZZ_MAX_SIDE;
    o.max_pixels = FUZZ_MAX_PIXELS;
    check_hash(data, size, &o);
    o.prescale = 512;
    o.exif_orient = 1;
    check_hash(data, size, &o);
    return 0;
}
