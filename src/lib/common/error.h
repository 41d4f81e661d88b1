/*
 * common/error.h - internal helpers to record errors and assert invariants.
 * Include from library code only.
 */
#ifndef VIGIL_COMMON_ERROR_H
#define VIGIL_COMMON_ERROR_H

#include "vigil/common.h"

/**
 * Record @p code with a printf-style one-line message as this thread's last
 * error and return @p code, so `return vigil__error_set(...)` works.
 */
int vigil__error_set(int code, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define vigil_error_set(code, ...) \
    vigil__error_set((code), VIGIL_MODULE, __VA_ARGS__)

#ifndef VIGIL_MODULE
#define VIGIL_MODULE "vigil"
#endif

#ifdef NDEBUG
#define VIGIL_ASSERT(expr) \
    do { if (!(expr)) return vigil__error_set(VIGIL_ERROR, VIGIL_MODULE, \
         "internal invariant failed: %s (%s:%d)", #expr, __FILE__, __LINE__); \
    } while (0)
#define VIGIL_ASSERT_ARG(expr) \
    do { if (!(expr)) return vigil__error_set(VIGIL_EINVAL, VIGIL_MODULE, \
         "invalid argument: %s", #expr); } while (0)
#else
#include <assert.h>
#define VIGIL_ASSERT(expr) assert(expr)
#define VIGIL_ASSERT_ARG(expr) assert(expr)
#endif

#endif
