/*
 * vigil/ingest.h - reading what analysts collect into the store. Today:
 * Telegram Desktop JSON exports (a folder holding result.json, or the file;
 * single-chat or full-account). Re-ingesting is idempotent on
 * (platform, chat id, message id); a later edit replaces the stored version.
 */
#ifndef VIGIL_INGEST_H
#define VIGIL_INGEST_H

#include "common.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A problem with one message or media file; the ingest goes on. */
typedef struct {
    const char *path;          /* export file */
    uint64_t offset;           /* byte offset of the message in that file */
    const char *message_id;    /* or NULL when it could not be read */
    const char *text;          /* one line */
} vigil_ingest_problem;

typedef struct {
    unsigned int version;       /* VIGIL_INGEST_OPTIONS_VERSION */
    size_t batch_size;          /* messages per transaction; 0 = 10000 */
    size_t max_message_bytes;   /* per message; 0 = 64 MiB */
    int skip_media_digests;     /* 1: do not read media files */
    /** Called for every problem; may be NULL. */
    void (*problem)(const vigil_ingest_problem *p, void *payload);
    /** Called about every 1000 messages; may be NULL. */
    void (*progress)(uint64_t messages, uint64_t bytes_done,
                     uint64_t bytes_total, void *payload);
    void *payload;
    /* After the read, vigil_ingest_path() runs the detection stages over
     * the items it added: bank matching and text triage. */
    int skip_match;             /* 1: do not match against hash banks */
    int skip_triage;            /* 1: no language/watchlist/indicators */
    const char *match_index;    /* PDQ index cache file for matching, or
                                   NULL to build the index in memory */
} vigil_ingest_options;

#define VIGIL_INGEST_OPTIONS_VERSION 1
#define VIGIL_INGEST_OPTIONS_INIT { VIGIL_INGEST_OPTIONS_VERSION, 0, 0, 0, \
                                    NULL, NULL, NULL, 0, 0, NULL }

/**
 * Ingest one Telegram Desktop export into @p st. Media paths are resolved
 * inside the export's folder only; each media file is digested (SHA-256,
 * MD5). Writes are committed every batch_size messages, so an interrupted
 * ingest keeps what it committed and a re-run completes it.
 *
 * @param[out] counts  filled even on failure (may be NULL)
 * @return VIGIL_OK when every message and media file was read;
 *         VIGIL_EFORMAT when some were refused or missing (the rest is
 *         stored; each was reported through opts->problem) or the JSON is
 *         malformed beyond recovery (what came before is stored);
 *         VIGIL_EIO, VIGIL_ESTORE, VIGIL_ENOMEM, VIGIL_ELIMIT.
 *         The error message names the file and byte offset.
 * Threads: uses @p st exclusively for the call.
 */
int vigil_ingest_telegram(vigil_store *st, const char *path,
                          const vigil_ingest_options *opts,
                          vigil_run_counts *counts);

/**
 * Ingest a vigil.feed/1 JSON Lines feed (docs/formats/jsonl.md): one post
 * per line from any platform; media paths are relative to the feed's
 * folder. A malformed line is refused alone and reported with its line
 * number; codes as vigil_ingest_telegram().
 */
int vigil_ingest_jsonl(vigil_store *st, const char *path,
                       const vigil_ingest_options *opts,
                       vigil_run_counts *counts);

typedef enum {
    VIGIL_INGEST_AUTO = 0,      /* decide from the path (see below) */
    VIGIL_INGEST_TELEGRAM,
    VIGIL_INGEST_JSONL
} vigil_ingest_format;

/** "telegram", "jsonl" or "auto"; NULL when out of range. */
const char *vigil_ingest_format_name(vigil_ingest_format f);

/**
 * Ingest whatever @p path holds, then run the detection stages over the
 * items it added (see skip_match / skip_triage). AUTO: a folder with result.json is a
 * Telegram export; a folder without one is searched (not recursively) for
 * *.jsonl / *.ndjson feeds, read in name order; a file named *.jsonl or
 * *.ndjson is a feed; any other file a Telegram result.json.
 * @param[out] counts  summed over every file read (may be NULL)
 * @return as vigil_ingest_telegram(); VIGIL_ENOTFOUND when a folder holds
 *         nothing vigil can read. Every file is read even after one fails;
 *         the first failure is returned.
 */
int vigil_ingest_path(vigil_store *st, const char *path,
                      vigil_ingest_format format,
                      const vigil_ingest_options *opts,
                      vigil_run_counts *counts);

#ifdef __cplusplus
}
#endif
#endif
