/*
 * ingest/telegram.c - streaming framer for Telegram Desktop result.json.
 *
 * The export is one JSON document that can be gigabytes long. This file
 * walks only its known outer structure (root dialog or account export ->
 * chats/left_chats -> list[] -> dialog -> messages[]) and hands each value
 * inside it to jansson (json_loadb with JSON_DISABLE_EOF_CHECK), so every
 * message, key and scalar is parsed by the library and memory stays
 * bounded by one message. Reason for the split: jansson cannot stream an
 * array element by element (measured: json_load_file on a 1 GB export
 * needs ~10x its size in RAM).
 *
 * tdesktop writes control bytes as the non-standard escape \xNN; input is
 * rewritten to \u00NN while it is read, and the expansions are remembered
 * so error offsets still point into the original file.
 */
#define VIGIL_MODULE "ingest"
#include "ingest/telegram.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/error.h"

#define TG_CHUNK (1u << 20)
#define TG_MAX_DEPTH 8
#define TG_JSON_FLAGS (JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY | JSON_ALLOW_NUL)

enum tg_ctx {
    C_ROOT,     /* root object: a dialog, or an account export */
    C_CHATS,    /* "chats" / "left_chats" object */
    C_LIST,     /* chats.list array of dialogs */
    C_DIALOG,   /* one dialog object */
    C_MSGS      /* messages array */
};

struct vigil_tg_reader {
    int fd;                      /* -1 when reading memory */
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    char *path;                  /* for messages; "<memory>" for mem */
    uint64_t size;               /* input size, 0 unknown */

    unsigned char *buf;          /* rewritten input window */
    size_t len, cap, pos;
    uint64_t base;               /* original offset of buf[0] */
    size_t *exp;                 /* buf positions of rewritten \x escapes */
    size_t nexp, capexp;
    int bs_odd;                  /* last byte read was an unescaped '\' */
    int eof;                     /* source exhausted */
    size_t max_message;

    enum tg_ctx stack[TG_MAX_DEPTH];
    unsigned char first[TG_MAX_DEPTH];
    int depth;
    int started;
    vigil_tg_dialog dialog;
    json_t *cur;
    unsigned char *chunk;
};

/* ---- offsets ----------------------------------------------------------- */

static uint64_t tg_orig(const vigil_tg_reader *r, size_t p)
{
    size_t i, n = 0;

    for (i = 0; i < r->nexp && r->exp[i] < p; i++)
        n++;
    return r->base + p - 2 * (uint64_t)n;
}

uint64_t vigil_tg_reader_offset(const vigil_tg_reader *r)
{
    return tg_orig(r, r->pos);
}

uint64_t vigil_tg_reader_size(const vigil_tg_reader *r)
{
    return r->size;
}

/* ---- input ------------------------------------------------------------- */

static int tg_push_exp(vigil_tg_reader *r, size_t at)
{
    if (r->nexp == r->capexp) {
        size_t ncap = r->capexp ? r->capexp * 2 : 16;
        size_t *n = vigil__realloc(r->exp, ncap * sizeof(*n));
        if (!n)
            return VIGIL_ENOMEM;
        r->exp = n;
        r->capexp = ncap;
    }
    r->exp[r->nexp++] = at;
    return VIGIL_OK;
}

/* Append @p n source bytes, rewriting \x to \u00. Room is ensured. */
static int tg_append(vigil_tg_reader *r, const unsigned char *d, size_t n)
{
    size_t i = 0;

    while (i < n) {
        if (r->bs_odd) {
            unsigned char c = d[i++];

            r->bs_odd = 0;
            if (c == 'x') {
                if (tg_push_exp(r, r->len - 1) < 0)
                    return VIGIL_ENOMEM;
                memcpy(r->buf + r->len, "u00", 3);
                r->len += 3;
            } else {
                r->buf[r->len++] = c;
            }
            continue;
        }
        {
            const unsigned char *bs = memchr(d + i, '\\', n - i);
            size_t run = bs ? (size_t)(bs - (d + i)) + 1 : n - i;

            memcpy(r->buf + r->len, d + i, run);
            r->len += run;
            i += run;
            if (bs)
                r->bs_odd = 1;
        }
    }
    return VIGIL_OK;
}

static void tg_compact(vigil_tg_reader *r)
{
    size_t i, j = 0;

    if (r->pos == 0)
        return;
    r->base = tg_orig(r, r->pos);
    for (i = 0; i < r->nexp; i++)
        if (r->exp[i] >= r->pos)
            r->exp[j++] = r->exp[i] - r->pos;
    r->nexp = j;
    memmove(r->buf, r->buf + r->pos, r->len - r->pos);
    r->len -= r->pos;
    r->pos = 0;
}

/*
 * Read more input after the unconsumed bytes. Returns VIGIL_OK (possibly
 * at eof), VIGIL_ELIMIT when one value outgrows max_message, VIGIL_EIO.
 */
static int tg_refill(vigil_tg_reader *r)
{
    size_t n = 0, need;

    if (r->eof)
        return VIGIL_OK;
    tg_compact(r);
    if (r->len > r->max_message)
        return vigil_error_set(VIGIL_ELIMIT,
            "%s: byte %llu: one JSON value is over %zu bytes (the limit)",
            r->path, (unsigned long long)r->base, r->max_message);
    need = r->len + 2 * TG_CHUNK + 1;
    if (need > r->cap) {
        unsigned char *nb = vigil__realloc(r->buf, need);
        if (!nb)
            return VIGIL_ENOMEM;
        r->buf = nb;
        r->cap = need;
    }
    if (r->fd < 0) {
        n = r->mem_len - r->mem_pos;
        if (n > TG_CHUNK)
            n = TG_CHUNK;
        memcpy(r->chunk, r->mem + r->mem_pos, n);
        r->mem_pos += n;
    } else {
        for (;;) {
            ssize_t got = read(r->fd, r->chunk, TG_CHUNK);

            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0)
                return vigil_error_set(VIGIL_EIO, "%s: read: %s", r->path,
                                       strerror(errno));
            n = (size_t)got;
            break;
        }
    }
    if (n == 0) {
        r->eof = 1;
        return VIGIL_OK;
    }
    return tg_append(r, r->chunk, n);
}

/* ---- open / free ------------------------------------------------------- */

static int tg_new(vigil_tg_reader **out, const char *name, size_t max_message)
{
    vigil_tg_reader *r;

    *out = NULL;
    if ((r = vigil__calloc(1, sizeof(*r))) == NULL)
        return VIGIL_ENOMEM;
    r->fd = -1;
    r->max_message = max_message ? max_message : VIGIL_TG_DEFAULT_MAX_MESSAGE;
    if ((r->path = vigil__strdup(name)) == NULL ||
        (r->chunk = vigil__malloc(TG_CHUNK)) == NULL) {
        vigil_tg_reader_free(r);
        return VIGIL_ENOMEM;
    }
    *out = r;
    return VIGIL_OK;
}

int vigil_tg_reader_open(vigil_tg_reader **out, const char *path,
                         size_t max_message)
{
    struct stat sb;
    int rc;

    if ((rc = tg_new(out, path, max_message)) < 0)
        return rc;
    if (((*out)->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        rc = vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
        vigil_tg_reader_free(*out);
        *out = NULL;
        return rc;
    }
    if (fstat((*out)->fd, &sb) == 0 && S_ISREG(sb.st_mode))
        (*out)->size = (uint64_t)sb.st_size;
    return VIGIL_OK;
}

int vigil_tg_reader_open_mem(vigil_tg_reader **out, const void *data,
                             size_t len, size_t max_message)
{
    int rc;

    if ((rc = tg_new(out, "<memory>", max_message)) < 0)
        return rc;
    (*out)->mem = data;
    (*out)->mem_len = len;
    (*out)->size = len;
    return VIGIL_OK;
}

void vigil_tg_reader_free(vigil_tg_reader *r)
{
    if (!r)
        return;
    if (r->fd >= 0)
        close(r->fd);
    json_decref(r->cur);
    vigil__free(r->buf);
    vigil__free(r->exp);
    vigil__free(r->chunk);
    vigil__free(r->path);
    vigil__free(r);
}

/* ---- lexing helpers ---------------------------------------------------- */

static int tg_truncated(vigil_tg_reader *r, const char *where)
{
    return vigil_error_set(VIGIL_EFORMAT,
        "%s: byte %llu: the JSON ends early (truncated file?) %s", r->path,
        (unsigned long long)tg_orig(r, r->pos), where);
}

/* Skip whitespace; *c is the next byte. Truncation is an error. */
static int tg_peek(vigil_tg_reader *r, int *c, const char *where)
{
    int rc;

    for (;;) {
        while (r->pos < r->len) {
            unsigned char b = r->buf[r->pos];

            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                *c = b;
                return VIGIL_OK;
            }
            r->pos++;
        }
        if (r->eof)
            return tg_truncated(r, where);
        if ((rc = tg_refill(r)) < 0)
            return rc;
    }
}

static int tg_expect(vigil_tg_reader *r, int want, const char *where)
{
    int c, rc;

    if ((rc = tg_peek(r, &c, where)) < 0)
        return rc;
    if (c != want)
        return vigil_error_set(VIGIL_EFORMAT,
            "%s: byte %llu: expected '%c' %s, found '%c'", r->path,
            (unsigned long long)tg_orig(r, r->pos), want, where,
            c >= 0x20 && c < 0x7f ? c : '?');
    r->pos++;
    return VIGIL_OK;
}

/*
 * Skip one JSON value without parsing it: used only to step over a
 * message jansson refused, so the rest of the export can still be read.
 */
static int tg_skip_raw(vigil_tg_reader *r)
{
    size_t off = 0;
    int depth = 0, in_str = 0, esc = 0, rc;

    for (;;) {
        while (r->pos + off < r->len) {
            unsigned char b = r->buf[r->pos + off++];

            if (in_str) {
                if (esc)
                    esc = 0;
                else if (b == '\\')
                    esc = 1;
                else if (b == '"')
                    in_str = 0;
                if (!in_str && depth == 0) {
                    r->pos += off;
                    return VIGIL_OK;
                }
                continue;
            }
            if (b == '"') {
                in_str = 1;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']' || b == ',') {
                if (depth == 0) {   /* end of a scalar */
                    r->pos += off - 1;
                    return VIGIL_OK;
                }
                if (b != ',' && --depth == 0) {
                    r->pos += off;
                    return VIGIL_OK;
                }
            }
        }
        if (r->eof)
            return tg_truncated(r, "inside a message");
        /* tg_refill moves the cursor to 0; off counts from the cursor. */
        if ((rc = tg_refill(r)) < 0)
            return rc;
    }
}

/*
 * Parse one JSON value at the cursor with jansson. On a malformed value
 * the error names the byte offset; *skippable says whether the framer
 * could step over it.
 */
static int tg_parse_value(vigil_tg_reader *r, json_t **out, int *skippable)
{
    json_error_t err;
    int rc;

    *out = NULL;
    *skippable = 0;
    for (;;) {
        size_t avail = r->len - r->pos;
        json_t *v = avail ? json_loadb((const char *)r->buf + r->pos, avail,
                                       TG_JSON_FLAGS, &err) : NULL;

        if (v) {
            size_t used = (size_t)err.position;

            if (r->pos + used >= r->len && !r->eof) {
                json_decref(v);   /* a scalar may go on past the window */
            } else {
                r->pos += used;
                *out = v;
                return VIGIL_OK;
            }
        } else if (avail && (r->eof || (size_t)err.position + 16 < avail)) {
            uint64_t at = tg_orig(r, r->pos + (size_t)err.position);

            *skippable = 1;
            return vigil_error_set(VIGIL_EFORMAT, "%s: byte %llu: %s",
                                   r->path, (unsigned long long)at, err.text);
        }
        if (r->eof)
            return tg_truncated(r, "inside a value");
        if ((rc = tg_refill(r)) < 0)
            return rc;
    }
}

static int tg_push(vigil_tg_reader *r, enum tg_ctx c)
{
    if (r->depth == TG_MAX_DEPTH)
        return vigil_error_set(VIGIL_EFORMAT, "%s: nesting too deep", r->path);
    r->stack[r->depth] = c;
    r->first[r->depth] = 1;
    r->depth++;
    return VIGIL_OK;
}

static void tg_dialog_reset(vigil_tg_reader *r)
{
    uint64_t serial = r->dialog.serial + 1;

    memset(&r->dialog, 0, sizeof(r->dialog));
    r->dialog.serial = serial;
}

static void tg_copy_str(char *dst, size_t cap, json_t *v)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);

    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* A dialog-level scalar (id, name, type). */
static void tg_dialog_field(vigil_tg_reader *r, const char *key, json_t *v)
{
    if (strcmp(key, "id") == 0) {
        if (json_is_integer(v)) {
            r->dialog.id = (int64_t)json_integer_value(v);
            r->dialog.has_id = 1;
        } else if (json_is_string(v)) {
            char *end;
            long long id;

            errno = 0;
            id = strtoll(json_string_value(v), &end, 10);
            if (!errno && *end == '\0' && end != json_string_value(v)) {
                r->dialog.id = id;
                r->dialog.has_id = 1;
            }
        }
    } else if (strcmp(key, "name") == 0 && json_is_string(v)) {
        tg_copy_str(r->dialog.name, sizeof(r->dialog.name), v);
    } else if (strcmp(key, "type") == 0 && json_is_string(v)) {
        tg_copy_str(r->dialog.type, sizeof(r->dialog.type), v);
    }
}

/* One member of an object context: route by key. */
static int tg_member(vigil_tg_reader *r, enum tg_ctx top)
{
    json_t *k = NULL, *v = NULL;
    const char *key;
    int rc, skippable;

    if ((rc = tg_parse_value(r, &k, &skippable)) < 0)
        return rc;
    if (!json_is_string(k)) {
        json_decref(k);
        return vigil_error_set(VIGIL_EFORMAT, "%s: byte %llu: object key is "
            "not a string", r->path, (unsigned long long)tg_orig(r, r->pos));
    }
    key = json_string_value(k);
    if ((rc = tg_expect(r, ':', "after an object key")) < 0)
        goto out;
    if ((top == C_ROOT || top == C_DIALOG) && strcmp(key, "messages") == 0) {
        if ((rc = tg_expect(r, '[', "to open messages")) == 0)
            rc = tg_push(r, C_MSGS);
    } else if (top == C_ROOT && (strcmp(key, "chats") == 0 ||
                                 strcmp(key, "left_chats") == 0)) {
        if ((rc = tg_expect(r, '{', "to open chats")) == 0)
            rc = tg_push(r, C_CHATS);
    } else if (top == C_CHATS && strcmp(key, "list") == 0) {
        if ((rc = tg_expect(r, '[', "to open the chat list")) == 0)
            rc = tg_push(r, C_LIST);
    } else {
        int c;

        if ((rc = tg_peek(r, &c, "before a value")) < 0 ||
            (rc = tg_parse_value(r, &v, &skippable)) < 0)
            goto out;
        if (top == C_ROOT || top == C_DIALOG)
            tg_dialog_field(r, key, v);
    }
out:
    json_decref(v);
    json_decref(k);
    return rc;
}

static int tg_close_char(enum tg_ctx c)
{
    return (c == C_LIST || c == C_MSGS) ? ']' : '}';
}

int vigil_tg_reader_next(vigil_tg_reader *r, vigil_tg_item *out,
                         int *recovered)
{
    int rc, c;

    *recovered = 0;
    json_decref(r->cur);
    r->cur = NULL;
    for (;;) {
        enum tg_ctx top;
        uint64_t at;    /* original offset: parsing may move the window */

        if (r->depth == 0) {
            if (r->started)
                return VIGIL_DONE;
            if ((rc = tg_expect(r, '{', "at the start of the export")) < 0)
                return rc;
            r->started = 1;
            tg_dialog_reset(r);
            if ((rc = tg_push(r, C_ROOT)) < 0)
                return rc;
            continue;
        }
        top = r->stack[r->depth - 1];
        if ((rc = tg_peek(r, &c, "before the end of the export")) < 0)
            return rc;
        if (c == tg_close_char(top)) {
            r->pos++;
            r->depth--;
            continue;
        }
        if (!r->first[r->depth - 1]) {
            if ((rc = tg_expect(r, ',', "between values")) < 0)
                return rc;
            if ((rc = tg_peek(r, &c, "after ','")) < 0)
                return rc;
        }
        r->first[r->depth - 1] = 0;
        switch (top) {
        case C_MSGS:
            at = tg_orig(r, r->pos);
            if ((rc = tg_parse_value(r, &r->cur, &c)) < 0) {
                int skippable = c;
                const vigil_error *e = vigil_error_last();
                char msg[1024];

                snprintf(msg, sizeof(msg), "%s", e ? e->message : "");
                if (skippable && tg_skip_raw(r) == VIGIL_OK) {
                    *recovered = 1;   /* keep the parse error, not the skip's */
                    vigil_error_set(rc, "%s", msg);
                }
                return rc;
            }
            if (!json_is_object(r->cur)) {
                json_decref(r->cur);
                r->cur = NULL;
                *recovered = 1;
                return vigil_error_set(VIGIL_EFORMAT,
                    "%s: byte %llu: a message is not a JSON object", r->path,
                    (unsigned long long)at);
            }
            out->msg = r->cur;
            out->dialog = &r->dialog;
            out->offset = at;
            return VIGIL_ROW;
        case C_LIST:
            if ((rc = tg_expect(r, '{', "to open a dialog")) < 0)
                return rc;
            tg_dialog_reset(r);
            if ((rc = tg_push(r, C_DIALOG)) < 0)
                return rc;
            break;
        case C_ROOT:
        case C_CHATS:
        case C_DIALOG:
            if ((rc = tg_member(r, top)) < 0)
                return rc;
        }
    }
}
