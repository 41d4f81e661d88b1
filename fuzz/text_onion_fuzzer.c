/*
 * fuzz/text_onion_fuzzer.c - onion v3 check on arbitrary bytes; accepted labels are 56 base32
 * characters (optionally with .onion) and accepted in either case.
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
    if (vigil_check_onion(s, size) == VIGIL_VALID_YES) {
        char up[64];
        size_t i;
        if (size != 56 && size != 62)
            abort();
        for (i = 0; i < 56; i++)
            up[i] = (char)(s[i] >= 0x61 && s[i] <= 0x7a ? s[i] - 32 : s[i]);
        if (vigil_check_onion(up, 56) != VIGIL_VALID_YES)
            abort();
    }
    return 0;
}
