/*
 * index/index_file.c - saving and memory-mapping PDQ index images: a 4 KiB
 * header (magic, version, sizes, caller tag, checksums) followed by the
 * tables exactly as index.c uses them, so opening is one mmap.
 */
#define VIGIL_MODULE "index"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/error.h"
#include "index/index_internal.h"

#define CK_P1 0x9E3779B185EBCA87ull
#define CK_P2 0xC2B2AE3D27D4EB4Full
#define CK_P3 0x165667B19E3779F9ull

static inline uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t ck_round(uint64_t acc, uint64_t in)
{
    return rotl64(acc + in * CK_P2, 31) * CK_P1;
}

uint64_t idx__checksum(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t a0 = CK_P1, a1 = CK_P2, a2 = ~CK_P1, a3 = ~CK_P2, h, w[4];
    size_t total = len;

    for (; len >= 32; len -= 32, p += 32) {
        memcpy(w, p, sizeof(w));
        a0 = ck_round(a0, w[0]);
        a1 = ck_round(a1, w[1]);
        a2 = ck_round(a2, w[2]);
        a3 = ck_round(a3, w[3]);
    }
    h = rotl64(a0, 1) + rotl64(a1, 7) + rotl64(a2, 12) + rotl64(a3, 18);
    h ^= (uint64_t)total * CK_P3;
    for (; len > 0; len--, p++)
        h = rotl64(h ^ (*p * CK_P3), 11) * CK_P1;
    h ^= h >> 33;
    h *= CK_P2;
    h ^= h >> 29;
    h *= CK_P3;
    return h ^ (h >> 32);
}

void idx__advise_huge(void *mem, size_t len)
{
    uintptr_t a = ((uintptr_t)mem + 4095) & ~(uintptr_t)4095;
    uintptr_t e = ((uintptr_t)mem + len) & ~(uintptr_t)4095;

    if (e > a)
        madvise((void *)a, e - a, MADV_HUGEPAGE);
}

void idx__base_release(struct idx_base *b)
{
    if (!b->mem)
        return;
    if (b->mapped)
        munmap(b->mem, b->mem_len);
    else
        vigil__free(b->mem);
    memset(b, 0, sizeof(*b));
}

static uint64_t header_sum(const struct idx_header *h)
{
    struct idx_header c = *h;

    c.header_sum = 0;
    return idx__checksum(&c, sizeof(c));
}

static int write_all(int fd, const void *p, size_t n, const char *path)
{
    const unsigned char *c = p;

    while (n > 0) {
        ssize_t w = write(fd, c, n > (1u << 30) ? (1u << 30) : n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return vigil_error_set(VIGIL_EIO, "%s: write failed: %s", path,
                                   strerror(errno));
        c += w;
        n -= (size_t)w;
    }
    return VIGIL_OK;
}

static unsigned save_seq;

static int save_locked(vigil_index *idx, const char *path, uint64_t tag)
{
    const struct idx_base *b = &idx->base;
    unsigned char page[IDX_HEADER_SIZE];
    struct idx_header h;
    char *tmp;
    size_t plen = strlen(path) + 48;
    int fd, rc;

    memcpy(&h, b->mem, sizeof(h));
    h.tag = tag;
    h.payload_sum = idx__checksum(b->mem + IDX_HEADER_SIZE,
                                  b->mem_len - IDX_HEADER_SIZE);
    h.header_sum = header_sum(&h);
    memset(page, 0, sizeof(page));
    memcpy(page, &h, sizeof(h));
    if ((tmp = vigil__malloc(plen)) == NULL)
        return VIGIL_ENOMEM;
    /* unique per process and call: two savers never share a temporary */
    snprintf(tmp, plen, "%s.tmp%ld.%u", path, (long)getpid(),
             __atomic_fetch_add(&save_seq, 1u, __ATOMIC_RELAXED));
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
        rc = vigil_error_set(VIGIL_EIO, "%s: cannot create: %s", tmp,
                             strerror(errno));
        vigil__free(tmp);
        return rc;
    }
    rc = write_all(fd, page, sizeof(page), tmp);
    if (rc == VIGIL_OK)
        rc = write_all(fd, b->mem + IDX_HEADER_SIZE,
                       b->mem_len - IDX_HEADER_SIZE, tmp);
    if (rc == VIGIL_OK && fsync(fd) != 0)
        rc = vigil_error_set(VIGIL_EIO, "%s: fsync: %s", tmp, strerror(errno));
    close(fd);
    if (rc == VIGIL_OK && rename(tmp, path) != 0)
        rc = vigil_error_set(VIGIL_EIO, "%s: cannot rename into place: %s",
                             path, strerror(errno));
    if (rc != VIGIL_OK)
        unlink(tmp);
    vigil__free(tmp);
    return rc;
}

int vigil_index_save(vigil_index *idx, const char *path, uint64_t tag)
{
    int rc;

    VIGIL_ASSERT_ARG(idx != NULL && path != NULL);
    pthread_rwlock_wrlock(&idx->lock);
    if ((rc = idx__compact_locked(idx)) == VIGIL_OK)
        rc = save_locked(idx, path, tag);
    pthread_rwlock_unlock(&idx->lock);
    return rc;
}

static int check_header(const struct idx_header *h, size_t file_size,
                        const char *path)
{
    if (memcmp(h->magic, IDX_MAGIC, sizeof(h->magic)) != 0)
        return vigil_error_set(VIGIL_EFORMAT, "%s: not a vigil PDQ index",
                               path);
    if (h->version != IDX_VERSION)
        return vigil_error_set(VIGIL_EFORMAT, "%s: index format version %u, "
                               "this vigil reads %u", path, h->version,
                               IDX_VERSION);
    if (h->header_sum != header_sum(h))
        return vigil_error_set(VIGIL_EFORMAT, "%s: index header checksum "
                               "mismatch (file corrupt)", path);
    if (h->header_size != IDX_HEADER_SIZE || h->tables != IDX_TABLES ||
        h->key_bits != 16 || h->n > 0x7fffffffu ||
        h->file_size != idx__image_size((size_t)h->n) ||
        h->file_size != file_size)
        return vigil_error_set(VIGIL_EFORMAT, "%s: index is %zu bytes, header "
                               "says %llu for %llu entries (truncated?)", path,
                               file_size, (unsigned long long)h->file_size,
                               (unsigned long long)h->n);
    return VIGIL_OK;
}

/* Cheap structural checks that make a search safe even without the
 * payload checksum: every bucket bound inside 0..n and non-decreasing. */
static int check_bounds(const struct idx_base *b, const char *path)
{
    unsigned s, k;

    for (s = 0; s < IDX_TABLES; s++) {
        const uint32_t *off = b->off[s];

        if (off[0] != 0 || off[IDX_KEYS] != b->n)
            goto bad;
        for (k = 0; k < IDX_KEYS; k++)
            if (off[k] > off[k + 1])
                goto bad;
    }
    return VIGIL_OK;
bad:
    return vigil_error_set(VIGIL_EFORMAT, "%s: bucket table %u is corrupt",
                           path, s);
}

static int map_file(void **out, int fd, size_t size, const char *path)
{
    void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);

    if (m == MAP_FAILED)
        return vigil_error_set(VIGIL_EIO, "%s: mmap of %zu bytes: %s", path,
                               size, strerror(errno));
    *out = m;
    return VIGIL_OK;
}

int vigil_index_open(vigil_index **out, const char *path, uint64_t *tag_out,
                     const vigil_index_options *opts)
{
    struct idx_header h;
    struct stat sb;
    vigil_index *idx = NULL;
    void *mem = NULL;
    size_t size = 0;
    int fd, rc;

    VIGIL_ASSERT_ARG(out != NULL && path != NULL);
    *out = NULL;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO,
                               "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &sb) != 0 || sb.st_size < (off_t)IDX_HEADER_SIZE ||
        pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h)) {
        close(fd);
        return vigil_error_set(VIGIL_EFORMAT, "%s: too short for a vigil "
                               "index", path);
    }
    size = (size_t)sb.st_size;
    if ((rc = check_header(&h, size, path)) == VIGIL_OK)
        rc = map_file(&mem, fd, size, path);
    close(fd);
    if (rc < 0)
        return rc;
    if (!(opts && opts->skip_verify) &&
        idx__checksum((unsigned char *)mem + IDX_HEADER_SIZE,
                      size - IDX_HEADER_SIZE) != h.payload_sum) {
        rc = vigil_error_set(VIGIL_EFORMAT, "%s: index checksum mismatch "
                             "(file corrupt)", path);
        goto fail;
    }
    if ((rc = idx__alloc(&idx, opts)) < 0)
        goto fail;
    idx__base_attach(&idx->base, mem, (size_t)h.n);
    idx->base.mapped = 1;
    idx->base.mem_len = size;
    mem = NULL;
    if ((rc = check_bounds(&idx->base, path)) < 0)
        goto fail;
    if (tag_out)
        *tag_out = h.tag;
    *out = idx;
    return VIGIL_OK;
fail:
    if (mem)
        munmap(mem, size);
    vigil_index_free(idx);
    return rc;
}
