/*
 * fuzz/list_te_fuzzer.c - the python-threatexchange signal lists and dataset CSV parser; properties in
 * list_fuzz.h (canonical values, line numbers, counts).
 */
#include "list_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return lf_run(VIGIL_LIST_TE, NULL, -1, data, size);
}
