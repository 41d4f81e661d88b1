/*
 * fuzz/text_watchlist_fuzzer.c - the watchlist TSV parser and pattern
 * compiler on arbitrary bytes: it either builds a list whose count is at
 * most the number of lines, or fails with a format/limit/pattern error.
 * The on-disk cache of compiled databases is off unless VIGIL_CACHE_DIR
 * says otherwise: every input is a new list, and a long run wrote 17,000
 * files (300 MB) into ~/.cache/vigil.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vigil_watchlist *wl;
    size_t i, lines = 1;
    int rc;

    if (size > 8192)
        return 0;
    setenv("VIGIL_CACHE_DIR", "off", 0);
    for (i = 0; i < size; i++)
        lines += data[i] == '\n';
    rc = vigil_watchlist_new(&wl, (const char *)data, size, "fuzz.tsv");
    if (rc == VIGIL_OK) {
        if (vigil_watchlist_count(wl) == 0 ||
            vigil_watchlist_count(wl) > lines)
            abort();
        vigil_watchlist_free(wl);
    } else if (rc != VIGIL_EFORMAT && rc != VIGIL_ELIMIT &&
               rc != VIGIL_ERROR && rc != VIGIL_ENOMEM) {
        abort();
    }
    return 0;
}
