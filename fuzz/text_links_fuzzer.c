/*
 * fuzz/text_links_fuzzer.c - link and handle extraction (Telegram links
 * and handles, archive.org items, URLs) on arbitrary bytes: values keep
 * their canonical prefixes and offsets stay inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/text_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vigil_text__inds inds;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t i;

    if (vigil_text__inds_extract(&inds, (const char *)data, size) < 0)
        abort();
    for (i = 0; i < inds.n; i++) {
        const vigil_indicator *d = &inds.v[i];
        const char *v = d->value;
        if (d->end > size || d->start >= d->end)
            abort();
        if (d->type == VIGIL_IND_TELEGRAM_LINK &&
            strncmp(v, "https://t.me/", 13) != 0)
            abort();
        if (d->type == VIGIL_IND_TELEGRAM_HANDLE && v[0] != '@')
            abort();
        if (d->type == VIGIL_IND_ARCHIVE_ORG &&
            strncmp(v, "https://archive.org/details/", 28) != 0)
            abort();
        if (d->type == VIGIL_IND_URL && strncmp(v, "http", 4) != 0)
            abort();
    }
    return 0;
}
