/*
 * fuzz/text_tron_fuzzer.c - TRON address check on arbitrary bytes; accepted addresses are
 * 34 characters from T and round-trip through base58.
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
    if (vigil_check_tron(s, size) == VIGIL_VALID_YES) {
        if (size != 34 || s[0] != 0x54)
            abort();
        fuzz_b58_roundtrip(s, size, 0);
    }
    return 0;
}
