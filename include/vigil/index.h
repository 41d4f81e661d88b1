/*
 * vigil/index.h - an exact Hamming-radius index over PDQ hashes (multi-index
 * hashing): every stored hash within the radius of a query is returned, no
 * approximation. Incremental adds and removes; saved to and opened from a
 * versioned, checksummed, memory-mapped file. See docs/internals/index.md.
 */
#ifndef VIGIL_INDEX_H
#define VIGIL_INDEX_H

#include "common.h"
#include "pdq.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vigil_index vigil_index;

/** Options for new/build/open; set version with VIGIL_INDEX_OPTIONS_INIT. */
typedef struct {
    unsigned int version;   /* set by VIGIL_INDEX_OPTIONS_INIT */
    size_t max_entries;     /* hard cap on entries; 0 = 2^31 - 1 */
    size_t delta_max;       /* entries added since the last compaction that
                               are scanned linearly before the index is
                               compacted; 0 = n/1024 clamped to 4096..65536;
                               SIZE_MAX = only by vigil_index_compact() */
    int skip_verify;        /* open(): non-zero skips the payload checksum
                               (the header is always checked) */
} vigil_index_options;

#define VIGIL_INDEX_OPTIONS_INIT { 1, 0, 0, 0 }

/** Largest radius answered through the multi-index tables; larger radii
 * are answered by an (equally exact) linear scan. */
#define VIGIL_INDEX_MIH_MAX_RADIUS 47

/** One hash found by a search. */
typedef struct {
    int64_t id;             /* the id given to add/build */
    uint16_t distance;      /* Hamming distance, 0..256, <= the radius */
    uint8_t variant;        /* index of the query (0..7) that matched best */
} vigil_index_hit;

/**
 * Results of one search; reused across searches to avoid allocation.
 * One per thread. Zero-initialise with VIGIL_INDEX_RESULTS_INIT and release
 * with vigil_index_results_dispose().
 */
typedef struct {
    vigil_index_hit *v;     /* n hits, sorted by id, one per id */
    size_t n;
    size_t cap;
    uint64_t scanned;       /* statistics of the last search: bucket */
    uint64_t verified;      /* entries looked at, full distances computed */
} vigil_index_results;

#define VIGIL_INDEX_RESULTS_INIT { NULL, 0, 0, 0, 0 }

void vigil_index_results_dispose(vigil_index_results *res);

/**
 * Create an empty index.
 * @param[out] out  release with vigil_index_free()
 * @param opts      NULL for defaults; copied
 * @return VIGIL_OK, VIGIL_ENOMEM, VIGIL_EINVAL
 */
int vigil_index_new(vigil_index **out, const vigil_index_options *opts);

/**
 * Build an index from @p n hashes at once (faster than n adds).
 * @param hashes, ids  n each; copied, not retained. Ids need not be unique.
 * @return VIGIL_OK, VIGIL_ENOMEM, VIGIL_ELIMIT (n over max_entries)
 */
int vigil_index_build(vigil_index **out, const vigil_pdq *hashes,
                      const int64_t *ids, size_t n,
                      const vigil_index_options *opts);

/**
 * Open an index saved by vigil_index_save(). The file is memory-mapped
 * read-only; adds and removes afterwards live in memory until the next save.
 * @param[out] tag_out  the tag given to save (may be NULL)
 * @return VIGIL_OK, VIGIL_EIO (cannot open/map), VIGIL_EFORMAT (not an
 *         index, other version, truncated, or checksum mismatch), VIGIL_ENOMEM
 */
int vigil_index_open(vigil_index **out, const char *path, uint64_t *tag_out,
                     const vigil_index_options *opts);

/**
 * Write the index (compacted) to @p path atomically (temporary file,
 * fsync, rename), so that a concurrent open sees the old file or the new
 * one, never a half-written one. @p tag is stored in the header for the
 * caller's use (the matcher stores the last bank change-log generation the
 * entries cover there).
 * @return VIGIL_OK, VIGIL_EIO, VIGIL_ENOMEM
 * Threads: takes the index's write lock.
 */
int vigil_index_save(vigil_index *idx, const char *path, uint64_t tag);

void vigil_index_free(vigil_index *idx);      /* NULL is a no-op */

/**
 * Add one hash. Amortised O(1): it goes to a small linear delta that is
 * merged into the tables once it holds delta_max entries.
 * @return VIGIL_OK, VIGIL_ENOMEM, VIGIL_ELIMIT
 * Threads: takes the write lock; safe against concurrent searches.
 */
int vigil_index_add(vigil_index *idx, const vigil_pdq *h, int64_t id);

/**
 * Remove the entry holding exactly @p h with @p id (one of them if added
 * twice). @return VIGIL_OK or VIGIL_ENOTFOUND. Threads: as add.
 */
int vigil_index_remove(vigil_index *idx, const vigil_pdq *h, int64_t id);

/** Merge the delta and drop removed entries (rebuilds the tables). */
int vigil_index_compact(vigil_index *idx);

/** Number of live entries. Threads: takes the read lock. */
size_t vigil_index_count(vigil_index *idx);

/**
 * Find every entry within Hamming distance @p radius (inclusive) of any of
 * @p n_queries hashes (1, or 8 for the dihedral variants of one image).
 * Each id is reported once, with its smallest distance and the query that
 * gave it (the lowest variant on ties).
 *
 * @param res        cleared, then filled; res->v sorted by id
 * @param radius     0..256
 * @return VIGIL_OK, VIGIL_ENOMEM, VIGIL_EINVAL
 * Threads: any number of concurrent searches (each with its own @p res),
 * also concurrently with add/remove (read lock).
 */
int vigil_index_search(vigil_index *idx, vigil_index_results *res,
                       const vigil_pdq *queries, unsigned n_queries,
                       unsigned radius);

#ifdef __cplusplus
}
#endif
#endif
