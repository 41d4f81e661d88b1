/*
 * bank/bank.c - banks and their entries in the store (tables banks,
 * bank_entries, bank_state of 0002_banks.sql): create, list, update,
 * remove, add entries and import list files in one transaction each.
 */
#define VIGIL_MODULE "bank"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bank/bank_internal.h"
#include "common/alloc.h"
#include "common/error.h"
#include "store/store_internal.h"
#include "util/buf.h"

#define BANK_MAX_FILE ((size_t)4 << 30)
/* Entries are inserted in batches sorted in index order, so that the
 * unique index grows at its right edge instead of at random pages. One
 * batch holds a whole 1M-line list (one sorted run: later runs would
 * interleave with the first and touch every index page again). */
#define BATCH_MAX_ENTRIES ((size_t)1 << 21)
#define BATCH_MAX_BYTES ((size_t)256 << 20)
#define NOSTR ((uint32_t)-1)

static int64_t now_utc(void)
{
    return (int64_t)time(NULL);
}

void vigil_bank_dispose(vigil_bank *b)
{
    if (!b)
        return;
    vigil__free(b->name);
    vigil__free(b->signal_types);
    vigil__free(b->description);
    b->name = b->signal_types = b->description = NULL;
}

void vigil_bank_list_dispose(vigil_bank *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        vigil_bank_dispose(&v[i]);
    vigil__free(v);
}

static int valid_name(const char *s)
{
    size_t n = s ? strlen(s) : 0, i;

    if (n == 0 || n > 128)
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
            return 0;
    }
    return 1;
}

/* Canonical comma list of known types, or NULL (message set). */
static int norm_types(char *out, size_t cap, const char *in)
{
    int seen[VIGIL_SIGNAL__COUNT] = { 0 }, i;
    const char *s = in ? in : "pdq,md5,sha256,vpdq";
    vigil_signal_type t;

    while (*s) {
        size_t n = strcspn(s, ",");

        if (n && vigil_signal_type_parse(&t, s, n) < 0)
            return VIGIL_EINVAL;
        if (n)
            seen[t] = 1;
        s += n + (s[n] == ',');
    }
    out[0] = '\0';
    for (i = 0; i < VIGIL_SIGNAL__COUNT; i++)
        if (seen[i]) {
            if (out[0])
                strncat(out, ",", cap - strlen(out) - 1);
            strncat(out, vigil_signal_type_name(i), cap - strlen(out) - 1);
        }
    if (!out[0])
        return vigil_error_set(VIGIL_EINVAL, "a bank needs a signal type");
    return VIGIL_OK;
}

static int step_done(vigil__stmt *s)
{
    int rc = vigil__step(s);

    return rc < 0 ? rc : VIGIL_OK;
}

int vigil_bank__id(vigil_store *st, const char *name, int64_t *id_out)
{
    vigil__stmt *s;
    int rc;

    if ((rc = vigil__stmt_new(&s, st, "SELECT id FROM banks WHERE name = ?"))
        < 0)
        return rc;
    vigil__bind_str(s, 1, name);
    rc = vigil__step(s);
    if (rc == VIGIL_ROW) {
        *id_out = vigil__col_int64(s, 0);
        rc = VIGIL_OK;
    } else if (rc == VIGIL_DONE) {
        rc = vigil_error_set(VIGIL_ENOTFOUND, "no bank named '%s'", name);
    }
    vigil__stmt_free(s);
    return rc;
}

int vigil_bank__bump_generation(vigil_store *st)
{
    return vigil__store_exec(st, "UPDATE bank_state SET value = value + 1 "
                                 "WHERE key = 'pdq_generation'");
}

int vigil_bank_pdq_generation(vigil_store *st, int64_t *out)
{
    *out = 0;
    return vigil__store_scalar(st, "SELECT value FROM bank_state WHERE "
                               "key = 'pdq_generation'", out);
}

int vigil_bank__log_begin(vigil_store *st, int64_t *gen_out)
{
    int rc;

    if ((rc = vigil_bank__bump_generation(st)) < 0)
        return rc;
    return vigil_bank_pdq_generation(st, gen_out);
}

/* Run @p sql with int64 parameters @p a (n of them); *changes_out gets the
 * rows it changed. */
static int exec_ints(vigil_store *st, const char *sql, const int64_t *a,
                     int n, int64_t *changes_out)
{
    vigil__stmt *s;
    int rc, i;

    if ((rc = vigil__stmt_new(&s, st, sql)) < 0)
        return rc;
    for (i = 0; i < n; i++)
        vigil__bind_int64(s, i + 1, a[i]);
    rc = vigil__step(s);
    vigil__stmt_free(s);
    if (rc >= 0 && changes_out)
        *changes_out = vigil__store_changes(st);
    return rc < 0 ? rc : VIGIL_OK;
}

int vigil_bank__count_pdq(vigil_store *st, int64_t delta)
{
    if (delta == 0)
        return VIGIL_OK;
    return exec_ints(st, "UPDATE bank_state SET value = value + ? WHERE key "
                     "= 'pdq_count'", &delta, 1, NULL);
}

/* Largest entry id so far (ids of entries added later in this transaction
 * are above it: writers are serialised by vigil_bank__log_begin). */
static int max_entry_id(vigil_store *st, int64_t *out)
{
    *out = 0;
    return vigil__store_scalar(st, "SELECT COALESCE(MAX(id), 0) FROM "
                               "bank_entries", out);
}

/* Insert without a transaction of its own. */
static int bank_insert(vigil_store *st, const vigil_bank *b)
{
    char types[64];
    vigil__stmt *s;
    int64_t id;
    int rc;

    if (!valid_name(b->name))
        return vigil_error_set(VIGIL_EINVAL, "bank name '%s': use 1-128 "
                               "letters, digits, '.', '_' or '-'",
                               b->name ? b->name : "");
    if (b->threshold < 0 || b->threshold > 256)
        return vigil_error_set(VIGIL_EINVAL, "threshold %d is outside 0..256",
                               b->threshold);
    if ((rc = norm_types(types, sizeof(types), b->signal_types)) < 0)
        return rc;
    if (vigil_bank__id(st, b->name, &id) == VIGIL_OK)
        return vigil_error_set(VIGIL_EEXISTS, "bank '%s' exists", b->name);
    vigil_error_clear();
    if ((rc = vigil__stmt_new(&s, st, "INSERT INTO banks (name, signal_types, "
                              "threshold, enabled, is_suppression, description,"
                              " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) < 0)
        return rc;
    vigil__bind_str(s, 1, b->name);
    vigil__bind_str(s, 2, types);
    vigil__bind_int64(s, 3, b->threshold);
    vigil__bind_int64(s, 4, b->enabled ? 1 : 0);
    vigil__bind_int64(s, 5, b->is_suppression ? 1 : 0);
    vigil__bind_str(s, 6, b->description);
    vigil__bind_int64(s, 7, now_utc());
    rc = step_done(s);
    vigil__stmt_free(s);
    return rc;
}

int vigil_bank_create(vigil_store *st, const vigil_bank *b)
{
    int rc;

    VIGIL_ASSERT_ARG(st != NULL && b != NULL);
    if ((rc = vigil_store_begin(st)) < 0)
        return rc;
    if ((rc = bank_insert(st, b)) < 0) {
        vigil_store_rollback(st);
        return rc;
    }
    return vigil_store_commit(st);
}

static char *col_dup(vigil__stmt *s, int c)
{
    const char *t = vigil__col_text(s, c, NULL);

    return t ? vigil__strdup(t) : NULL;
}

static int bank_counts(vigil_store *st, vigil_bank *b)
{
    vigil__stmt *s;
    vigil_signal_type t;
    int rc;

    if ((rc = vigil__stmt_new(&s, st, "SELECT signal_type, COUNT(*) FROM "
                              "bank_entries WHERE bank_id = ? GROUP BY "
                              "signal_type")) < 0)
        return rc;
    vigil__bind_int64(s, 1, b->id);
    while ((rc = vigil__step(s)) == VIGIL_ROW) {
        const char *n = vigil__col_text(s, 0, NULL);

        if (n && vigil_signal_type_parse(&t, n, strlen(n)) == VIGIL_OK)
            b->n_entries[t] = vigil__col_int64(s, 1);
    }
    vigil__stmt_free(s);
    return rc < 0 ? rc : VIGIL_OK;
}

#define BANK_COLS "id, name, signal_types, threshold, enabled, " \
                  "is_suppression, description, created_at FROM banks"

static int bank_row(vigil_bank *b, vigil__stmt *s)
{
    memset(b, 0, sizeof(*b));
    b->id = vigil__col_int64(s, 0);
    b->name = col_dup(s, 1);
    b->signal_types = col_dup(s, 2);
    b->threshold = (int)vigil__col_int64(s, 3);
    b->enabled = (int)vigil__col_int64(s, 4);
    b->is_suppression = (int)vigil__col_int64(s, 5);
    b->description = col_dup(s, 6);
    b->created_at = vigil__col_int64(s, 7);
    if (!b->name || !b->signal_types)
        return VIGIL_ENOMEM;
    return VIGIL_OK;
}

int vigil_bank_get(vigil_bank *out, vigil_store *st, const char *name)
{
    vigil__stmt *s;
    int rc;

    VIGIL_ASSERT_ARG(out != NULL && st != NULL && name != NULL);
    memset(out, 0, sizeof(*out));
    if ((rc = vigil__stmt_new(&s, st, "SELECT " BANK_COLS " WHERE name = ?"))
        < 0)
        return rc;
    vigil__bind_str(s, 1, name);
    rc = vigil__step(s);
    if (rc == VIGIL_ROW)
        rc = bank_row(out, s);
    else if (rc == VIGIL_DONE)
        rc = vigil_error_set(VIGIL_ENOTFOUND, "no bank named '%s'", name);
    vigil__stmt_free(s);
    if (rc == VIGIL_OK)
        rc = bank_counts(st, out);
    if (rc < 0)
        vigil_bank_dispose(out);
    return rc;
}

int vigil_bank_list(vigil_bank **out, size_t *n_out, vigil_store *st)
{
    return vigil_bank__list(out, n_out, st, 1);
}

int vigil_bank__list(vigil_bank **out, size_t *n_out, vigil_store *st,
                     int counts)
{
    vigil__stmt *s;
    vigil_bank *v = NULL, *nv;
    size_t n = 0, i;
    int rc;

    *out = NULL;
    *n_out = 0;
    if ((rc = vigil__stmt_new(&s, st, "SELECT " BANK_COLS " ORDER BY name"))
        < 0)
        return rc;
    while ((rc = vigil__step(s)) == VIGIL_ROW) {
        if ((nv = vigil__realloc(v, (n + 1) * sizeof(*v))) == NULL) {
            rc = VIGIL_ENOMEM;
            break;
        }
        v = nv;
        if ((rc = bank_row(&v[n++], s)) < 0)
            break;
    }
    vigil__stmt_free(s);
    for (i = 0; counts && rc >= 0 && i < n; i++)
        rc = bank_counts(st, &v[i]);
    if (rc < 0) {
        vigil_bank_list_dispose(v, n);
        return rc;
    }
    *out = v;
    *n_out = n;
    return VIGIL_OK;
}

int vigil_bank_update(vigil_store *st, const vigil_bank *b)
{
    vigil__stmt *s;
    int rc;

    VIGIL_ASSERT_ARG(st != NULL && b != NULL && b->name != NULL);
    if (b->threshold < 0 || b->threshold > 256)
        return vigil_error_set(VIGIL_EINVAL, "threshold %d is outside 0..256",
                               b->threshold);
    if ((rc = vigil__stmt_new(&s, st, "UPDATE banks SET threshold = ?, "
                              "enabled = ?, is_suppression = ?, description = "
                              "?, updated_at = ? WHERE name = ?")) < 0)
        return rc;
    vigil__bind_int64(s, 1, b->threshold);
    vigil__bind_int64(s, 2, b->enabled ? 1 : 0);
    vigil__bind_int64(s, 3, b->is_suppression ? 1 : 0);
    vigil__bind_str(s, 4, b->description);
    vigil__bind_int64(s, 5, now_utc());
    vigil__bind_str(s, 6, b->name);
    rc = step_done(s);
    vigil__stmt_free(s);
    if (rc == VIGIL_OK && vigil__store_changes(st) == 0)
        rc = vigil_error_set(VIGIL_ENOTFOUND, "no bank named '%s'", b->name);
    return rc;
}

static int exec_id(vigil_store *st, const char *sql, int64_t id)
{
    return exec_ints(st, sql, &id, 1, NULL);
}

int vigil_bank_remove(vigil_store *st, const char *name)
{
    int64_t id, a[2], logged = 0;
    int rc;

    VIGIL_ASSERT_ARG(st != NULL && name != NULL);
    if ((rc = vigil_store_begin(st)) < 0)
        return rc;
    if ((rc = vigil_bank__id(st, name, &id)) == VIGIL_OK &&
        (rc = vigil_bank__log_begin(st, &a[0])) == VIGIL_OK &&
        (a[1] = id, rc = exec_ints(st, "INSERT INTO bank_pdq_log (gen, op, "
                                   "entry_id, value) SELECT ?, -1, id, value "
                                   "FROM bank_entries WHERE bank_id = ? AND "
                                   "signal_type = 'pdq' ORDER BY id", a, 2,
                                   &logged)) == VIGIL_OK &&
        (rc = vigil_bank__count_pdq(st, -logged)) == VIGIL_OK &&
        (rc = exec_id(st, "DELETE FROM bank_entries WHERE bank_id = ?", id))
        == VIGIL_OK)
        rc = exec_id(st, "DELETE FROM banks WHERE id = ?", id);
    if (rc < 0) {
        vigil_store_rollback(st);
        return rc;
    }
    return vigil_store_commit(st);
}

/* Remove one entry (its change-log row first when it is PDQ). */
static int remove_one(vigil_store *st, vigil__stmt *log, vigil__stmt *del,
                      int64_t gen, int64_t bank, const vigil_bank_entry *e,
                      int64_t *logged, size_t *removed)
{
    unsigned char raw[VIGIL_BANK__DIGEST_MAX];
    const void *v = raw;
    size_t vlen;
    int rc;

    if (!e->value || e->type >= VIGIL_SIGNAL__COUNT)
        return vigil_error_set(VIGIL_EINVAL, "entry %zu: no value or an "
                               "unknown type", e->line);
    if (e->type == VIGIL_SIGNAL_VPDQ) {
        v = e->value;
        vlen = strlen(e->value);
    } else if (vigil_bank__value_bytes(raw, &vlen, e->type, e->value,
                                       strlen(e->value)) < 0) {
        return vigil_error_set(VIGIL_EFORMAT, "'%s' is not a %s value",
                               e->value, vigil_signal_type_name(e->type));
    }
    if (e->type == VIGIL_SIGNAL_PDQ) {
        vigil__bind_int64(log, 1, gen);
        vigil__bind_int64(log, 2, bank);
        vigil__bind_blob(log, 3, v, vlen);
        rc = vigil__step(log);
        vigil__reset(log);
        if (rc < 0)
            return rc;
        *logged += vigil__store_changes(st);
    }
    vigil__bind_int64(del, 1, bank);
    vigil__bind_str(del, 2, vigil_signal_type_name(e->type));
    vigil__bind_blob(del, 3, v, vlen);
    rc = vigil__step(del);
    vigil__reset(del);
    if (rc < 0)
        return rc;
    *removed += (size_t)vigil__store_changes(st);
    return VIGIL_OK;
}

int vigil_bank_remove_entries(vigil_store *st, const char *name,
                              const vigil_bank_entry *e, size_t n,
                              size_t *removed_out)
{
    vigil__stmt *log = NULL, *del = NULL;
    int64_t bank, gen, logged = 0;
    size_t removed = 0, i;
    int rc;

    VIGIL_ASSERT_ARG(st != NULL && name != NULL && (e != NULL || n == 0));
    if (removed_out)
        *removed_out = 0;
    if ((rc = vigil_store_begin(st)) < 0)
        return rc;
    if ((rc = vigil_bank__id(st, name, &bank)) == VIGIL_OK &&
        (rc = vigil_bank__log_begin(st, &gen)) == VIGIL_OK &&
        (rc = vigil__stmt_new(&log, st, "INSERT INTO bank_pdq_log (gen, op, "
                              "entry_id, value) SELECT ?, -1, id, value FROM "
                              "bank_entries WHERE bank_id = ? AND signal_type "
                              "= 'pdq' AND value = ?")) == VIGIL_OK)
        rc = vigil__stmt_new(&del, st, "DELETE FROM bank_entries WHERE "
                             "bank_id = ? AND signal_type = ? AND value = ?");
    for (i = 0; rc == VIGIL_OK && i < n; i++)
        rc = remove_one(st, log, del, gen, bank, &e[i], &logged, &removed);
    vigil__stmt_free(log);
    vigil__stmt_free(del);
    if (rc == VIGIL_OK)
        rc = vigil_bank__count_pdq(st, -logged);
    if (rc < 0) {
        vigil_store_rollback(st);
        return rc;
    }
    if ((rc = vigil_store_commit(st)) == VIGIL_OK && removed_out)
        *removed_out = removed;
    return rc;
}

/* ---- adding entries ---------------------------------------------------- */

/* One queued entry: string fields as offsets into the arena (NOSTR: NULL);
 * f[0] is the stored value (raw digest bytes, or vPDQ text) of vlen bytes. */
struct pending {
    int type;
    unsigned vlen;
    uint32_t f[7];  /* value, label, outlet, category, source_list, date, note */
};

struct adder {
    vigil_store *st;
    struct pending *pend;
    size_t np, pcap;
    vgu_buf arena;
    const char *name;
    int64_t bank_id;            /* 0 until known */
    int64_t now;                /* added_at of every entry of this call */
    int takes[VIGIL_SIGNAL__COUNT];
    vigil__stmt *ins[2];        /* one row: value and label / all columns */
    vigil__stmt *ins_n[2];      /* the same, CHUNK rows per statement */
    vigil_import_counts c;
    int pdq_added;
    int64_t gen;                /* change-log generation of this call */
    int64_t max_id;             /* largest entry id before this call */
    const vigil_bank *header;   /* JSONL settings for a new bank */
    vigil_list_error_cb on_error;
    void *payload;
};

#define INS_HEAD "INSERT INTO bank_entries (bank_id, signal_type, value, " \
                 "added_at, label"
#define INS_TAIL " ON CONFLICT (value, signal_type, bank_id) DO NOTHING"
/* Rows per multi-row INSERT: one statement execution per CHUNK entries
 * instead of one each (statement setup, cursors and the rowid lookup
 * dominated the per-row cost). 64 x 10 parameters stay far below the
 * backends' limits. */
#define CHUNK 64

/* The four insert statements: narrow (value, label) or wide (every
 * column), one row or CHUNK rows. */
static int adder_prepare(struct adder *a)
{
    static const char *const cols[2] = { ") VALUES ", ", outlet, category, "
                                         "source_list, date_added, note) "
                                         "VALUES " };
    static const char *const row[2] = { "(?, ?, ?, ?, ?)",
                                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" };
    vgu_buf sql = VGU_BUF_INIT;
    int rc = VIGIL_OK, w, k, i;

    for (w = 0; rc == VIGIL_OK && w < 2; w++)
        for (k = 0; rc == VIGIL_OK && k < 2; k++) {
            vgu_buf_clear(&sql);
            vgu_buf_puts(&sql, INS_HEAD);
            vgu_buf_puts(&sql, cols[w]);
            for (i = 0; i < (k ? CHUNK : 1); i++) {
                if (i)
                    vgu_buf_puts(&sql, ", ");
                vgu_buf_puts(&sql, row[w]);
            }
            if (vgu_buf_puts(&sql, INS_TAIL) != 0)
                rc = VIGIL_ENOMEM;
            else
                rc = vigil__stmt_new(k ? &a->ins_n[w] : &a->ins[w], a->st,
                                     sql.ptr);
        }
    vgu_buf_dispose(&sql);
    return rc;
}

/* The signal types bank a->bank_id takes, into a->takes (by its id: no
 * entry counts, which would scan the entries table). */
static int bank_types(struct adder *a)
{
    vigil__stmt *s;
    const char *t;
    vigil_signal_type ty;
    int rc;

    if ((rc = vigil__stmt_new(&s, a->st, "SELECT signal_types FROM banks "
                              "WHERE id = ?")) < 0)
        return rc;
    vigil__bind_int64(s, 1, a->bank_id);
    if ((rc = vigil__step(s)) == VIGIL_ROW) {
        for (t = vigil__col_text(s, 0, NULL); t && *t;
             t += strcspn(t, ",") + (t[strcspn(t, ",")] == ','))
            if (vigil_signal_type_parse(&ty, t, strcspn(t, ",")) == VIGIL_OK)
                a->takes[ty] = 1;
        rc = VIGIL_OK;
    } else if (rc == VIGIL_DONE) {
        rc = vigil_error_set(VIGIL_ENOTFOUND, "no bank named '%s'", a->name);
    }
    vigil__stmt_free(s);
    return rc;
}

static int adder_bank(struct adder *a, const vigil_bank *settings)
{
    vigil_bank b = VIGIL_BANK_INIT;
    int rc;

    if (a->bank_id)
        return VIGIL_OK;
    if ((rc = vigil_bank__id(a->st, a->name, &a->bank_id)) == VIGIL_ENOTFOUND
        && settings) {
        vigil_error_clear();
        b = *settings;
        b.name = (char *)a->name;
        if ((rc = bank_insert(a->st, &b)) == VIGIL_OK)
            rc = vigil_bank__id(a->st, a->name, &a->bank_id);
    }
    if (rc < 0 || (rc = bank_types(a)) < 0)
        return rc;
    if (a->takes[VIGIL_SIGNAL_PDQ] &&
        ((rc = vigil_bank__log_begin(a->st, &a->gen)) < 0 ||
         (rc = max_entry_id(a->st, &a->max_id)) < 0))
        return rc;
    a->now = now_utc();
    return adder_prepare(a);
}

struct pref {
    uint64_t key;               /* first 8 value bytes, big-endian */
    int type;
    unsigned vlen;
    const unsigned char *value;
    const struct pending *p;
};

static int wide(const struct pending *p)
{
    return p->f[2] != NOSTR || p->f[3] != NOSTR || p->f[4] != NOSTR ||
           p->f[5] != NOSTR || p->f[6] != NOSTR;
}

static const char *field(const struct adder *a, const struct pending *p, int k)
{
    return p->f[k] == NOSTR ? NULL : a->arena.ptr + p->f[k];
}

/* Bind entry @p r as the row starting at parameter @p at (1-based). */
static void bind_row(struct adder *a, vigil__stmt *s, int at,
                     const struct pref *r, int w)
{
    int k;

    vigil__bind_int64(s, at, a->bank_id);
    vigil__bind_str(s, at + 1, vigil_signal_type_name(r->type));
    vigil__bind_blob(s, at + 2, r->value, r->vlen);
    vigil__bind_int64(s, at + 3, a->now);
    for (k = 1; k <= (w ? 6 : 1); k++)
        vigil__bind_str(s, at + 3 + k, field(a, r->p, k));
}

/* Insert @p n (1 or CHUNK) sorted entries in one statement. */
static int insert_rows(struct adder *a, const struct pref *r, size_t n)
{
    vigil__stmt *s;
    int64_t changed;
    size_t i;
    int w = 0, pdq = 0, rc;

    for (i = 0; i < n; i++) {
        w |= wide(r[i].p);
        pdq |= r[i].type == VIGIL_SIGNAL_PDQ;
    }
    s = n == 1 ? a->ins[w] : a->ins_n[w];
    for (i = 0; i < n; i++)
        bind_row(a, s, 1 + (int)i * (w ? 10 : 5), &r[i], w);
    if ((rc = vigil__step(s)) < 0)
        return rc;
    vigil__reset(s);
    changed = vigil__store_changes(a->st);
    a->c.added += (size_t)changed;
    a->c.duplicate += n - (size_t)changed;
    if (pdq && changed > 0)     /* may over-count: only bumps a generation */
        a->pdq_added = 1;
    return VIGIL_OK;
}

/* The order of the unique index: value bytes (memcmp, shorter first on a
 * tie), then type name, so that the index grows at its right edge. */
static int pref_cmp(const void *x, const void *y)
{
    const struct pref *a = x, *b = y;
    int c;

    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    c = memcmp(a->value, b->value, a->vlen < b->vlen ? a->vlen : b->vlen);
    if (c)
        return c;
    if (a->vlen != b->vlen)
        return a->vlen < b->vlen ? -1 : 1;
    return strcmp(vigil_signal_type_name(a->type),
                  vigil_signal_type_name(b->type));
}

static uint64_t prefix_key(const unsigned char *v, size_t n)
{
    uint64_t k = 0;
    size_t i;

    for (i = 0; i < 8; i++)
        k = k << 8 | (i < n ? v[i] : 0);
    return k;
}

/* Insert the queued entries in index order, CHUNK rows per statement. */
static int adder_flush(struct adder *a)
{
    struct pref *r;
    size_t i;
    int rc = VIGIL_OK;

    if (a->np == 0)
        return VIGIL_OK;
    if ((r = vigil__mallocarray(a->np, sizeof(*r))) == NULL)
        return VIGIL_ENOMEM;
    for (i = 0; i < a->np; i++) {
        r[i].type = a->pend[i].type;
        r[i].vlen = a->pend[i].vlen;
        r[i].value = (const unsigned char *)a->arena.ptr + a->pend[i].f[0];
        r[i].key = prefix_key(r[i].value, r[i].vlen);
        r[i].p = &a->pend[i];
    }
    qsort(r, a->np, sizeof(*r), pref_cmp);
    for (i = 0; rc == VIGIL_OK && i < a->np;) {
        size_t n = a->np - i >= CHUNK ? CHUNK : 1;

        rc = insert_rows(a, &r[i], n);
        i += n;
    }
    vigil__free(r);
    a->np = 0;
    vgu_buf_clear(&a->arena);
    return rc;
}

static uint32_t arena_put(struct adder *a, const void *s, size_t n, int *err)
{
    uint32_t at = (uint32_t)a->arena.len;   /* < BATCH_MAX_BYTES + a line */

    if (!s)
        return NOSTR;
    if (n >= UINT32_MAX - 1 - a->arena.len)
        *err = 1;               /* offsets are 32-bit (one entry > 3.7 GB) */
    else if (vgu_buf_append(&a->arena, s, n) != 0 ||
             vgu_buf_putc(&a->arena, 0))
        *err = 1;
    return at;
}

static uint32_t arena_str(struct adder *a, const char *s, int *err)
{
    return arena_put(a, s, s ? strlen(s) : 0, err);
}

/* Refuse (and report) an entry of a type the bank does not take. */
static int adder_refuse(struct adder *a, const vigil_bank_entry *e,
                        const char *why)
{
    char msg[160];

    a->c.refused++;
    if (why)
        snprintf(msg, sizeof(msg), "%s", why);
    else
        snprintf(msg, sizeof(msg), "bank '%s' does not take %s entries",
                 a->name, e->type < VIGIL_SIGNAL__COUNT
                 ? vigil_signal_type_name(e->type) : "unknown");
    if (a->on_error)
        a->on_error(a->payload, e->line, msg);
    return 0;
}

static int adder_entry(void *payload, const vigil_bank_entry *e)
{
    struct adder *a = payload;
    struct pending *p;
    unsigned char raw[VIGIL_BANK__DIGEST_MAX];
    const void *v = raw;
    size_t vlen;
    int rc, err = 0;

    if (!a->bank_id && (rc = adder_bank(a, a->header)) < 0)
        return rc;
    if (e->type >= VIGIL_SIGNAL__COUNT || !a->takes[e->type] || !e->value)
        return adder_refuse(a, e, NULL);
    if (e->type == VIGIL_SIGNAL_VPDQ) {
        v = e->value;
        vlen = strlen(e->value);
    } else if (vigil_bank__value_bytes(raw, &vlen, e->type, e->value,
                                       strlen(e->value)) < 0) {
        return adder_refuse(a, e, "value is not the hex digest of its type");
    }
    if (a->np == a->pcap) {
        size_t nc = a->pcap ? a->pcap * 2 : 1024;
        struct pending *np = vigil__realloc(a->pend, nc * sizeof(*np));

        if (!np)
            return VIGIL_ENOMEM;
        a->pend = np;
        a->pcap = nc;
    }
    p = &a->pend[a->np];
    p->type = (int)e->type;
    p->vlen = (unsigned)vlen;
    p->f[0] = arena_put(a, v, vlen, &err);
    p->f[1] = arena_str(a, e->label, &err);
    p->f[2] = arena_str(a, e->outlet, &err);
    p->f[3] = arena_str(a, e->category, &err);
    p->f[4] = arena_str(a, e->source_list, &err);
    p->f[5] = arena_str(a, e->date_added, &err);
    p->f[6] = arena_str(a, e->note, &err);
    if (err)
        return vigil_error_set(VIGIL_ENOMEM, "out of memory queueing entries");
    a->np++;
    if (a->np >= BATCH_MAX_ENTRIES || a->arena.len >= BATCH_MAX_BYTES)
        return adder_flush(a);
    return 0;
}

/* Forward a malformed line to the caller's callback and payload. */
static void adder_error(void *payload, size_t line, const char *reason)
{
    struct adder *a = payload;

    if (a->on_error)
        a->on_error(a->payload, line, reason);
}

static int adder_header(void *payload, const vigil_bank *b)
{
    struct adder *a = payload;

    a->header = b;
    return adder_bank(a, b);
}

/* One change-log row per PDQ entry this call added (ids above max_id:
 * duplicates were not inserted), and the live count. */
static int adder_log(struct adder *a)
{
    int64_t p[3] = { a->gen, a->max_id, a->bank_id }, n = 0;
    int rc;

    rc = exec_ints(a->st, "INSERT INTO bank_pdq_log (gen, op, entry_id, value)"
                   " SELECT ?, 1, id, value FROM bank_entries WHERE id > ? AND "
                   "bank_id = ? AND signal_type = 'pdq' ORDER BY id", p, 3, &n);
    return rc < 0 ? rc : vigil_bank__count_pdq(a->st, n);
}

/* Commit or roll back the adder's transaction, depending on @p rc. */
static int adder_finish(struct adder *a, int rc)
{
    int i;

    if (rc == VIGIL_OK)
        rc = adder_flush(a);
    vigil__free(a->pend);
    a->pend = NULL;
    vgu_buf_dispose(&a->arena);
    for (i = 0; i < 2; i++) {
        vigil__stmt_free(a->ins[i]);
        vigil__stmt_free(a->ins_n[i]);
        a->ins[i] = a->ins_n[i] = NULL;
    }
    if (rc == VIGIL_OK && a->pdq_added)
        rc = adder_log(a);
    if (rc < 0) {
        vigil_store_rollback(a->st);
        return rc;
    }
    return vigil_store_commit(a->st);
}

int vigil_bank_add_entries(vigil_store *st, const char *name,
                           const vigil_bank_entry *e, size_t n,
                           vigil_import_counts *counts_out)
{
    struct adder a;
    size_t i;
    int rc;

    VIGIL_ASSERT_ARG(st != NULL && name != NULL && (e != NULL || n == 0));
    memset(&a, 0, sizeof(a));
    a.st = st;
    a.name = name;
    if ((rc = vigil_store_begin(st)) < 0)
        return rc;
    rc = adder_bank(&a, NULL);
    for (i = 0; rc == VIGIL_OK && i < n; i++)
        rc = adder_entry(&a, &e[i]);
    rc = adder_finish(&a, rc);
    if (counts_out)
        *counts_out = a.c;
    return rc;
}

static int read_file(char **out, size_t *len_out, const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    char *buf;
    size_t n;

    *out = NULL;
    if (!f)
        return vigil_error_set(VIGIL_EIO, "%s: cannot open: %s", path,
                               strerror(errno));
    if (fstat(fileno(f), &sb) != 0 || (size_t)sb.st_size > BANK_MAX_FILE) {
        fclose(f);
        return vigil_error_set(VIGIL_ELIMIT, "%s: over the 4 GiB limit for a "
                               "hash list", path);
    }
    if ((buf = vigil__malloc((size_t)sb.st_size + 1)) == NULL) {
        fclose(f);
        return VIGIL_ENOMEM;
    }
    n = fread(buf, 1, (size_t)sb.st_size, f);
    if (ferror(f)) {
        fclose(f);
        vigil__free(buf);
        return vigil_error_set(VIGIL_EIO, "%s: read error", path);
    }
    fclose(f);
    buf[n] = '\0';
    *out = buf;
    *len_out = n;
    return VIGIL_OK;
}

int vigil_bank_import(vigil_store *st, const char *name, const char *path,
                      const vigil_list_parse_options *opts,
                      vigil_import_counts *counts_out)
{
    vigil_list_parse_options o = VIGIL_LIST_PARSE_OPTIONS_INIT;
    vigil_bank defaults = VIGIL_BANK_INIT;
    struct adder a;
    size_t len = 0, bad = 0;
    char *data;
    int rc;

    VIGIL_ASSERT_ARG(st != NULL && name != NULL && path != NULL);
    if (counts_out)
        memset(counts_out, 0, sizeof(*counts_out));
    if ((rc = read_file(&data, &len, path)) < 0)
        return rc;
    if (opts)
        o = *opts;
    memset(&a, 0, sizeof(a));
    a.st = st;
    a.name = name;
    a.header = &defaults;
    a.on_error = o.on_error;
    a.payload = o.payload;
    o.name = path;
    o.on_entry = adder_entry;
    o.on_header = adder_header;
    o.payload = &a;
    o.on_error = adder_error;
    if ((rc = vigil_store_begin(st)) < 0) {
        vigil__free(data);
        return rc;
    }
    if (vigil__store_cache_kib(st, VIGIL__STORE_BULK_CACHE_KIB) < 0)
        vigil_error_clear();                /* a hint only */
    rc = vigil_list_parse(&o, data, len, NULL, &bad);
    if (rc == VIGIL_OK && !a.bank_id)
        rc = adder_bank(&a, &defaults);     /* an empty list still creates */
    rc = adder_finish(&a, rc);
    if (vigil__store_cache_kib(st, VIGIL__STORE_CACHE_KIB) < 0 && rc == 0)
        vigil_error_clear();
    vigil__free(data);
    a.c.malformed = bad;
    if (counts_out)
        *counts_out = a.c;
    return rc;
}
