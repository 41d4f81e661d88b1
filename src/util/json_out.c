/*
 * util/json_out.c - JSON string and CSV field writers.
 */
#include "util/json_out.h"

#include <string.h>

int vgu_json_str(vgu_buf *b, const char *s, size_t len)
{
    size_t i, run = 0;

    if (vgu_buf_putc(b, '"') < 0)
        return -1;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char tmp[8];

        switch (c) {
        case '"':  esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c < 0x20) {
                tmp[0] = '\\'; tmp[1] = 'u'; tmp[2] = '0'; tmp[3] = '0';
                tmp[4] = "0123456789abcdef"[c >> 4];
                tmp[5] = "0123456789abcdef"[c & 15];
                tmp[6] = '\0';
                esc = tmp;
            }
        }
        if (!esc)
            continue;
        if (vgu_buf_append(b, s + run, i - run) < 0 || vgu_buf_puts(b, esc) < 0)
            return -1;
        run = i + 1;
    }
    if (vgu_buf_append(b, s + run, len - run) < 0)
        return -1;
    return vgu_buf_putc(b, '"');
}

int vgu_json_cstr(vgu_buf *b, const char *s)
{
    return s ? vgu_json_str(b, s, strlen(s)) : vgu_buf_puts(b, "null");
}

int vgu_csv_field(vgu_buf *b, const char *s)
{
    const char *p;

    if (!s)
        return 0;
    if (!strpbrk(s, ",\"\r\n"))
        return vgu_buf_puts(b, s);
    if (vgu_buf_putc(b, '"') < 0)
        return -1;
    for (p = s; *p; p++) {
        if ((*p == '"' && vgu_buf_putc(b, '"') < 0) || vgu_buf_putc(b, *p) < 0)
            return -1;
    }
    return vgu_buf_putc(b, '"');
}
