/*
 * store/store_internal.h - statement helpers for library modules that keep
 * their own tables (banks, incidents, triage). They speak SQL with '?'
 * placeholders through the backend table, never to SQLite or libpq directly.
 */
#ifndef VIGIL_STORE_INTERNAL_H
#define VIGIL_STORE_INTERNAL_H

#include "vigil/store.h"
#include "vigil/sys/store_backend.h"

/** A prepared statement bound to its store. */
typedef struct vigil__stmt {
    const vigil_store_backend *be;
    void *h;
} vigil__stmt;

/** Prepare @p sql. Release with vigil__stmt_free(). */
int vigil__stmt_new(vigil__stmt **out, vigil_store *st, const char *sql);
void vigil__stmt_free(vigil__stmt *s);
int vigil__store_exec(vigil_store *st, const char *sql);
int64_t vigil__store_changes(vigil_store *st);
/** First column of the first row of @p sql (no parameters) into *out;
 * *out is left as it was when there is no row. */
int vigil__store_scalar(vigil_store *st, const char *sql, int64_t *out);
const vigil_store_backend *vigil__store_backend(vigil_store *st);

/** Page cache of an SQLite store in KiB (cache_size), the usual one. */
#define VIGIL__STORE_CACHE_KIB 65536
/** The page cache for bulk writes such as a 1M-line list import: the
 * tables and indexes they touch then stay cached (measured: -1 s CPU). */
#define VIGIL__STORE_BULK_CACHE_KIB 524288

/**
 * Set the backend's page cache to @p kib KiB (SQLite: PRAGMA cache_size;
 * pages beyond a smaller size are freed). Other backends: no-op. A hint:
 * callers may ignore failures. @return VIGIL_OK or VIGIL_ESTORE
 */
int vigil__store_cache_kib(vigil_store *st, int64_t kib);

static inline int vigil__bind_int64(vigil__stmt *s, int i, int64_t v)
{ return s->be->bind_int64(s->h, i, v); }
static inline int vigil__bind_double(vigil__stmt *s, int i, double v)
{ return s->be->bind_double(s->h, i, v); }
static inline int vigil__bind_null(vigil__stmt *s, int i)
{ return s->be->bind_null(s->h, i); }
/** Binds NULL when @p v is NULL. */
int vigil__bind_text(vigil__stmt *s, int i, const char *v, size_t len);
int vigil__bind_str(vigil__stmt *s, int i, const char *v);   /* strlen */
static inline int vigil__bind_blob(vigil__stmt *s, int i, const void *p, size_t n)
{ return s->be->bind_blob(s->h, i, p, n); }
static inline int vigil__step(vigil__stmt *s)
{ return s->be->step(s->h); }
static inline int vigil__reset(vigil__stmt *s)
{ return s->be->reset(s->h); }
static inline int vigil__col_type(vigil__stmt *s, int c)
{ return s->be->column_type(s->h, c); }
static inline int64_t vigil__col_int64(vigil__stmt *s, int c)
{ return s->be->column_int64(s->h, c); }
static inline double vigil__col_double(vigil__stmt *s, int c)
{ return s->be->column_double(s->h, c); }
static inline const char *vigil__col_text(vigil__stmt *s, int c, size_t *n)
{ return s->be->column_text(s->h, c, n); }
static inline const void *vigil__col_blob(vigil__stmt *s, int c, size_t *n)
{ return s->be->column_blob(s->h, c, n); }

/**
 * Queue item @p it (copied) for a multi-row INSERT: written when 64 are
 * queued, by vigil__store_item_flush(), or before vigil_store_commit() and
 * vigil_store_item_upsert(); vigil_store_rollback() drops the queue. Keys,
 * edits and outcomes are as vigil_store_item_upsert()'s, one item after the
 * other; the outcomes are added to @p counts (added, updated, unchanged;
 * may be NULL) when written. Inside a transaction only. Errors of a write
 * are those of the first item that failed; the items before it are kept.
 * @return VIGIL_OK, VIGIL_EINVAL, VIGIL_ENOMEM, VIGIL_ESTORE
 */
int vigil__store_item_queue(vigil_store *st, const vigil_item *it,
                            vigil_run_counts *counts);
/** Write the queued items now (see vigil__store_item_queue()). */
int vigil__store_item_flush(vigil_store *st);

/** Backends known to store.c, in the order they are asked to accept a URI. */
extern const vigil_store_backend *const vigil__store_backends[];

#endif
