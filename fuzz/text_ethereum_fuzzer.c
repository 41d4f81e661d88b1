/*
 * fuzz/text_ethereum_fuzzer.c - Ethereum EIP-55 check on arbitrary bytes: anything but NO only
 * for 0x plus 40 hex digits, and the verdict is case-stable for digits.
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
    int v = vigil_check_ethereum(s, size);

    if (v != VIGIL_VALID_NO) {
        size_t i;
        if (size != 42 || s[0] != 0x30)
            abort();
        for (i = 2; i < 42; i++)
            if (!strchr("0123456789abcdefABCDEF", s[i]))
                abort();
    }
    return 0;
}
