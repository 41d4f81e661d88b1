/*
 * util/json_out.h - write JSON strings and CSV fields into a vgu_buf
 * (output side only; parsing uses jansson).
 */
#ifndef VGU_JSON_OUT_H
#define VGU_JSON_OUT_H

#include "util/buf.h"

/** Append @p s (UTF-8, @p len bytes) as a quoted JSON string. */
int vgu_json_str(vgu_buf *b, const char *s, size_t len);
/** Same, NUL-terminated; NULL is written as null. */
int vgu_json_cstr(vgu_buf *b, const char *s);
/** Append a CSV field (RFC 4180: quoted when it holds , " CR or LF). */
int vgu_csv_field(vgu_buf *b, const char *s);

#endif
