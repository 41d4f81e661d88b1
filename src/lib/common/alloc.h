/*
 * common/alloc.h - the allocation wrappers every src/lib file uses instead of
 * raw malloc: overflow-checked, counted, and able to fail on the Nth call
 * for allocation-failure tests (VIGIL_FAIL_ALLOC_AT in the environment).
 */
#ifndef VIGIL_COMMON_ALLOC_H
#define VIGIL_COMMON_ALLOC_H

#include <stddef.h>

void *vigil__malloc(size_t size);
void *vigil__calloc(size_t n, size_t size);
void *vigil__realloc(void *p, size_t size);
void *vigil__mallocarray(size_t n, size_t size);   /* NULL on overflow */
char *vigil__strdup(const char *s);
char *vigil__strndup(const char *s, size_t n);
void vigil__free(void *p);

/** *out = a*b; returns 0 on overflow, 1 otherwise. */
static inline int vigil__mul_size(size_t *out, size_t a, size_t b)
{
    return !__builtin_mul_overflow(a, b, out);
}

#endif
