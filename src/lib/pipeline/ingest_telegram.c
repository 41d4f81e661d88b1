/*
 * pipeline/ingest_telegram.c - runs a Telegram Desktop export through the
 * stages: the streaming reader (ingest/telegram.c), field extraction,
 * media resolution inside the export root and digests, then the store in
 * one transaction per batch.
 */
#define VIGIL_MODULE "ingest"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/alloc.h"
#include "common/error.h"
#include "ingest/telegram.h"
#include "vigil/digest.h"
#include "vigil/ingest.h"

#define DEFAULT_BATCH 10000

struct tg_run {
    vigil_store *st;
    const vigil_ingest_options *opts;
    const char *file;            /* result.json */
    char root[PATH_MAX];         /* real path of the export folder */
    size_t root_len;
    vigil_run_counts *c;
    uint64_t dialog_serial;      /* dialog whose source id is cached */
    int64_t source_id;
    const vigil_tg_msg *msg;     /* the message being stored */
    uint64_t file_size;          /* bytes, for progress */
    size_t batch, in_batch;
    char resolved[PATH_MAX];
    char sha[2 * VIGIL_SHA256_LEN + 1], md5[2 * VIGIL_MD5_LEN + 1];
};

static void report(struct tg_run *r, uint64_t offset, const char *id,
                   const char *text)
{
    vigil_ingest_problem p;

    if (!r->opts->problem)
        return;
    p.path = r->file;
    p.offset = offset;
    p.message_id = id;
    p.text = text;
    r->opts->problem(&p, r->opts->payload);
}

static void report_last(struct tg_run *r, uint64_t offset, const char *id)
{
    const vigil_error *e = vigil_error_last();

    report(r, offset, id, e ? e->message : "error");
}

/* Locate result.json and the export root for a folder or a file path. */
static int find_export(struct tg_run *r, const char *path, char *file,
                       size_t file_cap)
{
    struct stat sb;
    char *slash;

    if (stat(path, &sb) != 0)
        return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode)) {
        if ((size_t)snprintf(file, file_cap, "%s/result.json", path) >= file_cap)
            return vigil_error_set(VIGIL_ELIMIT, "%s: path too long", path);
        if (stat(file, &sb) != 0)
            return vigil_error_set(VIGIL_ENOTFOUND, "%s: no result.json in "
                                   "this folder (not a Telegram export?)", path);
    } else if ((size_t)snprintf(file, file_cap, "%s", path) >= file_cap) {
        return vigil_error_set(VIGIL_ELIMIT, "%s: path too long", path);
    }
    if (!realpath(file, r->resolved))
        return vigil_error_set(VIGIL_EIO, "%s: %s", file, strerror(errno));
    slash = strrchr(r->resolved, '/');
    if (slash == r->resolved)
        slash++;                 /* export at "/" */
    *slash = '\0';
    memcpy(r->root, r->resolved, (size_t)(slash - r->resolved) + 1);
    r->root_len = strlen(r->root);
    return VIGIL_OK;
}

static int file_size_of(const char *file, uint64_t *out)
{
    struct stat sb;

    if (stat(file, &sb) != 0)
        return vigil_error_set(VIGIL_EIO, "%s: %s", file, strerror(errno));
    *out = (uint64_t)sb.st_size;
    return VIGIL_OK;
}

/* A relative path with no ".." component, or a reason it is refused. */
static const char *path_refusal(const char *p)
{
    const char *s = p;

    if (p[0] == '/')
        return "absolute media path refused";
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);

        if (n == 2 && s[0] == '.' && s[1] == '.')
            return "media path with '..' refused";
        s += n;
        if (*s)
            s++;
    }
    return NULL;
}

/* Resolve, check and digest the message's media; fills the item. */
static void media_resolve(struct tg_run *r, vigil_item *it, uint64_t offset)
{
    const char *media = r->msg->media, *why;
    char joined[PATH_MAX * 2], msg[PATH_MAX + 128];
    vigil_digests d;

    if (!media)
        return;
    it->media_path = media;
    if (vigil_tg_media_is_placeholder(media)) {
        it->media_state = VIGIL_MEDIA_SKIPPED;
        it->media_note = media;
        r->c->media_skipped++;
        return;
    }
    if ((why = path_refusal(media)) != NULL) {
        it->media_state = VIGIL_MEDIA_REFUSED;
        it->media_note = why;
        r->c->media_refused++;
        snprintf(msg, sizeof(msg), "%s: '%s'", why, media);
        report(r, offset, r->msg->id, msg);
        return;
    }
    snprintf(joined, sizeof(joined), "%s/%s", r->root, media);
    if (!realpath(joined, r->resolved)) {
        it->media_state = VIGIL_MEDIA_MISSING;
        it->media_note = "media file not found in the export";
        r->c->media_missing++;
        snprintf(msg, sizeof(msg), "media file missing: '%s'", media);
        report(r, offset, r->msg->id, msg);
        return;
    }
    if (strncmp(r->resolved, r->root, r->root_len) != 0 ||
        (r->resolved[r->root_len] != '/' && r->root[r->root_len - 1] != '/')) {
        it->media_state = VIGIL_MEDIA_REFUSED;
        it->media_note = "media path leaves the export folder (symlink)";
        r->c->media_refused++;
        snprintf(msg, sizeof(msg), "media path leaves the export folder: '%s'",
                 media);
        report(r, offset, r->msg->id, msg);
        return;
    }
    it->media_path = r->resolved;
    if (r->opts->skip_media_digests) {
        it->media_state = VIGIL_MEDIA_PRESENT;
        r->c->media_present++;
        return;
    }
    if (vigil_digest_file(&d, r->resolved) < 0) {
        it->media_state = VIGIL_MEDIA_MISSING;
        it->media_note = "media file unreadable";
        r->c->media_missing++;
        report_last(r, offset, r->msg->id);
        return;
    }
    vigil_hex_encode(r->sha, d.sha256, VIGIL_SHA256_LEN);
    vigil_hex_encode(r->md5, d.md5, VIGIL_MD5_LEN);
    it->sha256 = r->sha;
    it->md5 = r->md5;
    it->media_size = (int64_t)d.size;
    it->media_state = VIGIL_MEDIA_PRESENT;
    r->c->media_present++;
}

static int source_for(struct tg_run *r, const vigil_tg_dialog *dlg)
{
    char ext[600];
    vigil_source src = { 0 };

    if (r->source_id && r->dialog_serial == dlg->serial)
        return VIGIL_OK;
    if (dlg->has_id)
        snprintf(ext, sizeof(ext), "%lld", (long long)dlg->id);
    else
        snprintf(ext, sizeof(ext), "name:%s", dlg->name);
    src.platform = "telegram";
    src.external_id = ext;
    src.title = dlg->name[0] ? dlg->name : NULL;
    src.kind = dlg->type[0] ? dlg->type : NULL;
    r->dialog_serial = dlg->serial;
    return vigil_store_source_upsert(r->st, &src, &r->source_id);
}

static int store_message(struct tg_run *r, const vigil_tg_dialog *dlg)
{
    vigil_item it = { 0 };
    vigil_upsert_result res;
    int rc;

    if ((rc = source_for(r, dlg)) < 0)
        return rc;
    if (r->msg->is_service) {
        vigil_event ev = { r->source_id, r->msg->id, r->msg->date,
                           r->msg->action, r->msg->actor, r->msg->title };
        r->c->events++;
        return vigil_store_event_upsert(r->st, &ev);
    }
    it.source_id = r->source_id;
    it.external_id = r->msg->id;
    it.posted_at = r->msg->date;
    it.posted_local = r->msg->date_local;
    it.edited_at = r->msg->edited;
    it.kind = r->msg->kind;
    it.text = r->msg->text;
    it.text_len = r->msg->text_len;
    it.urls = r->msg->urls;
    it.n_urls = r->msg->n_urls;
    it.author = r->msg->from;
    it.forwarded_from = r->msg->forwarded_from;
    it.is_forward = r->msg->is_forward;
    it.reply_to = r->msg->reply_to;
    it.mime_type = r->msg->mime;
    it.media_size = r->msg->media_size;
    media_resolve(r, &it, r->msg->offset);
    if ((rc = vigil_store_item_upsert(r->st, &it, &res, NULL)) < 0)
        return rc;
    if (res == VIGIL_UPSERT_ADDED)
        r->c->added++;
    else if (res == VIGIL_UPSERT_UPDATED)
        r->c->updated++;
    else
        r->c->unchanged++;
    return VIGIL_OK;
}

static int on_message(const vigil_tg_msg *m, const vigil_tg_dialog *d,
                      void *payload)
{
    struct tg_run *r = payload;
    int rc;

    r->c->messages++;
    r->msg = m;
    if (!m->is_unsupported && (rc = store_message(r, d)) < 0)
        return rc;
    if (++r->in_batch >= r->batch) {
        if ((rc = vigil_store_commit(r->st)) < 0 ||
            (rc = vigil_store_begin(r->st)) < 0)
            return rc;
        r->in_batch = 0;
    }
    if (r->opts->progress && r->c->messages % 1000 == 0)
        r->opts->progress(r->c->messages, m->offset, r->file_size,
                          r->opts->payload);
    return VIGIL_OK;
}

static void on_reject(uint64_t offset, const char *id, const char *why,
                      void *payload)
{
    struct tg_run *r = payload;
    char msg[512];

    r->c->messages++;
    r->c->rejected++;
    snprintf(msg, sizeof(msg), "message refused: %s", why);
    report(r, offset, id, msg);
}

int vigil_ingest_telegram(vigil_store *st, const char *path,
                          const vigil_ingest_options *opts,
                          vigil_run_counts *counts)
{
    static const vigil_ingest_options defaults = VIGIL_INGEST_OPTIONS_INIT;
    struct tg_run *r;
    vigil_run_counts local;
    vigil_tg_handler h;
    uint64_t bytes = 0;
    char file[PATH_MAX], errmsg[1200] = "";
    int64_t run_id = 0;
    int rc, rc2;

    VIGIL_ASSERT_ARG(st && path);
    if (!counts)
        counts = &local;
    memset(counts, 0, sizeof(*counts));
    if ((r = vigil__calloc(1, sizeof(*r))) == NULL)
        return VIGIL_ENOMEM;
    r->st = st;
    r->opts = opts ? opts : &defaults;
    r->c = counts;
    r->file = file;
    r->batch = r->opts->batch_size ? r->opts->batch_size : DEFAULT_BATCH;
    h.message = on_message;
    h.reject = on_reject;
    h.payload = r;
    if ((rc = find_export(r, path, file, sizeof(file))) < 0 ||
        (rc = file_size_of(file, &r->file_size)) < 0 ||
        (rc = vigil_store_run_begin(st, "telegram", file, &run_id)) < 0 ||
        (rc = vigil_store_begin(st)) < 0)
        goto out;
    rc = vigil_tg_read_file(file, r->opts->max_message_bytes, &h, &bytes);
    if (rc < 0) {
        const vigil_error *e = vigil_error_last();
        snprintf(errmsg, sizeof(errmsg), "%s", e ? e->message : "error");
    }
    /* Keep everything read before a fatal error: commit, then report. */
    if ((rc2 = vigil_store_commit(st)) < 0) {
        vigil_store_rollback(st);
        if (rc == VIGIL_OK)
            rc = rc2;
    }
    if (r->opts->progress)
        r->opts->progress(counts->messages, bytes, bytes, r->opts->payload);
    if (rc == VIGIL_OK && (counts->rejected || counts->media_missing ||
                           counts->media_refused)) {
        rc = vigil_error_set(VIGIL_EFORMAT, "%s: %llu messages refused, %llu "
                             "media files missing, %llu media paths refused",
                             file, (unsigned long long)counts->rejected,
                             (unsigned long long)counts->media_missing,
                             (unsigned long long)counts->media_refused);
        snprintf(errmsg, sizeof(errmsg), "%s", vigil_error_last()->message);
    }
    vigil_store_run_end(st, run_id, rc == VIGIL_OK ? "ok" :
                        counts->messages ? "partial" : "failed", counts,
                        errmsg[0] ? errmsg : NULL);
    if (rc < 0)     /* run_end may have touched the error state */
        vigil_error_set(rc, "%s", errmsg);
out:
    vigil__free(r);
    return rc;
}
