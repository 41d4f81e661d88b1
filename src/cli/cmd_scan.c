/*
 * cli/cmd_scan.c - `vigil scan [FILE...|-]`: text triage of one text per
 * input line, printed as JSON Lines (language, script, watchlist hits with
 * byte offsets into the line, validated indicators). Input is read in
 * large blocks and split in place; output is built in one buffer and
 * written in large chunks (docs/internals/triage.md, "End to end").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "util/buf.h"
#include "vigil/text.h"

#define READ_CHUNK (1u << 20)       /* bytes asked of read() at a time */
#define OUT_FLUSH (1u << 19)        /* output written once this much waits */

/* Bytes that need an escape in a JSON string: '"', '\\' and controls. */
static const unsigned char json_esc[256] = {
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,
};

/* Room needed for @p s as a JSON string (every byte escaped, worst case). */
static size_t json_room(const char *s)
{
    return s ? strlen(s) * 6 + 2 : 4;
}

/* Write @p s as a JSON string at @p o (room checked by the caller); the
 * same escapes as util/json_out.c. Returns the new end. */
static char *put_str(char *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;

    if (!s) {
        memcpy(o, "null", 4);
        return o + 4;
    }
    *o++ = '"';
    for (;;) {
        const unsigned char *q = p;
        unsigned char c;

        while (*q && !json_esc[*q])
            q++;
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        if ((c = *q) == '\0')
            break;
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            memcpy(o, "u00", 3);
            o[3] = hex[c >> 4];
            o[4] = hex[c & 15];
            o += 5;
        }
        p = q + 1;
    }
    *o++ = '"';
    return o;
}

/* Literal string @p lit (a string constant) at @p o. */
#define PUT_LIT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)

/* Decimal digits of @p x at @p o; returns the new end. */
static char *put_uint(char *o, size_t x)
{
    char tmp[24];
    size_t k = sizeof(tmp);

    do {
        tmp[--k] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    memcpy(o, tmp + k, sizeof(tmp) - k);
    return o + (sizeof(tmp) - k);
}

static char *put_span(char *o, size_t start, size_t end)
{
    o = PUT_LIT(o, ",\"start\":");
    o = put_uint(o, start);
    o = PUT_LIT(o, ",\"end\":");
    return put_uint(o, end);
}

/* Upper bound of the bytes put_result writes for @p r. */
static size_t result_room(const vigil_triage_result *r)
{
    size_t n = 64 + json_room(r->lang) + json_room(r->script), i;

    for (i = 0; i < r->n_hits; i++)
        n += 96 + json_room(r->hits[i].outlet) + json_room(r->hits[i].term);
    for (i = 0; i < r->n_indicators; i++) {
        const vigil_indicator *d = &r->indicators[i];

        n += 128 + json_room(vigil_indicator_type_name(d->type)) +
             json_room(d->value) + json_room(d->subtype);
    }
    return n;
}

/* Append the JSON object of @p r and a newline to @p b. 0 or -1 (memory). */
static int put_result(vgu_buf *b, const vigil_triage_result *r)
{
    char *o;
    size_t i;

    if (vgu_buf_grow(b, result_room(r)) < 0)
        return -1;
    o = b->ptr + b->len;
    o = PUT_LIT(o, "{\"lang\":");
    o = put_str(o, r->lang);
    o = PUT_LIT(o, ",\"script\":");
    o = put_str(o, r->script);
    o = PUT_LIT(o, ",\"hits\":[");
    for (i = 0; i < r->n_hits; i++) {
        const vigil_hit *h = &r->hits[i];

        if (i)
            *o++ = ',';
        o = PUT_LIT(o, "{\"outlet\":");
        o = put_str(o, h->outlet);
        o = PUT_LIT(o, ",\"term\":");
        o = put_str(o, h->term);
        o = put_span(o, h->start, h->end);
        if (h->weak)
            o = PUT_LIT(o, ",\"weak\":true");
        *o++ = '}';
    }
    o = PUT_LIT(o, "],\"indicators\":[");
    for (i = 0; i < r->n_indicators; i++) {
        const vigil_indicator *d = &r->indicators[i];

        if (i)
            *o++ = ',';
        o = PUT_LIT(o, "{\"type\":");
        o = put_str(o, vigil_indicator_type_name(d->type));
        o = PUT_LIT(o, ",\"value\":");
        o = put_str(o, d->value);
        if (d->valid == VIGIL_VALID_YES)
            o = PUT_LIT(o, ",\"valid\":true");
        else if (d->valid == VIGIL_VALID_NO)
            o = PUT_LIT(o, ",\"valid\":false");
        else
            o = PUT_LIT(o, ",\"valid\":null");
        if (d->subtype) {
            o = PUT_LIT(o, ",\"subtype\":");
            o = put_str(o, d->subtype);
        }
        o = put_span(o, d->start, d->end);
        *o++ = '}';
    }
    o = PUT_LIT(o, "]}\n");
    b->len = (size_t)(o - b->ptr);
    return 0;
}

/* Write what @p b holds to stdout (through to the file or pipe) and
 * empty it; 0, or 1 after an error was printed. */
static int flush_out(vgu_buf *b)
{
    if (!b->len)
        return 0;
    if (fwrite(b->ptr, 1, b->len, stdout) != b->len || fflush(stdout) != 0) {
        cli_errorf("scan", "writing output: %s", strerror(errno));
        return 1;
    }
    vgu_buf_clear(b);
    return 0;
}

/* Input of one stream: a block buffer holding the unread bytes
 * [pos, len), refilled by read() on fd. */
typedef struct {
    int fd;
    char *buf;
    size_t pos, len, cap;
    int eof;
    vgu_buf *out;       /* written out before read() may block */
} line_reader;

/* Read more bytes, keeping [pos, len) (moved to the front, the buffer
 * grown when it is full of one line); the pending output goes out first,
 * so that a slow pipe sees its answers. 1 read, 0 end of input, -1 read
 * error (errno set), -2 output error (printed). */
static int refill(line_reader *lr)
{
    ssize_t n;

    if (flush_out(lr->out) != 0)
        return -2;
    if (lr->pos > 0) {
        memmove(lr->buf, lr->buf + lr->pos, lr->len - lr->pos);
        lr->len -= lr->pos;
        lr->pos = 0;
    }
    if (lr->cap - lr->len < READ_CHUNK) {
        size_t cap = lr->cap ? lr->cap * 2 : 2 * (size_t)READ_CHUNK;
        char *nb = realloc(lr->buf, cap);

        if (!nb) {
            errno = ENOMEM;
            return -1;
        }
        lr->buf = nb;
        lr->cap = cap;
    }
    do
        n = read(lr->fd, lr->buf + lr->len, lr->cap - lr->len);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (n == 0) {
        lr->eof = 1;
        return 0;
    }
    lr->len += (size_t)n;
    return 1;
}

/* Next line (without "\n" or "\r\n") into *line, *len; 1 a line, 0 end of
 * input, < 0 as refill(). The line stays valid until the next
 * call. */
static int next_line(line_reader *lr, const char **line, size_t *len)
{
    size_t scanned = 0;

    for (;;) {
        const char *s = lr->buf + lr->pos;
        size_t avail = lr->len - lr->pos;
        const char *nl = avail > scanned ? memchr(s + scanned, '\n', avail - scanned)
                                         : NULL;
        size_t n;
        int rc;

        if (nl || (lr->eof && avail > 0)) {
            n = nl ? (size_t)(nl - s) : avail;
            lr->pos += nl ? n + 1 : n;
            *line = s;
            if (n && s[n - 1] == '\r')
                n--;
            *len = n;
            return 1;
        }
        if (lr->eof)
            return 0;
        scanned = avail;
        if ((rc = refill(lr)) < 0)
            return rc;
    }
}

/* Triage every line of @p fd; returns 0, or 1 after an error was printed. */
static int scan_stream(vigil_triage *t, int fd, const char *name, vgu_buf *out)
{
    line_reader lr = { fd, NULL, 0, 0, 0, 0, out };
    size_t lineno = 0, len;
    const char *line;
    int rc = 0, got;

    while (rc == 0) {
        const vigil_triage_result *r;
        int err;

        if ((got = next_line(&lr, &line, &len)) <= 0) {
            if (got == -1) {
                flush_out(out);
                cli_errorf("scan", "%s: read error after line %zu", name,
                           lineno);
            }
            rc = got < 0;
            break;
        }
        lineno++;
        if ((err = vigil_triage_scan(&r, t, line, len, VIGIL_TRIAGE_ALL)) < 0) {
            char where[512];

            flush_out(out);
            snprintf(where, sizeof(where), "%s:%zu", name, lineno);
            cli_error("scan", err, where);
            rc = 1;
            break;
        }
        if (put_result(out, r) < 0) {
            cli_errorf("scan", "writing output: out of memory");
            rc = 1;
            break;
        }
        if (out->len >= OUT_FLUSH)
            rc = flush_out(out);
    }
    free(lr.buf);
    return rc;
}

int cmd_scan(int argc, char **argv)
{
    const char *wl_path = NULL;
    int only = 0;
    const cli_opt opts[] = {
        { "watchlist", 'w', CLI_OPT_STRING, &wl_path, "TSV",
          "extra watchlist terms (format: data/watchlist/README.md)" },
        { "only-watchlist", 0, CLI_OPT_FLAG, &only, NULL,
          "use only --watchlist, not the bundled outlet list" },
        { NULL, 0, 0, NULL, NULL, NULL }
    };
    const cli_spec spec = {
        "scan", "[--watchlist TSV [--only-watchlist]] [FILE...|-]",
        "Triage one text per input line; print one JSON object per line:\n"
        "{\"lang\":\"tgk-Cyrl\",\"script\":\"Cyrl\",\"hits\":[{\"outlet\":..,"
        "\"term\":..,\"start\":N,\"end\":N}],\n"
        "\"indicators\":[{\"type\":\"monero\",\"value\":..,\"valid\":true,..}]}"
        "\nOffsets are bytes into the line. Exit 0 ok, 1 error, 2 usage.",
        opts, 0, -1
    };
    vigil_watchlist *wl = NULL;
    vigil_triage *t;
    vgu_buf out = VGU_BUF_INIT;
    char **pos;
    int npos, rc, i;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (only && !wl_path) {
        cli_errorf("scan", "--only-watchlist needs --watchlist TSV");
        return 2;
    }
    if (wl_path && (rc = vigil_watchlist_load(&wl, wl_path, !only)) < 0) {
        cli_error("scan", rc, "--watchlist");
        return 1;
    }
    if ((rc = vigil_triage_new(&t, wl)) < 0) {
        cli_error("scan", rc, "setting up triage");
        return 1;
    }
    rc = 0;
    if (npos == 0)
        rc = scan_stream(t, STDIN_FILENO, "<stdin>", &out);
    for (i = 0; i < npos && rc == 0; i++) {
        int fd;

        if (strcmp(pos[i], "-") == 0) {
            rc = scan_stream(t, STDIN_FILENO, "<stdin>", &out);
            continue;
        }
        if ((fd = open(pos[i], O_RDONLY)) < 0) {
            flush_out(&out);
            cli_errorf("scan", "%s: %s", pos[i], strerror(errno));
            rc = 1;
            break;
        }
        rc = scan_stream(t, fd, pos[i], &out);
        close(fd);
    }
    vigil_triage_free(t);
    if (rc == 0)
        rc = flush_out(&out);
    vgu_buf_dispose(&out);
    if (fflush(stdout) != 0 && rc == 0) {
        cli_errorf("scan", "writing output: %s", strerror(errno));
        rc = 1;
    }
    return rc;
}
