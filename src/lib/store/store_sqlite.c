/*
 * store/store_sqlite.c - the SQLite backend: one database file in WAL mode
 * with foreign keys on. Fills vigil_store_backend; nothing else in the
 * library names SQLite.
 */
#define VIGIL_MODULE "store"
#include <pthread.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "common/alloc.h"
#include "common/error.h"
#include "store/migrations.h"
#include "store/store_internal.h"

#define VIGIL__STR(x) #x
#define VIGIL__XSTR(x) VIGIL__STR(x)

struct sq_state {
    sqlite3 *db;
    char *path;
};

struct sq_stmt {
    sqlite3_stmt *st;
    struct sq_state *s;
};

static int sq_fail(sqlite3 *db, const char *what)
{
    int ec = sqlite3_extended_errcode(db);

    if (ec == SQLITE_BUSY || ec == SQLITE_LOCKED)
        return vigil_error_set(VIGIL_EBUSY, "%s: database is busy (%s)", what,
                               sqlite3_errmsg(db));
    return vigil_error_set(VIGIL_ESTORE, "%s: %s", what, sqlite3_errmsg(db));
}

static int sq_accepts(const char *uri)
{
    return strncmp(uri, "postgres://", 11) != 0 &&
           strncmp(uri, "postgresql://", 13) != 0;
}

static int sq_exec(void *state, const char *sql)
{
    struct sq_state *s = state;
    char *msg = NULL;

    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = vigil_error_set(VIGIL_ESTORE, "%s: %s", s->path,
                                 msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return rc;
    }
    return VIGIL_OK;
}

static int sq_begin(void *state)
{
    return sq_exec(state, "BEGIN IMMEDIATE");
}

static int sq_commit(void *state)
{
    return sq_exec(state, "COMMIT");
}

static int sq_rollback(void *state)
{
    return sq_exec(state, "ROLLBACK");
}

static void sq_close(void *state)
{
    struct sq_state *s = state;

    if (!s)
        return;
    sqlite3_close_v2(s->db);
    vigil__free(s->path);
    vigil__free(s);
}

/* Process-wide SQLite settings, applied once before its first use:
 * allocation statistics off (they take a global mutex per malloc). */
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;

static void sq_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  /* MISUSE if already up */
}

static int sq_open(void **out, const char *uri, unsigned int flags)
{
    struct sq_state *s;
    struct stat sb;
    int oflags, rc;

    *out = NULL;
    pthread_once(&sq_once, sq_configure);
    if (!(flags & VIGIL_STORE_CREATE) && stat(uri, &sb) != 0)
        return vigil_error_set(VIGIL_ENOTFOUND,
                               "%s: no such database (run 'vigil init')", uri);
    if ((s = vigil__calloc(1, sizeof(*s))) == NULL ||
        (s->path = vigil__strdup(uri)) == NULL) {
        vigil__free(s);
        return VIGIL_ENOMEM;
    }
    oflags = (flags & VIGIL_STORE_READONLY) ? SQLITE_OPEN_READONLY
             : SQLITE_OPEN_READWRITE |
               ((flags & VIGIL_STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(uri, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL)
        != SQLITE_OK) {
        rc = vigil_error_set(VIGIL_ESTORE, "%s: cannot open: %s", uri,
                             s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sq_close(s);
        return rc;
    }
    sqlite3_busy_timeout(s->db, 10000);
    sqlite3_extended_result_codes(s->db, 1);
    rc = sq_exec(s, (flags & VIGIL_STORE_READONLY)
                 ? "PRAGMA foreign_keys=ON;"
                 : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                   "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                   "PRAGMA cache_size=-" VIGIL__XSTR(VIGIL__STORE_CACHE_KIB)
                   ";");
    if (rc < 0) {
        sq_close(s);
        return rc;
    }
    *out = s;
    return VIGIL_OK;
}

static int sq_prepare(void **out, void *state, const char *sql)
{
    struct sq_state *s = state;
    struct sq_stmt *st;

    *out = NULL;
    if ((st = vigil__calloc(1, sizeof(*st))) == NULL)
        return VIGIL_ENOMEM;
    st->s = s;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->st,
                           NULL) != SQLITE_OK) {
        int rc = sq_fail(s->db, "prepare");
        vigil__free(st);
        return rc;
    }
    *out = st;
    return VIGIL_OK;
}

static int sq_bindrc(struct sq_stmt *st, int rc)
{
    return rc == SQLITE_OK ? VIGIL_OK : sq_fail(st->s->db, "bind");
}

static int sq_bind_null(void *h, int i)
{
    struct sq_stmt *st = h;
    return sq_bindrc(st, sqlite3_bind_null(st->st, i));
}

static int sq_bind_int64(void *h, int i, int64_t v)
{
    struct sq_stmt *st = h;
    return sq_bindrc(st, sqlite3_bind_int64(st->st, i, v));
}

static int sq_bind_double(void *h, int i, double v)
{
    struct sq_stmt *st = h;
    return sq_bindrc(st, sqlite3_bind_double(st->st, i, v));
}

static int sq_bind_text(void *h, int i, const char *p, size_t n)
{
    struct sq_stmt *st = h;
    return sq_bindrc(st, sqlite3_bind_text64(st->st, i, p, n, SQLITE_STATIC,
                                             SQLITE_UTF8));
}

static int sq_bind_blob(void *h, int i, const void *p, size_t n)
{
    struct sq_stmt *st = h;
    return sq_bindrc(st, sqlite3_bind_blob64(st->st, i, p, n, SQLITE_STATIC));
}

static int sq_step(void *h)
{
    struct sq_stmt *st = h;
    int rc = sqlite3_step(st->st);

    if (rc == SQLITE_ROW)
        return VIGIL_ROW;
    if (rc == SQLITE_DONE)
        return VIGIL_DONE;
    return sq_fail(st->s->db, "step");
}

static int sq_reset(void *h)
{
    struct sq_stmt *st = h;

    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
    return VIGIL_OK;
}

static void sq_finalize(void *h)
{
    struct sq_stmt *st = h;

    if (!st)
        return;
    sqlite3_finalize(st->st);
    vigil__free(st);
}

static int sq_column_type(void *h, int c)
{
    struct sq_stmt *st = h;

    switch (sqlite3_column_type(st->st, c)) {
    case SQLITE_INTEGER: return VIGIL_COL_INT;
    case SQLITE_FLOAT:   return VIGIL_COL_FLOAT;
    case SQLITE_TEXT:    return VIGIL_COL_TEXT;
    case SQLITE_BLOB:    return VIGIL_COL_BLOB;
    default:             return VIGIL_COL_NULL;
    }
}

static int64_t sq_column_int64(void *h, int c)
{
    return sqlite3_column_int64(((struct sq_stmt *)h)->st, c);
}

static double sq_column_double(void *h, int c)
{
    return sqlite3_column_double(((struct sq_stmt *)h)->st, c);
}

static const char *sq_column_text(void *h, int c, size_t *n)
{
    struct sq_stmt *st = h;
    const unsigned char *p = sqlite3_column_text(st->st, c);

    if (n)
        *n = p ? (size_t)sqlite3_column_bytes(st->st, c) : 0;
    return (const char *)p;
}

static const void *sq_column_blob(void *h, int c, size_t *n)
{
    struct sq_stmt *st = h;
    const void *p = sqlite3_column_blob(st->st, c);

    if (n)
        *n = (size_t)sqlite3_column_bytes(st->st, c);
    return p;
}

static int64_t sq_changes(void *state)
{
    return sqlite3_changes64(((struct sq_state *)state)->db);
}

static const vigil_migration *sq_migrations(void *state)
{
    (void)state;
    return vigil__migrations_sqlite;
}

const vigil_store_backend vigil__store_backend_sqlite = {
    .version = VIGIL_STORE_BACKEND_VERSION,
    .name = "sqlite",
    .accepts = sq_accepts,
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .prepare = sq_prepare,
    .bind_null = sq_bind_null,
    .bind_int64 = sq_bind_int64,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .step = sq_step,
    .reset = sq_reset,
    .finalize = sq_finalize,
    .column_type = sq_column_type,
    .column_int64 = sq_column_int64,
    .column_double = sq_column_double,
    .column_text = sq_column_text,
    .column_blob = sq_column_blob,
    .changes = sq_changes,
    .migrations = sq_migrations,
};
