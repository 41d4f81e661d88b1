/*
 * ingest/telegram_msg.c - field extraction for one Telegram export message.
 */
#define VIGIL_MODULE "ingest"
#include "ingest/telegram_msg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/error.h"

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:  return "an object";
    case JSON_ARRAY:   return "an array";
    case JSON_STRING:  return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL:    return "a number";
    case JSON_TRUE:
    case JSON_FALSE:   return "a boolean";
    default:           return "null";
    }
}

static int bad_type(const vigil_tg_msg *m, const char *field, const json_t *v,
                    const char *want)
{
    return vigil_error_set(VIGIL_EFORMAT, "message %s: field '%s' is %s, "
                           "expected %s", m->id[0] ? m->id : "?", field,
                           json_type_name(v), want);
}

/* Optional string field: absent and null give NULL, others are errors. */
static int get_str(const vigil_tg_msg *m, json_t *o, const char *key,
                   const char **out)
{
    json_t *v = json_object_get(o, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return VIGIL_OK;
    if (!json_is_string(v))
        return bad_type(m, key, v, "a string");
    *out = json_string_value(v);
    return VIGIL_OK;
}

/* Epoch seconds written as a digit string (tdesktop) or an integer. */
static int get_unixtime(const vigil_tg_msg *m, json_t *o, const char *key,
                        int64_t *out)
{
    json_t *v = json_object_get(o, key);
    const char *s;
    char *end;
    long long t;

    *out = VIGIL_TIME_UNKNOWN;
    if (!v || json_is_null(v))
        return VIGIL_OK;
    if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
        return VIGIL_OK;
    }
    if (!json_is_string(v))
        return bad_type(m, key, v, "a string of digits");
    s = json_string_value(v);
    errno = 0;
    t = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return vigil_error_set(VIGIL_EFORMAT, "message %s: field '%s' is "
                               "'%.40s', expected epoch seconds", m->id, key, s);
    *out = (int64_t)t;
    return VIGIL_OK;
}

/* "YYYY-MM-DDTHH:MM:SS" read as if UTC (the offset is not in the file). */
static int64_t parse_local_date(const char *s)
{
    int y, mo, d, h, mi, se;
    int64_t days, yy;
    unsigned mm;

    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se)
        != 6 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        se > 60)
        return VIGIL_TIME_UNKNOWN;
    /* days from civil (Howard Hinnant's algorithm) */
    yy = y - (mo <= 2);
    mm = (unsigned)mo;
    {
        int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
        int64_t yoe = yy - era * 400;
        int64_t doy = (153 * (mm > 2 ? mm - 3 : mm + 9) + 2) / 5 + d - 1;
        int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        days = era * 146097 + doe - 719468;
    }
    return days * 86400 + h * 3600 + mi * 60 + se;
}

static int url_add(vigil_tg_msg *m, const char *u, size_t len)
{
    size_t i;
    char *c;

    while (len && (u[0] == ' ' || u[0] == '\n'))
        u++, len--;
    if (!len)
        return VIGIL_OK;
    for (i = 0; i < m->n_urls; i++)
        if (strlen(m->urls[i]) == len && memcmp(m->urls[i], u, len) == 0)
            return VIGIL_OK;
    if (m->n_urls == m->cap_urls) {
        size_t ncap = m->cap_urls ? m->cap_urls * 2 : 4;
        char **n = vigil__realloc(m->urls, ncap * sizeof(*n));
        if (!n)
            return VIGIL_ENOMEM;
        m->urls = n;
        m->cap_urls = ncap;
    }
    if ((c = vigil__strndup(u, len)) == NULL)
        return VIGIL_ENOMEM;
    m->urls[m->n_urls++] = c;
    return VIGIL_OK;
}

/* Append text, turning NUL bytes (from \u0000) into spaces. */
static int text_add(vigil_tg_msg *m, const char *s, size_t n)
{
    size_t start = m->text.len;
    size_t i;

    if (vgu_buf_append(&m->text, s, n) < 0)
        return vigil_error_set(VIGIL_ENOMEM, "message %s: text too large",
                               m->id);
    for (i = start; i < m->text.len; i++)
        if (m->text.ptr[i] == '\0')
            m->text.ptr[i] = ' ';
    return VIGIL_OK;
}

/* One entity object {type, text, [href]}: text and URLs. */
static int entity_add(vigil_tg_msg *m, json_t *e, const char *field,
                      int want_text)
{
    json_t *t = json_object_get(e, "text"), *ty = json_object_get(e, "type");
    const char *type;
    int rc;

    if (!json_is_string(t))
        return bad_type(m, field, t ? t : json_null(),
                        "entities with a string 'text'");
    type = json_is_string(ty) ? json_string_value(ty) : "";
    if (want_text &&
        (rc = text_add(m, json_string_value(t), json_string_length(t))) < 0)
        return rc;
    if (strcmp(type, "link") == 0)
        return url_add(m, json_string_value(t), json_string_length(t));
    if (strcmp(type, "text_link") == 0) {
        json_t *h = json_object_get(e, "href");
        if (json_is_string(h))
            return url_add(m, json_string_value(h), json_string_length(h));
    }
    return VIGIL_OK;
}

/* An entity array: `text` (strings and objects) or `text_entities`. */
static int entities_add(vigil_tg_msg *m, json_t *arr, const char *field,
                        int want_text)
{
    size_t i;
    json_t *e;
    int rc;

    json_array_foreach(arr, i, e) {
        if (json_is_string(e)) {
            if (want_text &&
                (rc = text_add(m, json_string_value(e), json_string_length(e)))
                < 0)
                return rc;
        } else if (json_is_object(e)) {
            if ((rc = entity_add(m, e, field, want_text)) < 0)
                return rc;
        } else {
            return bad_type(m, field, e, "strings and entity objects");
        }
    }
    return VIGIL_OK;
}

static int text_parse(vigil_tg_msg *m, json_t *msg)
{
    json_t *text = json_object_get(msg, "text");
    json_t *ents = json_object_get(msg, "text_entities");
    int rc;

    if (ents && !json_is_array(ents))
        return bad_type(m, "text_entities", ents, "an array");
    if (text && json_is_string(text)) {
        if ((rc = text_add(m, json_string_value(text),
                           json_string_length(text))) < 0)
            return rc;
        /* A plain string carries no links: take them from text_entities. */
        return ents ? entities_add(m, ents, "text_entities", 0) : VIGIL_OK;
    }
    if (text && json_is_array(text))
        return entities_add(m, text, "text", 1);
    if (text && !json_is_null(text))
        return bad_type(m, "text", text, "a string or an array");
    return ents ? entities_add(m, ents, "text_entities", 1) : VIGIL_OK;
}

/* URL buttons under inline_bot_buttons: rows of {type, text, data}. */
static int buttons_parse(vigil_tg_msg *m, json_t *msg)
{
    json_t *rows = json_object_get(msg, "inline_bot_buttons"), *row, *b;
    size_t i, j;
    int rc;

    if (!json_is_array(rows))
        return VIGIL_OK;
    json_array_foreach(rows, i, row) {
        if (!json_is_array(row))
            continue;
        json_array_foreach(row, j, b) {
            json_t *ty = json_object_get(b, "type"), *d = json_object_get(b, "data");

            if (json_is_string(ty) && strcmp(json_string_value(ty), "url") == 0 &&
                json_is_string(d) &&
                (rc = url_add(m, json_string_value(d), json_string_length(d))) < 0)
                return rc;
        }
    }
    return VIGIL_OK;
}

static vigil_item_kind kind_of_file(const char *media_type)
{
    if (!media_type)
        return VIGIL_KIND_FILE;
    if (strcmp(media_type, "sticker") == 0)
        return VIGIL_KIND_STICKER;
    if (strcmp(media_type, "video_file") == 0 ||
        strcmp(media_type, "video_message") == 0)
        return VIGIL_KIND_VIDEO;
    if (strcmp(media_type, "voice_message") == 0 ||
        strcmp(media_type, "audio_file") == 0)
        return VIGIL_KIND_AUDIO;
    if (strcmp(media_type, "animation") == 0)
        return VIGIL_KIND_ANIMATION;
    return VIGIL_KIND_FILE;
}

static int media_parse(vigil_tg_msg *m, json_t *msg)
{
    const char *photo, *file, *media_type;
    json_t *sz;
    int rc;

    if ((rc = get_str(m, msg, "photo", &photo)) < 0 ||
        (rc = get_str(m, msg, "file", &file)) < 0 ||
        (rc = get_str(m, msg, "media_type", &media_type)) < 0 ||
        (rc = get_str(m, msg, "mime_type", &m->mime)) < 0)
        return rc;
    m->kind = VIGIL_KIND_TEXT;
    if (photo) {
        m->kind = VIGIL_KIND_PHOTO;
        m->media = photo;
        sz = json_object_get(msg, "photo_file_size");
    } else if (file) {
        m->kind = kind_of_file(media_type);
        m->media = file;
        sz = json_object_get(msg, "file_size");
    } else {
        return VIGIL_OK;
    }
    if (json_is_integer(sz) && json_integer_value(sz) >= 0)
        m->media_size = (int64_t)json_integer_value(sz);
    return VIGIL_OK;
}

static void msg_reset(vigil_tg_msg *m)
{
    size_t i;
    vgu_buf text = m->text;
    char **urls = m->urls;
    size_t cap = m->cap_urls;

    for (i = 0; i < m->n_urls; i++)
        vigil__free(m->urls[i]);
    vgu_buf_clear(&text);
    memset(m, 0, sizeof(*m));
    m->text = text;
    m->text.max = (size_t)64 << 20;
    m->urls = urls;
    m->cap_urls = cap;
    m->date = m->edited = VIGIL_TIME_UNKNOWN;
    m->media_size = -1;
}

static int id_parse(vigil_tg_msg *m, json_t *msg)
{
    json_t *id = json_object_get(msg, "id");

    if (json_is_integer(id)) {
        snprintf(m->id, sizeof(m->id), "%lld",
                 (long long)json_integer_value(id));
        return VIGIL_OK;
    }
    if (json_is_string(id)) {      /* tolerated: digits in a string */
        const char *s = json_string_value(id);
        size_t n = json_string_length(id), i;

        for (i = 0; i < n; i++)
            if (!((s[i] >= '0' && s[i] <= '9') || (i == 0 && s[i] == '-')))
                break;
        if (n && i == n && n < sizeof(m->id)) {
            memcpy(m->id, s, n + 1);
            return VIGIL_OK;
        }
    }
    return vigil_error_set(VIGIL_EFORMAT, "message without a valid 'id' "
                           "(found %s)", id ? json_type_name(id) : "none");
}

int vigil_tg_msg_parse(vigil_tg_msg *m, json_t *msg)
{
    const char *type;
    json_t *fwd, *reply;
    int rc;

    msg_reset(m);
    if ((rc = id_parse(m, msg)) < 0 || (rc = get_str(m, msg, "type", &type)) < 0)
        return rc;
    if (type && strcmp(type, "unsupported") == 0) {
        m->is_unsupported = 1;
        return VIGIL_OK;
    }
    m->is_service = type && strcmp(type, "service") == 0;
    if ((rc = get_unixtime(m, msg, "date_unixtime", &m->date)) < 0 ||
        (rc = get_unixtime(m, msg, "edited_unixtime", &m->edited)) < 0 ||
        (rc = get_str(m, msg, "from", &m->from)) < 0)
        return rc;
    if (m->date == VIGIL_TIME_UNKNOWN) {
        if ((rc = get_str(m, msg, "date", &m->date_local)) < 0)
            return rc;
        m->date = parse_local_date(m->date_local);
    }
    if (m->edited == VIGIL_TIME_UNKNOWN) {
        const char *ed;
        if ((rc = get_str(m, msg, "edited", &ed)) < 0)
            return rc;
        m->edited = parse_local_date(ed);
    }
    if ((fwd = json_object_get(msg, "forwarded_from")) != NULL) {
        m->is_forward = 1;
        if (!json_is_null(fwd) && !json_is_string(fwd))
            return bad_type(m, "forwarded_from", fwd, "a string or null");
        m->forwarded_from = json_string_value(fwd);
    }
    reply = json_object_get(msg, "reply_to_message_id");
    if (reply && !json_is_integer(reply))
        return bad_type(m, "reply_to_message_id", reply, "an integer");
    m->reply_to = reply ? (int64_t)json_integer_value(reply) : 0;
    if (m->is_service) {
        if ((rc = get_str(m, msg, "action", &m->action)) < 0 ||
            (rc = get_str(m, msg, "actor", &m->actor)) < 0 ||
            (rc = get_str(m, msg, "title", &m->title)) < 0)
            return rc;
        return VIGIL_OK;
    }
    if ((rc = text_parse(m, msg)) < 0 || (rc = buttons_parse(m, msg)) < 0)
        return rc;
    return media_parse(m, msg);
}

void vigil_tg_msg_dispose(vigil_tg_msg *m)
{
    size_t i;

    for (i = 0; i < m->n_urls; i++)
        vigil__free(m->urls[i]);
    vigil__free(m->urls);
    vgu_buf_dispose(&m->text);
    m->urls = NULL;
    m->n_urls = m->cap_urls = 0;
}

int vigil_tg_media_is_placeholder(const char *media)
{
    size_t n = media ? strlen(media) : 0;

    return n > 2 && media[0] == '(' && media[n - 1] == ')';
}
