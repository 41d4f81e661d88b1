/*
 * pipeline/ingest.c - picks the reader for a path (Telegram export folder
 * or file, JSON Lines feed, or a folder of feeds) and sums the counts.
 */
#define VIGIL_MODULE "ingest"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bank/bank_internal.h"
#include "common/alloc.h"
#include "common/error.h"
#include "pipeline/run.h"
#include "text/text_internal.h"
#include "vigil/ingest.h"
#include "vigil/match.h"
#include "vigil/text.h"

const char *vigil_ingest_format_name(vigil_ingest_format f)
{
    switch (f) {
    case VIGIL_INGEST_AUTO:     return "auto";
    case VIGIL_INGEST_TELEGRAM: return "telegram";
    case VIGIL_INGEST_JSONL:    return "jsonl";
    }
    return NULL;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);

    return n >= m && strcmp(s + n - m, suf) == 0;
}

static int is_feed_name(const char *s)
{
    return has_suffix(s, ".jsonl") || has_suffix(s, ".ndjson");
}

static void counts_add(vigil_run_counts *a, const vigil_run_counts *b)
{
    a->messages += b->messages;
    a->added += b->added;
    a->updated += b->updated;
    a->unchanged += b->unchanged;
    a->events += b->events;
    a->media_present += b->media_present;
    a->media_skipped += b->media_skipped;
    a->media_missing += b->media_missing;
    a->media_refused += b->media_refused;
    a->rejected += b->rejected;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every feed file directly inside @p dir, in name order. */
static int ingest_feed_dir(vigil_store *st, const char *dir,
                           const vigil_ingest_options *opts,
                           vigil_run_counts *total, vigil_langid_cache *label)
{
    DIR *d;
    struct dirent *e;
    char **names = NULL, path[PATH_MAX];
    size_t n = 0, cap = 0, i;
    int rc = VIGIL_OK, first = VIGIL_OK;

    if ((d = opendir(dir)) == NULL)
        return vigil_error_set(VIGIL_EIO, "%s: %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !is_feed_name(e->d_name))
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            char **nv = vigil__realloc(names, ncap * sizeof(*nv));
            if (!nv) {
                rc = VIGIL_ENOMEM;
                break;
            }
            names = nv;
            cap = ncap;
        }
        if ((names[n] = vigil__strdup(e->d_name)) == NULL) {
            rc = VIGIL_ENOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == VIGIL_OK && n == 0)
        rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: no result.json and no "
                             ".jsonl feed in this folder", dir);
    if (rc == VIGIL_OK)
        qsort(names, n, sizeof(*names), cmp_names);
    for (i = 0; rc == VIGIL_OK && i < n; i++) {
        vigil_run_counts c;
        int frc;

        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        frc = vigil__ingest_jsonl(st, path, opts, &c, label);
        counts_add(total, &c);
        if (frc < 0 && first == VIGIL_OK)
            first = frc;
        if (frc == VIGIL_ESTORE || frc == VIGIL_ENOMEM)
            rc = frc;           /* the store itself failed: stop */
    }
    for (i = 0; i < n; i++)
        vigil__free(names[i]);
    vigil__free(names);
    return rc < 0 ? rc : first;
}

static int read_path(vigil_store *st, const char *path,
                     vigil_ingest_format format,
                     const vigil_ingest_options *opts,
                     vigil_run_counts *counts, vigil_langid_cache *label)
{
    struct stat sb;
    char rj[PATH_MAX];

    if (format == VIGIL_INGEST_TELEGRAM)
        return vigil__ingest_telegram(st, path, opts, counts, label);
    if (stat(path, &sb) != 0)
        return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
    if (format == VIGIL_INGEST_JSONL)
        return S_ISDIR(sb.st_mode)
                   ? ingest_feed_dir(st, path, opts, counts, label)
                   : vigil__ingest_jsonl(st, path, opts, counts, label);
    if (!S_ISDIR(sb.st_mode))
        return is_feed_name(path)
                   ? vigil__ingest_jsonl(st, path, opts, counts, label)
                   : vigil__ingest_telegram(st, path, opts, counts, label);
    snprintf(rj, sizeof(rj), "%s/result.json", path);
    if (stat(rj, &sb) == 0)
        return vigil__ingest_telegram(st, path, opts, counts, label);
    return ingest_feed_dir(st, path, opts, counts, label);
}

/*
 * Detection over the items a read added (ids above @p before) and those it
 * updated (updated at or after @p started: an edit that adds a wallet or
 * a name, media a later export brought): bank matching, then text triage.
 * A failure here is reported but does not undo the ingest; the stage can
 * be re-run (`vigil rematch`).
 */
static int detect(vigil_store *st, int64_t before, int64_t started,
                  const vigil_ingest_options *opts, vigil_run_counts *counts)
{
    const unsigned what = VIGIL_TRIAGE_WATCHLIST | VIGIL_TRIAGE_INDICATORS;
    vigil_match_options mo = VIGIL_MATCH_OPTIONS_INIT;
    int rc = VIGIL_OK;
    uint64_t n = 0;

    if (!opts->skip_match) {
        mo.index_path = opts->match_index;
        rc = vigil__match_items_since(st, before + 1,
                                      counts->updated > 0 ? started : 0, &mo,
                                      &counts->matched);
    }
    if (opts->skip_triage)
        return rc;
    /* the readers stored each item's language label already */
    if (rc == VIGIL_OK && counts->added > 0)
        rc = vigil__triage_store_range(st, before + 1, INT64_MAX, 0, what,
                                       &counts->triaged);
    if (rc == VIGIL_OK && counts->updated > 0 &&
        (rc = vigil__triage_store_range(st, 1, before, started, what, &n)) == VIGIL_OK)
        counts->triaged += n;
    return rc;
}

int vigil_ingest_path(vigil_store *st, const char *path,
                      vigil_ingest_format format,
                      const vigil_ingest_options *opts,
                      vigil_run_counts *counts)
{
    static const vigil_ingest_options defaults = VIGIL_INGEST_OPTIONS_INIT;
    vigil_run_counts local;
    vigil_langid_cache *label = NULL;
    int64_t before = 0, started = (int64_t)time(NULL);
    int rc, rc2;

    VIGIL_ASSERT_ARG(st && path);
    if (!opts)
        opts = &defaults;
    if (!counts)
        counts = &local;
    memset(counts, 0, sizeof(*counts));
    if ((rc = vigil_store_item_max_id(st, &before)) < 0)
        return rc;
    /* with triage on, the readers label each item's language as they
     * store it (one row write, not an update after) */
    if (!opts->skip_triage && (rc = vigil_langid_cache_new(&label)) < 0)
        return rc;
    rc = read_path(st, path, format, opts, counts, label);
    vigil_langid_cache_free(label);
    if (rc == VIGIL_ESTORE || rc == VIGIL_ENOMEM ||
        (counts->added == 0 && counts->updated == 0))
        return rc;
    {
        char keep[1024] = "";
        const vigil_error *e = vigil_error_last();

        if (rc < 0 && e)        /* the read's error outranks detection's */
            snprintf(keep, sizeof(keep), "%s", e->message);
        rc2 = detect(st, before, started, opts, counts);
        if (rc < 0)
            vigil_error_set(rc, "%s", keep);
        else
            rc = rc2;
    }
    return rc;
}
