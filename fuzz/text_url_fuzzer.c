/*
 * fuzz/text_url_fuzzer.c - URL normalisation: a normalised URL must
 * normalise to itself (idempotent) and never carry a fragment or a
 * utm_ parameter.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/text_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char a[4200], b[4200];
    int n, m;

    if (size > 4096)
        return 0;
    if ((n = vigil_text__url_normalize(a, sizeof(a), (const char *)data,
                                       size)) < 0)
        return 0;
    if ((size_t)n != strlen(a) || memchr(a, '#', (size_t)n) ||
        strstr(a, "?utm_") || strstr(a, "&utm_"))
        abort();
    m = vigil_text__url_normalize(b, sizeof(b), a, (size_t)n);
    if (m != n || memcmp(a, b, (size_t)n) != 0)
        abort();
    return 0;
}
