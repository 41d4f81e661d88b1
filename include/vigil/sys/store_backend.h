/*
 * vigil/sys/store_backend.h - the function table a storage backend fills
 * (SQLite today, PostgreSQL next). store.c and every caller above it speak
 * only this interface, so a backend is added without touching them.
 *
 * The interface is a small statement API: SQL text with '?' placeholders
 * (a backend that needs $1, $2 ... rewrites them in prepare), positional
 * binds from 1, and columns from 0. Stability: minor versions only.
 */
#ifndef VIGIL_SYS_STORE_BACKEND_H
#define VIGIL_SYS_STORE_BACKEND_H

#include "../common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Column types reported by column_type(). */
typedef enum {
    VIGIL_COL_NULL = 0,
    VIGIL_COL_INT = 1,
    VIGIL_COL_FLOAT = 2,
    VIGIL_COL_TEXT = 3,
    VIGIL_COL_BLOB = 4
} vigil_col_type;

/** One forward migration: applied once, in array order, inside a transaction. */
typedef struct {
    const char *name;       /* unique, sortable: "0001_base" */
    const char *sql;        /* one or more statements */
} vigil_migration;

/** Flags for open(). */
#define VIGIL_STORE_CREATE   0x1u    /* create the database when missing */
#define VIGIL_STORE_READONLY 0x2u

typedef struct vigil_store_backend {
    unsigned int version;   /* VIGIL_STORE_BACKEND_VERSION */
    const char *name;       /* "sqlite", "pg" */

    /** 1 when this backend handles @p uri ("postgresql://..." or a path). */
    int (*accepts)(const char *uri);
    /** Open; *state_out is passed back to every other call. */
    int (*open)(void **state_out, const char *uri, unsigned int flags);
    void (*close)(void *state);
    /** Run one or more statements that return no rows. */
    int (*exec)(void *state, const char *sql);
    /** Transactions; begin takes the write lock at once where it can. */
    int (*begin)(void *state);
    int (*commit)(void *state);
    int (*rollback)(void *state);

    int (*prepare)(void **stmt_out, void *state, const char *sql);
    int (*bind_null)(void *stmt, int idx);
    int (*bind_int64)(void *stmt, int idx, int64_t v);
    int (*bind_double)(void *stmt, int idx, double v);
    /** Text and blobs are NOT copied: they must stay valid and unchanged
     *  until the statement has been stepped and reset. */
    int (*bind_text)(void *stmt, int idx, const char *s, size_t len);
    int (*bind_blob)(void *stmt, int idx, const void *p, size_t len);
    /** VIGIL_ROW, VIGIL_DONE or a negative status (message set). */
    int (*step)(void *stmt);
    /** Ready the statement to run again; bindings are cleared. */
    int (*reset)(void *stmt);
    void (*finalize)(void *stmt);
    int (*column_type)(void *stmt, int col);
    int64_t (*column_int64)(void *stmt, int col);
    double (*column_double)(void *stmt, int col);
    /** Borrowed until the next step/reset/finalize; NUL-terminated. */
    const char *(*column_text)(void *stmt, int col, size_t *len_out);
    const void *(*column_blob)(void *stmt, int col, size_t *len_out);
    /** Rows changed by the last statement that ran. */
    int64_t (*changes)(void *state);

    /** Migrations for this open database, in order, terminated by
     *  { NULL, NULL }; owned by the backend state. */
    const vigil_migration *(*migrations)(void *state);
} vigil_store_backend;

#define VIGIL_STORE_BACKEND_VERSION 1

#ifdef __cplusplus
}
#endif
#endif
