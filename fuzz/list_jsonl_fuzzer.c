/*
 * fuzz/list_jsonl_fuzzer.c - the vigil JSONL bank lists parser; properties in
 * list_fuzz.h (canonical values, line numbers, counts).
 */
#include "list_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return lf_run(VIGIL_LIST_JSONL, NULL, -1, data, size);
}
