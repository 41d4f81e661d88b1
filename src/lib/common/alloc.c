/*
 * common/alloc.c - counted allocation wrappers (see alloc.h). Failure
 * injection is per thread, so parallel tests do not disturb each other.
 */
#include "common/alloc.h"

#include <stdlib.h>
#include <string.h>

static _Thread_local long alloc_count;
static _Thread_local long alloc_fail_at = -1;   /* -1: not read yet */

static int alloc_should_fail(void)
{
    if (alloc_fail_at == -1) {
        const char *s = getenv("VIGIL_FAIL_ALLOC_AT");
        alloc_fail_at = s ? strtol(s, NULL, 10) : 0;
    }
    alloc_count++;
    return alloc_fail_at > 0 && alloc_count == alloc_fail_at;
}

void *vigil__malloc(size_t size)
{
    return alloc_should_fail() ? NULL : malloc(size ? size : 1);
}

void *vigil__calloc(size_t n, size_t size)
{
    return alloc_should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *vigil__realloc(void *p, size_t size)
{
    return alloc_should_fail() ? NULL : realloc(p, size ? size : 1);
}

void *vigil__mallocarray(size_t n, size_t size)
{
    size_t total;

    if (!vigil__mul_size(&total, n, size))
        return NULL;
    return vigil__malloc(total);
}

char *vigil__strndup(const char *s, size_t n)
{
    char *p = vigil__malloc(n + 1);

    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *vigil__strdup(const char *s)
{
    return vigil__strndup(s, strlen(s));
}

void vigil__free(void *p)
{
    free(p);
}
