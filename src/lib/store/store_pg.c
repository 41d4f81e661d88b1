/*
 * store/store_pg.c - the PostgreSQL backend (libpq): the same statement
 * interface as SQLite, for teams that outgrow one machine. '?' and '?NNN'
 * placeholders become $n; values travel as text (blobs as binary).
 * Migrations: sql/pg/NAME.sql when present, else the SQLite migration of
 * the same name with its few dialect words translated (see pg_translate).
 */
#define VIGIL_MODULE "store"
#include <ctype.h>
#include <dlfcn.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/error.h"
#include "store/migrations.h"
#include "store/store_internal.h"
#include "util/buf.h"

/*
 * libpq is loaded when the first PostgreSQL store is opened, not linked:
 * it pulls in some twenty libraries (Kerberos, LDAP, GnuTLS, ...) whose
 * loading cost every vigil command ~3 ms at start-up, used or not. The
 * calls below go through this table (the macros keep libpq's names).
 */
static struct {
    PGconn *(*PQconnectdb)(const char *);
    ConnStatusType (*PQstatus)(const PGconn *);
    char *(*PQerrorMessage)(const PGconn *);
    void (*PQfinish)(PGconn *);
    PGresult *(*PQexec)(PGconn *, const char *);
    PGresult *(*PQprepare)(PGconn *, const char *, const char *, int, const Oid *);
    PGresult *(*PQexecPrepared)(PGconn *, const char *, int, const char *const *,
                                const int *, const int *, int);
    ExecStatusType (*PQresultStatus)(const PGresult *);
    char *(*PQresultErrorMessage)(const PGresult *);
    char *(*PQresultErrorField)(const PGresult *, int);
    void (*PQclear)(PGresult *);
    char *(*PQcmdTuples)(PGresult *);
    int (*PQntuples)(const PGresult *);
    int (*PQnfields)(const PGresult *);
    int (*PQgetisnull)(const PGresult *, int, int);
    int (*PQgetlength)(const PGresult *, int, int);
    char *(*PQgetvalue)(const PGresult *, int, int);
    Oid (*PQftype)(const PGresult *, int);
    unsigned char *(*PQunescapeBytea)(const unsigned char *, size_t *);
    void (*PQfreemem)(void *);
} pq;

#define PQconnectdb pq.PQconnectdb
#define PQstatus pq.PQstatus
#define PQerrorMessage pq.PQerrorMessage
#define PQfinish pq.PQfinish
#define PQexec pq.PQexec
#define PQprepare pq.PQprepare
#define PQexecPrepared pq.PQexecPrepared
#define PQresultStatus pq.PQresultStatus
#define PQresultErrorMessage pq.PQresultErrorMessage
#define PQresultErrorField pq.PQresultErrorField
#define PQclear pq.PQclear
#define PQcmdTuples pq.PQcmdTuples
#define PQntuples pq.PQntuples
#define PQnfields pq.PQnfields
#define PQgetisnull pq.PQgetisnull
#define PQgetlength pq.PQgetlength
#define PQgetvalue pq.PQgetvalue
#define PQftype pq.PQftype
#define PQunescapeBytea pq.PQunescapeBytea
#define PQfreemem pq.PQfreemem

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static char pq_error[256];          /* why libpq could not be loaded, or "" */

static void pq_load_once(void)
{
    /* the names in pq's order; each pointer filled through a void * */
    static const char *const names[] = {
        "PQconnectdb", "PQstatus", "PQerrorMessage", "PQfinish", "PQexec",
        "PQprepare", "PQexecPrepared", "PQresultStatus", "PQresultErrorMessage",
        "PQresultErrorField", "PQclear", "PQcmdTuples", "PQntuples", "PQnfields",
        "PQgetisnull", "PQgetlength", "PQgetvalue", "PQftype", "PQunescapeBytea",
        "PQfreemem",
    };
    const char *env = getenv("VIGIL_LIBPQ");    /* another libpq: a path or a name */
    const char *name = env && *env ? env : "libpq.so.5";
    void *lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    void *fn[sizeof(names) / sizeof(names[0])];
    size_t i;
    const char *e;

    _Static_assert(sizeof(pq) == sizeof(fn), "pq: one pointer per name");
    if (!lib) {
        e = dlerror();
        snprintf(pq_error, sizeof(pq_error), "cannot load %s (Debian package libpq5): %s",
                 name, e ? e : "dlopen failed");
        return;
    }
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if ((fn[i] = dlsym(lib, names[i])) == NULL) {
            snprintf(pq_error, sizeof(pq_error), "%s has no %s", name, names[i]);
            dlclose(lib);
            return;
        }
    }
    memcpy(&pq, fn, sizeof(pq));    /* POSIX: function and object pointers
                                     * have one representation */
}

/* Load libpq once; VIGIL_OK or an error naming what is missing. */
static int pq_load(void)
{
    pthread_once(&pq_once, pq_load_once);
    return pq_error[0] ? vigil_error_set(VIGIL_ESTORE, "postgresql: %s", pq_error)
                       : VIGIL_OK;
}

/* Type OIDs from PostgreSQL's pg_type.dat (stable across versions). */
#define PG_BOOL 16
#define PG_BYTEA 17
#define PG_INT8 20
#define PG_INT2 21
#define PG_INT4 23
#define PG_OID 26
#define PG_FLOAT4 700
#define PG_FLOAT8 701
#define PG_NUMERIC 1700

struct pg_state {
    PGconn *conn;
    int64_t changes;
    unsigned long next_stmt;
    vigil_migration *migs;      /* translated migrations, NULL-terminated */
    char **mig_sql;             /* owned SQL of each */
    size_t nmigs;
};

struct pg_stmt {
    struct pg_state *s;
    char name[32];
    int nparams;
    char **values;              /* owned copies, NULL = SQL NULL */
    int *lengths, *formats;
    PGresult *res;
    int row;                    /* next row to hand out */
    int ran;
    unsigned char *blob;        /* last unescaped bytea */
};

static int pg_fail(struct pg_state *s, const char *what)
{
    char msg[512];
    size_t n;

    snprintf(msg, sizeof(msg), "%s", PQerrorMessage(s->conn));
    n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    return vigil_error_set(VIGIL_ESTORE, "postgresql: %s: %s", what, msg);
}

static int pg_res_fail(struct pg_state *s, PGresult *r, const char *what)
{
    const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    int rc;

    if (code && (strcmp(code, "40001") == 0 || strcmp(code, "55P03") == 0 ||
                 strcmp(code, "40P01") == 0))
        rc = vigil_error_set(VIGIL_EBUSY, "postgresql: %s: %s", what,
                             PQresultErrorMessage(r));
    else
        rc = pg_fail(s, what);
    PQclear(r);
    return rc;
}

static int pg_accepts(const char *uri)
{
    return strncmp(uri, "postgres://", 11) == 0 ||
           strncmp(uri, "postgresql://", 13) == 0;
}

static int pg_exec(void *state, const char *sql)
{
    struct pg_state *s = state;
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType st = PQresultStatus(r);

    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        return pg_res_fail(s, r, "exec");
    PQclear(r);
    return VIGIL_OK;
}

static int pg_begin(void *state)
{
    return pg_exec(state, "BEGIN");
}

static int pg_commit(void *state)
{
    return pg_exec(state, "COMMIT");
}

static int pg_rollback(void *state)
{
    return pg_exec(state, "ROLLBACK");
}

static void pg_free_migs(struct pg_state *s)
{
    size_t i;

    for (i = 0; i < s->nmigs; i++)
        vigil__free(s->mig_sql[i]);
    vigil__free(s->mig_sql);
    vigil__free(s->migs);
}

static void pg_close(void *state)
{
    struct pg_state *s = state;

    if (!s)
        return;
    PQfinish(s->conn);
    pg_free_migs(s);
    vigil__free(s);
}

/* ---- dialect ----------------------------------------------------------- */

static int word_at(const char *p, const char *start, const char *w)
{
    size_t n = strlen(w);

    return strncasecmp(p, w, n) == 0 &&
           (p == start || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
           !(isalnum((unsigned char)p[n]) || p[n] == '_');
}

/*
 * SQLite DDL to PostgreSQL: INTEGER PRIMARY KEY -> identity column,
 * INTEGER -> BIGINT (SQLite integers are 64-bit), REAL -> DOUBLE PRECISION,
 * BLOB -> BYTEA; AUTOINCREMENT and WITHOUT ROWID dropped. Quoted strings
 * and comments are copied untouched.
 */
static char *pg_translate(const char *sql)
{
    static const struct { const char *from, *to; } map[] = {
        { "INTEGER PRIMARY KEY",
          "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" },
        { "INTEGER", "BIGINT" },
        { "REAL", "DOUBLE PRECISION" },
        { "BLOB", "BYTEA" },
        { "AUTOINCREMENT", "" },
        { "WITHOUT ROWID", "" },
    };
    vgu_buf b = VGU_BUF_INIT;
    const char *p = sql;
    size_t i;

    while (*p) {
        if (*p == '\'') {
            const char *e = p + 1;
            while (*e && !(*e == '\'' && e[1] != '\''))
                e += *e == '\'' ? 2 : 1;
            if (*e)
                e++;
            if (vgu_buf_append(&b, p, (size_t)(e - p)) < 0)
                goto oom;
            p = e;
            continue;
        }
        if (p[0] == '-' && p[1] == '-') {
            const char *e = strchr(p, '\n');
            e = e ? e : p + strlen(p);
            if (vgu_buf_append(&b, p, (size_t)(e - p)) < 0)
                goto oom;
            p = e;
            continue;
        }
        for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
            if (word_at(p, sql, map[i].from))
                break;
        if (i < sizeof(map) / sizeof(map[0])) {
            if (vgu_buf_puts(&b, map[i].to) < 0)
                goto oom;
            p += strlen(map[i].from);
        } else if (vgu_buf_putc(&b, *p++) < 0) {
            goto oom;
        }
    }
    if (vgu_buf_putc(&b, '\0') < 0)
        goto oom;
    return vgu_buf_detach(&b);
oom:
    vgu_buf_dispose(&b);
    return NULL;
}

static const vigil_migration *find_mig(const vigil_migration *list,
                                       const char *name)
{
    for (; list->name; list++)
        if (strcmp(list->name, name) == 0)
            return list;
    return NULL;
}

/* The SQLite list, in its order, each replaced or translated for pg. */
static int pg_build_migs(struct pg_state *s)
{
    const vigil_migration *m, *own;
    size_t n = 0, i = 0;

    for (m = vigil__migrations_sqlite; m->name; m++)
        n++;
    if ((s->migs = vigil__calloc(n + 1, sizeof(*s->migs))) == NULL ||
        (s->mig_sql = vigil__calloc(n + 1, sizeof(*s->mig_sql))) == NULL)
        return VIGIL_ENOMEM;
    for (m = vigil__migrations_sqlite; m->name; m++, i++) {
        own = find_mig(vigil__migrations_pg, m->name);
        s->mig_sql[i] = own ? vigil__strdup(own->sql) : pg_translate(m->sql);
        if (!s->mig_sql[i])
            return VIGIL_ENOMEM;
        s->nmigs = i + 1;
        s->migs[i].name = m->name;
        s->migs[i].sql = s->mig_sql[i];
    }
    return VIGIL_OK;
}

static const vigil_migration *pg_migrations(void *state)
{
    return ((struct pg_state *)state)->migs;
}

static int pg_open(void **out, const char *uri, unsigned int flags)
{
    struct pg_state *s;
    int rc;

    *out = NULL;
    if ((rc = pq_load()) < 0)
        return rc;
    if ((s = vigil__calloc(1, sizeof(*s))) == NULL)
        return VIGIL_ENOMEM;
    s->conn = PQconnectdb(uri);
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        rc = s->conn ? pg_fail(s, "connect")
                     : vigil_error_set(VIGIL_ENOMEM, "postgresql: connect");
        pg_close(s);
        return rc;
    }
    if ((rc = pg_exec(s, "SET client_min_messages = warning")) < 0 ||
        ((flags & VIGIL_STORE_READONLY) &&
         (rc = pg_exec(s, "SET default_transaction_read_only = on")) < 0) ||
        (rc = pg_build_migs(s)) < 0) {
        pg_close(s);
        return rc;
    }
    *out = s;
    return VIGIL_OK;
}

/* ---- statements -------------------------------------------------------- */

/* '?NNN' -> $NNN; '?' -> $k with k one more than the largest number given
 * so far (SQLite's rule, so the two may be mixed); strings untouched. */
static char *pg_params(const char *sql, int *nparams)
{
    vgu_buf b = VGU_BUF_INIT;
    const char *p = sql;
    int max = 0;

    while (*p) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            const char *e = strchr(p + 1, q);
            e = e ? e + 1 : p + strlen(p);
            if (vgu_buf_append(&b, p, (size_t)(e - p)) < 0)
                goto oom;
            p = e;
        } else if (*p == '?') {
            int k;
            p++;
            if (isdigit((unsigned char)*p)) {
                k = (int)strtol(p, (char **)&p, 10);
            } else {
                k = max + 1;
            }
            if (k > max)
                max = k;
            if (vgu_buf_printf(&b, "$%d", k) < 0)
                goto oom;
        } else if (vgu_buf_putc(&b, *p++) < 0) {
            goto oom;
        }
    }
    if (vgu_buf_putc(&b, '\0') < 0)
        goto oom;
    *nparams = max;
    return vgu_buf_detach(&b);
oom:
    vgu_buf_dispose(&b);
    return NULL;
}

static void pg_finalize(void *h)
{
    struct pg_stmt *st = h;
    char sql[64];
    int i;

    if (!st)
        return;
    PQclear(st->res);
    if (st->blob)
        PQfreemem(st->blob);
    for (i = 0; i < st->nparams; i++)
        vigil__free(st->values[i]);
    vigil__free(st->values);
    vigil__free(st->lengths);
    vigil__free(st->formats);
    if (st->s && PQstatus(st->s->conn) == CONNECTION_OK) {
        snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
        PQclear(PQexec(st->s->conn, sql));
    }
    vigil__free(st);
}

static int pg_prepare(void **out, void *state, const char *sql)
{
    struct pg_state *s = state;
    struct pg_stmt *st;
    char *q;
    PGresult *r;
    int n = 0;

    *out = NULL;
    if ((q = pg_params(sql, &n)) == NULL)
        return VIGIL_ENOMEM;
    if ((st = vigil__calloc(1, sizeof(*st))) == NULL ||
        (n && ((st->values = vigil__calloc((size_t)n, sizeof(char *))) == NULL ||
               (st->lengths = vigil__calloc((size_t)n, sizeof(int))) == NULL ||
               (st->formats = vigil__calloc((size_t)n, sizeof(int))) == NULL))) {
        vigil__free(q);
        if (st) {
            vigil__free(st->values);
            vigil__free(st->lengths);
            vigil__free(st);
        }
        return VIGIL_ENOMEM;
    }
    st->nparams = n;
    snprintf(st->name, sizeof(st->name), "vigil_%lu", ++s->next_stmt);
    r = PQprepare(s->conn, st->name, q, n, NULL);
    vigil__free(q);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        int rc = pg_res_fail(s, r, "prepare");
        pg_finalize(st);
        return rc;
    }
    PQclear(r);
    st->s = s;
    *out = st;
    return VIGIL_OK;
}

static int pg_set(struct pg_stmt *st, int i, const void *p, size_t n, int fmt)
{
    char *v = NULL;

    if (i < 1 || i > st->nparams)
        return vigil_error_set(VIGIL_EINVAL, "bind index %d out of 1..%d", i,
                               st->nparams);
    if (n > 0x7fffffff)
        return vigil_error_set(VIGIL_ELIMIT, "bound value over 2 GiB");
    if (p && (v = vigil__malloc(n + 1)) == NULL)
        return VIGIL_ENOMEM;
    if (p) {
        memcpy(v, p, n);
        v[n] = '\0';
    }
    vigil__free(st->values[i - 1]);
    st->values[i - 1] = v;
    st->lengths[i - 1] = (int)n;
    st->formats[i - 1] = fmt;
    return VIGIL_OK;
}

static int pg_bind_null(void *h, int i)
{
    return pg_set(h, i, NULL, 0, 0);
}

static int pg_bind_int64(void *h, int i, int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);

    return pg_set(h, i, tmp, (size_t)n, 0);
}

static int pg_bind_double(void *h, int i, double v)
{
    char tmp[40];
    int n = snprintf(tmp, sizeof(tmp), "%.17g", v);

    return pg_set(h, i, tmp, (size_t)n, 0);
}

static int pg_bind_text(void *h, int i, const char *p, size_t n)
{
    if (memchr(p, '\0', n))
        return vigil_error_set(VIGIL_EFORMAT, "postgresql text cannot hold "
                               "a NUL byte");
    return pg_set(h, i, p, n, 0);
}

static int pg_bind_blob(void *h, int i, const void *p, size_t n)
{
    return pg_set(h, i, p ? p : "", n, 1);
}

static int pg_step(void *h)
{
    struct pg_stmt *st = h;
    ExecStatusType es;

    if (!st->ran) {
        const char *ct;

        st->ran = 1;
        st->row = 0;
        st->res = PQexecPrepared(st->s->conn, st->name, st->nparams,
                                 (const char *const *)st->values, st->lengths,
                                 st->formats, 0);
        es = PQresultStatus(st->res);
        if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK) {
            int rc = pg_res_fail(st->s, st->res, "step");
            st->res = NULL;
            return rc;
        }
        ct = PQcmdTuples(st->res);
        st->s->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
    }
    if (st->res && st->row < PQntuples(st->res)) {
        st->row++;
        return VIGIL_ROW;
    }
    return VIGIL_DONE;
}

static int pg_reset(void *h)
{
    struct pg_stmt *st = h;
    int i;

    PQclear(st->res);
    st->res = NULL;
    st->ran = 0;
    for (i = 0; i < st->nparams; i++) {
        vigil__free(st->values[i]);
        st->values[i] = NULL;
        st->lengths[i] = st->formats[i] = 0;
    }
    return VIGIL_OK;
}

/* The current row is row - 1 (step advanced past it). */
static int pg_cur(const struct pg_stmt *st, int col)
{
    return st->res && st->row > 0 && col >= 0 && col < PQnfields(st->res);
}

static int pg_column_type(void *h, int col)
{
    struct pg_stmt *st = h;

    if (!pg_cur(st, col) || PQgetisnull(st->res, st->row - 1, col))
        return VIGIL_COL_NULL;
    switch (PQftype(st->res, col)) {
    case PG_BOOL: case PG_INT2: case PG_INT4: case PG_INT8: case PG_OID:
        return VIGIL_COL_INT;
    case PG_FLOAT4: case PG_FLOAT8: case PG_NUMERIC:
        return VIGIL_COL_FLOAT;
    case PG_BYTEA:
        return VIGIL_COL_BLOB;
    default:
        return VIGIL_COL_TEXT;
    }
}

static const char *pg_value(struct pg_stmt *st, int col)
{
    if (!pg_cur(st, col) || PQgetisnull(st->res, st->row - 1, col))
        return NULL;
    return PQgetvalue(st->res, st->row - 1, col);
}

static int64_t pg_column_int64(void *h, int col)
{
    const char *v = pg_value(h, col);

    if (!v)
        return 0;
    if (v[0] == 't' && v[1] == '\0')
        return 1;
    return strtoll(v, NULL, 10);
}

static double pg_column_double(void *h, int col)
{
    const char *v = pg_value(h, col);

    return v ? strtod(v, NULL) : 0.0;
}

static const char *pg_column_text(void *h, int col, size_t *n)
{
    struct pg_stmt *st = h;
    const char *v = pg_value(st, col);

    if (n)
        *n = v ? (size_t)PQgetlength(st->res, st->row - 1, col) : 0;
    return v;
}

static const void *pg_column_blob(void *h, int col, size_t *n)
{
    struct pg_stmt *st = h;
    const char *v = pg_value(st, col);
    size_t len = 0;

    if (st->blob) {
        PQfreemem(st->blob);
        st->blob = NULL;
    }
    if (v && PQftype(st->res, col) == PG_BYTEA)
        st->blob = PQunescapeBytea((const unsigned char *)v, &len);
    else if (v)
        len = (size_t)PQgetlength(st->res, st->row - 1, col);
    if (n)
        *n = len;
    return st->blob ? (const void *)st->blob : (const void *)v;
}

static int64_t pg_changes(void *state)
{
    return ((struct pg_state *)state)->changes;
}

const vigil_store_backend vigil__store_backend_pg = {
    .version = VIGIL_STORE_BACKEND_VERSION,
    .name = "pg",
    .accepts = pg_accepts,
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .prepare = pg_prepare,
    .bind_null = pg_bind_null,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .column_type = pg_column_type,
    .column_int64 = pg_column_int64,
    .column_double = pg_column_double,
    .column_text = pg_column_text,
    .column_blob = pg_column_blob,
    .changes = pg_changes,
    .migrations = pg_migrations,
};
