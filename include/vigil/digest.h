/*
 * vigil/digest.h - cryptographic digests (MD5, SHA-256) of buffers and
 * files, as the exact-match hash lists (GIFCT, TCAP) exchange them.
 */
#ifndef VIGIL_DIGEST_H
#define VIGIL_DIGEST_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_MD5_LEN 16
#define VIGIL_SHA256_LEN 32

/** Both digests of one input. */
typedef struct {
    unsigned char md5[VIGIL_MD5_LEN];
    unsigned char sha256[VIGIL_SHA256_LEN];
    uint64_t size;        /* bytes digested */
} vigil_digests;

/**
 * Digest a buffer.
 * @param[out] out  filled on success
 * @return VIGIL_OK or VIGIL_ERROR (OpenSSL failure)
 * Threads: safe.
 */
int vigil_digest_buffer(vigil_digests *out, const void *data, size_t len);

/**
 * Digest a file, streaming it in fixed-size blocks (constant memory).
 * @return VIGIL_OK, VIGIL_EIO (cannot open or read, message names the path)
 * Threads: safe.
 */
int vigil_digest_file(vigil_digests *out, const char *path);

/**
 * Lower-case hex of @p len bytes into @p hex, which must hold 2*len+1.
 */
void vigil_hex_encode(char *hex, const unsigned char *bytes, size_t len);

#ifdef __cplusplus
}
#endif
#endif
