/*
 * vigil/common.h - status codes, the thread-local error state and the
 * library version. Every other public header includes this one.
 */
#ifndef VIGIL_COMMON_H
#define VIGIL_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes. Functions that can fail return one of these (<= 0). */
typedef enum {
    VIGIL_OK = 0,
    VIGIL_ERROR = -1,     /* generic; see vigil_error_last() */
    VIGIL_ENOMEM = -2,
    VIGIL_EINVAL = -3,    /* caller bug or bad argument */
    VIGIL_ENOTFOUND = -4,
    VIGIL_EEXISTS = -5,
    VIGIL_EFORMAT = -6,   /* malformed input: JSON, image, hash string, UTF-8 */
    VIGIL_ELIMIT = -7,    /* input over a configured limit */
    VIGIL_ESTORE = -8,    /* storage backend failure */
    VIGIL_EBUSY = -9,
    VIGIL_EIO = -10       /* file system error (open, read, write) */
    /* append only; never renumber or reuse */
} vigil_status;

/** Iterator results (statement steps, readers) besides negative codes. */
#define VIGIL_DONE 0
#define VIGIL_ROW 1

/** The last error set on this thread. */
typedef struct {
    int code;             /* a vigil_status */
    const char *module;   /* "store", "ingest", ... */
    const char *message;  /* one line, no trailing newline */
} vigil_error;

/**
 * The last error recorded on the calling thread, or NULL when none.
 * The pointer stays valid until the next library call on this thread.
 * Threads: thread-local, safe.
 */
const vigil_error *vigil_error_last(void);

/** Forget the calling thread's last error. */
void vigil_error_clear(void);

/** Static English text for a status code; never NULL. */
const char *vigil_strerror(int code);

/** The library version as "MAJOR.MINOR.PATCH"; static storage. */
const char *vigil_version(void);

#ifdef __cplusplus
}
#endif
#endif
