/*
 * common/error.c - the thread-local "last error" behind vigil_error_last()
 * and the static texts of vigil_strerror().
 */
#include "common/error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char err_text[1024];
static _Thread_local vigil_error err_last;
static _Thread_local int err_set;

int vigil__error_set(int code, const char *module, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err_text, sizeof(err_text), fmt, ap);
    va_end(ap);
    err_last.code = code;
    err_last.module = module;
    err_last.message = err_text;
    err_set = 1;
    return code;
}

const vigil_error *vigil_error_last(void)
{
    return err_set ? &err_last : NULL;
}

void vigil_error_clear(void)
{
    err_set = 0;
    err_text[0] = '\0';
}

const char *vigil_strerror(int code)
{
    switch (code) {
    case VIGIL_OK:        return "success";
    case VIGIL_ERROR:     return "error";
    case VIGIL_ENOMEM:    return "out of memory";
    case VIGIL_EINVAL:    return "invalid argument";
    case VIGIL_ENOTFOUND: return "not found";
    case VIGIL_EEXISTS:   return "already exists";
    case VIGIL_EFORMAT:   return "malformed input";
    case VIGIL_ELIMIT:    return "input over a limit";
    case VIGIL_ESTORE:    return "storage error";
    case VIGIL_EBUSY:     return "busy";
    case VIGIL_EIO:       return "input/output error";
    default:              return "unknown error";
    }
}

const char *vigil_version(void)
{
    return VIGIL_VERSION_STRING;
}
