/*
 * util/buf.h - a growable byte buffer with a hard maximum size (curl's
 * dynbuf idea). Leaf helper: libc only.
 */
#ifndef VGU_BUF_H
#define VGU_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *ptr;          /* NUL-terminated when len > 0 or after _putc */
    size_t len;         /* bytes used */
    size_t cap;         /* bytes allocated */
    size_t max;         /* hard limit on len, bytes; 0 = 1 GiB */
} vgu_buf;

#define VGU_BUF_INIT { NULL, 0, 0, 0 }

/** Ensure room for @p extra more bytes (+NUL). 0 ok, -1 ENOMEM, -2 over max. */
int vgu_buf_grow(vgu_buf *b, size_t extra);
int vgu_buf_append(vgu_buf *b, const void *data, size_t len);
int vgu_buf_puts(vgu_buf *b, const char *s);
int vgu_buf_putc(vgu_buf *b, char c);
int vgu_buf_printf(vgu_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void vgu_buf_clear(vgu_buf *b);      /* len = 0, keeps memory */
void vgu_buf_dispose(vgu_buf *b);    /* frees memory */
/** Hand the buffer to the caller (NUL-terminated, may be NULL if empty). */
char *vgu_buf_detach(vgu_buf *b);

#endif
