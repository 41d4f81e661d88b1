/*
 * vigil/store.h - the vigil database: sources (channels, accounts), items
 * (messages, posts, files), channel events, ingest runs, and the tables
 * later stages fill (matches, watchlist hits, indicators, reviews,
 * actions). The backend (SQLite file or PostgreSQL) is chosen from the URI.
 */
#ifndef VIGIL_STORE_H
#define VIGIL_STORE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vigil_store vigil_store;

/** Open flags. */
#define VIGIL_STORE_OPEN_CREATE   0x1u  /* create the database when missing */
#define VIGIL_STORE_OPEN_READONLY 0x2u  /* no migrations, no writes */

/**
 * Open a database and bring its schema up to date (forward migrations
 * only; a database written by a newer vigil is refused).
 *
 * @param[out] out  new handle; release with vigil_store_close()
 * @param uri       a file path (SQLite) or "postgresql://..."
 * @param flags     VIGIL_STORE_OPEN_*
 * @return VIGIL_OK, VIGIL_ENOTFOUND (no such database without CREATE),
 *         VIGIL_ESTORE (backend error or newer schema), VIGIL_ENOMEM
 * Threads: a handle is used by one thread at a time.
 */
int vigil_store_open(vigil_store **out, const char *uri, unsigned int flags);
void vigil_store_close(vigil_store *st);                /* NULL is a no-op */

/** Number of migrations applied (the schema version). */
int vigil_store_schema_version(vigil_store *st, int *out);
/** Name of the backend in use ("sqlite", "pg"); static storage. */
const char *vigil_store_backend_name(const vigil_store *st);

/** Group writes: one transaction per batch. Nesting is not supported. */
int vigil_store_begin(vigil_store *st);
int vigil_store_commit(vigil_store *st);
int vigil_store_rollback(vigil_store *st);

/* ---- sources ----------------------------------------------------------- */

/** A channel, group or account on a platform. */
typedef struct {
    const char *platform;     /* "telegram", "tiktok", "web", ... ; required */
    const char *external_id;  /* platform's id, e.g. Telegram dialog id; required */
    const char *handle;       /* "@name" or NULL */
    const char *title;        /* display name or NULL */
    const char *url;          /* NULL when unknown */
    const char *kind;         /* "public_channel", ... or NULL */
} vigil_source;

/**
 * Insert or update a source keyed by (platform, external_id); non-NULL
 * fields overwrite stored ones. @param[out] id_out its row id.
 */
int vigil_store_source_upsert(vigil_store *st, const vigil_source *src,
                              int64_t *id_out);

/* ---- items ------------------------------------------------------------- */

typedef enum {
    VIGIL_KIND_TEXT = 0,
    VIGIL_KIND_PHOTO,
    VIGIL_KIND_VIDEO,
    VIGIL_KIND_AUDIO,
    VIGIL_KIND_ANIMATION,
    VIGIL_KIND_STICKER,
    VIGIL_KIND_FILE,
    VIGIL_KIND__COUNT
} vigil_item_kind;

/** "text", "photo", ...; NULL when out of range. */
const char *vigil_item_kind_name(vigil_item_kind kind);

/** State of an item's media file. */
typedef enum {
    VIGIL_MEDIA_NONE = 0,   /* the item has no media */
    VIGIL_MEDIA_PRESENT,    /* file read; size and digests filled */
    VIGIL_MEDIA_SKIPPED,    /* the export left it out (placeholder sentence) */
    VIGIL_MEDIA_MISSING,    /* the path was given but no file is there */
    VIGIL_MEDIA_REFUSED     /* the path escapes the export root */
} vigil_media_state;

const char *vigil_media_state_name(vigil_media_state s);

#define VIGIL_TIME_UNKNOWN INT64_MIN

/** One message/post/file. Strings are borrowed for the call only. */
typedef struct {
    int64_t source_id;          /* from vigil_store_source_upsert() */
    const char *external_id;    /* message id within the source; required */
    int64_t posted_at;          /* UTC epoch seconds or VIGIL_TIME_UNKNOWN */
    const char *posted_local;   /* original local-time string when posted_at
                                   had to be guessed, else NULL */
    int64_t edited_at;          /* UTC epoch seconds or VIGIL_TIME_UNKNOWN */
    vigil_item_kind kind;
    const char *text;           /* UTF-8, may be NULL */
    size_t text_len;            /* bytes */
    const char *const *urls;    /* n_urls URLs found in the item */
    size_t n_urls;
    const char *author;         /* sender display name or NULL */
    const char *forwarded_from; /* origin name or NULL (hidden or not forwarded) */
    int is_forward;             /* 1 when forwarded, even with hidden origin */
    int64_t reply_to;           /* message id replied to, 0 when none */
    vigil_media_state media_state;
    const char *media_path;     /* as written in the export, or NULL */
    const char *media_note;     /* skip reason, or NULL */
    const char *mime_type;      /* or NULL */
    int64_t media_size;         /* bytes, -1 when unknown */
    const char *sha256;         /* lower-case hex or NULL */
    const char *md5;            /* lower-case hex or NULL */
    const char *lang;           /* "tgk-Cyrl", ... or NULL when not yet known */
} vigil_item;

/** Outcome of an item upsert. */
typedef enum {
    VIGIL_UPSERT_ADDED = 1,
    VIGIL_UPSERT_UPDATED = 2,   /* a newer edit replaced the stored version */
    VIGIL_UPSERT_UNCHANGED = 3
} vigil_upsert_result;

/**
 * Insert an item keyed by (source, external_id), or replace the stored one
 * when @p item carries a later edited_at.
 * @param[out] result_out  what happened (may be NULL)
 * @param[out] id_out      the item's row id (may be NULL)
 * @return VIGIL_OK, VIGIL_EINVAL, VIGIL_ESTORE
 */
int vigil_store_item_upsert(vigil_store *st, const vigil_item *item,
                            vigil_upsert_result *result_out, int64_t *id_out);

/** Largest item row id (0 for an empty store): items added later have
 *  larger ids. */
int vigil_store_item_max_id(vigil_store *st, int64_t *out);

/** A channel event (Telegram service message): not counted as an item. */
typedef struct {
    int64_t source_id;
    const char *external_id;    /* message id */
    int64_t at;                 /* UTC epoch seconds or VIGIL_TIME_UNKNOWN */
    const char *action;         /* "create_channel", "pin_message", ... */
    const char *actor;          /* or NULL */
    const char *detail;         /* title or other text, or NULL */
} vigil_event;

/** Insert an event once; re-inserting the same key changes nothing. */
int vigil_store_event_upsert(vigil_store *st, const vigil_event *ev);

/* ---- ingest runs ------------------------------------------------------- */

/** Record the start of an ingest of @p path; @param[out] id_out run id. */
int vigil_store_run_begin(vigil_store *st, const char *kind, const char *path,
                          int64_t *id_out);

/** Counters kept for one run. */
typedef struct {
    uint64_t messages;      /* message objects read */
    uint64_t added, updated, unchanged;
    uint64_t events;        /* service messages */
    uint64_t media_present, media_skipped, media_missing, media_refused;
    uint64_t rejected;      /* messages refused as malformed */
    uint64_t matched;       /* bank matches recorded for the new items */
    uint64_t triaged;       /* new items given language, hits, indicators */
} vigil_run_counts;

/** Record how a run ended: status "ok", "partial" or "failed". */
int vigil_store_run_end(vigil_store *st, int64_t run_id, const char *status,
                        const vigil_run_counts *counts, const char *error);

/* ---- statistics -------------------------------------------------------- */

typedef struct {
    char *key;
    int64_t count;
} vigil_count;

typedef struct {
    vigil_count *v;
    size_t n;
} vigil_counts;

/** Counts over the stored items. */
typedef struct {
    int64_t items;
    int64_t sources;
    int64_t events;
    vigil_counts by_kind;       /* "photo" -> n */
    vigil_counts by_source;     /* "telegram:Title" -> n */
    vigil_counts by_month;      /* "2024-03" -> n ("unknown" when no date) */
    vigil_counts by_lang;       /* "tgk-Cyrl" -> n ("unknown" when not set) */
    /* from text triage: items naming an outlet (watchlist hits), items
     * holding an indicator of a type whose checksum did not fail */
    vigil_counts by_outlet;     /* "Amaq News Agency" -> n items */
    vigil_counts by_indicator;  /* "monero" -> n items */
} vigil_stats;

/**
 * Compute counts over the whole database.
 * @param[out] out  release with vigil_stats_free()
 */
int vigil_store_stats(vigil_stats **out, vigil_store *st);
void vigil_stats_free(vigil_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
