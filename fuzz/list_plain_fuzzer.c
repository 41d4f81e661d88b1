/*
 * fuzz/list_plain_fuzzer.c - the plain hash lines (pdq default type) parser; properties in
 * list_fuzz.h (canonical values, line numbers, counts).
 */
#include "list_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return lf_run(VIGIL_LIST_PLAIN, NULL, VIGIL_SIGNAL_PDQ, data, size);
}
