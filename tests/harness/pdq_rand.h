/*
 * tests/harness/pdq_rand.h - deterministic random PDQ hashes for tests and
 * benchmarks: splitmix64 over one state per program (seed it by assigning
 * pdq_rand_state), uniform hashes, and copies with k distinct bits flipped.
 */
#ifndef VIGIL_TEST_PDQ_RAND_H
#define VIGIL_TEST_PDQ_RAND_H

#include <stdint.h>

#include "vigil/pdq.h"

static uint64_t pdq_rand_state;

static inline uint64_t pdq_rand(void)
{
    uint64_t z = (pdq_rand_state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void pdq_rand_hash(vigil_pdq *h)
{
    int i;

    for (i = 0; i < 4; i++)
        h->w[i] = pdq_rand();
}

/* Flip exactly @p k distinct bits of @p h (k <= 256). */
static inline void pdq_rand_flip(vigil_pdq *h, unsigned k)
{
    vigil_pdq mask = { { 0, 0, 0, 0 } };
    unsigned n = 0;

    while (n < k) {
        unsigned b = (unsigned)(pdq_rand() % 256);

        if (mask.w[b / 64] >> (b % 64) & 1)
            continue;
        mask.w[b / 64] |= 1ull << (b % 64);
        n++;
    }
    for (n = 0; n < 4; n++)
        h->w[n] ^= mask.w[n];
}

#endif
