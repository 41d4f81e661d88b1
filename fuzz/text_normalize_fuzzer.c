/*
 * fuzz/text_normalize_fuzzer.c - normalisation of arbitrary bytes: the
 * offset map must stay inside the input and in order, and the output must
 * be single-spaced with no separator markers left.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vigil_normalizer *nz;
static vigil_norm_text nt = VIGIL_NORM_TEXT_INIT;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t i;
    unsigned int flags = size && (data[0] & 1) ? VIGIL_NORM_TERM : 0;

    if (!nz && vigil_normalizer_new(&nz) != VIGIL_OK)
        abort();
    if (vigil_text_normalize(&nt, nz, (const char *)data, size, flags) < 0)
        abort();                        /* nothing here may fail */
    if (nt.text[nt.len] != '\0' || nt.map[nt.len] != size)
        abort();
    for (i = 0; i < nt.len; i++) {
        if (nt.map[i] >= size || (i && nt.map[i] < nt.map[i - 1]))
            abort();
        if (nt.text[i] == '\x01' || nt.text[i] == '\0')
            abort();
        if (nt.text[i] == ' ' && (i == 0 || i + 1 == nt.len ||
                                  nt.text[i - 1] == ' '))
            abort();
    }
    return 0;
}
