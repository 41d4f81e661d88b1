/*
 * vigil/match.h - matching files, hashes and stored items against the
 * enabled hash banks: PDQ within each bank's threshold (via vigil/index.h),
 * MD5 and SHA-256 exactly; suppression banks silence known false
 * positives. See docs/cli/match.md.
 */
#ifndef VIGIL_MATCH_H
#define VIGIL_MATCH_H

#include "bank.h"
#include "common.h"
#include "pdq.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Options; set version with VIGIL_MATCH_OPTIONS_INIT. */
typedef struct {
    unsigned int version;
    const char *const *banks;   /* names to match against; NULL = all enabled */
    size_t n_banks;
    int threshold;              /* PDQ radius for every bank; -1 = per bank */
    int dihedral;               /* non-zero: also the 8 rotations/flips */
    const char *index_path;     /* PDQ index file: opened, brought up to
                                   date from the bank change log, rewritten
                                   when that tail is long; NULL = built in
                                   memory every time */
    int index_rebuild;          /* non-zero: build from the store and save,
                                   ignoring the file (repair) */
    int index_compact;          /* non-zero: merge any applied tail into the
                                   tables and save (rematch, reindex) */
    size_t index_tail_max;      /* tail length that triggers compact+save;
                                   0 = entries/1024 clamped to 4096..65536 */
    int index_keep_log;         /* non-zero: do not prune the change-log rows
                                   a saved file covers (by default they are
                                   deleted; older files then rebuild) */
} vigil_match_options;

#define VIGIL_MATCH_OPTIONS_INIT { 1, NULL, 0, -1, 0, NULL, 0, 0, 0, 0 }

/** How the matcher got its PDQ index (for tools, tests and benchmarks). */
typedef struct {
    int rebuilt;                /* built from every stored entry */
    int compacted;              /* the tail was merged into the tables */
    int saved;                  /* index_path was (re)written */
    size_t tail;                /* change-log rows applied to the file */
    int64_t gen;                /* bank generation the index covers */
    size_t entries;             /* PDQ entries in the index */
} vigil_match_index_info;

/** One match. Strings owned by the vigil_match_list. */
typedef struct {
    char *bank;
    char *label;                /* entry label or NULL */
    vigil_signal_type type;     /* pdq, md5 or sha256 */
    int distance;               /* PDQ Hamming distance; 0 for digests */
    int variant;                /* dihedral variant 0..7, or -1 when unused */
    int64_t entry_id;
    int suppression;            /* 1: from a suppression bank */
} vigil_match;

/** Matches of one query. suppressed = 1 when a suppression bank matched:
 * the other matches are then not alerts. */
typedef struct {
    vigil_match *v;
    size_t n, cap;
    int suppressed;
} vigil_match_list;

#define VIGIL_MATCH_LIST_INIT { NULL, 0, 0, 0 }

void vigil_match_list_clear(vigil_match_list *l);
void vigil_match_list_dispose(vigil_match_list *l);

/** Names of the dihedral variants in the PDQ reference order:
 * "original", "rot90", "rot180", "rot270", "flipx", "flipy", "flip_plus1",
 * "flip_minus1"; NULL out of range. */
const char *vigil_match_variant_name(int variant);

typedef struct vigil_matcher vigil_matcher;

/**
 * Prepare matching against the banks in @p st: loads bank settings and the
 * PDQ index. With opts->index_path the saved file is memory-mapped and the
 * bank change log rows written since it was saved are applied (time
 * proportional to the change); a missing, corrupt, foreign or too old file
 * (log pruned past it) is rebuilt from the store and saved atomically. A
 * long tail (index_tail_max) is merged and the file rewritten. The file is
 * a cache: failures to write it are ignored.
 * @return VIGIL_OK, VIGIL_ENOTFOUND (a named bank does not exist),
 *         VIGIL_ESTORE, VIGIL_ENOMEM
 * Threads: the matcher uses @p st; one thread at a time.
 */
int vigil_matcher_open(vigil_matcher **out, vigil_store *st,
                       const vigil_match_options *opts);
void vigil_matcher_free(vigil_matcher *m);

/**
 * How the PDQ index was obtained: rebuilt, or opened from index_path with
 * a tail of change-log rows applied, and whether it was saved. All zero
 * when no bank is active (no index). @return VIGIL_OK
 */
int vigil_matcher_index_info(const vigil_matcher *m,
                             vigil_match_index_info *out);

/** Append the matches of 1 (or 8 dihedral) PDQ hashes to @p out. */
int vigil_matcher_pdq(vigil_matcher *m, const vigil_pdq *q, unsigned n_q,
                      vigil_match_list *out);

/** Append the matches of an MD5 or SHA-256 (lower-case hex) to @p out. */
int vigil_matcher_digest(vigil_matcher *m, vigil_signal_type type,
                         const char *hex, vigil_match_list *out);

/**
 * Match a file: its MD5 and SHA-256, and its PDQ hash when it decodes as
 * an image (@p pdq_status_out gets VIGIL_OK or the hashing error, e.g.
 * VIGIL_EFORMAT for a non-image; may be NULL).
 * @return VIGIL_OK, VIGIL_EIO (cannot read), VIGIL_ESTORE, VIGIL_ENOMEM
 */
int vigil_matcher_file(vigil_matcher *m, const char *path,
                       vigil_match_list *out, int *pdq_status_out);

/**
 * Match every stored item with id >= @p min_item_id whose media is present
 * (items.media_path is the resolved file; items.md5/sha256 are used when
 * set) and record the matches in the `matches` table, once per item, bank,
 * entry and variant. Items matched by a suppression bank get no rows.
 * The ingest pipeline does this for the items it has just added (and
 * those it updated, e.g. media a later export brought);
 * `vigil rematch` calls it with 0 after banks change.
 * @param[out] matches_out  rows written (may be NULL)
 * @return VIGIL_OK, VIGIL_ESTORE, VIGIL_ENOMEM (one transaction: all or
 *         nothing). Media files that cannot be read or decoded are skipped.
 * Runs its own transaction: call it after the ingest batch committed, not
 * inside one. Threads: uses @p st; one thread at a time.
 */
int vigil_match_items(vigil_store *st, int64_t min_item_id,
                      const vigil_match_options *opts, uint64_t *matches_out);

#ifdef __cplusplus
}
#endif
#endif
