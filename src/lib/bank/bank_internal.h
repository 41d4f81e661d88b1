/*
 * bank/bank_internal.h - helpers shared by the bank modules (store access,
 * list parsing and writing, matching). Library-internal.
 */
#ifndef VIGIL_BANK_INTERNAL_H
#define VIGIL_BANK_INTERNAL_H

#include "vigil/bank.h"
#include "vigil/match.h"
#include "vigil/store.h"

/** Row id of bank @p name. @return VIGIL_OK or VIGIL_ENOTFOUND */
int vigil_bank__id(vigil_store *st, const char *name, int64_t *id_out);

/** vigil_bank_list(); with @p counts 0 n_entries stay 0 (counting scans
 * every entry: seconds at 10M, too slow for opening a matcher). */
int vigil_bank__list(vigil_bank **out, size_t *n_out, vigil_store *st,
                     int counts);

/** Add one to the PDQ generation (inside the caller's transaction). */
int vigil_bank__bump_generation(vigil_store *st);

/**
 * Start changing PDQ entries inside the caller's transaction: bump the
 * generation (first, so that concurrent writers queue behind this one and
 * generations commit in order) and return it for the bank_pdq_log rows.
 */
int vigil_bank__log_begin(vigil_store *st, int64_t *gen_out);

/** Add @p delta to bank_state.pdq_count (live PDQ entries). */
int vigil_bank__count_pdq(vigil_store *st, int64_t delta);

/** Longest stored value of a hash type (pdq, sha256: 32 bytes). */
#define VIGIL_BANK__DIGEST_MAX 32

/**
 * Stored form of a value: pdq, md5 and sha256 hex (either case) become
 * their raw bytes in @p out (VIGIL_BANK__DIGEST_MAX bytes); *len_out gets
 * the byte count. vPDQ values are stored as their text and are not passed
 * here. @return VIGIL_OK, or VIGIL_EFORMAT when @p hex is not the right
 * number of hex digits (no message set: callers word their own).
 */
int vigil_bank__value_bytes(unsigned char *out, size_t *len_out, int type,
                            const char *hex, size_t hex_len);

/** Lower-case hex of @p n stored bytes into @p out (2n + 1 bytes). */
void vigil_bank__value_hex(char *out, const unsigned char *v, size_t n);

/**
 * vigil_match_items(), and with @p updated_since > 0 also the items
 * updated at or after it (items.updated_at, Unix seconds): an ingest run's
 * edits whose media a later export brought. One matcher for both.
 */
int vigil__match_items_since(vigil_store *st, int64_t min_item_id,
                             int64_t updated_since,
                             const vigil_match_options *opts,
                             uint64_t *matches_out);

#endif
