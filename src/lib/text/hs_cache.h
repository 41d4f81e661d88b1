/*
 * text/hs_cache.h - on-disk cache of compiled Hyperscan databases (see
 * hs_cache.c for where it lives and how it is keyed). Internal.
 */
#ifndef VIGIL_TEXT_HS_CACHE_H
#define VIGIL_TEXT_HS_CACHE_H

#include <stdint.h>

#include <hs/hs.h>

/**
 * Key of a compile: SHA-256 over the Hyperscan version, this CPU's
 * platform, @p mode and every expression with its flag and id.
 * Returns 0, or -1 (no key: do not use the cache).
 */
int vigil_text__hs_cache_key(uint8_t key[32], const char *const *exprs,
                             const unsigned *flags, const unsigned *ids,
                             unsigned n, unsigned mode);

/** The cached database for @p key, or NULL (none, unreadable, corrupt, or
 * caching off). The caller frees it with hs_free_database. */
hs_database_t *vigil_text__hs_cache_load(const uint8_t key[32]);

/** Store @p db under @p key, atomically (temporary file + rename); errors
 * are ignored: the cache is only an optimisation. */
void vigil_text__hs_cache_store(const uint8_t key[32], const hs_database_t *db);

#endif
