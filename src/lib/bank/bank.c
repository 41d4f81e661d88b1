/*
 * bank/bank.c - banks and their entries in the store (tables banks,
 * bank_entries, bank_state of 0002_banks.sql): create, list, update,
 * remove, add entries and import list files in one transaction each.
 */
#define VIGIL_MODULE "bank"
#include <errno.h>
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
/* Entries are inserted in batches sorted by (type, value), so that the
 * unique index grows in order instead of at random pages: 1M random PDQ
 * hashes go in ~10x faster. */
#define BATCH_MAX_ENTRIES 262144
#define BATCH_MAX_BYTES ((size_t)64 << 20)
#define NOSTR ((size_t)-1)

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
    vigil__stmt *s;
    int rc;

    if ((rc = vigil__stmt_new(&s, st, "SELECT value FROM bank_state WHERE "
                              "key = 'pdq_generation'")) < 0)
        return rc;
    rc = vigil__step(s);
    *out = rc == VIGIL_ROW ? vigil__col_int64(s, 0) : 0;
    vigil__stmt_free(s);
    return rc < 0 ? rc : VIGIL_OK;
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
    for (i = 0; rc >= 0 && i < n; i++)
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
    vigil__stmt *s;
    int rc;

    if ((rc = vigil__stmt_new(&s, st, sql)) < 0)
        return rc;
    vigil__bind_int64(s, 1, id);
    rc = step_done(s);
    vigil__stmt_free(s);
    return rc;
}

int vigil_bank_remove(vigil_store *st, const char *name)
{
    int64_t id;
    int rc;

    VIGIL_ASSERT_ARG(st != NULL && name != NULL);
    if ((rc = vigil_store_begin(st)) < 0)
        return rc;
    if ((rc = vigil_bank__id(st, name, &id)) == VIGIL_OK &&
        (rc = exec_id(st, "DELETE FROM bank_entries WHERE bank_id = ?", id))
        == VIGIL_OK &&
        (rc = exec_id(st, "DELETE FROM banks WHERE id = ?", id)) == VIGIL_OK)
        rc = vigil_bank__bump_generation(st);
    if (rc < 0) {
        vigil_store_rollback(st);
        return rc;
    }
    return vigil_store_commit(st);
}

/* ---- adding entries ---------------------------------------------------- */

/* One queued entry: string fields as offsets into the arena (NOSTR: NULL). */
struct pending {
    int type;
    size_t line;
    size_t f[7];    /* value, label, outlet, category, source_list, date, note */
};

struct adder {
    vigil_store *st;
    struct pending *pend;
    size_t np, pcap;
    vgu_buf arena;
    const char *name;
    int64_t bank_id;            /* 0 until known */
    int takes[VIGIL_SIGNAL__COUNT];
    vigil__stmt *ins;
    vigil_import_counts c;
    int pdq_added;
    const vigil_bank *header;   /* JSONL settings for a new bank */
    vigil_list_error_cb on_error;
    void *payload;
};

static int adder_bank(struct adder *a, const vigil_bank *settings)
{
    vigil_bank b = VIGIL_BANK_INIT;
    const char *t;
    vigil_signal_type ty;
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
    if (rc < 0)
        return rc;
    if ((rc = vigil_bank_get(&b, a->st, a->name)) < 0)
        return rc;
    for (t = b.signal_types; *t; t += strcspn(t, ",") + (t[strcspn(t, ",")]
                                                          == ','))
        if (vigil_signal_type_parse(&ty, t, strcspn(t, ",")) == VIGIL_OK)
            a->takes[ty] = 1;
    vigil_bank_dispose(&b);
    return vigil__stmt_new(&a->ins, a->st, "INSERT INTO bank_entries (bank_id,"
                           " signal_type, value, label, outlet, category, "
                           "source_list, date_added, note, added_at) VALUES "
                           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                           "(signal_type, value, bank_id) DO NOTHING");
}

static int insert_one(struct adder *a, int type, const char *const f[7])
{
    vigil__stmt *s = a->ins;
    int rc, i;

    vigil__bind_int64(s, 1, a->bank_id);
    vigil__bind_str(s, 2, vigil_signal_type_name(type));
    for (i = 0; i < 7; i++)
        vigil__bind_str(s, 3 + i, f[i]);
    vigil__bind_int64(s, 10, now_utc());
    if ((rc = vigil__step(s)) < 0)
        return rc;
    vigil__reset(s);
    if (vigil__store_changes(a->st) > 0) {
        a->c.added++;
        a->pdq_added |= type == VIGIL_SIGNAL_PDQ;
    } else {
        a->c.duplicate++;
    }
    return VIGIL_OK;
}

struct pref {
    int type;
    const char *value;
    const struct pending *p;
};

static int pref_cmp(const void *x, const void *y)
{
    const struct pref *a = x, *b = y;

    if (a->type != b->type)
        return a->type - b->type;
    return strcmp(a->value, b->value);
}

/* Insert the queued entries in (type, value) order. */
static int adder_flush(struct adder *a)
{
    struct pref *r;
    size_t i;
    int rc = VIGIL_OK, k;

    if (a->np == 0)
        return VIGIL_OK;
    if ((r = vigil__mallocarray(a->np, sizeof(*r))) == NULL)
        return VIGIL_ENOMEM;
    for (i = 0; i < a->np; i++) {
        r[i].type = a->pend[i].type;
        r[i].value = a->arena.ptr + a->pend[i].f[0];
        r[i].p = &a->pend[i];
    }
    qsort(r, a->np, sizeof(*r), pref_cmp);
    for (i = 0; rc == VIGIL_OK && i < a->np; i++) {
        const char *f[7];

        for (k = 0; k < 7; k++)
            f[k] = r[i].p->f[k] == NOSTR ? NULL : a->arena.ptr + r[i].p->f[k];
        rc = insert_one(a, r[i].type, f);
    }
    vigil__free(r);
    a->np = 0;
    vgu_buf_clear(&a->arena);
    return rc;
}

static size_t arena_put(struct adder *a, const char *s, int *err)
{
    size_t at = a->arena.len;

    if (!s)
        return NOSTR;
    if (vgu_buf_append(&a->arena, s, strlen(s) + 1) != 0)
        *err = 1;
    return at;
}

static int adder_entry(void *payload, const vigil_bank_entry *e)
{
    struct adder *a = payload;
    struct pending *p;
    int rc, err = 0;

    if (!a->bank_id && (rc = adder_bank(a, a->header)) < 0)
        return rc;
    if (e->type >= VIGIL_SIGNAL__COUNT || !a->takes[e->type]) {
        char msg[160];

        a->c.refused++;
        snprintf(msg, sizeof(msg), "bank '%s' does not take %s entries",
                 a->name, vigil_signal_type_name(e->type));
        if (a->on_error)
            a->on_error(a->payload, e->line, msg);
        return 0;
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
    p->line = e->line;
    p->f[0] = arena_put(a, e->value, &err);
    p->f[1] = arena_put(a, e->label, &err);
    p->f[2] = arena_put(a, e->outlet, &err);
    p->f[3] = arena_put(a, e->category, &err);
    p->f[4] = arena_put(a, e->source_list, &err);
    p->f[5] = arena_put(a, e->date_added, &err);
    p->f[6] = arena_put(a, e->note, &err);
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

/* Commit or roll back the adder's transaction, depending on @p rc. */
static int adder_finish(struct adder *a, int rc)
{
    if (rc == VIGIL_OK)
        rc = adder_flush(a);
    vigil__free(a->pend);
    a->pend = NULL;
    vgu_buf_dispose(&a->arena);
    vigil__stmt_free(a->ins);
    a->ins = NULL;
    if (rc == VIGIL_OK && a->pdq_added)
        rc = vigil_bank__bump_generation(a->st);
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
    rc = vigil_list_parse(&o, data, len, NULL, &bad);
    if (rc == VIGIL_OK && !a.bank_id)
        rc = adder_bank(&a, &defaults);     /* an empty list still creates */
    rc = adder_finish(&a, rc);
    vigil__free(data);
    a.c.malformed = bad;
    if (counts_out)
        *counts_out = a.c;
    return rc;
}
