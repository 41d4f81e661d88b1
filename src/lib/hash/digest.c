/*
 * hash/digest.c - MD5 and SHA-256 through OpenSSL's EVP interface, for
 * exact-match hash lists. Files are read in 256 KiB blocks.
 */
#define VIGIL_MODULE "digest"
#include "vigil/digest.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <string.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/error.h"

#define DIGEST_BLOCK (256 * 1024)

struct dg_ctx {
    EVP_MD_CTX *md5, *sha;
};

static void dg_dispose(struct dg_ctx *c)
{
    EVP_MD_CTX_free(c->md5);
    EVP_MD_CTX_free(c->sha);
}

static int dg_init(struct dg_ctx *c)
{
    c->md5 = EVP_MD_CTX_new();
    c->sha = EVP_MD_CTX_new();
    if (!c->md5 || !c->sha ||
        !EVP_DigestInit_ex(c->md5, EVP_md5(), NULL) ||
        !EVP_DigestInit_ex(c->sha, EVP_sha256(), NULL)) {
        dg_dispose(c);
        return vigil_error_set(VIGIL_ERROR, "OpenSSL digest init failed");
    }
    return VIGIL_OK;
}

static int dg_update(struct dg_ctx *c, const void *p, size_t n)
{
    if (!EVP_DigestUpdate(c->md5, p, n) || !EVP_DigestUpdate(c->sha, p, n))
        return vigil_error_set(VIGIL_ERROR, "OpenSSL digest update failed");
    return VIGIL_OK;
}

static int dg_final(struct dg_ctx *c, vigil_digests *out)
{
    unsigned int n1 = 0, n2 = 0;

    if (!EVP_DigestFinal_ex(c->md5, out->md5, &n1) ||
        !EVP_DigestFinal_ex(c->sha, out->sha256, &n2) ||
        n1 != VIGIL_MD5_LEN || n2 != VIGIL_SHA256_LEN)
        return vigil_error_set(VIGIL_ERROR, "OpenSSL digest final failed");
    return VIGIL_OK;
}

int vigil_digest_buffer(vigil_digests *out, const void *data, size_t len)
{
    struct dg_ctx c;
    int rc;

    if ((rc = dg_init(&c)) < 0)
        return rc;
    if ((rc = dg_update(&c, data, len)) == 0 && (rc = dg_final(&c, out)) == 0)
        out->size = len;
    dg_dispose(&c);
    return rc;
}

int vigil_digest_file(vigil_digests *out, const char *path)
{
    struct dg_ctx c;
    unsigned char *buf = NULL;
    uint64_t total = 0;
    int fd, rc;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
    if ((buf = vigil__malloc(DIGEST_BLOCK)) == NULL) {
        close(fd);
        return VIGIL_ENOMEM;
    }
    if ((rc = dg_init(&c)) < 0)
        goto out_nodg;
    for (;;) {
        ssize_t n = read(fd, buf, DIGEST_BLOCK);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = vigil_error_set(VIGIL_EIO, "%s: read: %s", path,
                                 strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        if ((rc = dg_update(&c, buf, (size_t)n)) < 0)
            goto out;
        total += (uint64_t)n;
    }
    if ((rc = dg_final(&c, out)) == 0)
        out->size = total;
out:
    dg_dispose(&c);
out_nodg:
    vigil__free(buf);
    close(fd);
    return rc;
}

void vigil_hex_encode(char *hex, const unsigned char *bytes, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < len; i++) {
        hex[2 * i] = digits[bytes[i] >> 4];
        hex[2 * i + 1] = digits[bytes[i] & 15];
    }
    hex[2 * len] = '\0';
}
