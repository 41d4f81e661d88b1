/*
 * util/buf.c - growable byte buffer with a maximum size.
 */
#include "util/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VGU_BUF_DEFAULT_MAX ((size_t)1 << 30)

int vgu_buf_grow(vgu_buf *b, size_t extra)
{
    size_t max = b->max ? b->max : VGU_BUF_DEFAULT_MAX;
    size_t need, cap;
    char *p;

    if (extra > max || b->len > max - extra)
        return -2;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if ((p = realloc(b->ptr, cap)) == NULL)
        return -1;
    b->ptr = p;
    b->cap = cap;
    return 0;
}

int vgu_buf_append(vgu_buf *b, const void *data, size_t len)
{
    int rc = vgu_buf_grow(b, len);

    if (rc < 0)
        return rc;
    if (len)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return 0;
}

int vgu_buf_puts(vgu_buf *b, const char *s)
{
    return vgu_buf_append(b, s, strlen(s));
}

int vgu_buf_putc(vgu_buf *b, char c)
{
    return vgu_buf_append(b, &c, 1);
}

int vgu_buf_printf(vgu_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n, rc;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((rc = vgu_buf_grow(b, (size_t)n)) < 0)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void vgu_buf_clear(vgu_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

void vgu_buf_dispose(vgu_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

char *vgu_buf_detach(vgu_buf *b)
{
    char *p = b->ptr;

    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}
