/*
 * fuzz/text_links_fuzzer.c - link and handle extraction (Telegram links
 * and handles, archive.org items, URLs) on arbitrary bytes: values keep
 * their canonical prefixes and offsets stay inside the input, and the
 * scanner that skips plain words 64 bytes at a time finds what the
 * step-by-step one finds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/text_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vigil_text__inds inds, steps;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t i;

    if (vigil_text__inds_extract(&inds, (const char *)data, size) < 0)
        abort();
    steps.step_by_step = 1;
    if (vigil_text__inds_extract(&steps, (const char *)data, size) < 0 || steps.n != inds.n)
        abort();
    for (i = 0; i < inds.n; i++)
        if (inds.v[i].type != steps.v[i].type || inds.v[i].start != steps.v[i].start ||
            inds.v[i].end != steps.v[i].end || inds.v[i].valid != steps.v[i].valid ||
            inds.v[i].subtype != steps.v[i].subtype ||
            strcmp(inds.v[i].value, steps.v[i].value) != 0)
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
