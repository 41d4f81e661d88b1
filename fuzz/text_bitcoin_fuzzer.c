/*
 * fuzz/text_bitcoin_fuzzer.c - Bitcoin address check (base58check and bech32/bech32m) on
 * arbitrary bytes; accepted base58 addresses round-trip.
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
    if (vigil_check_bitcoin(s, size, &sub) == VIGIL_VALID_YES) {
        if (!sub)
            abort();
        if (s[0] == 0x31 || s[0] == 0x33)
            fuzz_b58_roundtrip(s, size, 0);
        else if (size < 14 || size > 90)
            abort();
    }
    return 0;
}
