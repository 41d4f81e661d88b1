/*
 * pipeline/ingest_telegram.c - a Telegram Desktop export through the
 * stages: the streaming reader (ingest/telegram.c), media inside the
 * export root with digests (pipeline/run.c), then the store.
 */
#define VIGIL_MODULE "ingest"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/alloc.h"
#include "common/error.h"
#include "ingest/telegram.h"
#include "pipeline/run.h"

struct tg_run {
    struct vigil__run run;
    uint64_t dialog_serial;      /* dialog whose source id is cached */
    int64_t source_id;
};

/* result.json for a folder, or the path itself for a file. */
static int find_export(const char *path, char *file, size_t cap)
{
    struct stat sb;

    if (stat(path, &sb) != 0)
        return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
    if (!S_ISDIR(sb.st_mode)) {
        if ((size_t)snprintf(file, cap, "%s", path) >= cap)
            return vigil_error_set(VIGIL_ELIMIT, "%s: path too long", path);
        return VIGIL_OK;
    }
    if ((size_t)snprintf(file, cap, "%s/result.json", path) >= cap)
        return vigil_error_set(VIGIL_ELIMIT, "%s: path too long", path);
    if (stat(file, &sb) != 0)
        return vigil_error_set(VIGIL_ENOTFOUND, "%s: no result.json in this "
                               "folder (not a Telegram export?)", path);
    return VIGIL_OK;
}

static int source_for(struct tg_run *t, const vigil_tg_dialog *dlg)
{
    char ext[600];
    vigil_source src = { 0 };

    if (t->source_id && t->dialog_serial == dlg->serial)
        return VIGIL_OK;
    if (dlg->has_id)
        snprintf(ext, sizeof(ext), "%lld", (long long)dlg->id);
    else
        snprintf(ext, sizeof(ext), "name:%s", dlg->name);
    src.platform = "telegram";
    src.external_id = ext;
    src.title = dlg->name[0] ? dlg->name : NULL;
    src.kind = dlg->type[0] ? dlg->type : NULL;
    t->dialog_serial = dlg->serial;
    return vigil_store_source_upsert(t->run.st, &src, &t->source_id);
}

static int store_message(struct tg_run *t, const vigil_tg_msg *m)
{
    vigil_item it = { 0 };

    if (m->is_service) {
        vigil_event ev = { t->source_id, m->id, m->date, m->action,
                           m->actor, m->title };
        t->run.c->events++;
        return vigil_store_event_upsert(t->run.st, &ev);
    }
    it.source_id = t->source_id;
    it.external_id = m->id;
    it.posted_at = m->date;
    it.posted_local = m->date_local;
    it.edited_at = m->edited;
    it.kind = m->kind;
    it.text = m->text;
    it.text_len = m->text_len;
    it.urls = m->urls;
    it.n_urls = m->n_urls;
    it.author = m->from;
    it.forwarded_from = m->forwarded_from;
    it.is_forward = m->is_forward;
    it.reply_to = m->reply_to;
    it.mime_type = m->mime;
    it.media_size = m->media_size;
    if (m->media && vigil_tg_media_is_placeholder(m->media)) {
        it.media_state = VIGIL_MEDIA_SKIPPED;
        it.media_path = it.media_note = m->media;
        t->run.c->media_skipped++;
    } else if (m->media) {
        vigil__run_media(&t->run, &it, m->media, m->id, m->offset);
    }
    return vigil__run_store_item(&t->run, &it);
}

static int on_message(const vigil_tg_msg *m, const vigil_tg_dialog *d,
                      void *payload)
{
    struct tg_run *t = payload;
    int rc;

    t->run.c->messages++;
    if (!m->is_unsupported &&
        ((rc = source_for(t, d)) < 0 || (rc = store_message(t, m)) < 0))
        return rc;
    return vigil__run_tick(&t->run, m->offset);
}

static void on_reject(uint64_t offset, const char *id, const char *why,
                      void *payload)
{
    struct tg_run *t = payload;
    char msg[512];

    t->run.c->messages++;
    t->run.c->rejected++;
    snprintf(msg, sizeof(msg), "message refused: %s", why);
    vigil__run_report(&t->run, offset, id, msg);
}

int vigil_ingest_telegram(vigil_store *st, const char *path,
                          const vigil_ingest_options *opts,
                          vigil_run_counts *counts)
{
    return vigil__ingest_telegram(st, path, opts, counts, NULL);
}

int vigil__ingest_telegram(vigil_store *st, const char *path,
                           const vigil_ingest_options *opts,
                           vigil_run_counts *counts, vigil_langid_cache *label)
{
    static const vigil_ingest_options defaults = VIGIL_INGEST_OPTIONS_INIT;
    vigil_run_counts local;
    vigil_tg_handler h;
    struct tg_run *t;
    char file[PATH_MAX];
    uint64_t bytes = 0;
    int rc;

    VIGIL_ASSERT_ARG(st && path);
    if (!counts)
        counts = &local;
    memset(counts, 0, sizeof(*counts));
    if ((rc = find_export(path, file, sizeof(file))) < 0)
        return rc;
    if ((t = vigil__calloc(1, sizeof(*t))) == NULL)
        return VIGIL_ENOMEM;
    t->run.label = label;
    if ((rc = vigil__run_begin(&t->run, st, "telegram", file,
                               opts ? opts : &defaults, counts)) < 0)
        goto out;
    h.message = on_message;
    h.reject = on_reject;
    h.payload = t;
    rc = vigil_tg_read_file(file, t->run.opts->max_message_bytes, &h, &bytes);
    rc = vigil__run_end(&t->run, rc, bytes);
out:
    vigil__free(t);
    return rc;
}
