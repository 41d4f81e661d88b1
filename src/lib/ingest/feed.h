/*
 * ingest/feed.h - one record of a vigil.feed/1 JSON Lines feed (posts from
 * platforms other than Telegram; docs/formats/jsonl.md) read into plain
 * fields.
 */
#ifndef VIGIL_INGEST_FEED_H
#define VIGIL_INGEST_FEED_H

#include <jansson.h>

#include "vigil/store.h"

#define VIGIL_FEED_MAX_MEDIA 16
#define VIGIL_FEED_MAX_URLS 64

typedef struct {
    vigil_item_kind kind;
    const char *path;           /* relative to the feed's folder, or NULL */
    const char *url;            /* remote URL when not downloaded */
    const char *mime;
    int64_t size;               /* -1 unknown */
} vigil_feed_media;

/** Strings are borrowed from the json object the record was read from. */
typedef struct {
    const char *platform, *account, *account_id, *account_name;
    const char *id, *url, *text;
    size_t text_len;
    int64_t posted_at, edited_at;       /* or VIGIL_TIME_UNKNOWN */
    int is_forward;
    const char *forwarded_from;         /* NULL: hidden origin or original */
    const char *urls[VIGIL_FEED_MAX_URLS];
    size_t n_urls;
    vigil_feed_media media[VIGIL_FEED_MAX_MEDIA];
    size_t n_media;
} vigil_feed_post;

/**
 * Read @p obj into @p out.
 * @return VIGIL_OK or VIGIL_EFORMAT with a message naming the field
 */
int vigil_feed_post_read(vigil_feed_post *out, json_t *obj);

#endif
