/*
 * ingest/feed.c - field checks for vigil.feed/1 records.
 */
#define VIGIL_MODULE "ingest"
#include "ingest/feed.h"

#include <string.h>

#include "common/error.h"
#include "util/timeutil.h"

static int want_str(json_t *o, const char *key, int required, const char **out)
{
    json_t *v = json_object_get(o, key);

    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return vigil_error_set(VIGIL_EFORMAT, "field '%s' is missing", key);
        return VIGIL_OK;
    }
    if (!json_is_string(v))
        return vigil_error_set(VIGIL_EFORMAT, "field '%s' is not a string", key);
    *out = json_string_value(v);
    if (required && !**out && strcmp(key, "text") != 0)
        return vigil_error_set(VIGIL_EFORMAT, "field '%s' is empty", key);
    return VIGIL_OK;
}

static int want_time(json_t *o, const char *key, int required, int64_t *out)
{
    const char *s;
    int rc, has_offset;

    *out = VIGIL_TIME_UNKNOWN;
    if ((rc = want_str(o, key, required, &s)) < 0 || !s)
        return rc;
    if (vgu_parse_iso8601(s, out, &has_offset) < 0)
        return vigil_error_set(VIGIL_EFORMAT, "field '%s' is '%.40s', not an "
                               "RFC 3339 time", key, s);
    return VIGIL_OK;
}

static vigil_item_kind kind_of(const char *t)
{
    static const char *const names[] = {
        "text", "photo", "video", "audio", "animation", "sticker", "file"
    };
    size_t i;

    for (i = 0; t && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(t, names[i]) == 0)
            return (vigil_item_kind)i;
    return VIGIL_KIND_FILE;
}

static int read_media(vigil_feed_post *p, json_t *arr)
{
    size_t i;
    json_t *m;
    int rc;

    if (!arr || json_is_null(arr))
        return VIGIL_OK;
    if (!json_is_array(arr))
        return vigil_error_set(VIGIL_EFORMAT, "field 'media' is not an array");
    json_array_foreach(arr, i, m) {
        vigil_feed_media *fm;
        const char *type;
        json_t *size;

        if (p->n_media == VIGIL_FEED_MAX_MEDIA)
            return vigil_error_set(VIGIL_EFORMAT, "more than %d media entries",
                                   VIGIL_FEED_MAX_MEDIA);
        if (!json_is_object(m))
            return vigil_error_set(VIGIL_EFORMAT, "media entry %zu is not an "
                                   "object", i + 1);
        fm = &p->media[p->n_media++];
        if ((rc = want_str(m, "type", 1, &type)) < 0 ||
            (rc = want_str(m, "path", 0, &fm->path)) < 0 ||
            (rc = want_str(m, "url", 0, &fm->url)) < 0 ||
            (rc = want_str(m, "mime_type", 0, &fm->mime)) < 0)
            return rc;
        fm->kind = kind_of(type);
        size = json_object_get(m, "size");
        fm->size = json_is_integer(size) && json_integer_value(size) >= 0
                   ? (int64_t)json_integer_value(size) : -1;
    }
    return VIGIL_OK;
}

int vigil_feed_post_read(vigil_feed_post *p, json_t *o)
{
    const char *schema;
    json_t *urls, *fwd, *u;
    size_t i;
    int rc;

    memset(p, 0, sizeof(*p));
    if (!json_is_object(o))
        return vigil_error_set(VIGIL_EFORMAT, "a record is not a JSON object");
    if ((rc = want_str(o, "schema", 1, &schema)) < 0)
        return rc;
    if (strncmp(schema, "vigil.feed/1", 12) != 0 ||
        (schema[12] && schema[12] != '.'))
        return vigil_error_set(VIGIL_EFORMAT, "schema '%.40s' is not "
                               "vigil.feed/1", schema);
    if ((rc = want_str(o, "platform", 1, &p->platform)) < 0 ||
        (rc = want_str(o, "account", 1, &p->account)) < 0 ||
        (rc = want_str(o, "account_id", 0, &p->account_id)) < 0 ||
        (rc = want_str(o, "account_name", 0, &p->account_name)) < 0 ||
        (rc = want_str(o, "id", 1, &p->id)) < 0 ||
        (rc = want_str(o, "url", 0, &p->url)) < 0 ||
        (rc = want_str(o, "text", 1, &p->text)) < 0 ||
        (rc = want_time(o, "posted_at", 1, &p->posted_at)) < 0 ||
        (rc = want_time(o, "edited_at", 0, &p->edited_at)) < 0 ||
        (rc = read_media(p, json_object_get(o, "media"))) < 0)
        return rc;
    p->text_len = json_string_length(json_object_get(o, "text"));
    if ((fwd = json_object_get(o, "forwarded_from")) != NULL) {
        if (!json_is_null(fwd) && !json_is_string(fwd))
            return vigil_error_set(VIGIL_EFORMAT, "field 'forwarded_from' is "
                                   "neither a string nor null");
        p->is_forward = 1;
        p->forwarded_from = json_string_value(fwd);
    }
    urls = json_object_get(o, "urls");
    if (urls && !json_is_array(urls))
        return vigil_error_set(VIGIL_EFORMAT, "field 'urls' is not an array");
    json_array_foreach(urls, i, u) {
        if (!json_is_string(u))
            return vigil_error_set(VIGIL_EFORMAT, "urls[%zu] is not a string",
                                   i);
        if (p->n_urls < VIGIL_FEED_MAX_URLS)
            p->urls[p->n_urls++] = json_string_value(u);
    }
    return VIGIL_OK;
}
