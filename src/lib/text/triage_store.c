/*
 * text/triage_store.c - runs triage over stored items and persists the
 * result: items.lang, watchlist_hits and indicators rows (replaced per
 * item, so re-running gives the same rows). Speaks SQL through the store's
 * statement API only.
 */
#define VIGIL_MODULE "text"
#include "text/text_internal.h"

#include <string.h>

#include "common/alloc.h"
#include "common/error.h"
#include "store/store_internal.h"

#define BATCH 500

struct item_text {
    int64_t id;
    char *text;
    size_t len;
};

enum { Q_DEL_HITS, Q_DEL_INDS, Q_LANG, Q_LANG_UND, Q_HIT, Q_IND,
       Q_ANY_HITS, Q_ANY_INDS, Q__COUNT };

static const char *const q_sql[Q__COUNT] = {
    "DELETE FROM watchlist_hits WHERE item_id = ?",
    "DELETE FROM indicators WHERE item_id = ?",
    "UPDATE items SET lang = ? WHERE id = ?",
    "UPDATE items SET lang = 'und' WHERE id = ? AND lang IS NULL",
    ("INSERT INTO watchlist_hits (item_id, outlet, term, start_byte, end_byte,"
     " weight) VALUES (?, ?, ?, ?, ?, ?)"),
    "INSERT INTO indicators (item_id, type, value, valid) VALUES (?, ?, ?, ?)",
    "SELECT 1 FROM watchlist_hits WHERE item_id BETWEEN ? AND ? LIMIT 1",
    "SELECT 1 FROM indicators WHERE item_id BETWEEN ? AND ? LIMIT 1",
};

struct writer {
    vigil__stmt *q[Q__COUNT];
};

static void writer_dispose(struct writer *w)
{
    int i;

    for (i = 0; i < Q__COUNT; i++)
        vigil__stmt_free(w->q[i]);
}

static int run(vigil__stmt *s)
{
    int rc = vigil__step(s);

    vigil__reset(s);
    return rc < 0 ? rc : VIGIL_OK;
}

/* Whether query @p q (Q_ANY_*) finds a row for an item id in [lo, hi]:
 * 1, 0, or an error. */
static int any_rows(struct writer *w, int q, int64_t lo, int64_t hi)
{
    vigil__stmt *s = w->q[q];
    int rc;

    if ((rc = vigil__bind_int64(s, 1, lo)) < 0 ||
        (rc = vigil__bind_int64(s, 2, hi)) < 0)
        return rc;
    rc = vigil__step(s);
    vigil__reset(s);
    return rc < 0 ? rc : rc == VIGIL_ROW;
}

/* Store item @p id's result, replacing its earlier rows; @p old_hits /
 * @p old_inds say whether it may have any (when its whole batch has none,
 * as on a first run, the per-item deletes are skipped: half the cost of
 * storing a result). */
static int write_item(struct writer *w, int64_t id,
                      const vigil_triage_result *r, int old_hits, int old_inds,
                      unsigned int what)
{
    size_t i;
    int rc;

    if ((old_hits && ((rc = vigil__bind_int64(w->q[Q_DEL_HITS], 1, id)) < 0 ||
                      (rc = run(w->q[Q_DEL_HITS])) < 0)) ||
        (old_inds && ((rc = vigil__bind_int64(w->q[Q_DEL_INDS], 1, id)) < 0 ||
                      (rc = run(w->q[Q_DEL_INDS])) < 0)))
        return rc;
    if (!(what & VIGIL_TRIAGE_LANG)) {
        /* the item was stored with its label */
    } else if (strcmp(r->lang, "und") != 0) {
        if ((rc = vigil__bind_str(w->q[Q_LANG], 1, r->lang)) < 0 ||
            (rc = vigil__bind_int64(w->q[Q_LANG], 2, id)) < 0 ||
            (rc = run(w->q[Q_LANG])) < 0)
            return rc;
    } else if ((rc = vigil__bind_int64(w->q[Q_LANG_UND], 1, id)) < 0 ||
               (rc = run(w->q[Q_LANG_UND])) < 0) {
        return rc;
    }
    for (i = 0; i < r->n_hits; i++) {
        const vigil_hit *h = &r->hits[i];
        vigil__stmt *s = w->q[Q_HIT];
        if ((rc = vigil__bind_int64(s, 1, id)) < 0 ||
            (rc = vigil__bind_str(s, 2, h->outlet)) < 0 ||
            (rc = vigil__bind_str(s, 3, h->term)) < 0 ||
            (rc = vigil__bind_int64(s, 4, (int64_t)h->start)) < 0 ||
            (rc = vigil__bind_int64(s, 5, (int64_t)h->end)) < 0 ||
            (rc = vigil__bind_double(s, 6, h->weight)) < 0 ||
            (rc = run(s)) < 0)
            return rc;
    }
    for (i = 0; i < r->n_indicators; i++) {
        const vigil_indicator *d = &r->indicators[i];
        vigil__stmt *s = w->q[Q_IND];
        if ((rc = vigil__bind_int64(s, 1, id)) < 0 ||
            (rc = vigil__bind_str(s, 2, vigil_indicator_type_name(d->type)))
                < 0 ||
            (rc = vigil__bind_str(s, 3, d->value)) < 0 ||
            (rc = d->valid == VIGIL_VALID_UNCHECKED
                      ? vigil__bind_null(s, 4)
                      : vigil__bind_int64(s, 4, d->valid == VIGIL_VALID_YES))
                < 0 ||
            (rc = run(s)) < 0)
            return rc;
    }
    return VIGIL_OK;
}

static void batch_dispose(struct item_text *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        vigil__free(b[i].text);
}

/* The items a pass reads: ids in [min, max], updated at or after
 * @p updated_since when that is not 0. */
struct item_range {
    int64_t min, max, updated_since;
};

/* Read up to BATCH items of @p r with id >= @p next; *n_out = 0 at the
 * end. */
static int read_batch(struct item_text *b, size_t *n_out, vigil_store *st,
                      int64_t next, const struct item_range *r)
{
    vigil__stmt *s;
    size_t n = 0;
    int rc;

    *n_out = 0;
    if ((rc = vigil__stmt_new(&s, st, r->updated_since == 0
             ? "SELECT id, text FROM items WHERE id >= ? AND id <= ?"
               " AND text IS NOT NULL ORDER BY id LIMIT 500"
             : "SELECT id, text FROM items WHERE id >= ? AND id <= ?"
               " AND text IS NOT NULL AND updated_at >= ? ORDER BY id LIMIT 500")) < 0)
        return rc;
    if ((rc = vigil__bind_int64(s, 1, next)) < 0 ||
        (rc = vigil__bind_int64(s, 2, r->max)) < 0 ||
        (r->updated_since && (rc = vigil__bind_int64(s, 3, r->updated_since)) < 0))
        goto out;
    while ((rc = vigil__step(s)) == VIGIL_ROW) {
        size_t len;
        const char *t = vigil__col_text(s, 1, &len);

        b[n].id = vigil__col_int64(s, 0);
        b[n].len = len;
        if ((b[n].text = vigil__strndup(t ? t : "", t ? len : 0)) == NULL) {
            rc = VIGIL_ENOMEM;
            break;
        }
        n++;
    }
out:
    vigil__stmt_free(s);
    *n_out = n;
    return rc < 0 ? rc : VIGIL_OK;
}

static int triage_batch(vigil_triage *t, struct writer *w, vigil_store *st,
                        const struct item_text *b, size_t n, unsigned int what)
{
    size_t i;
    int rc, old_hits, old_inds;

    if ((rc = vigil_store_begin(st)) < 0)
        return rc;
    /* no rows for any item in [b[0].id, b[n-1].id]: none for the batch's
     * items either, so their deletes can go (a first run) */
    if ((old_hits = any_rows(w, Q_ANY_HITS, b[0].id, b[n - 1].id)) < 0 ||
        (old_inds = any_rows(w, Q_ANY_INDS, b[0].id, b[n - 1].id)) < 0) {
        vigil_store_rollback(st);
        return old_hits < 0 ? old_hits : old_inds;
    }
    for (i = 0; i < n; i++) {
        const vigil_triage_result *r;
        if ((rc = vigil_triage_scan(&r, t, b[i].text, b[i].len, what)) < 0 ||
            (rc = write_item(w, b[i].id, r, old_hits, old_inds, what)) < 0) {
            vigil_store_rollback(st);
            return rc;
        }
    }
    return vigil_store_commit(st);
}

/* Items with text and id >= @p min (for progress): *out, or an error. */
static int count_items(vigil_store *st, int64_t min, uint64_t *out)
{
    vigil__stmt *s;
    int rc;

    *out = 0;
    if ((rc = vigil__stmt_new(&s, st, "SELECT count(*) FROM items WHERE id >= ?"
                                      " AND text IS NOT NULL")) < 0)
        return rc;
    if ((rc = vigil__bind_int64(s, 1, min)) == VIGIL_OK &&
        (rc = vigil__step(s)) == VIGIL_ROW) {
        *out = (uint64_t)vigil__col_int64(s, 0);
        rc = VIGIL_OK;
    }
    vigil__stmt_free(s);
    return rc < 0 ? rc : VIGIL_OK;
}

static int store_items(vigil_triage *t, vigil_store *st,
                       const struct item_range *range, unsigned int what,
                       vigil_triage_progress_fn progress, void *payload,
                       uint64_t *n_out)
{
    struct writer w;
    struct item_text *b;
    uint64_t done = 0, total = 0;
    int64_t next = range->min;
    size_t n, i;
    int rc = VIGIL_OK;

    VIGIL_ASSERT_ARG(t && st);
    if (n_out)
        *n_out = 0;
    if (progress && (rc = count_items(st, range->min, &total)) < 0)
        return rc;
    memset(&w, 0, sizeof(w));
    if ((b = vigil__calloc(BATCH, sizeof(*b))) == NULL)
        return VIGIL_ENOMEM;
    for (i = 0; i < Q__COUNT && rc == VIGIL_OK; i++)
        rc = vigil__stmt_new(&w.q[i], st, q_sql[i]);
    while (rc == VIGIL_OK) {
        if ((rc = read_batch(b, &n, st, next, range)) < 0 || n == 0) {
            batch_dispose(b, n);
            break;
        }
        rc = triage_batch(t, &w, st, b, n, what);
        next = b[n - 1].id + 1;
        batch_dispose(b, n);
        if (rc == VIGIL_OK) {
            done += n;
            if (progress)
                progress(done, total, payload);
        }
    }
    writer_dispose(&w);
    vigil__free(b);
    if (n_out)
        *n_out = done;
    return rc;
}

int vigil_triage_store_items_with(vigil_triage *t, vigil_store *st,
                                  int64_t min_item_id, uint64_t *n_out)
{
    return vigil_triage_store_items_progress(t, st, min_item_id, NULL, NULL,
                                             n_out);
}

int vigil_triage_store_items_progress(vigil_triage *t, vigil_store *st,
                                      int64_t min_item_id,
                                      vigil_triage_progress_fn progress,
                                      void *payload, uint64_t *n_out)
{
    struct item_range r = { min_item_id, INT64_MAX, 0 };

    return store_items(t, st, &r, VIGIL_TRIAGE_ALL, progress, payload, n_out);
}

int vigil__triage_store_range(vigil_store *st, int64_t min_item_id,
                              int64_t max_item_id, int64_t updated_since,
                              unsigned int what, uint64_t *n_out)
{
    struct item_range r = { min_item_id, max_item_id, updated_since };
    vigil_triage *t;
    int rc;

    VIGIL_ASSERT_ARG(st);
    if ((rc = vigil_triage_new(&t, NULL)) < 0)
        return rc;
    rc = store_items(t, st, &r, what, NULL, NULL, n_out);
    vigil_triage_free(t);
    return rc;
}

int vigil_triage_store_items(vigil_store *st, int64_t min_item_id,
                             uint64_t *n_out)
{
    return vigil__triage_store_range(st, min_item_id, INT64_MAX, 0,
                                     VIGIL_TRIAGE_ALL, n_out);
}
