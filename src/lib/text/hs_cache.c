/*
 * text/hs_cache.c - on-disk cache of compiled Hyperscan databases. Compiling
 * the default watchlist costs ~300M instructions (~80 ms), more than scanning
 * a few MB of text, and every `vigil scan` / ingest paid it at start-up. The
 * serialized database is kept under a key that covers everything the
 * compile depends on (Hyperscan version, this CPU's platform, expressions,
 * flags, ids, mode); a file that does not check out is ignored and
 * recompiled. Where: $VIGIL_CACHE_DIR, else $XDG_CACHE_HOME/vigil, else
 * $HOME/.cache/vigil; VIGIL_CACHE_DIR=off (or empty) disables the cache.
 */
#define VIGIL_MODULE "text"
#include "text/hs_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "common/alloc.h"
#include "text/text_internal.h"

#define MAGIC "VGHSDB1\n"
#define MAGIC_LEN 8
#define HDR_LEN (MAGIC_LEN + 32 + 32)   /* magic, key, payload SHA-256 */
#define MAX_DB (64u << 20)

static unsigned cache_seq;

/* SHA-256 of the key bytes and of the serialized databases (a few MB):
 * libcrypto's, which uses the CPU's SHA instructions where it has them;
 * vigil_text__sha256() is for the short inputs of the address checks.
 * Returns 0, or -1 when libcrypto fails (the caller then skips the cache). */
static int digest(uint8_t out[32], const void *p, size_t n)
{
    unsigned len = 0;

    return EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) == 1 && len == 32 ? 0 : -1;
}

/* Incremental key: SHA-256 over a length-prefixed concatenation. */
struct keybuf {
    unsigned char *p;
    size_t n, cap;
    int oom;
};

static void kb_add(struct keybuf *k, const void *data, size_t len)
{
    uint64_t l = len;

    if (k->oom)
        return;
    if (k->n + len + 8 > k->cap) {
        size_t nc = (k->cap ? k->cap : 1024);
        unsigned char *np;

        while (nc < k->n + len + 8)
            nc *= 2;
        if ((np = vigil__realloc(k->p, nc)) == NULL) {
            k->oom = 1;
            return;
        }
        k->p = np;
        k->cap = nc;
    }
    memcpy(k->p + k->n, &l, 8);
    memcpy(k->p + k->n + 8, data, len);
    k->n += len + 8;
}

int vigil_text__hs_cache_key(uint8_t key[32], const char *const *exprs,
                             const unsigned *flags, const unsigned *ids,
                             unsigned n, unsigned mode)
{
    struct keybuf k = { NULL, 0, 0, 0 };
    hs_platform_info_t plat;
    const char *ver = hs_version();
    unsigned i;
    int rc;

    memset(&plat, 0, sizeof(plat));
    if (hs_populate_platform(&plat) != HS_SUCCESS)
        return -1;
    kb_add(&k, MAGIC, MAGIC_LEN);
    kb_add(&k, ver, strlen(ver));
    kb_add(&k, &plat.tune, sizeof(plat.tune));
    kb_add(&k, &plat.cpu_features, sizeof(plat.cpu_features));
    kb_add(&k, &mode, sizeof(mode));
    kb_add(&k, &n, sizeof(n));
    for (i = 0; i < n; i++) {
        kb_add(&k, exprs[i], strlen(exprs[i]));
        kb_add(&k, &flags[i], sizeof(flags[i]));
        kb_add(&k, &ids[i], sizeof(ids[i]));
    }
    if (k.oom) {
        vigil__free(k.p);
        return -1;
    }
    rc = digest(key, k.p, k.n);
    vigil__free(k.p);
    return rc;
}

/* The cache file for @p key, or NULL when caching is off (malloc'd). */
static char *cache_path(const uint8_t key[32], int make_dir)
{
    const char *env = getenv("VIGIL_CACHE_DIR"), *base, *sub = "";
    char dir[4096], *path;
    size_t plen;
    int i, k;

    if (env) {
        if (!*env || strcmp(env, "off") == 0)
            return NULL;
        base = env;
    } else if ((base = getenv("XDG_CACHE_HOME")) != NULL && *base) {
        sub = "/vigil";
    } else if ((base = getenv("HOME")) != NULL && *base) {
        sub = "/.cache/vigil";
    } else {
        return NULL;
    }
    if ((size_t)snprintf(dir, sizeof(dir), "%s%s", base, sub) >= sizeof(dir))
        return NULL;
    if (make_dir) {
        /* create missing parents of the cache folder, best effort */
        for (i = 1; dir[i]; i++)
            if (dir[i] == '/') {
                dir[i] = '\0';
                (void)mkdir(dir, 0755);
                dir[i] = '/';
            }
        (void)mkdir(dir, 0755);
    }
    plen = strlen(dir) + 64 + 16;
    if ((path = vigil__malloc(plen)) == NULL)
        return NULL;
    k = snprintf(path, plen, "%s/wl-", dir);
    for (i = 0; i < 32; i++)
        k += snprintf(path + k, plen - (size_t)k, "%02x", key[i]);
    snprintf(path + k, plen - (size_t)k, ".hsdb");
    return path;
}

hs_database_t *vigil_text__hs_cache_load(const uint8_t key[32])
{
    char *path = cache_path(key, 0);
    unsigned char hdr[HDR_LEN], sum[32];
    hs_database_t *db = NULL;
    char *buf = NULL;
    struct stat st;
    size_t len;
    int fd;

    if (!path)
        return NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    vigil__free(path);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || st.st_size <= HDR_LEN ||
        (size_t)st.st_size > MAX_DB + HDR_LEN)
        goto out;
    len = (size_t)st.st_size - HDR_LEN;
    if (read(fd, hdr, HDR_LEN) != HDR_LEN || memcmp(hdr, MAGIC, MAGIC_LEN) ||
        memcmp(hdr + MAGIC_LEN, key, 32))
        goto out;
    if ((buf = vigil__malloc(len)) == NULL ||
        read(fd, buf, len) != (ssize_t)len)
        goto out;
    if (digest(sum, buf, len) != 0 || memcmp(sum, hdr + MAGIC_LEN + 32, 32) != 0)
        goto out;
    if (hs_deserialize_database(buf, len, &db) != HS_SUCCESS)
        db = NULL;
out:
    close(fd);
    vigil__free(buf);
    return db;
}

void vigil_text__hs_cache_store(const uint8_t key[32], const hs_database_t *db)
{
    char *path = cache_path(key, 1), *bytes = NULL, *tmp = NULL;
    unsigned char hdr[HDR_LEN];
    size_t len = 0, plen;
    int fd, ok;

    if (!path)
        return;
    if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS || !bytes ||
        len > MAX_DB)
        goto out;
    plen = strlen(path) + 48;
    if ((tmp = vigil__malloc(plen)) == NULL)
        goto out;
    snprintf(tmp, plen, "%s.tmp%ld.%u", path, (long)getpid(),
             __atomic_fetch_add(&cache_seq, 1u, __ATOMIC_RELAXED));
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
        goto out;
    memcpy(hdr, MAGIC, MAGIC_LEN);
    memcpy(hdr + MAGIC_LEN, key, 32);
    ok = digest(hdr + MAGIC_LEN + 32, bytes, len) == 0 &&
         write(fd, hdr, HDR_LEN) == HDR_LEN &&
         write(fd, bytes, len) == (ssize_t)len;
    ok = close(fd) == 0 && ok;
    /* a reader sees the old file, the new one or none: never half of one */
    if (!ok || rename(tmp, path) != 0)
        unlink(tmp);
out:
    free(bytes);                /* allocated by Hyperscan's misc allocator */
    vigil__free(tmp);
    vigil__free(path);
}
