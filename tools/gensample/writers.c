/*
 * tools/gensample/writers.c - serialise a generated post three ways: as a
 * Telegram Desktop export message (shared/FORMATS.md section 1.2-1.4), as a
 * JSON Lines feed record (docs/formats/jsonl.md) and as a ground-truth line
 * (docs/formats/ground-truth.md).
 */
#include "post.h"

#include <stdlib.h>
#include <string.h>

void gs_post_text(const gs_post *p, vgu_buf *out)
{
    int i;

    vgu_buf_clear(out);
    for (i = 0; i < p->nseg; i++)
        if (vgu_buf_puts(out, p->seg[i].text) < 0)
            gs_die("out of memory");
}

void gs_post_dispose(gs_post *p)
{
    int i;

    for (i = 0; i < p->nseg; i++) {
        free(p->seg[i].text);
        free(p->seg[i].href);
    }
    for (i = 0; i < p->nurl; i++)
        free(p->urls[i]);
    memset(p, 0, sizeof(*p));
}

static void tg_text(gs_json *j, const gs_post *p, vgu_buf *tmp)
{
    int i;

    if (!p->as_array) {
        gs_post_text(p, tmp);
        gs_json_strn(j, "text", tmp->len ? tmp->ptr : "", tmp->len);
    } else {
        gs_json_open(j, "text", '[');
        for (i = 0; i < p->nseg; i++) {
            const gs_seg *s = &p->seg[i];
            if (!s->type) {
                gs_json_str(j, NULL, s->text);
                continue;
            }
            gs_json_open(j, NULL, '{');
            gs_json_str(j, "type", s->type);
            gs_json_str(j, "text", s->text);
            if (s->href)
                gs_json_str(j, "href", s->href);
            gs_json_close(j, '}');
        }
        if (p->trailing_empty)
            gs_json_str(j, NULL, "");
        gs_json_close(j, ']');
    }
    gs_json_open(j, "text_entities", '[');
    for (i = 0; i < p->nseg; i++) {
        const gs_seg *s = &p->seg[i];
        gs_json_open(j, NULL, '{');
        gs_json_str(j, "type", s->type ? s->type : "plain");
        gs_json_str(j, "text", s->text);
        if (s->href)
            gs_json_str(j, "href", s->href);
        gs_json_close(j, '}');
    }
    gs_json_close(j, ']');
}

static void tg_media(gs_json *j, const gs_post *p)
{
    const char *where = p->placeholder ? p->placeholder : p->path;

    if (strcmp(p->kind, "photo") == 0) {
        gs_json_str(j, "photo", where);
        if (!p->placeholder)
            gs_json_int(j, "photo_file_size", (long long)p->size);
        gs_json_int(j, "width", p->width);
        gs_json_int(j, "height", p->height);
        return;
    }
    gs_json_str(j, "file", where);
    if (p->file_name[0])
        gs_json_str(j, "file_name", p->file_name);
    if (!p->placeholder)
        gs_json_int(j, "file_size", (long long)p->size);
    if (p->media_type)
        gs_json_str(j, "media_type", p->media_type);
    gs_json_str(j, "mime_type", p->mime);
    if (p->duration)
        gs_json_int(j, "duration_seconds", p->duration);
}

void gs_tg_message(gs_json *j, const gs_source *src, const gs_post *p)
{
    char when[32], from_id[48];
    vgu_buf tmp = VGU_BUF_INIT;

    snprintf(from_id, sizeof(from_id), "channel%lld", src->chat_id);
    gs_json_open(j, NULL, '{');
    gs_json_int(j, "id", p->id);
    gs_json_str(j, "type", p->action ? "service" : "message");
    gs_fmt_local(when, p->t, src->tz_offset);
    gs_json_str(j, "date", when);
    snprintf(when, sizeof(when), "%lld", (long long)p->t);
    gs_json_str(j, "date_unixtime", when);
    if (p->action) {
        gs_json_str(j, "actor", src->title);
        gs_json_str(j, "actor_id", from_id);
        gs_json_str(j, "action", p->action);
        if (strcmp(p->action, "create_channel") == 0)
            gs_json_str(j, "title", src->title);
        else
            gs_json_int(j, "message_id", p->pin_id);
    } else {
        if (p->edited_t) {
            gs_fmt_local(when, p->edited_t, src->tz_offset);
            gs_json_str(j, "edited", when);
            snprintf(when, sizeof(when), "%lld", (long long)p->edited_t);
            gs_json_str(j, "edited_unixtime", when);
        }
        gs_json_str(j, "from", src->title);
        gs_json_str(j, "from_id", from_id);
        if (p->forwarded)
            gs_json_str(j, "forwarded_from", p->fwd);
        if (strcmp(p->kind, "text") != 0)
            tg_media(j, p);
    }
    tg_text(j, p, &tmp);
    gs_json_close(j, '}');
    vgu_buf_dispose(&tmp);
}

void gs_feed_record(vgu_buf *b, const gs_source *src, const gs_post *p)
{
    gs_json j;
    char when[32], id[32], url[160];
    vgu_buf tmp = VGU_BUF_INIT;
    int i;

    gs_json_init(&j, b, false);
    snprintf(id, sizeof(id), "%lld", p->id);
    gs_json_open(&j, NULL, '{');
    gs_json_str(&j, "schema", "vigil.feed/1");
    gs_json_str(&j, "platform", src->platform);
    gs_json_str(&j, "account", src->handle);
    snprintf(when, sizeof(when), "%lld", src->chat_id);
    gs_json_str(&j, "account_id", when);
    gs_json_str(&j, "account_name", src->title);
    gs_json_str(&j, "id", id);
    snprintf(url, sizeof(url), "https://x.example/%s/status/%s", src->handle, id);
    gs_json_str(&j, "url", url);
    gs_fmt_utc(when, p->t);
    gs_json_str(&j, "posted_at", when);
    if (p->edited_t) {
        gs_fmt_utc(when, p->edited_t);
        gs_json_str(&j, "edited_at", when);
    }
    if (p->forwarded)
        gs_json_str(&j, "forwarded_from", p->fwd);
    gs_post_text(p, &tmp);
    gs_json_strn(&j, "text", tmp.len ? tmp.ptr : "", tmp.len);
    if (p->nurl) {
        gs_json_open(&j, "urls", '[');
        for (i = 0; i < p->nurl; i++)
            gs_json_str(&j, NULL, p->urls[i]);
        gs_json_close(&j, ']');
    }
    if (p->path[0] || p->placeholder) {
        /* media the collector did not download: described, no path */
        gs_json_open(&j, "media", '[');
        gs_json_open(&j, NULL, '{');
        gs_json_str(&j, "type", p->kind);
        if (!p->placeholder)
            gs_json_str(&j, "path", p->path);
        gs_json_str(&j, "mime_type", p->mime);
        if (!p->placeholder)
            gs_json_int(&j, "size", (long long)p->size);
        gs_json_int(&j, "width", p->width);
        gs_json_int(&j, "height", p->height);
        gs_json_close(&j, '}');
        gs_json_close(&j, ']');
    }
    gs_json_close(&j, '}');
    vgu_buf_putc(b, '\n');
    vgu_buf_dispose(&tmp);
}

static void truth_media(gs_json *j, const gs_source *src, const gs_post *p)
{
    char file[512];
    const char *slash = strrchr(src->root, '/');

    if (!p->path[0] && !p->placeholder) {
        gs_json_null(j, "media");
        return;
    }
    gs_json_open(j, "media", '{');
    if (p->placeholder) {
        gs_json_str(j, "status", "skipped");
        gs_json_str(j, "placeholder", p->placeholder);
    } else {
        gs_json_str(j, "status", "present");
        gs_json_str(j, "path", p->path);
        /* the export root is the folder of result.json / feed.jsonl */
        if (slash && strchr(src->root, '.'))
            snprintf(file, sizeof(file), "%.*s/%s", (int)(slash - src->root), src->root,
                     p->path);
        else
            snprintf(file, sizeof(file), "%s/%s", src->root, p->path);
        gs_json_str(j, "file", file);
        gs_json_int(j, "size", (long long)p->size);
        gs_json_str(j, "sha256", p->sha256);
    }
    gs_json_str(j, "mime_type", p->mime);
    if (p->group >= 0) {
        char g[16];
        snprintf(g, sizeof(g), "G%04d", p->group);
        gs_json_str(j, "photo_group", g);
        gs_json_str(j, "variant", p->variant);
        gs_json_int(j, "width", p->width);
        gs_json_int(j, "height", p->height);
    }
    gs_json_close(j, '}');
}

void gs_truth_line(vgu_buf *b, const gs_source *src, const gs_post *p,
                   const gs_lang *langs)
{
    gs_json j;
    char buf[64];
    int i;

    gs_json_init(&j, b, false);
    gs_json_open(&j, NULL, '{');
    snprintf(buf, sizeof(buf), "%s:%lld", src->platform, src->chat_id);
    gs_json_str(&j, "source", buf);
    gs_json_str(&j, "platform", src->platform);
    gs_json_str(&j, "channel", src->title);
    gs_json_str(&j, "export", src->root);
    snprintf(buf, sizeof(buf), "%lld", p->id);
    gs_json_str(&j, "message_id", buf);
    gs_json_str(&j, "kind", p->kind);
    gs_json_bool(&j, "item", p->action == NULL);
    if (p->action)
        gs_json_str(&j, "action", p->action);
    gs_json_int(&j, "date_unixtime", p->t);
    gs_fmt_month(buf, p->t);
    gs_json_str(&j, "month", buf);
    gs_json_str(&j, "lang", p->lang >= 0 ? langs[p->lang].label : NULL);
    gs_json_str(&j, "text_form", p->nseg == 0 ? "empty" : p->as_array ? "entities" : "string");
    gs_json_open(&j, "urls", '[');
    for (i = 0; i < p->nurl; i++)
        gs_json_str(&j, NULL, p->urls[i]);
    gs_json_close(&j, ']');
    gs_json_open(&j, "outlets", '[');
    for (i = 0; i < p->noutl; i++) {
        gs_json_open(&j, NULL, '{');
        gs_json_str(&j, "outlet", p->outl[i].outlet);
        gs_json_str(&j, "variant", p->outl[i].variant);
        gs_json_str(&j, "term", p->outl[i].term);
        gs_json_str(&j, "evasion", p->outl[i].evasion);
        gs_json_close(&j, '}');
    }
    gs_json_close(&j, ']');
    gs_json_open(&j, "wallets", '[');
    for (i = 0; i < p->nwal; i++) {
        gs_json_open(&j, NULL, '{');
        gs_json_str(&j, "type", p->wal[i].type);
        gs_json_str(&j, "address", p->wal[i].address);
        gs_json_bool(&j, "valid", p->wal[i].valid);
        gs_json_close(&j, '}');
    }
    gs_json_close(&j, ']');
    truth_media(&j, src, p);
    gs_json_bool(&j, "forwarded", p->forwarded);
    if (p->forwarded)
        gs_json_str(&j, "forwarded_from", p->fwd);
    gs_json_bool(&j, "edited", p->edited_t != 0);
    if (p->edited_t)
        gs_json_int(&j, "edited_unixtime", p->edited_t);
    gs_json_close(&j, '}');
    vgu_buf_putc(b, '\n');
}
