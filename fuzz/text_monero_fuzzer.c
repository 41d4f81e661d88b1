/*
 * fuzz/text_monero_fuzzer.c - Monero address check on arbitrary bytes; an accepted address
 * names its kind and round-trips through Monero base58.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_b58.h"
#include "vigil/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *sub = NULL;

    (void)sub;
    if (size > 256)
        return 0;
    if (vigil_check_monero(s, size, &sub) == VIGIL_VALID_YES) {
        if (!sub || (size != 95 && size != 106))
            abort();
        fuzz_b58_roundtrip(s, size, 1);
    }
    return 0;
}
