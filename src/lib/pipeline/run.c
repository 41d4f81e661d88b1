/*
 * pipeline/run.c - the parts of an ingest run every reader shares (see
 * run.h): media inside the root only, digests, counters, batching.
 */
#define VIGIL_MODULE "ingest"
#include "pipeline/run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/error.h"
#include "store/store_internal.h"
#include "text/langid_internal.h"
#include "vigil/text.h"

void vigil__run_report(struct vigil__run *r, uint64_t offset, const char *id,
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

void vigil__run_report_last(struct vigil__run *r, uint64_t offset,
                            const char *id)
{
    const vigil_error *e = vigil_error_last();

    vigil__run_report(r, offset, id, e ? e->message : "error");
}

static int run_root(struct vigil__run *r)
{
    struct stat sb;
    char *slash;

    if (stat(r->file, &sb) != 0)
        return vigil_error_set(VIGIL_EIO, "%s: %s", r->file, strerror(errno));
    r->file_size = (uint64_t)sb.st_size;
    if (!realpath(r->file, r->resolved))
        return vigil_error_set(VIGIL_EIO, "%s: %s", r->file, strerror(errno));
    slash = strrchr(r->resolved, '/');
    if (slash == r->resolved)
        slash++;                 /* a file in "/" */
    *slash = '\0';
    memcpy(r->root, r->resolved, (size_t)(slash - r->resolved) + 1);
    r->root_len = strlen(r->root);
    return VIGIL_OK;
}

int vigil__run_begin(struct vigil__run *r, vigil_store *st, const char *kind,
                     const char *file, const vigil_ingest_options *opts,
                     vigil_run_counts *counts)
{
    int rc;

    r->st = st;
    r->opts = opts;
    r->c = counts;
    r->batch = opts->batch_size ? opts->batch_size : VIGIL_RUN_DEFAULT_BATCH;
    if ((size_t)snprintf(r->file, sizeof(r->file), "%s", file) >=
        sizeof(r->file))
        return vigil_error_set(VIGIL_ELIMIT, "%s: path too long", file);
    if ((rc = run_root(r)) < 0 ||
        (rc = vigil_store_run_begin(st, kind, r->file, &r->run_id)) < 0)
        return rc;
    return vigil_store_begin(st);
}

int vigil__run_end(struct vigil__run *r, int rc, uint64_t bytes_read)
{
    vigil_run_counts *c = r->c;
    char errmsg[1200] = "";
    int rc2;

    if (rc < 0) {
        const vigil_error *e = vigil_error_last();
        snprintf(errmsg, sizeof(errmsg), "%s", e ? e->message : "error");
    }
    /* Keep everything read before a fatal error: write the queued items
     * (those before a bad one), commit, then report. */
    if ((rc2 = vigil__store_item_flush(r->st)) < 0 && rc == VIGIL_OK) {
        rc = rc2;
        snprintf(errmsg, sizeof(errmsg), "%s", vigil_error_last()->message);
    }
    if ((rc2 = vigil_store_commit(r->st)) < 0) {
        vigil_store_rollback(r->st);
        if (rc == VIGIL_OK) {
            rc = rc2;
            snprintf(errmsg, sizeof(errmsg), "%s", vigil_error_last()->message);
        }
    }
    if (r->opts->progress)
        r->opts->progress(c->messages, bytes_read, r->file_size,
                          r->opts->payload);
    if (rc == VIGIL_OK && (c->rejected || c->media_missing ||
                           c->media_refused)) {
        rc = vigil_error_set(VIGIL_EFORMAT, "%s: %llu messages refused, %llu "
                             "media files missing, %llu media paths refused",
                             r->file, (unsigned long long)c->rejected,
                             (unsigned long long)c->media_missing,
                             (unsigned long long)c->media_refused);
        snprintf(errmsg, sizeof(errmsg), "%s", vigil_error_last()->message);
    }
    vigil_store_run_end(r->st, r->run_id, rc == VIGIL_OK ? "ok" :
                        c->messages ? "partial" : "failed", c,
                        errmsg[0] ? errmsg : NULL);
    if (rc < 0)     /* run_end may have touched the error state */
        vigil_error_set(rc, "%s", errmsg);
    return rc;
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

static void media_problem(struct vigil__run *r, vigil_item *it,
                          vigil_media_state state, const char *note,
                          const char *media, const char *id, uint64_t offset)
{
    char msg[PATH_MAX + 128];

    it->media_state = state;
    it->media_note = note;
    if (state == VIGIL_MEDIA_REFUSED)
        r->c->media_refused++;
    else
        r->c->media_missing++;
    snprintf(msg, sizeof(msg), "%s: '%s'", note, media);
    vigil__run_report(r, offset, id, msg);
}

void vigil__run_media(struct vigil__run *r, vigil_item *it, const char *media,
                      const char *id, uint64_t offset)
{
    char joined[PATH_MAX * 2];
    const char *why;
    vigil_digests d;

    it->media_path = media;
    if ((why = path_refusal(media)) != NULL) {
        media_problem(r, it, VIGIL_MEDIA_REFUSED, why, media, id, offset);
        return;
    }
    snprintf(joined, sizeof(joined), "%s/%s", r->root, media);
    if (!realpath(joined, r->resolved)) {
        media_problem(r, it, VIGIL_MEDIA_MISSING, "media file missing", media,
                      id, offset);
        return;
    }
    if (strncmp(r->resolved, r->root, r->root_len) != 0 ||
        (r->resolved[r->root_len] != '/' && r->root[r->root_len - 1] != '/')) {
        media_problem(r, it, VIGIL_MEDIA_REFUSED,
                      "media path leaves the export folder", media, id, offset);
        return;
    }
    it->media_path = r->resolved;
    if (!r->opts->skip_media_digests) {
        if (vigil_digest_file(&d, r->resolved) < 0) {
            media_problem(r, it, VIGIL_MEDIA_MISSING, "media file unreadable",
                          media, id, offset);
            return;
        }
        vigil_hex_encode(r->sha, d.sha256, VIGIL_SHA256_LEN);
        vigil_hex_encode(r->md5, d.md5, VIGIL_MD5_LEN);
        it->sha256 = r->sha;
        it->md5 = r->md5;
        it->media_size = (int64_t)d.size;
    }
    it->media_state = VIGIL_MEDIA_PRESENT;
    r->c->media_present++;
}

int vigil__run_store_item(struct vigil__run *r, const vigil_item *it)
{
    vigil_langid_guess g;
    vigil_item copy;

    /* Written 64 at a time (one multi-row INSERT); counted when written. */
    if (!r->label || !it->text || it->text_len > VIGIL_TEXT_MAX_BYTES)
        return vigil__store_item_queue(r->st, it, r->c);
    /* the label triage would store (triage.c identify(), triage_store.c):
     * a language replaces the item's, "und" only fills an empty one */
    copy = *it;
    if (vigil__langid_best(r->label, &g, it->text, it->text_len) == VIGIL_OK &&
        memcmp(g.label, "und", 4) != 0) {
        memcpy(r->lang, g.label, sizeof(r->lang));
        copy.lang = r->lang;
    } else if (!copy.lang) {
        copy.lang = "und";
    }
    return vigil__store_item_queue(r->st, &copy, r->c);
}

int vigil__run_tick(struct vigil__run *r, uint64_t offset)
{
    int rc;

    if (++r->in_batch >= r->batch) {
        if ((rc = vigil_store_commit(r->st)) < 0 ||
            (rc = vigil_store_begin(r->st)) < 0)
            return rc;
        r->in_batch = 0;
    }
    if (r->opts->progress && r->c->messages % 1000 == 0)
        r->opts->progress(r->c->messages, offset, r->file_size,
                          r->opts->payload);
    return VIGIL_OK;
}
