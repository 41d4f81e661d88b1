/*
 * bench/faiss_anchor.cpp - the FAISS IndexBinaryFlat anchor for
 * bench_index (the index HMA uses), behind a C interface. Built only when
 * Debian's libfaiss-dev is found; one OpenMP thread, as the bench compares
 * single-thread query rates.
 */
#include <faiss/IndexBinaryFlat.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <omp.h>

#include <cstddef>
#include <cstdint>

extern "C" {
void *bench_faiss_build(const unsigned char *codes, size_t n);
size_t bench_faiss_range(void *h, const unsigned char *query, int radius);
void bench_faiss_free(void *h);
}

void *bench_faiss_build(const unsigned char *codes, size_t n)
{
    omp_set_num_threads(1);
    faiss::IndexBinaryFlat *ix = new faiss::IndexBinaryFlat(256);
    ix->add((faiss::Index::idx_t)n, codes);
    return ix;
}

/* FAISS keeps distances strictly below its radius: pass radius + 1 to get
 * the inclusive "<= radius" that vigil uses. Returns the hit count. */
size_t bench_faiss_range(void *h, const unsigned char *query, int radius)
{
    faiss::IndexBinaryFlat *ix = static_cast<faiss::IndexBinaryFlat *>(h);
    faiss::RangeSearchResult res(1);

    ix->range_search(1, query, radius + 1, &res);
    return (size_t)res.lims[1];
}

void bench_faiss_free(void *h)
{
    delete static_cast<faiss::IndexBinaryFlat *>(h);
}
