/*
 * fuzz/text_normalize_fuzzer.c - normalisation of arbitrary bytes: the
 * offset map must stay inside the input and in order (but inside the span
 * of a bidi override, which reads reversed), the output must be
 * single-spaced with no separator markers left, and the fast paths must
 * give exactly what the ICU-per-code-point reference pass gives (text,
 * map, letter counts).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/text_internal.h"
#include "vigil/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vigil_normalizer *nz;
static vigil_norm_text nt = VIGIL_NORM_TEXT_INIT;
static vigil_norm_text ref = VIGIL_NORM_TEXT_INIT;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t i;
    int reversed = 0;
    unsigned int flags = size && (data[0] & 1) ? VIGIL_NORM_TERM : 0;

    if (!nz && vigil_normalizer_new(&nz) != VIGIL_OK)
        abort();
    if (vigil_text_normalize(&nt, nz, (const char *)data, size, flags) < 0)
        abort();                        /* nothing here may fail */
    if (nt.text[nt.len] != '\0' || nt.map[nt.len] != size)
        abort();
    if (vigil_text__normalize_ref(&ref, nz, (const char *)data, size,
                                  flags) < 0 ||
        ref.len != nt.len || memcmp(ref.text, nt.text, nt.len + 1) != 0 ||
        memcmp(ref.map, nt.map, (nt.len + 1) * sizeof(uint32_t)) != 0 ||
        memcmp(ref.letters, nt.letters, sizeof(nt.letters)) != 0)
        abort();                        /* fast path differs from ICU */
    for (i = 0; i + 2 < size && !reversed; i++)  /* a bidi override */
        reversed = data[i] == 0xE2 && data[i + 1] == 0x80 &&
                   (data[i + 2] == 0xAD || data[i + 2] == 0xAE);
    for (i = 0; i < nt.len; i++) {
        if (nt.map[i] >= size ||
            (i && nt.map[i] < nt.map[i - 1] && !reversed))
            abort();
        if (nt.text[i] == '\x01' || nt.text[i] == '\0')
            abort();
        if (nt.text[i] == ' ' && (i == 0 || i + 1 == nt.len ||
                                  nt.text[i - 1] == ' '))
            abort();
    }
    return 0;
}
