/*
 * text/ascii_simd.h - 16-byte ASCII class tests shared by the indicator
 * scanner (indicators.c) and langid's token checks (langid.c).
 */
#ifndef VIGIL_TEXT_ASCII_SIMD_H
#define VIGIL_TEXT_ASCII_SIMD_H

#if defined(__SSE2__)
#include <emmintrin.h>

/* Bit k set when byte k of the 16 at @p p is an ASCII letter or digit
 * (16 bytes must be readable at @p p). */
static inline unsigned vigil__alnum_mask16(const char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i l = _mm_or_si128(x, _mm_set1_epi8(0x20));
    __m128i d = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                              _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
    __m128i a = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                              _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1)));

    return (unsigned)_mm_movemask_epi8(_mm_or_si128(d, a));
}
#endif

#endif
