/*
 * pipeline/ingest_jsonl.c - a vigil.feed/1 JSON Lines feed through the
 * stages: one record per line parsed by jansson (ingest/feed.c), media
 * inside the feed's folder with digests, then the store. A malformed line
 * is refused alone (file:line and reason); the rest is stored.
 */
#define VIGIL_MODULE "ingest"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/error.h"
#include "ingest/feed.h"
#include "pipeline/run.h"

struct feed_run {
    struct vigil__run run;
    char platform[64], account[256];    /* source cached in source_id */
    int64_t source_id;
};

static int source_for(struct feed_run *f, const vigil_feed_post *p)
{
    char handle[300];
    vigil_source src = { 0 };

    if (f->source_id && strcmp(f->platform, p->platform) == 0 &&
        strcmp(f->account, p->account) == 0)
        return VIGIL_OK;
    snprintf(f->platform, sizeof(f->platform), "%s", p->platform);
    snprintf(f->account, sizeof(f->account), "%s", p->account);
    snprintf(handle, sizeof(handle), "@%s", p->account);
    src.platform = p->platform;
    src.external_id = p->account;
    src.handle = handle;
    src.title = p->account_name;
    return vigil_store_source_upsert(f->run.st, &src, &f->source_id);
}

/* One item per attachment (the first keeps the post id), or one text item. */
static int store_post(struct feed_run *f, const vigil_feed_post *p,
                      uint64_t offset)
{
    const char *urls[VIGIL_FEED_MAX_URLS + 1];
    char ext[300];
    size_t i, n = p->n_media ? p->n_media : 1;
    int rc;

    for (i = 0; i < n; i++) {
        vigil_item it = { 0 };
        size_t nu = p->n_urls;

        memcpy(urls, p->urls, p->n_urls * sizeof(urls[0]));
        it.source_id = f->source_id;
        it.external_id = p->id;
        if (i > 0) {
            snprintf(ext, sizeof(ext), "%s#%zu", p->id, i + 1);
            it.external_id = ext;
        }
        it.posted_at = p->posted_at;
        it.edited_at = p->edited_at;
        it.text = p->text;
        it.text_len = p->text_len;
        it.author = p->account_name;
        it.is_forward = p->is_forward;
        it.forwarded_from = p->forwarded_from;
        it.media_size = -1;
        if (p->n_media) {
            const vigil_feed_media *m = &p->media[i];

            it.kind = m->kind;
            it.mime_type = m->mime;
            it.media_size = m->size;
            if (m->path) {
                vigil__run_media(&f->run, &it, m->path, p->id, offset);
            } else {
                it.media_state = VIGIL_MEDIA_SKIPPED;
                it.media_note = "not downloaded by the collector";
                it.media_path = m->url;
                f->run.c->media_skipped++;
                if (m->url && nu < VIGIL_FEED_MAX_URLS + 1)
                    urls[nu++] = m->url;
            }
        }
        it.urls = urls;
        it.n_urls = nu;
        if ((rc = vigil__run_store_item(&f->run, &it)) < 0)
            return rc;
    }
    return VIGIL_OK;
}

static void refuse(struct feed_run *f, uint64_t line, uint64_t offset,
                   const char *id, const char *why)
{
    char msg[600];

    f->run.c->rejected++;
    snprintf(msg, sizeof(msg), "line %llu: record refused: %s",
             (unsigned long long)line, why);
    vigil__run_report(&f->run, offset, id, msg);
}

static int read_feed(struct feed_run *f, FILE *in, uint64_t *bytes)
{
    size_t max = f->run.opts->max_message_bytes ?
                 f->run.opts->max_message_bytes : ((size_t)64 << 20);
    char *line = NULL;
    size_t cap = 0;
    uint64_t lineno = 0, offset = 0;
    ssize_t n;
    int rc = VIGIL_OK;

    while ((n = getline(&line, &cap, in)) >= 0) {
        vigil_feed_post p;
        json_error_t jerr;
        json_t *o;
        size_t len = (size_t)n;
        uint64_t here = offset;

        lineno++;
        offset += (uint64_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        f->run.c->messages++;
        if (len > max) {
            refuse(f, lineno, here, NULL, "line over the size limit");
            continue;
        }
        if ((o = json_loadb(line, len, 0, &jerr)) == NULL) {
            refuse(f, lineno, here, NULL, jerr.text);
            continue;
        }
        if (vigil_feed_post_read(&p, o) < 0) {
            const char *id = json_string_value(json_object_get(o, "id"));
            refuse(f, lineno, here, id, vigil_error_last()->message);
        } else if ((rc = source_for(f, &p)) < 0 ||
                   (rc = store_post(f, &p, here)) < 0 ||
                   (rc = vigil__run_tick(&f->run, offset)) < 0) {
            json_decref(o);
            break;
        }
        json_decref(o);
    }
    if (rc == VIGIL_OK && ferror(in))
        rc = vigil_error_set(VIGIL_EIO, "%s: read: %s", f->run.file,
                             strerror(errno));
    free(line);                 /* getline's buffer */
    *bytes = offset;
    return rc;
}

int vigil_ingest_jsonl(vigil_store *st, const char *path,
                       const vigil_ingest_options *opts,
                       vigil_run_counts *counts)
{
    return vigil__ingest_jsonl(st, path, opts, counts, NULL);
}

int vigil__ingest_jsonl(vigil_store *st, const char *path,
                        const vigil_ingest_options *opts,
                        vigil_run_counts *counts, vigil_langid_cache *label)
{
    static const vigil_ingest_options defaults = VIGIL_INGEST_OPTIONS_INIT;
    vigil_run_counts local;
    struct feed_run *f;
    uint64_t bytes = 0;
    FILE *in;
    int rc;

    VIGIL_ASSERT_ARG(st && path);
    if (!counts)
        counts = &local;
    memset(counts, 0, sizeof(*counts));
    if ((in = fopen(path, "rb")) == NULL)
        return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
    if ((f = vigil__calloc(1, sizeof(*f))) == NULL) {
        fclose(in);
        return VIGIL_ENOMEM;
    }
    f->run.label = label;
    if ((rc = vigil__run_begin(&f->run, st, "jsonl", path,
                               opts ? opts : &defaults, counts)) == 0) {
        rc = read_feed(f, in, &bytes);
        rc = vigil__run_end(&f->run, rc, bytes);
    }
    vigil__free(f);
    fclose(in);
    return rc;
}
