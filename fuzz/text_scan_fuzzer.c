/*
 * fuzz/text_scan_fuzzer.c - full triage of arbitrary bytes: every hit and
 * indicator lies inside the input, and an address reported valid passes
 * its checksum again from its reported value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static vigil_triage *t;

static void recheck(const vigil_indicator *d)
{
    size_t n = strlen(d->value);
    int v = d->valid;

    if (v != VIGIL_VALID_YES)
        return;
    if ((d->type == VIGIL_IND_MONERO && vigil_check_monero(d->value, n, NULL)
         != v) ||
        (d->type == VIGIL_IND_BITCOIN && vigil_check_bitcoin(d->value, n, NULL)
         != v) ||
        (d->type == VIGIL_IND_TRON && vigil_check_tron(d->value, n) != v) ||
        (d->type == VIGIL_IND_ETHEREUM && vigil_check_ethereum(d->value, n)
         != v) ||
        (d->type == VIGIL_IND_ONION && vigil_check_onion(d->value, n) != v))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const vigil_triage_result *r;
    size_t i;

    if (!t && vigil_triage_new(&t, NULL) != VIGIL_OK)
        abort();
    if (vigil_triage_scan(&r, t, (const char *)data, size, VIGIL_TRIAGE_ALL)
        < 0)
        abort();
    for (i = 0; i < r->n_hits; i++)
        if (r->hits[i].start >= r->hits[i].end || r->hits[i].end > size ||
            !r->hits[i].outlet || !r->hits[i].term)
            abort();
    for (i = 0; i < r->n_indicators; i++) {
        const vigil_indicator *d = &r->indicators[i];
        if (d->start >= d->end || d->end > size || !d->value || !*d->value ||
            !vigil_indicator_type_name(d->type) || d->valid < 0 ||
            d->valid > VIGIL_VALID_UNCHECKED)
            abort();
        recheck(d);
    }
    if (r->script[0] == '\0')
        abort();
    return 0;
}
