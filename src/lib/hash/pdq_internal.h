/*
 * hash/pdq_internal.h - PDQ pieces shared between pdq.c (luma, DCT, bits),
 * pdq_filter.c (the Jarosz downsample) and pdq_file.c (decode + hash).
 */
#ifndef VIGIL_HASH_PDQ_INTERNAL_H
#define VIGIL_HASH_PDQ_INTERNAL_H

#include "vigil/pdq.h"

/**
 * Luma producer: write rows r0..r0+n-1 (n <= 8) of the luma image into
 * @p dst, row-major (column j of row r0+l at dst[l * cols + j]) when
 * @p lanes is 0; otherwise (then n == 8) interleaved with stride @p lanes
 * (8 or 16): column j of row r0+l at dst[j * lanes + l]. Rows are asked
 * for in order. Returns VIGIL_OK or an error code to stop.
 */
typedef int (*pdq_luma_fn)(void *ctx, uint32_t r0, uint32_t n, float *dst,
                           size_t lanes);

/** Source of next rows for streaming input: VIGIL_OK or an error code. */
typedef int (*pdq_fetch_fn)(void *ctx, uint8_t *dst, size_t stride,
                            uint32_t nrows);

/**
 * Borrowed view of 8-bit pixels: 1 (grey) or 3 (RGB) channels. Either
 * @c pixels holds the whole image, or (pixels NULL) @c fetch hands out
 * rows top to bottom (only without pre-resize).
 */
typedef struct {
    const uint8_t *pixels;
    uint32_t width, height;   /* pixels, > 0 */
    size_t stride;            /* bytes per row */
    int channels;             /* 1 or 3 */
    pdq_fetch_fn fetch;
    void *fetch_ctx;
    pdq_luma_fn luma;         /* non-NULL: the default flavour's luma rows
                                 come from here (e.g. a JPEG's YCbCr
                                 planes); pixels, stride, channels and
                                 fetch are then unused */
    void *luma_ctx;
} pdq_pixels;

/**
 * Hash @p src into out[0] (and out[1..7], the dihedral variants, when
 * @p nout is 8). @p prescale is 0 (HMA flavour) or 512 (reference CLI).
 * @return VIGIL_OK, VIGIL_EINVAL, VIGIL_EFORMAT (under 5 px a side),
 *         VIGIL_ENOMEM
 */
int vigil_pdq__hash(vigil_pdq *out, int nout, int *quality_out,
                    const pdq_pixels *src, unsigned int prescale);

/**
 * Kernel choice. -1 (the default): the AVX2 + FMA kernels for images
 * already decoded and for luma from a JPEG's YCbCr planes, the SSE2/SSSE3
 * ones when RGB rows stream from the decoder (measured: there the 256-bit
 * code slowed libjpeg's interleaved decode by more than it saved;
 * docs/internals/pdq.md). 0: always SSE, 1: AVX2
 * whenever the CPU has AVX2 and FMA. Every choice gives the same bits.
 * For benchmarks and tests: set it before hashing, never while another
 * thread hashes.
 */
extern int vigil_pdq__kernels;

/** Whether to use the AVX2 + FMA kernels for an image that @p streamed
 * (1) from the decoder or is a decoded buffer (0). */
int vigil_pdq__pick_avx2(int streamed);

/** 8 rows of @p cols floats (@p rs floats apart) to the interleaved
 * layout t[j * stride + l], l < 8. */
void vigil_pdq__rows_to_lanes(float *t, const float *src, uint32_t cols,
                              size_t rs, size_t stride);

/**
 * Downsample the rows x cols luma image that @p produce yields to 64x64
 * into @p out, exactly as the reference: two passes of the Jarosz box
 * filter along rows then columns, then decimation at cell centres. With
 * @p avx2 (only when the CPU has AVX2 and FMA) the AVX2 kernels and
 * 32-row blocks are used, else SSE and 16-row blocks: the same bits.
 * @return VIGIL_OK, VIGIL_ENOMEM or the producer's error
 */
int vigil_pdq__downsample(float out[64][64], uint32_t rows, uint32_t cols,
                          pdq_luma_fn produce, void *ctx, int avx2);

/**
 * Luma of the default (HMA) flavour: the reference computes
 * (float)(0.299*R + 0.587*G + 0.114*B) in double. That double sum is
 * within 1e-13 of L/1000 (L = 299R + 587G + 114B, exact), and L/1000 is
 * either a float or at least 6e-11 away from any midpoint between floats,
 * so both round to the same float as the correctly rounded L / 1000.0f.
 * tests/unit/hash/test_pdq_luma.c checks all 2^24 colours.
 */
static inline float vigil_pdq__luma_hma(unsigned r, unsigned g, unsigned b)
{
    return (float)(int)(299 * r + 587 * g + 114 * b) / 1000.0f;
}

/** vigil_pdq__luma_hma() of @p n RGB pixels into out[0..n-1]. */
void vigil_pdq__luma_hma_row(const uint8_t *rgb, uint32_t n, float *out);

/** The same for 8 rows of @p n RGB pixels, interleaved:
 * t[j * stride + l], l < 8; @p avx2 as for vigil_pdq__downsample. */
void vigil_pdq__luma_hma_lanes(const uint8_t *const rows[8], uint32_t n,
                               float *t, size_t stride, int avx2);

/** Chroma sampling of planar YCbCr rows (the values of
 * image/jpeg_planes.h's VIGIL_JPEG_*). */
enum { PDQ_YCC_444 = 0, PDQ_YCC_422 = 1, PDQ_YCC_420 = 2 };

/**
 * One image row of a JPEG's planar YCbCr samples (image/jpeg_planes.h:
 * readable 64 bytes beyond both ends, chroma edge samples repeated at
 * index -1 and at the chroma width).
 */
typedef struct {
    const uint8_t *y;         /* the row's Y samples */
    const uint8_t *cb, *cr;   /* nearest chroma row (image row / 2 for
                                 4:2:0, else the image row) */
    const uint8_t *cb2, *cr2; /* 4:2:0 only: the next nearest (the chroma
                                 row above for even image rows, below for
                                 odd ones, clamped to the plane) */
} pdq_ycc_row;

/**
 * Luma of @p n rows (n <= 8) of @p cols pixels, exactly
 * vigil_pdq__luma_hma() of the RGB that libjpeg-turbo 2.1 decodes from
 * these samples (fancy upsampling, jdcolor.c's YCbCr->RGB), in
 * pdq_luma_fn's layout: row-major when @p lanes is 0, else (n == 8)
 * column j of row l at dst[j * lanes + l].
 */
void vigil_pdq__ycc_luma(float *dst, size_t lanes, const pdq_ycc_row *rows,
                         uint32_t n, uint32_t cols, int sampling);

/** libjpeg-turbo's RGB for one row, by the scalar model (tests). */
void vigil_pdq__ycc_rgb_ref(uint8_t *rgb, const pdq_ycc_row *row,
                            uint32_t cols, int sampling);

/** A JPEG's planes (image/jpeg_planes.h) as a luma source. */
struct vigil_jpeg_planes;
typedef struct {
    struct vigil_jpeg_planes *p;
    uint32_t width;
    int sampling;             /* PDQ_YCC_* */
} pdq_planes_src;

/** The pdq_ycc_row of image rows r0..r0+n-1 of @p s (decoded already):
 * Y row, nearer and further chroma rows as libjpeg's upsampler picks
 * them, clamped to the planes. */
void vigil_pdq__planes_rows(pdq_ycc_row *rows, const pdq_planes_src *s,
                            uint32_t r0, uint32_t n);

/** pdq_luma_fn over a pdq_planes_src (@p ctx): decodes as far as the rows
 * need, then vigil_pdq__ycc_luma(). */
int vigil_pdq__planes_luma(void *ctx, uint32_t r0, uint32_t n, float *dst,
                           size_t lanes);

/** Kernel for vigil_pdq__ycc_luma: -1 best available (default; JPEGs
 * then take the YCbCr path only where the AVX2 kernel runs, the SSE2
 * one alone being slower than the RGB path), 0 the
 * scalar model, 1 SSE2, 2 AVX2 (when the CPU has it); -2 switches the YCbCr path off (JPEGs are hashed
 * from decoded RGB rows, as before it existed). Tests and benchmarks
 * only, set while no other thread hashes. */
extern int vigil_pdq__ycc_kernel;

#endif
