/*
 * fuzz/fuzz_b58.h - shared by the address fuzzers: an accepted base58
 * address must decode and re-encode to the very same string.
 */
#ifndef VIGIL_FUZZ_B58_H
#define VIGIL_FUZZ_B58_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/text_internal.h"

static inline void fuzz_b58_roundtrip(const char *s, size_t n, int monero)
{
    uint8_t raw[128];
    char back[256];
    int k = monero ? vigil_text__xmr_b58_decode(raw, sizeof(raw), s, n)
                   : vigil_text__b58_decode(raw, sizeof(raw), s, n);

    if (k < 0)
        abort();
    if ((monero ? vigil_text__xmr_b58_encode(back, sizeof(back), raw,
                                             (size_t)k)
                : vigil_text__b58_encode(back, sizeof(back), raw, (size_t)k))
            != (int)n || memcmp(back, s, n) != 0)
        abort();
}

#endif
