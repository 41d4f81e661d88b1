/*
 * index/index_internal.h - the in-memory (and on-disk) image of a PDQ
 * multi-index: shared by index.c (build, search) and index_file.c (save,
 * open, checksum). The file is this image byte for byte.
 */
#ifndef VIGIL_INDEX_INTERNAL_H
#define VIGIL_INDEX_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include "vigil/index.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the index file format is little-endian; add byte swapping first"
/** An empty handle (no image yet); see vigil_index_new() for codes. */
int idx__alloc(vigil_index **out, const vigil_index_options *opts);

/** vigil_index_compact() for a caller already holding the write lock. */
int idx__compact_locked(vigil_index *idx);

#endif

#define IDX_TABLES 16                   /* 16-bit substrings of 256 bits */
#define IDX_KEYS 65536u                 /* values of one substring */
#define IDX_HEADER_SIZE 4096u
#define IDX_VERSION 1u
#define IDX_MAGIC "VGPDQIX"             /* 8 bytes with the NUL */

/** First page of the image; all sizes in bytes, offsets from the start. */
struct idx_header {
    char magic[8];
    uint32_t version;           /* IDX_VERSION */
    uint32_t header_size;       /* IDX_HEADER_SIZE */
    uint64_t n;                 /* entries */
    uint64_t file_size;         /* whole image */
    uint64_t tag;               /* caller's, e.g. bank generation */
    uint64_t payload_sum;       /* idx__checksum of bytes [header_size, file_size) */
    uint32_t tables;            /* IDX_TABLES */
    uint32_t key_bits;          /* 16 */
    uint64_t header_sum;        /* idx__checksum of this struct, this field 0 */
};

/** Pointers into one image (heap or mapping); read-only after build. */
struct idx_base {
    unsigned char *mem;         /* the image, IDX_HEADER_SIZE aligned start */
    size_t mem_len;
    int mapped;                 /* 1: munmap, 0: vigil__free */
    size_t n;
    const vigil_pdq *hashes;    /* n */
    const int64_t *ids;         /* n */
    const uint32_t *off[IDX_TABLES];  /* IDX_KEYS + 1 each: bucket bounds */
    const uint16_t *sib[IDX_TABLES];  /* n each: the sibling substring */
    const uint32_t *pos[IDX_TABLES];  /* n each: entry position */
};

struct vigil_index {
    pthread_rwlock_t lock;
    vigil_index_options opts;
    struct idx_base base;
    uint64_t *dead;             /* bitmap over base positions, or NULL */
    size_t n_dead;
    vigil_pdq *dh;              /* delta: added since the last build */
    int64_t *did;
    size_t dn, dcap;
};

/** Layout of an image holding @p n entries; fills base pointers from mem. */
size_t idx__image_size(size_t n);
void idx__base_attach(struct idx_base *b, unsigned char *mem, size_t n);

/** 64-bit checksum (four-lane multiply-rotate, xxHash-style rounds). */
uint64_t idx__checksum(const void *data, size_t len);

/** Ask for transparent huge pages over [mem, mem+len) (fewer TLB misses
 * in the random bucket reads); a hint, failures ignored. */
void idx__advise_huge(void *mem, size_t len);

/** Release the image of @p b (unmap or free). */
void idx__base_release(struct idx_base *b);

/** An empty handle (no image yet); see vigil_index_new() for codes. */
int idx__alloc(vigil_index **out, const vigil_index_options *opts);

/** vigil_index_compact() for a caller already holding the write lock. */
int idx__compact_locked(vigil_index *idx);

#endif
