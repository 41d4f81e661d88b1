/*
 * fuzz/list_hma_fuzzer.c - the HMA 1.x simple.<TYPE>.te CSV parser; properties in
 * list_fuzz.h (canonical values, line numbers, counts).
 */
#include "list_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return lf_run(VIGIL_LIST_HMA, "simple.HASH_PDQ.te", -1, data, size);
}
