/*
 * pipeline/run.h - what every ingest pipeline shares: the run record,
 * problem reports, media resolution inside the collection root with
 * digests, item upserts with counters, and one transaction per batch.
 */
#ifndef VIGIL_PIPELINE_RUN_H
#define VIGIL_PIPELINE_RUN_H

#include <limits.h>

#include "vigil/digest.h"
#include "vigil/ingest.h"
#include "vigil/langid.h"

#define VIGIL_RUN_DEFAULT_BATCH 10000

struct vigil__run {
    vigil_store *st;
    const vigil_ingest_options *opts;
    char file[PATH_MAX];         /* the file being read */
    char root[PATH_MAX];         /* real path of the folder holding it */
    size_t root_len;
    vigil_run_counts *c;
    uint64_t file_size;          /* bytes, for progress */
    size_t batch, in_batch;
    int64_t run_id;
    char resolved[PATH_MAX];
    char sha[2 * VIGIL_SHA256_LEN + 1], md5[2 * VIGIL_MD5_LEN + 1];
    vigil_langid_cache *label;   /* non-NULL: items get their language
                                    label as they are stored */
    char lang[16];
};

/**
 * Start a run over @p file: root = the folder holding it, a row in
 * ingest_runs of @p kind, and an open transaction.
 */
int vigil__run_begin(struct vigil__run *r, vigil_store *st, const char *kind,
                     const char *file, const vigil_ingest_options *opts,
                     vigil_run_counts *counts);

/**
 * The readers behind vigil_ingest_telegram() and vigil_ingest_jsonl(); with
 * @p label non-NULL (a word memo for language ID) each item with text is
 * stored with the language label text triage gives it (a label, else what
 * the item had, else "und": what vigil_triage_store_items() would write),
 * so the triage pass after the read need not rewrite every row
 * (vigil_ingest_path() with triage on).
 */
int vigil__ingest_telegram(vigil_store *st, const char *path,
                           const vigil_ingest_options *opts,
                           vigil_run_counts *counts, vigil_langid_cache *label);
int vigil__ingest_jsonl(vigil_store *st, const char *path,
                        const vigil_ingest_options *opts,
                        vigil_run_counts *counts, vigil_langid_cache *label);

/**
 * End the run: commit, record its status, and turn refused or missing
 * pieces into VIGIL_EFORMAT. @p rc is the reader's result; returns the
 * run's result with the error message set.
 */
int vigil__run_end(struct vigil__run *r, int rc, uint64_t bytes_read);

void vigil__run_report(struct vigil__run *r, uint64_t offset, const char *id,
                       const char *text);
void vigil__run_report_last(struct vigil__run *r, uint64_t offset,
                            const char *id);

/**
 * Resolve @p media (relative to the root) for @p it: refused when absolute,
 * with '..' or leaving the root through a symlink; missing when absent;
 * else digested. Problems are reported against message @p id.
 */
void vigil__run_media(struct vigil__run *r, vigil_item *it, const char *media,
                      const char *id, uint64_t offset);

/** Upsert @p it (queued: see vigil__store_item_queue()) and count the
 *  outcome when it is written; vigil__run_tick() and vigil__run_end() write
 *  what is queued. */
int vigil__run_store_item(struct vigil__run *r, const vigil_item *it);

/** After each message: commit every batch, report progress. */
int vigil__run_tick(struct vigil__run *r, uint64_t offset);

#endif
