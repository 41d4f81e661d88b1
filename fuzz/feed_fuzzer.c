/*
 * fuzz/feed_fuzzer.c - one vigil.feed/1 record (a JSON line) through
 * jansson and the field checks. Properties: no crash or leak; an accepted
 * record has its required fields and at most the documented counts.
 */
#include <stdint.h>
#include <stdlib.h>

#include "ingest/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vigil_feed_post p;
    json_error_t err;
    json_t *o = json_loadb((const char *)data, size, 0, &err);

    if (!o)
        return 0;
    if (vigil_feed_post_read(&p, o) == 0) {
        if (!p.platform || !p.account || !p.id || !p.text ||
            p.posted_at == VIGIL_TIME_UNKNOWN ||
            p.n_media > VIGIL_FEED_MAX_MEDIA || p.n_urls > VIGIL_FEED_MAX_URLS)
            abort();
    }
    json_decref(o);
    return 0;
}
