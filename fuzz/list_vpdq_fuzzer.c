/*
 * fuzz/list_vpdq_fuzzer.c - the vPDQ JSON (whole file or one array per line) parser; properties in
 * list_fuzz.h (canonical values, line numbers, counts).
 */
#include "list_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return lf_run(VIGIL_LIST_VPDQ, NULL, -1, data, size);
}
