/*
 * hash/pdq_file.c - PDQ of encoded images: read (with the file-size limit),
 * decode through vigil/image.h (with the dimension limits), hash.
 */
#define VIGIL_MODULE "pdq"
#include "vigil/image.h"
#include "vigil/pdq.h"

#include <string.h>

#include "common/error.h"
#include "hash/pdq_div.h"
#include "hash/pdq_internal.h"
#include "image/jpeg_planes.h"

static void image_opts(vigil_image_options *io, const vigil_pdq_options *o)
{
    vigil_image_options def = VIGIL_IMAGE_OPTIONS_INIT;

    *io = def;
    if (o == NULL)
        return;
    io->exif_orient = o->exif_orient;
    io->max_side = o->max_side;
    io->max_pixels = o->max_pixels;
    io->max_file_bytes = o->max_file_bytes;
}

static int fetch_rows(void *ctx, uint8_t *dst, size_t stride, uint32_t n)
{
    return vigil_image_reader_rows(ctx, dst, stride, n);
}

void vigil_pdq__planes_rows(pdq_ycc_row *rows, const pdq_planes_src *s,
                            uint32_t r0, uint32_t n)
{
    uint32_t l;

    for (l = 0; l < n; l++) {
        int64_t y = (int64_t)r0 + l, c = y, c2 = y;

        if (s->sampling == PDQ_YCC_420) {
            c = y / 2;                  /* nearer chroma row */
            c2 = y & 1 ? c + 1 : c - 1; /* below for odd rows, else above */
        }
        rows[l].y = vigil_image__jpeg_planes_row(s->p, 0, y);
        rows[l].cb = vigil_image__jpeg_planes_row(s->p, 1, c);
        rows[l].cr = vigil_image__jpeg_planes_row(s->p, 2, c);
        rows[l].cb2 = vigil_image__jpeg_planes_row(s->p, 1, c2);
        rows[l].cr2 = vigil_image__jpeg_planes_row(s->p, 2, c2);
    }
}

int vigil_pdq__planes_luma(void *ctx, uint32_t r0, uint32_t n, float *dst,
                           size_t lanes)
{
    const pdq_planes_src *s = ctx;
    pdq_ycc_row rows[8];
    int err;

    if ((err = vigil_image__jpeg_planes_need(s->p, r0 + n - 1)) < 0)
        return err;
    vigil_pdq__planes_rows(rows, s, r0, n);
    vigil_pdq__ycc_luma(dst, lanes, rows, n, s->width, s->sampling);
    return VIGIL_OK;
}

static int have_avx2_kernel(void)
{
#ifdef PDQ_HAVE_FMA_DIV
    return vigil_pdq__have_avx2_fma();
#else
    return 0;
#endif
}

/*
 * Default flavour, YCbCr JPEG: luma straight from the decoder's planes
 * (no upsampled chroma, no RGB rows); *done 0 when the file is not such a
 * JPEG.
 */
static int hash_planes(vigil_pdq *out, int nout, int *quality_out,
                       const void *data, size_t len,
                       const vigil_image_options *io, int *done)
{
    vigil_jpeg_planes_info info;
    pdq_planes_src src;
    pdq_pixels px;
    int err;

    *done = 0;
    /* By default only with the AVX2 kernel: the SSE2 one alone (1.36 ms
     * per 1024x768 image) measured slower than libjpeg's RGB + our luma
     * (docs/internals/pdq.md); a forced kernel (tests) always runs. */
    if (vigil_pdq__ycc_kernel == -2 ||
        (vigil_pdq__ycc_kernel == -1 && !have_avx2_kernel()))
        return VIGIL_OK;
    if ((err = vigil_image__jpeg_planes_open(&src.p, &info, data, len, io)) <
            0 ||
        src.p == NULL)
        return err;
    *done = 1;
    src.width = info.width;
    src.sampling = info.sampling;
    memset(&px, 0, sizeof(px));
    px.width = info.width;
    px.height = info.height;
    px.channels = 3;
    px.luma = vigil_pdq__planes_luma;
    px.luma_ctx = &src;
    err = vigil_pdq__hash(out, nout, quality_out, &px, 0);
    vigil_image__jpeg_planes_free(src.p);
    return err;
}

/* Default flavour: rows stream from the decoder into the hasher. */
static int hash_streamed(vigil_pdq *out, int nout, int *quality_out,
                         const void *data, size_t len,
                         const vigil_image_options *io)
{
    vigil_image_reader *r;
    pdq_pixels px;
    int err, done;

    if ((err = hash_planes(out, nout, quality_out, data, len, io, &done)) <
            0 ||
        done)
        return err;
    if ((err = vigil_image_reader_open(&r, data, len, io)) < 0)
        return err;
    memset(&px, 0, sizeof(px));
    vigil_image_reader_info(r, &px.width, &px.height, &px.channels);
    px.stride = (size_t)px.width * (size_t)px.channels;
    px.fetch = fetch_rows;
    px.fetch_ctx = r;
    err = vigil_pdq__hash(out, nout, quality_out, &px, 0);
    vigil_image_reader_free(r);
    return err;
}

static int hash_buffer(vigil_pdq *out, int nout, int *quality_out,
                       const void *data, size_t len,
                       const vigil_pdq_options *opts)
{
    vigil_image_options io;
    vigil_image img;
    pdq_pixels px;
    int err;

    if (out == NULL || (opts && opts->version != 1))
        return vigil_error_set(VIGIL_EINVAL, "bad PDQ arguments");
    image_opts(&io, opts);
    if (opts == NULL || opts->prescale == 0)
        return hash_streamed(out, nout, quality_out, data, len, &io);
    if ((err = vigil_image_decode(&img, data, len, &io)) < 0)
        return err;
    memset(&px, 0, sizeof(px));
    px.pixels = img.pixels;
    px.width = img.width;
    px.height = img.height;
    px.stride = img.stride;
    px.channels = img.channels;
    err = vigil_pdq__hash(out, nout, quality_out, &px,
                          opts ? opts->prescale : 0);
    vigil_image_dispose(&img);
    return err;
}

static int hash_file(vigil_pdq *out, int nout, int *quality_out,
                     const char *path, const vigil_pdq_options *opts)
{
    uint8_t *data;
    size_t len;
    int err;

    if (path == NULL)
        return vigil_error_set(VIGIL_EINVAL, "no path");
    if ((err = vigil_image_read_file(&data, &len, path,
                                     opts ? opts->max_file_bytes : 0)) < 0)
        return err;
    err = hash_buffer(out, nout, quality_out, data, len, opts);
    vigil_image_free_bytes(data);
    return err;
}

int vigil_pdq_hash_buffer(vigil_pdq *out, int *quality_out, const void *data,
                          size_t len, const vigil_pdq_options *opts)
{
    return hash_buffer(out, 1, quality_out, data, len, opts);
}

int vigil_pdq_hash_buffer_dihedral(vigil_pdq out[8], int *quality_out,
                                   const void *data, size_t len,
                                   const vigil_pdq_options *opts)
{
    return hash_buffer(out, 8, quality_out, data, len, opts);
}

int vigil_pdq_hash_file(vigil_pdq *out, int *quality_out, const char *path,
                        const vigil_pdq_options *opts)
{
    return hash_file(out, 1, quality_out, path, opts);
}

int vigil_pdq_hash_file_dihedral(vigil_pdq out[8], int *quality_out,
                                 const char *path,
                                 const vigil_pdq_options *opts)
{
    return hash_file(out, 8, quality_out, path, opts);
}
