/*
 * util/csv.c - streaming RFC 4180 reader (see csv.h). One pass over a
 * fixed 64 KiB input window; a record's fields are copied into one buffer
 * that never grows past the configured limit.
 *
 * Leniency, chosen to match what spreadsheet exports actually contain:
 * a quote inside an unquoted field is kept as data; a lone CR ends a
 * record like LF; blank lines are skipped. Text after a closing quote
 * (`"ab"c`) and a quote left open at end of input make the record BAD.
 */
#include "util/csv.h"

#include <stdlib.h>
#include <string.h>

#define CSV_WINDOW 65536
#define CSV_DEFAULT_MAX_RECORD ((size_t)4 << 20)
#define CSV_DEFAULT_MAX_FIELDS 4096

struct vgu_csv {
    vgu_csv_read_fn read;
    void *payload;
    FILE *file;                 /* for vgu_csv_new_file */
    char *in;                   /* input window, CSV_WINDOW bytes */
    size_t in_pos, in_len;
    unsigned char back[4];      /* pushed-back bytes, read before in[] */
    int nback;
    int eof, started, pending_cr;
    unsigned long long offset;  /* bytes consumed */
    unsigned long line;         /* current physical line, 1-based */
    unsigned long rec_line;     /* line the current record started on */
    char *data;                 /* field bytes, each followed by NUL */
    size_t data_len, data_cap;
    size_t *starts;             /* nfields+1 offsets into data */
    size_t nfields, fields_cap;
    size_t max_record, max_fields;
    const char *err;
    char errbuf[96];
};

static size_t file_read(void *payload, char *buf, size_t n)
{
    FILE *f = payload;
    size_t got = fread(buf, 1, n, f);

    if (got == 0 && ferror(f))
        return (size_t)-1;
    return got;
}

vgu_csv *vgu_csv_new(vgu_csv_read_fn read, void *payload,
                     const vgu_csv_limits *limits)
{
    vgu_csv *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->read = read;
    c->payload = payload;
    c->line = 1;
    c->max_record = limits && limits->max_record ? limits->max_record
                                                 : CSV_DEFAULT_MAX_RECORD;
    c->max_fields = limits && limits->max_fields ? limits->max_fields
                                                 : CSV_DEFAULT_MAX_FIELDS;
    c->in = malloc(CSV_WINDOW);
    c->fields_cap = 64;
    c->starts = malloc(sizeof(size_t) * (c->fields_cap + 1));
    c->data_cap = 4096;
    c->data = malloc(c->data_cap);
    if (!c->in || !c->starts || !c->data) {
        vgu_csv_free(c);
        return NULL;
    }
    return c;
}

vgu_csv *vgu_csv_new_file(FILE *f, const vgu_csv_limits *limits)
{
    return vgu_csv_new(file_read, f, limits);
}

void vgu_csv_free(vgu_csv *c)
{
    if (!c)
        return;
    free(c->in);
    free(c->starts);
    free(c->data);
    free(c);
}

/* Next input byte, or -1 at end; -2 on a read error. */
static int csv_getc(vgu_csv *c)
{
    if (c->nback) {
        c->offset++;
        return c->back[--c->nback];
    }
    if (c->in_pos == c->in_len) {
        size_t n;

        if (c->eof)
            return -1;
        n = c->read(c->payload, c->in, CSV_WINDOW);
        if (n == (size_t)-1) {
            c->eof = 1;
            return -2;
        }
        if (n == 0) {
            c->eof = 1;
            return -1;
        }
        c->in_pos = 0;
        c->in_len = n;
    }
    c->offset++;
    return (unsigned char)c->in[c->in_pos++];
}

/* Give back @p ch (a byte just read) so the next csv_getc returns it.
 * Works across window refills; at most sizeof(back) bytes. */
static void csv_ungetc(vgu_csv *c, int ch)
{
    if (ch >= 0 && c->nback < (int)sizeof(c->back)) {
        c->back[c->nback++] = (unsigned char)ch;
        c->offset--;
    }
}

static int csv_peek(vgu_csv *c)
{
    int ch = csv_getc(c);

    csv_ungetc(c, ch);
    return ch;
}

static void csv_bad(vgu_csv *c, const char *msg)
{
    if (!c->err)
        c->err = msg;
}

/* Append one byte of field data; -1 only when out of memory. */
static int put_byte(vgu_csv *c, char b)
{
    if (c->err)
        return 0;                       /* record already bad: just scan */
    if (c->data_len + 1 > c->max_record + c->nfields + 1) {
        snprintf(c->errbuf, sizeof(c->errbuf),
                 "record longer than %zu bytes", c->max_record);
        csv_bad(c, c->errbuf);
        return 0;
    }
    if (c->data_len + 1 >= c->data_cap) {
        size_t ncap = c->data_cap * 2;
        char *p = realloc(c->data, ncap);

        if (!p)
            return -1;
        c->data = p;
        c->data_cap = ncap;
    }
    c->data[c->data_len++] = b;
    return 0;
}

/* Append @p n bytes of field data; -1 only when out of memory. */
static int put_run(vgu_csv *c, const char *p, size_t n)
{
    if (c->err)
        return 0;
    if (c->data_len + n > c->max_record + c->nfields + 1) {
        snprintf(c->errbuf, sizeof(c->errbuf),
                 "record longer than %zu bytes", c->max_record);
        csv_bad(c, c->errbuf);
        return 0;
    }
    if (c->data_len + n + 1 >= c->data_cap) {
        size_t ncap = c->data_cap;
        char *q;

        while (c->data_len + n + 1 >= ncap)
            ncap *= 2;
        if (!(q = realloc(c->data, ncap)))
            return -1;
        c->data = q;
        c->data_cap = ncap;
    }
    memcpy(c->data + c->data_len, p, n);
    c->data_len += n;
    return 0;
}

/* Fast path: copy the run of ordinary bytes at the window position in one
 * go (quoted: up to '"' or LF, found with memchr; unquoted: up to , " CR
 * LF, found with a byte loop). */
static int copy_run(vgu_csv *c, int quoted)
{
    const char *start = c->in + c->in_pos, *end = c->in + c->in_len, *p;

    if (c->nback || start == end)
        return 0;
    if (quoted) {
        const char *q = memchr(start, '"', (size_t)(end - start));
        const char *lf = memchr(start, '\n', (size_t)((q ? q : end) - start));

        p = lf ? lf : q ? q : end;
    } else {
        for (p = start; p < end; p++)
            if (*p == ',' || *p == '\n' || *p == '\r' || *p == '"')
                break;
    }
    if (p == start)
        return 0;
    c->in_pos += (size_t)(p - start);
    c->offset += (unsigned long long)(p - start);
    return put_run(c, start, (size_t)(p - start));
}

/* Close the current field and open the next one. */
static int end_field(vgu_csv *c)
{
    if (put_byte(c, '\0') < 0)
        return -1;
    if (c->err)
        return 0;
    if (c->nfields + 1 > c->max_fields) {
        snprintf(c->errbuf, sizeof(c->errbuf),
                 "record has more than %zu fields", c->max_fields);
        csv_bad(c, c->errbuf);
        return 0;
    }
    if (c->nfields + 1 >= c->fields_cap) {
        size_t ncap = c->fields_cap * 2;
        size_t *p = realloc(c->starts, sizeof(size_t) * (ncap + 1));

        if (!p)
            return -1;
        c->starts = p;
        c->fields_cap = ncap;
    }
    c->nfields++;
    c->starts[c->nfields] = c->data_len;
    return 0;
}

/* Skip the LF of a CRLF left from the previous record, BOM, blank lines.
 * Returns the first byte of the record, -1 at end, -2 on error. */
static int record_start(vgu_csv *c)
{
    int ch;

    for (;;) {
        if (c->pending_cr) {
            c->pending_cr = 0;
            if (csv_peek(c) == '\n')
                csv_getc(c);
            c->line++;
        }
        ch = csv_getc(c);
        if (!c->started) {
            c->started = 1;
            if (ch == 0xEF) {
                int b2 = csv_getc(c), b3 = b2 == 0xBB ? csv_getc(c) : -1;

                if (b2 == 0xBB && b3 == 0xBF) {
                    ch = csv_getc(c);           /* UTF-8 BOM dropped */
                } else {                        /* not a BOM: replay */
                    csv_ungetc(c, b3);
                    csv_ungetc(c, b2);
                }
            }
        }
        if (ch == '\n') {
            c->line++;
            continue;
        }
        if (ch == '\r') {
            c->pending_cr = 1;
            continue;
        }
        return ch;
    }
}

enum { ST_FIELD, ST_UNQUOTED, ST_QUOTED, ST_QUOTE_SEEN };

/* Scan the body of one record whose first byte is @p ch. */
static int scan_record(vgu_csv *c, int ch)
{
    int st = ST_FIELD;
    unsigned long open_line = c->line;

    for (;; ch = csv_getc(c)) {
        if (ch == -2) {
            c->err = "read error";
            return VGU_CSV_FATAL;
        }
        if (ch == -1) {
            if (st == ST_QUOTED) {
                snprintf(c->errbuf, sizeof(c->errbuf),
                         "quoted field opened on line %lu is never closed",
                         open_line);
                csv_bad(c, c->errbuf);
            }
            break;
        }
        if (st == ST_QUOTED) {
            if (ch == '"')
                st = ST_QUOTE_SEEN;
            else {
                if (ch == '\n')
                    c->line++;
                if (put_byte(c, (char)ch) < 0 || copy_run(c, 1) < 0)
                    goto oom;
            }
            continue;
        }
        if (st == ST_QUOTE_SEEN) {
            if (ch == '"') {                /* "" is a literal quote */
                if (put_byte(c, '"') < 0 || copy_run(c, 1) < 0)
                    goto oom;
                st = ST_QUOTED;
                continue;
            }
            if (ch != ',' && ch != '\n' && ch != '\r') {
                csv_bad(c, "text after a closing quote");
                st = ST_UNQUOTED;
                continue;
            }
        }
        if (ch == ',') {
            if (end_field(c) < 0)
                goto oom;
            st = ST_FIELD;
        } else if (ch == '\n') {
            c->line++;
            break;
        } else if (ch == '\r') {
            c->pending_cr = 1;
            break;
        } else if (ch == '"' && st == ST_FIELD) {
            st = ST_QUOTED;
            open_line = c->line;
            if (copy_run(c, 1) < 0)
                goto oom;
        } else {
            if (put_byte(c, (char)ch) < 0 || copy_run(c, 0) < 0)
                goto oom;
            st = ST_UNQUOTED;
        }
    }
    if (end_field(c) < 0)
        goto oom;
    return c->err ? VGU_CSV_BAD : VGU_CSV_RECORD;
oom:
    c->err = "out of memory";
    return VGU_CSV_FATAL;
}

int vgu_csv_next(vgu_csv *c)
{
    int ch;

    c->nfields = 0;
    c->data_len = 0;
    c->starts[0] = 0;
    c->err = NULL;
    ch = record_start(c);
    c->rec_line = c->line;
    if (ch == -1)
        return VGU_CSV_END;
    if (ch == -2) {
        c->err = "read error";
        return VGU_CSV_FATAL;
    }
    return scan_record(c, ch);
}

size_t vgu_csv_nfields(const vgu_csv *c)
{
    return c->nfields;
}

const char *vgu_csv_get(const vgu_csv *c, size_t i, size_t *len_out)
{
    if (i >= c->nfields) {
        if (len_out)
            *len_out = 0;
        return "";
    }
    if (len_out)
        *len_out = c->starts[i + 1] - c->starts[i] - 1;
    return c->data + c->starts[i];
}

unsigned long vgu_csv_line(const vgu_csv *c)
{
    return c->rec_line;
}

const char *vgu_csv_error(const vgu_csv *c)
{
    return c->err ? c->err : "no error";
}

unsigned long long vgu_csv_offset(const vgu_csv *c)
{
    return c->offset;
}
