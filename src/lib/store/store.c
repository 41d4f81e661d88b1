/*
 * store/store.c - the backend-neutral front end of the vigil database:
 * opening and migrating, and the typed operations on sources, items,
 * events, ingest runs and statistics. Speaks only vigil_store_backend.
 */
#define VIGIL_MODULE "store"
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/alloc.h"
#include "common/error.h"
#include "store/store_internal.h"
#include "util/buf.h"
#include "util/timeutil.h"

enum {
    ST_SOURCE_UPSERT,
    ST_ITEM_INSERT,
    ST_ITEM_UPDATE,
    ST_ITEM_ID,
    ST_EVENT_INSERT,
    ST__COUNT
};

static const char *const st_sql[ST__COUNT] = {
    [ST_SOURCE_UPSERT] =
        "INSERT INTO sources(platform, external_id, handle, title, url, kind,"
        " created_at) VALUES (?,?,?,?,?,?,?)"
        " ON CONFLICT(platform, external_id) DO UPDATE SET"
        " handle = coalesce(excluded.handle, sources.handle),"
        " title = coalesce(excluded.title, sources.title),"
        " url = coalesce(excluded.url, sources.url),"
        " kind = coalesce(excluded.kind, sources.kind)"
        " RETURNING id",
    [ST_ITEM_INSERT] =
        "INSERT INTO items(source_id, external_id, posted_at, posted_local,"
        " posted_month, edited_at, kind, text, urls, author, forwarded_from,"
        " is_forward, reply_to, media_state, media_path, media_note,"
        " mime_type, media_size, sha256, md5, lang, ingested_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(source_id, external_id) DO NOTHING",
    [ST_ITEM_UPDATE] =
        "UPDATE items SET posted_at = ?3, posted_local = ?4, posted_month = ?5,"
        " edited_at = ?6, kind = ?7, text = ?8, urls = ?9, author = ?10,"
        " forwarded_from = ?11, is_forward = ?12, reply_to = ?13,"
        " media_state = ?14, media_path = ?15, media_note = ?16,"
        " mime_type = ?17, media_size = ?18, sha256 = ?19, md5 = ?20,"
        " lang = coalesce(?21, lang), updated_at = ?22"
        " WHERE source_id = ?1 AND external_id = ?2 AND ("
        "  (CAST(?6 AS BIGINT) IS NOT NULL AND"
        "   (edited_at IS NULL OR edited_at < CAST(?6 AS BIGINT)))"
        "  OR (media_state <> 'present' AND CAST(?14 AS TEXT) = 'present'))"
        " RETURNING id",
    [ST_ITEM_ID] =
        ("SELECT id FROM items WHERE source_id = ? AND external_id = ?"),
    [ST_EVENT_INSERT] =
        ("INSERT INTO events(source_id, external_id, at, action, actor, detail)"
         " VALUES (?,?,?,?,?,?) ON CONFLICT(source_id, external_id) DO NOTHING"),
};

/* Rows per multi-row items INSERT: one statement execution (cursors,
 * rowid lookup, halt) per ITEM_QUEUE_ROWS items instead of one each; 64 x
 * 21 parameters stay far below both backends' limits. A queue whose
 * strings pass ITEM_QUEUE_BYTES is written early. */
#define ITEM_QUEUE_ROWS 64
#define ITEM_QUEUE_BYTES ((size_t)4 << 20)

struct item_row;
struct item_queue;

struct vigil_store {
    const vigil_store_backend *be;
    void *state;
    vigil__stmt *stmts[ST__COUNT];   /* prepared on first use */
    int in_txn;
    struct item_queue *q;            /* items not yet written, or NULL */
};

static int item_queue_flush(vigil_store *st);
static void item_queue_drop(vigil_store *st);
static void item_queue_free(struct item_queue *q);

/* ---- statements -------------------------------------------------------- */

int vigil__stmt_new(vigil__stmt **out, vigil_store *st, const char *sql)
{
    vigil__stmt *s;
    int rc;

    *out = NULL;
    if ((s = vigil__calloc(1, sizeof(*s))) == NULL)
        return VIGIL_ENOMEM;
    s->be = st->be;
    if ((rc = st->be->prepare(&s->h, st->state, sql)) < 0) {
        vigil__free(s);
        return rc;
    }
    *out = s;
    return VIGIL_OK;
}

void vigil__stmt_free(vigil__stmt *s)
{
    if (!s)
        return;
    s->be->finalize(s->h);
    vigil__free(s);
}

int vigil__bind_text(vigil__stmt *s, int i, const char *v, size_t len)
{
    return v ? s->be->bind_text(s->h, i, v, len) : s->be->bind_null(s->h, i);
}

int vigil__bind_str(vigil__stmt *s, int i, const char *v)
{
    return vigil__bind_text(s, i, v, v ? strlen(v) : 0);
}

int vigil__store_exec(vigil_store *st, const char *sql)
{
    return st->be->exec(st->state, sql);
}

int64_t vigil__store_changes(vigil_store *st)
{
    return st->be->changes(st->state);
}

int vigil__store_cache_kib(vigil_store *st, int64_t kib)
{
    char sql[64];

    if (strcmp(st->be->name, "sqlite") != 0)
        return VIGIL_OK;
    snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%lld", (long long)kib);
    return st->be->exec(st->state, sql);
}

const vigil_store_backend *vigil__store_backend(vigil_store *st)
{
    return st->be;
}

static int st_get(vigil__stmt **out, vigil_store *st, int which)
{
    int rc;

    if (!st->stmts[which] &&
        (rc = vigil__stmt_new(&st->stmts[which], st, st_sql[which])) < 0)
        return rc;
    *out = st->stmts[which];
    return VIGIL_OK;
}

/* ---- open, migrate, close --------------------------------------------- */

static int64_t now_utc(void)
{
    return (int64_t)time(NULL);
}

static int migration_applied(vigil_store *st, const char *name, int *out)
{
    vigil__stmt *s;
    int rc;

    if ((rc = vigil__stmt_new(&s, st,
            "SELECT 1 FROM schema_migrations WHERE name = ?")) < 0)
        return rc;
    if ((rc = vigil__bind_str(s, 1, name)) == 0 &&
        (rc = vigil__step(s)) >= 0) {
        *out = rc == VIGIL_ROW;
        rc = VIGIL_OK;
    }
    vigil__stmt_free(s);
    return rc;
}

/* A database carrying a migration this build does not know is newer. */
static int check_not_newer(vigil_store *st)
{
    const vigil_migration *m;
    vigil__stmt *s;
    int rc;

    if ((rc = vigil__stmt_new(&s, st, "SELECT name FROM schema_migrations"))
        < 0)
        return rc;
    while ((rc = vigil__step(s)) == VIGIL_ROW) {
        const char *name = vigil__col_text(s, 0, NULL);
        int known = 0;

        for (m = st->be->migrations(st->state); m->name; m++)
            if (name && strcmp(m->name, name) == 0)
                known = 1;
        if (!known) {
            rc = vigil_error_set(VIGIL_ESTORE,
                "database has migration '%s' that this vigil (%s) does not "
                "know: it was written by a newer version", name ? name : "?",
                vigil_version());
            break;
        }
    }
    vigil__stmt_free(s);
    return rc < 0 ? rc : VIGIL_OK;
}

static int apply_migration(vigil_store *st, const vigil_migration *m)
{
    vigil__stmt *s = NULL;
    int applied = 0, rc;

    if ((rc = st->be->begin(st->state)) < 0)
        return rc;
    /* Check again under the write lock: another process may have won. */
    if ((rc = migration_applied(st, m->name, &applied)) < 0 || applied)
        goto out;
    if ((rc = st->be->exec(st->state, m->sql)) < 0) {
        const vigil_error *e = vigil_error_last();
        rc = vigil_error_set(rc, "migration %s failed: %s", m->name,
                             e ? e->message : "?");
        goto out;
    }
    if ((rc = vigil__stmt_new(&s, st,
            "INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)"))
        < 0 ||
        (rc = vigil__bind_str(s, 1, m->name)) < 0 ||
        (rc = vigil__bind_int64(s, 2, now_utc())) < 0 ||
        (rc = vigil__step(s)) < 0)
        goto out;
    rc = VIGIL_OK;
out:
    vigil__stmt_free(s);
    if (rc < 0) {
        st->be->rollback(st->state);
        return rc;
    }
    return st->be->commit(st->state);
}

static int migrate(vigil_store *st)
{
    const vigil_migration *m;
    int rc, applied = 0;

    if ((rc = st->be->exec(st->state,
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")) < 0 ||
        (rc = check_not_newer(st)) < 0)
        return rc;
    for (m = st->be->migrations(st->state); m->name; m++) {
        if ((rc = migration_applied(st, m->name, &applied)) < 0)
            return rc;
        if (!applied && (rc = apply_migration(st, m)) < 0)
            return rc;
    }
    return VIGIL_OK;
}

int vigil_store_open(vigil_store **out, const char *uri, unsigned int flags)
{
    const vigil_store_backend *const *b;
    vigil_store *st;
    unsigned int bflags = 0;
    int rc;

    VIGIL_ASSERT_ARG(out && uri);
    *out = NULL;
    for (b = vigil__store_backends; *b; b++)
        if ((*b)->accepts(uri))
            break;
    if (!*b)
        return vigil_error_set(VIGIL_EINVAL, "%s: no storage backend for it",
                               uri);
    if ((st = vigil__calloc(1, sizeof(*st))) == NULL)
        return VIGIL_ENOMEM;
    st->be = *b;
    if (flags & VIGIL_STORE_OPEN_CREATE)
        bflags |= VIGIL_STORE_CREATE;
    if (flags & VIGIL_STORE_OPEN_READONLY)
        bflags |= VIGIL_STORE_READONLY;
    if ((rc = st->be->open(&st->state, uri, bflags)) < 0) {
        vigil__free(st);
        return rc;
    }
    rc = (flags & VIGIL_STORE_OPEN_READONLY) ? check_not_newer(st)
                                             : migrate(st);
    if (rc < 0) {
        vigil_store_close(st);
        return rc;
    }
    *out = st;
    return VIGIL_OK;
}

void vigil_store_close(vigil_store *st)
{
    int i;

    if (!st)
        return;
    if (st->in_txn)
        st->be->rollback(st->state);
    item_queue_free(st->q);
    for (i = 0; i < ST__COUNT; i++)
        vigil__stmt_free(st->stmts[i]);
    st->be->close(st->state);
    vigil__free(st);
}

int vigil_store_schema_version(vigil_store *st, int *out)
{
    vigil__stmt *s;
    int rc;

    if ((rc = vigil__stmt_new(&s, st,
            "SELECT count(*) FROM schema_migrations")) < 0)
        return rc;
    if ((rc = vigil__step(s)) == VIGIL_ROW) {
        *out = (int)vigil__col_int64(s, 0);
        rc = VIGIL_OK;
    }
    vigil__stmt_free(s);
    return rc < 0 ? rc : VIGIL_OK;
}

const char *vigil_store_backend_name(const vigil_store *st)
{
    return st->be->name;
}

int vigil_store_begin(vigil_store *st)
{
    int rc;

    VIGIL_ASSERT_ARG(!st->in_txn);
    if ((rc = st->be->begin(st->state)) == VIGIL_OK)
        st->in_txn = 1;
    return rc;
}

int vigil_store_commit(vigil_store *st)
{
    int rc;

    VIGIL_ASSERT_ARG(st->in_txn);
    if ((rc = item_queue_flush(st)) < 0)
        return rc;              /* still in the transaction */
    if ((rc = st->be->commit(st->state)) == VIGIL_OK)
        st->in_txn = 0;
    return rc;
}

int vigil_store_rollback(vigil_store *st)
{
    item_queue_drop(st);
    if (!st->in_txn)
        return VIGIL_OK;
    st->in_txn = 0;
    return st->be->rollback(st->state);
}


/* ---- sources ----------------------------------------------------------- */

int vigil_store_source_upsert(vigil_store *st, const vigil_source *src,
                              int64_t *id_out)
{
    vigil__stmt *s;
    int rc;

    VIGIL_ASSERT_ARG(src && src->platform && src->external_id);
    if ((rc = st_get(&s, st, ST_SOURCE_UPSERT)) < 0)
        return rc;
    if ((rc = vigil__bind_str(s, 1, src->platform)) < 0 ||
        (rc = vigil__bind_str(s, 2, src->external_id)) < 0 ||
        (rc = vigil__bind_str(s, 3, src->handle)) < 0 ||
        (rc = vigil__bind_str(s, 4, src->title)) < 0 ||
        (rc = vigil__bind_str(s, 5, src->url)) < 0 ||
        (rc = vigil__bind_str(s, 6, src->kind)) < 0 ||
        (rc = vigil__bind_int64(s, 7, now_utc())) < 0)
        goto out;
    if ((rc = vigil__step(s)) == VIGIL_ROW) {
        if (id_out)
            *id_out = vigil__col_int64(s, 0);
        rc = VIGIL_OK;
    } else if (rc == VIGIL_DONE) {
        rc = vigil_error_set(VIGIL_ESTORE, "source upsert returned no row");
    }
out:
    vigil__reset(s);
    return rc;
}

/* ---- items ------------------------------------------------------------- */

static const char *const kind_names[VIGIL_KIND__COUNT] = {
    "text", "photo", "video", "audio", "animation", "sticker", "file"
};

const char *vigil_item_kind_name(vigil_item_kind kind)
{
    return (unsigned)kind < VIGIL_KIND__COUNT ? kind_names[kind] : NULL;
}

const char *vigil_media_state_name(vigil_media_state s)
{
    static const char *const names[] = {
        "none", "present", "skipped", "missing", "refused"
    };
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : NULL;
}

/* Append @p it's URL list as a JSON array of strings. */
static int urls_json(vgu_buf *b, const vigil_item *it)
{
    size_t i;

    if (vgu_buf_putc(b, '[') < 0)
        return -1;
    for (i = 0; i < it->n_urls; i++) {
        const char *p = it->urls[i];

        if ((i && vgu_buf_putc(b, ',') < 0) || vgu_buf_putc(b, '"') < 0)
            return -1;
        while (*p) {
            size_t run = 0;
            unsigned char c;

            while ((c = (unsigned char)p[run]) >= 0x20 && c != '"' &&
                   c != '\\')
                run++;
            if (run && vgu_buf_append(b, p, run) < 0)
                return -1;
            p += run;
            if ((c = (unsigned char)*p) == '\0')
                break;
            if ((c == '"' || c == '\\' ? vgu_buf_printf(b, "\\%c", c)
                 : vgu_buf_printf(b, "\\u%04x", c)) < 0)
                return -1;
            p++;
        }
        if (vgu_buf_putc(b, '"') < 0)
            return -1;
    }
    return vgu_buf_putc(b, ']');
}

/* 'YYYY-MM' (UTC) of @p t into @p out. */
static void month_of(int64_t t, char out[16])
{
    int64_t y;
    unsigned m, d;
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);

    vgu_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(out, 16, "%lld-%02u", (long long)y, m);
        return;
    }
    out[0] = (char)('0' + y / 1000);     /* the common case, without printf */
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '\0';
}

/*
 * An item's values ready to bind: strings copied into an arena and kept as
 * offsets (the arena moves while rows are added), NULL ones as IR_NONE.
 */
enum {
    IR_EXT, IR_LOCAL, IR_MONTH, IR_TEXT, IR_URLS, IR_AUTHOR, IR_FWD,
    IR_MPATH, IR_MNOTE, IR_MIME, IR_SHA, IR_MD5, IR_LANG, IR__N
};
#define IR_NONE ((size_t)-1)

/* Parameter of each string, counted from the row's first (source_id = 1);
 * the statements' column order. */
static const unsigned char ir_param[IR__N] = {
    [IR_EXT] = 2, [IR_LOCAL] = 4, [IR_MONTH] = 5, [IR_TEXT] = 8,
    [IR_URLS] = 9, [IR_AUTHOR] = 10, [IR_FWD] = 11, [IR_MPATH] = 15,
    [IR_MNOTE] = 16, [IR_MIME] = 17, [IR_SHA] = 19, [IR_MD5] = 20,
    [IR_LANG] = 21
};
#define ITEM_PARAMS 21          /* per row; then ingested/updated_at */

struct item_row {
    int64_t source_id, posted_at, edited_at, reply_to, media_size;
    const char *kind, *media_state;     /* static names */
    int is_forward;
    size_t off[IR__N], len[IR__N];
};

/* Items waiting for one multi-row INSERT. */
struct item_queue {
    struct item_row rows[ITEM_QUEUE_ROWS];
    size_t n;
    vgu_buf arena;              /* the rows' strings */
    vigil_run_counts *counts;   /* outcomes go here (may be NULL) */
    vigil__stmt *multi;         /* the ITEM_QUEUE_ROWS-row INSERT */
};

static int row_pack(vgu_buf *a, struct item_row *r, const vigil_item *it)
{
    const char *s[IR__N] = { 0 };
    size_t i, need = 0;
    char month[16];

    VIGIL_ASSERT_ARG(it && it->external_id);
    if ((r->kind = vigil_item_kind_name(it->kind)) == NULL)
        return vigil_error_set(VIGIL_EINVAL, "item kind %d out of range",
                               (int)it->kind);
    if ((r->media_state = vigil_media_state_name(it->media_state)) == NULL)
        return vigil_error_set(VIGIL_EINVAL, "media state %d out of range",
                               (int)it->media_state);
    r->source_id = it->source_id;
    r->posted_at = it->posted_at;
    r->edited_at = it->edited_at;
    r->reply_to = it->reply_to;
    r->media_size = it->media_size;
    r->is_forward = it->is_forward ? 1 : 0;
    if (it->posted_at != VIGIL_TIME_UNKNOWN) {
        month_of(it->posted_at, month);
        s[IR_MONTH] = month;
    }
    s[IR_EXT] = it->external_id;
    s[IR_LOCAL] = it->posted_local;
    s[IR_TEXT] = it->text;
    s[IR_AUTHOR] = it->author;
    s[IR_FWD] = it->forwarded_from;
    s[IR_MPATH] = it->media_path;
    s[IR_MNOTE] = it->media_note;
    s[IR_MIME] = it->mime_type;
    s[IR_SHA] = it->sha256;
    s[IR_MD5] = it->md5;
    s[IR_LANG] = it->lang;
    for (i = 0; i < IR__N; i++)
        if (s[i]) {
            r->len[i] = i == IR_TEXT ? it->text_len : strlen(s[i]);
            need += r->len[i] + 1;
        }
    if (vgu_buf_grow(a, need) < 0)
        return vigil_error_set(VIGIL_ENOMEM, "item too large to queue");
    for (i = 0; i < IR__N; i++) {
        r->off[i] = IR_NONE;
        if (!s[i])
            continue;
        r->off[i] = a->len;
        memcpy(a->ptr + a->len, s[i], r->len[i]);
        a->len += r->len[i];
        a->ptr[a->len++] = '\0';
    }
    if (it->n_urls) {
        size_t off = a->len;

        if (urls_json(a, it) < 0 || vgu_buf_putc(a, '\0') < 0)
            return vigil_error_set(VIGIL_ENOMEM, "item URL list too large");
        r->off[IR_URLS] = off;
        r->len[IR_URLS] = a->len - off - 1;
    }
    return VIGIL_OK;
}

/*
 * Bind row @p r to parameters @p b .. @p b + ITEM_PARAMS - 1 of @p s.
 * NULLs are not bound: a reset statement has every parameter NULL.
 */
static int row_bind(vigil__stmt *s, int b, const char *a,
                    const struct item_row *r)
{
    const vigil_store_backend *be = s->be;
    void *h = s->h;
    int rc, i;

    for (i = 0; i < IR__N; i++)
        if (r->off[i] != IR_NONE &&
            (rc = be->bind_text(h, b + ir_param[i] - 1, a + r->off[i],
                                r->len[i])) < 0)
            return rc;
    if ((rc = be->bind_int64(h, b, r->source_id)) < 0 ||
        (r->posted_at != VIGIL_TIME_UNKNOWN &&
         (rc = be->bind_int64(h, b + 2, r->posted_at)) < 0) ||
        (r->edited_at != VIGIL_TIME_UNKNOWN &&
         (rc = be->bind_int64(h, b + 5, r->edited_at)) < 0) ||
        (rc = be->bind_text(h, b + 6, r->kind, strlen(r->kind))) < 0 ||
        (rc = be->bind_int64(h, b + 11, r->is_forward)) < 0 ||
        (r->reply_to && (rc = be->bind_int64(h, b + 12, r->reply_to)) < 0) ||
        (rc = be->bind_text(h, b + 13, r->media_state,
                            strlen(r->media_state))) < 0 ||
        (r->media_size >= 0 &&
         (rc = be->bind_int64(h, b + 17, r->media_size)) < 0))
        return rc;
    return VIGIL_OK;
}

/* Run a statement expected to return at most one id row. */
static int step_id(vigil__stmt *s, int64_t *id, int *found)
{
    int rc = vigil__step(s);

    *found = rc == VIGIL_ROW;
    if (*found)
        *id = vigil__col_int64(s, 0);
    while (rc == VIGIL_ROW)
        rc = vigil__step(s);
    vigil__reset(s);
    return rc < 0 ? rc : VIGIL_OK;
}

/* Apply @p r as an edit of the stored row with its key, when it is one
 * (a later edited_at, or a media file that was missing before). */
static int row_update(vigil_store *st, const char *a, const struct item_row *r,
                      int64_t now, int64_t *id, int *found)
{
    vigil__stmt *s;
    int rc;

    if ((rc = st_get(&s, st, ST_ITEM_UPDATE)) < 0)
        return rc;
    if ((rc = row_bind(s, 1, a, r)) < 0 ||
        (rc = vigil__bind_int64(s, ITEM_PARAMS + 1, now)) < 0) {
        vigil__reset(s);
        return rc;
    }
    return step_id(s, id, found);
}

/* The one-row path: insert, else try the edit update. */
static int row_upsert(vigil_store *st, const char *a, const struct item_row *r,
                      int64_t now, vigil_upsert_result *res, int64_t *id_out)
{
    vigil__stmt *s;
    int64_t id = 0;
    int rc, found;

    *res = VIGIL_UPSERT_UNCHANGED;
    /* Plain insert first (no RETURNING: measured ~30% cheaper in SQLite);
     * on a key conflict, try the edit update. */
    if ((rc = st_get(&s, st, ST_ITEM_INSERT)) < 0)
        return rc;
    if ((rc = row_bind(s, 1, a, r)) == 0 &&
        (rc = vigil__bind_int64(s, ITEM_PARAMS + 1, now)) == 0)
        rc = vigil__step(s);
    vigil__reset(s);
    if (rc < 0)
        return rc;
    if (vigil__store_changes(st) == 1) {
        *res = VIGIL_UPSERT_ADDED;
    } else {
        if ((rc = row_update(st, a, r, now, &id, &found)) < 0)
            return rc;
        if (found)
            *res = VIGIL_UPSERT_UPDATED;
    }
    if (id_out && *res != VIGIL_UPSERT_UPDATED) {
        if ((rc = st_get(&s, st, ST_ITEM_ID)) < 0)
            return rc;
        if ((rc = vigil__bind_int64(s, 1, r->source_id)) < 0 ||
            (rc = vigil__bind_text(s, 2, a + r->off[IR_EXT],
                                   r->len[IR_EXT])) < 0) {
            vigil__reset(s);
            return rc;
        }
        if ((rc = step_id(s, &id, &found)) < 0)
            return rc;
    }
    if (id_out)
        *id_out = id;
    return VIGIL_OK;
}

int vigil_store_item_upsert(vigil_store *st, const vigil_item *it,
                            vigil_upsert_result *result_out, int64_t *id_out)
{
    vgu_buf a = VGU_BUF_INIT;
    struct item_row r;
    vigil_upsert_result res = VIGIL_UPSERT_UNCHANGED;
    int rc;

    VIGIL_ASSERT_ARG(st && it && it->external_id);
    if (st->q && st->q->n && (rc = item_queue_flush(st)) < 0)
        return rc;              /* keep the order items were given in */
    if ((rc = row_pack(&a, &r, it)) == VIGIL_OK)
        rc = row_upsert(st, a.ptr, &r, now_utc(), &res, id_out);
    vgu_buf_dispose(&a);
    if (rc < 0)
        return rc;
    if (result_out)
        *result_out = res;
    return VIGIL_OK;
}

/* ---- queued item writes ------------------------------------------------- */

/* The ITEM_QUEUE_ROWS-row INSERT: ?1 is every row's ingested_at, then each
 * row's ITEM_PARAMS parameters in turn ('?' numbers on from the largest so
 * far, in SQLite and in the PostgreSQL backend; plain '?' keep SQLite's
 * prepare linear, where ?NNN cost a search each). */
static int queue_prepare(vigil_store *st, struct item_queue *q)
{
    static const char head[] =
        "INSERT INTO items(ingested_at, source_id, external_id, posted_at,"
        " posted_local, posted_month, edited_at, kind, text, urls, author,"
        " forwarded_from, is_forward, reply_to, media_state, media_path,"
        " media_note, mime_type, media_size, sha256, md5, lang) VALUES ";
    vgu_buf sql = VGU_BUF_INIT;
    int rc = VIGIL_OK, i, j;

    vgu_buf_puts(&sql, head);
    for (i = 0; i < ITEM_QUEUE_ROWS; i++) {
        vgu_buf_puts(&sql, i ? ",(?1" : "(?1");
        for (j = 0; j < ITEM_PARAMS; j++)
            vgu_buf_puts(&sql, ",?");
        vgu_buf_putc(&sql, ')');
    }
    if (vgu_buf_puts(&sql, " ON CONFLICT(source_id, external_id) DO NOTHING")
        < 0)
        rc = vigil_error_set(VIGIL_ENOMEM, "items: out of memory");
    else
        rc = vigil__stmt_new(&q->multi, st, sql.ptr);
    vgu_buf_dispose(&sql);
    return rc;
}

/* All ITEM_QUEUE_ROWS rows in one INSERT; *added: rows it inserted (the
 * others' keys were taken). */
static int queue_insert(vigil_store *st, struct item_queue *q, int64_t now,
                        size_t *added)
{
    int rc = VIGIL_OK;
    size_t i;

    if (!q->multi && (rc = queue_prepare(st, q)) < 0)
        return rc;
    for (i = 0; i < q->n && rc == VIGIL_OK; i++)
        rc = row_bind(q->multi, (int)i * ITEM_PARAMS + 2, q->arena.ptr,
                      &q->rows[i]);
    if (rc == VIGIL_OK &&
        (rc = vigil__bind_int64(q->multi, 1, now)) == VIGIL_OK &&
        (rc = vigil__step(q->multi)) >= 0) {
        *added = (size_t)vigil__store_changes(st);
        rc = VIGIL_OK;
    }
    vigil__reset(q->multi);
    return rc;
}

/*
 * Write the queued rows. A full queue goes in one multi-row INSERT ... ON
 * CONFLICT DO NOTHING; when some keys were taken, every row is then tried
 * as an edit, in order (a row this INSERT just wrote is no edit of itself),
 * which is what one upsert per row would have done. A short queue, or a
 * full one whose INSERT failed, goes one row at a time, so the rows before
 * a bad one are kept and the error is that row's. The queue is empty after.
 */
static int item_queue_flush(vigil_store *st)
{
    struct item_queue *q = st->q;
    vigil_run_counts scratch, *c;
    vigil_upsert_result res;
    size_t i, added = 0, updated = 0;
    int64_t now = now_utc(), id;
    int rc = VIGIL_OK, found;

    if (!q || q->n == 0)
        return VIGIL_OK;
    c = q->counts ? q->counts : &scratch;
    if (q->n == ITEM_QUEUE_ROWS &&
        queue_insert(st, q, now, &added) == VIGIL_OK) {
        for (i = 0; added < q->n && i < q->n && rc == VIGIL_OK; i++) {
            rc = row_update(st, q->arena.ptr, &q->rows[i], now, &id, &found);
            updated += rc == VIGIL_OK && found;
        }
        c->added += added;
        c->updated += updated;
        if (rc == VIGIL_OK)
            c->unchanged += q->n - added - updated;
    } else {
        vigil_error_clear();
        for (i = 0; i < q->n && rc == VIGIL_OK; i++)
            if ((rc = row_upsert(st, q->arena.ptr, &q->rows[i], now, &res,
                                 NULL)) == VIGIL_OK)
                *(res == VIGIL_UPSERT_ADDED ? &c->added
                  : res == VIGIL_UPSERT_UPDATED ? &c->updated
                  : &c->unchanged) += 1;
    }
    q->n = 0;
    vgu_buf_clear(&q->arena);
    return rc;
}

static void item_queue_drop(vigil_store *st)
{
    if (st->q) {
        st->q->n = 0;
        vgu_buf_clear(&st->q->arena);
    }
}

static void item_queue_free(struct item_queue *q)
{
    if (!q)
        return;
    vigil__stmt_free(q->multi);
    vgu_buf_dispose(&q->arena);
    vigil__free(q);
}

int vigil__store_item_queue(vigil_store *st, const vigil_item *it,
                            vigil_run_counts *counts)
{
    struct item_queue *q = st->q;
    int rc;

    VIGIL_ASSERT_ARG(st && it && it->external_id);
    if (!q && (q = st->q = vigil__calloc(1, sizeof(*q))) == NULL)
        return VIGIL_ENOMEM;
    /* Another tally, or a big queue (long texts): write what is there
     * first, which bounds the queue's memory too. */
    if (q->n && (q->counts != counts || q->arena.len > ITEM_QUEUE_BYTES) &&
        (rc = item_queue_flush(st)) < 0)
        return rc;
    q->counts = counts;
    if ((rc = row_pack(&q->arena, &q->rows[q->n], it)) < 0)
        return rc;
    if (++q->n == ITEM_QUEUE_ROWS)
        return item_queue_flush(st);
    return VIGIL_OK;
}

int vigil__store_item_flush(vigil_store *st)
{
    return item_queue_flush(st);
}

int vigil_store_item_max_id(vigil_store *st, int64_t *out)
{
    *out = 0;
    return vigil__store_scalar(st, "SELECT coalesce(max(id), 0) FROM items",
                               out);
}

int vigil_store_event_upsert(vigil_store *st, const vigil_event *ev)
{
    vigil__stmt *s;
    int rc;

    VIGIL_ASSERT_ARG(ev && ev->external_id);
    if ((rc = st_get(&s, st, ST_EVENT_INSERT)) < 0)
        return rc;
    if ((rc = vigil__bind_int64(s, 1, ev->source_id)) < 0 ||
        (rc = vigil__bind_str(s, 2, ev->external_id)) < 0 ||
        (rc = ev->at == VIGIL_TIME_UNKNOWN ? vigil__bind_null(s, 3)
              : vigil__bind_int64(s, 3, ev->at)) < 0 ||
        (rc = vigil__bind_str(s, 4, ev->action)) < 0 ||
        (rc = vigil__bind_str(s, 5, ev->actor)) < 0 ||
        (rc = vigil__bind_str(s, 6, ev->detail)) == 0)
        rc = vigil__step(s);
    vigil__reset(s);
    return rc < 0 ? rc : VIGIL_OK;
}

/* ---- runs -------------------------------------------------------------- */

int vigil_store_run_begin(vigil_store *st, const char *kind, const char *path,
                          int64_t *id_out)
{
    vigil__stmt *s;
    int rc, found;

    if ((rc = vigil__stmt_new(&s, st,
            "INSERT INTO ingest_runs(kind, path, started_at) VALUES (?,?,?)"
            " RETURNING id")) < 0)
        return rc;
    if ((rc = vigil__bind_str(s, 1, kind)) == 0 &&
        (rc = vigil__bind_str(s, 2, path)) == 0 &&
        (rc = vigil__bind_int64(s, 3, now_utc())) == 0)
        rc = step_id(s, id_out, &found);
    vigil__stmt_free(s);
    return rc;
}

int vigil_store_run_end(vigil_store *st, int64_t run_id, const char *status,
                        const vigil_run_counts *c, const char *error)
{
    char counts[512];
    vigil__stmt *s;
    int rc;

    snprintf(counts, sizeof(counts),
             "{\"messages\":%llu,\"added\":%llu,\"updated\":%llu,"
             "\"unchanged\":%llu,\"events\":%llu,\"media_present\":%llu,"
             "\"media_skipped\":%llu,\"media_missing\":%llu,"
             "\"media_refused\":%llu,\"rejected\":%llu}",
             (unsigned long long)c->messages, (unsigned long long)c->added,
             (unsigned long long)c->updated, (unsigned long long)c->unchanged,
             (unsigned long long)c->events,
             (unsigned long long)c->media_present,
             (unsigned long long)c->media_skipped,
             (unsigned long long)c->media_missing,
             (unsigned long long)c->media_refused,
             (unsigned long long)c->rejected);
    if ((rc = vigil__stmt_new(&s, st,
            "UPDATE ingest_runs SET finished_at = ?, status = ?, counts = ?,"
            " error = ? WHERE id = ?")) < 0)
        return rc;
    if ((rc = vigil__bind_int64(s, 1, now_utc())) == 0 &&
        (rc = vigil__bind_str(s, 2, status)) == 0 &&
        (rc = vigil__bind_str(s, 3, counts)) == 0 &&
        (rc = vigil__bind_str(s, 4, error)) == 0 &&
        (rc = vigil__bind_int64(s, 5, run_id)) == 0)
        rc = vigil__step(s);
    vigil__stmt_free(s);
    return rc < 0 ? rc : VIGIL_OK;
}

/* ---- stats ------------------------------------------------------------- */

int vigil__store_scalar(vigil_store *st, const char *sql, int64_t *out)
{
    vigil__stmt *s;
    int rc;

    if ((rc = vigil__stmt_new(&s, st, sql)) < 0)
        return rc;
    if ((rc = vigil__step(s)) == VIGIL_ROW) {
        *out = vigil__col_int64(s, 0);
        rc = VIGIL_OK;
    }
    vigil__stmt_free(s);
    return rc < 0 ? rc : VIGIL_OK;
}

static int stats_group(vigil_store *st, const char *sql, vigil_counts *out)
{
    vigil__stmt *s;
    size_t cap = 0;
    int rc;

    if ((rc = vigil__stmt_new(&s, st, sql)) < 0)
        return rc;
    while ((rc = vigil__step(s)) == VIGIL_ROW) {
        const char *k = vigil__col_text(s, 0, NULL);

        if (out->n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            vigil_count *nv = vigil__realloc(out->v, ncap * sizeof(*nv));
            if (!nv) {
                rc = VIGIL_ENOMEM;
                break;
            }
            out->v = nv;
            cap = ncap;
        }
        if ((out->v[out->n].key = vigil__strdup(k ? k : "unknown")) == NULL) {
            rc = VIGIL_ENOMEM;
            break;
        }
        out->v[out->n++].count = vigil__col_int64(s, 1);
    }
    vigil__stmt_free(s);
    return rc < 0 ? rc : VIGIL_OK;
}

int vigil_store_stats(vigil_stats **out, vigil_store *st)
{
    vigil_stats *r;
    int rc;

    *out = NULL;
    if ((r = vigil__calloc(1, sizeof(*r))) == NULL)
        return VIGIL_ENOMEM;
    if ((rc = vigil__store_scalar(st, "SELECT count(*) FROM items",
                                  &r->items)) < 0 ||
        (rc = vigil__store_scalar(st, "SELECT count(*) FROM sources",
                                  &r->sources)) < 0 ||
        (rc = vigil__store_scalar(st, "SELECT count(*) FROM events",
                                  &r->events)) < 0 ||
        (rc = stats_group(st, "SELECT kind, count(*) FROM items GROUP BY kind"
                          " ORDER BY 2 DESC, 1", &r->by_kind)) < 0 ||
        (rc = stats_group(st, "SELECT s.platform || ':' ||"
                          " coalesce(s.title, s.external_id), count(i.id)"
                          " FROM sources s JOIN items i ON i.source_id = s.id"
                          " GROUP BY s.id ORDER BY 2 DESC, 1",
                          &r->by_source)) < 0 ||
        (rc = stats_group(st, "SELECT posted_month, count(*) FROM items"
                          " GROUP BY posted_month ORDER BY 1",
                          &r->by_month)) < 0 ||
        (rc = stats_group(st, "SELECT lang, count(*) FROM items"
                          " GROUP BY lang ORDER BY 2 DESC, 1", &r->by_lang))
            < 0 ||
        (rc = stats_group(st, "SELECT outlet, count(DISTINCT item_id) FROM"
                          " watchlist_hits GROUP BY outlet ORDER BY 2 DESC, 1",
                          &r->by_outlet)) < 0 ||
        (rc = stats_group(st, "SELECT type, count(DISTINCT item_id) FROM"
                          " indicators WHERE valid IS NULL OR valid <> 0"
                          " GROUP BY type ORDER BY 2 DESC, 1",
                          &r->by_indicator)) < 0) {
        vigil_stats_free(r);
        return rc;
    }
    *out = r;
    return VIGIL_OK;
}

static void counts_dispose(vigil_counts *c)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        vigil__free(c->v[i].key);
    vigil__free(c->v);
}

void vigil_stats_free(vigil_stats *r)
{
    if (!r)
        return;
    counts_dispose(&r->by_kind);
    counts_dispose(&r->by_source);
    counts_dispose(&r->by_month);
    counts_dispose(&r->by_lang);
    counts_dispose(&r->by_outlet);
    counts_dispose(&r->by_indicator);
    vigil__free(r);
}
