/*
 * cli/cmd_scan.c - `vigil scan [FILE...|-]`: text triage of one text per
 * input line, printed as JSON Lines (language, script, watchlist hits with
 * byte offsets into the line, validated indicators). Input is read in
 * large blocks and split in place; output is built in one buffer and
 * written in large chunks (docs/internals/triage.md, "End to end").
 */
#define _GNU_SOURCE                     /* sched_getaffinity, CPU_COUNT */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "util/buf.h"
#include "vigil/text.h"

#define READ_CHUNK (1u << 20)       /* bytes asked of read() at a time */
#define OUT_FLUSH (1u << 19)        /* output written once this much waits */
#define SCAN_MAX_JOBS 64
#define SCAN_AUTO_JOBS 16           /* --jobs 0 takes at most this many */
#define BATCH_BYTES (256u << 10)    /* --jobs: input bytes per batch, */
#define BATCH_LINES 4096u           /* and lines at most */
#define BATCHES_PER_JOB 3           /* batches in flight per worker */

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

/* ---- --jobs N: batches of lines on worker threads ------------------------
 *
 * The main thread reads a regular file into batches of whole lines
 * (copied), workers triage a batch each into its own JSON text, and the
 * main thread writes the batches in input order, so the output is the
 * same bytes as one thread's. Each worker has its own triage handle
 * (watchlist, normaliser, language-ID word memo); results do not depend
 * on which handle scanned a line. The first failing line stops the run
 * as it would on one thread: what comes before it is written, then the
 * error naming file and line. */

enum { B_FREE, B_READY, B_DONE };

typedef struct {
    vgu_buf data;               /* the lines' bytes, back to back */
    size_t *end;                /* line i is data[end[i - 1], end[i]) */
    size_t n, ncap;
    size_t first;               /* line number of line 0 (from 1) */
    vgu_buf out;                /* JSON Lines of the lines scanned */
    int state;
    int err;                    /* 0, or the error of line err_at */
    size_t err_at;
    int setup;                  /* err is from setting up the worker */
    char msg[1024];             /* the library's message for err */
} scan_batch;

typedef struct {
    scan_batch *b;
    size_t nb;                  /* ring size */
    size_t filled, taken;       /* batches filled / taken, from the start */
    int stop;
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    const char *wl_path;
    int only;
    pthread_t th[SCAN_MAX_JOBS];
    long nth;
} scan_pool;

/* A triage handle with the bundled outlets and/or the --watchlist file. */
static int triage_open(vigil_triage **t, const char *wl_path, int only)
{
    vigil_watchlist *wl = NULL;
    int rc;

    *t = NULL;
    if (wl_path && (rc = vigil_watchlist_load(&wl, wl_path, !only)) < 0)
        return rc;
    return vigil_triage_new(t, wl);
}

int cli_triage_open(const char *sub, const char *wl_path, int only,
                    vigil_triage **out)
{
    vigil_watchlist *wl = NULL;
    int rc;

    *out = NULL;
    if (wl_path && (rc = vigil_watchlist_load(&wl, wl_path, !only)) < 0) {
        cli_error(sub, rc, "--watchlist");
        return 1;
    }
    if ((rc = vigil_triage_new(out, wl)) < 0) {
        cli_error(sub, rc, "setting up triage");
        return 1;
    }
    return 0;
}

/* Keep the library's message of error @p code for the main thread (the
 * message is per thread). */
static void batch_fail(scan_batch *b, int code, size_t at, int setup)
{
    const vigil_error *e = vigil_error_last();

    b->err = code;
    b->err_at = at;
    b->setup = setup;
    snprintf(b->msg, sizeof(b->msg), "%s", e && e->message ? e->message : "");
}

static void batch_run(vigil_triage *t, scan_batch *b)
{
    size_t i, from = 0;

    vgu_buf_clear(&b->out);
    for (i = 0; i < b->n; from = b->end[i++]) {
        const vigil_triage_result *r;
        int err = vigil_triage_scan(&r, t, b->data.ptr + from, b->end[i] - from,
                                    VIGIL_TRIAGE_ALL);

        if (err < 0) {
            batch_fail(b, err, i, 0);
            return;
        }
        if (put_result(&b->out, r) < 0) {
            vigil_error_clear();
            batch_fail(b, VIGIL_ENOMEM, i, 0);
            return;
        }
    }
}

static void *scan_worker(void *arg)
{
    scan_pool *p = arg;
    vigil_triage *t = NULL;
    int rc = triage_open(&t, p->wl_path, p->only);

    pthread_mutex_lock(&p->lock);
    for (;;) {
        scan_batch *b;

        while (!p->stop && p->taken == p->filled)
            pthread_cond_wait(&p->work, &p->lock);
        if (p->stop)
            break;
        b = &p->b[p->taken++ % p->nb];
        pthread_mutex_unlock(&p->lock);
        b->err = 0;
        if (rc < 0)
            batch_fail(b, rc, 0, 1);
        else
            batch_run(t, b);
        pthread_mutex_lock(&p->lock);
        b->state = B_DONE;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    vigil_triage_free(t);
    return NULL;
}

/* Start @p jobs workers; 0, or -1 (nothing started, message printed). */
static int pool_start(scan_pool *p, long jobs, const char *wl_path, int only)
{
    memset(p, 0, sizeof(*p));
    p->wl_path = wl_path;
    p->only = only;
    p->nb = (size_t)jobs * BATCHES_PER_JOB;
    if ((p->b = calloc(p->nb, sizeof(*p->b))) == NULL) {
        cli_errorf("scan", "out of memory");
        return -1;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    for (p->nth = 0; p->nth < jobs; p->nth++)
        if (pthread_create(&p->th[p->nth], NULL, scan_worker, p) != 0)
            break;
    if (p->nth == 0) {
        cli_errorf("scan", "cannot start a thread");
        free(p->b);
        p->b = NULL;
        return -1;
    }
    return 0;
}

static void pool_stop(scan_pool *p)
{
    long i;
    size_t k;

    if (!p->b)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (i = 0; i < p->nth; i++)
        pthread_join(p->th[i], NULL);
    for (k = 0; k < p->nb; k++) {
        vgu_buf_dispose(&p->b[k].data);
        vgu_buf_dispose(&p->b[k].out);
        free(p->b[k].end);
    }
    free(p->b);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->lock);
    p->b = NULL;
}

/* Append one line to @p b; 0 or -1 (out of memory). */
static int batch_add(scan_batch *b, const char *line, size_t len)
{
    if (b->n == b->ncap) {
        size_t cap = b->ncap ? 2 * b->ncap : 256;
        size_t *e = realloc(b->end, cap * sizeof(*e));

        if (!e)
            return -1;
        b->end = e;
        b->ncap = cap;
    }
    if (vgu_buf_append(&b->data, line, len) < 0)
        return -1;
    b->end[b->n++] = b->data.len;
    return 0;
}

/* Wait until batch @p b is scanned. */
static void batch_wait(scan_pool *p, scan_batch *b)
{
    pthread_mutex_lock(&p->lock);
    while (b->state != B_DONE)
        pthread_cond_wait(&p->done, &p->lock);
    pthread_mutex_unlock(&p->lock);
}

/* scan_stream() on the workers of @p p: the same output and errors. */
static int scan_stream_jobs(scan_pool *p, int fd, const char *name, vgu_buf *out)
{
    line_reader lr = { fd, NULL, 0, 0, 0, 0, out };
    size_t lineno = 0, written = p->filled, len;
    const char *line;
    int got = 1, rc = 0;

    if (flush_out(out) != 0)            /* what earlier inputs left */
        return 1;
    for (;;) {
        scan_batch *b;

        /* fill the free batches of the ring */
        while (got > 0 && rc == 0 && p->filled - written < p->nb) {
            b = &p->b[p->filled % p->nb];
            vgu_buf_clear(&b->data);
            b->n = 0;
            b->first = lineno + 1;
            while (b->data.len < BATCH_BYTES && b->n < BATCH_LINES &&
                   (got = next_line(&lr, &line, &len)) > 0) {
                if (batch_add(b, line, len) < 0) {
                    got = -3;           /* reported after the lines before */
                    break;
                }
                lineno++;
            }
            if (b->n == 0)
                break;
            pthread_mutex_lock(&p->lock);
            b->state = B_READY;
            p->filled++;
            pthread_cond_signal(&p->work);
            pthread_mutex_unlock(&p->lock);
        }
        if (written == p->filled)
            break;
        /* write the oldest, in input order */
        b = &p->b[written % p->nb];
        batch_wait(p, b);
        if (rc == 0 && b->out.len &&
            (fwrite(b->out.ptr, 1, b->out.len, stdout) != b->out.len ||
             fflush(stdout) != 0)) {
            cli_errorf("scan", "writing output: %s", strerror(errno));
            rc = 1;
        }
        if (rc == 0 && b->err) {
            char where[512];

            snprintf(where, sizeof(where), "%s:%zu", name, b->first + b->err_at);
            cli_error_text("scan", b->err, b->setup ? "setting up triage" : where,
                           b->msg);
            rc = 1;
        }
        b->state = B_FREE;
        written++;
        if (rc)
            got = 0;    /* no more input; the batches in flight are let finish */
    }
    if (rc == 0 && got == -1)
        cli_errorf("scan", "%s: read error after line %zu", name, lineno);
    if (rc == 0 && got == -3)
        cli_errorf("scan", "%s:%zu: out of memory", name, lineno + 1);
    free(lr.buf);
    return rc || got < 0;
}

/* Worker threads for --jobs @p n; 0 means one per CPU this process may
 * run on, at most SCAN_AUTO_JOBS (each worker holds ~15 MB, and the one
 * thread that reads and writes would not keep more busy). */
static long jobs_for(long n)
{
    cpu_set_t set;

    if (n > 0)
        return n;
    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
        n = CPU_COUNT(&set);
    else
        n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > SCAN_AUTO_JOBS ? SCAN_AUTO_JOBS : n;
}

/* Whether @p fd is a regular file of at least two batches: what --jobs
 * splits (a pipe or terminal keeps answering line by line). */
static int worth_jobs(int fd)
{
    struct stat st;

    return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
           st.st_size >= 2 * (off_t)BATCH_BYTES;
}

int cmd_scan(int argc, char **argv)
{
    const char *wl_path = NULL;
    int only = 0;
    long njobs = 1;
    const cli_opt opts[] = {
        { "watchlist", 'w', CLI_OPT_STRING, &wl_path, "TSV",
          "extra watchlist terms (format: data/watchlist/README.md)" },
        { "only-watchlist", 0, CLI_OPT_FLAG, &only, NULL,
          "use only --watchlist, not the bundled outlet list" },
        { "jobs", 'j', CLI_OPT_INT, &njobs, "N",
          "scan files on N threads (0: one per CPU; default 1); same output" },
        { NULL, 0, 0, NULL, NULL, NULL }
    };
    const cli_spec spec = {
        "scan", "[--watchlist TSV [--only-watchlist]] [--jobs N] [FILE...|-]",
        "Triage one text per input line; print one JSON object per line:\n"
        "{\"lang\":\"tgk-Cyrl\",\"script\":\"Cyrl\",\"hits\":[{\"outlet\":..,"
        "\"term\":..,\"start\":N,\"end\":N}],\n"
        "\"indicators\":[{\"type\":\"monero\",\"value\":..,\"valid\":true,..}]}"
        "\nOffsets are bytes into the line. --jobs splits files of 512 KB and"
        "\nmore into batches of lines (a pipe is read line by line)."
        "\nExit 0 ok, 1 error, 2 usage.",
        opts, 0, -1
    };
    vigil_triage *t;
    scan_pool pool;
    vgu_buf out = VGU_BUF_INIT;
    char **pos;
    int npos, rc, i;

    pool.b = NULL;
    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (only && !wl_path) {
        cli_errorf("scan", "--only-watchlist needs --watchlist TSV");
        return 2;
    }
    if (njobs < 0 || njobs > SCAN_MAX_JOBS) {
        cli_errorf("scan", "--jobs must be 0..%d", SCAN_MAX_JOBS);
        return 2;
    }
    njobs = jobs_for(njobs);
    if (cli_triage_open("scan", wl_path, only, &t) != 0)
        return 1;
    rc = 0;
    for (i = 0; (i < npos || (npos == 0 && i == 0)) && rc == 0; i++) {
        int in = npos == 0 || strcmp(pos[i], "-") == 0;
        const char *name = in ? "<stdin>" : pos[i];
        int fd = in ? STDIN_FILENO : open(pos[i], O_RDONLY);

        if (fd < 0) {
            flush_out(&out);
            cli_errorf("scan", "%s: %s", pos[i], strerror(errno));
            rc = 1;
            break;
        }
        /* a regular file (also one redirected to standard input) goes to
         * the workers; a pipe or terminal is answered line by line */
        if (njobs > 1 && worth_jobs(fd)) {
            if (!pool.b && pool_start(&pool, njobs, wl_path, only) < 0)
                rc = 1;
            else
                rc = scan_stream_jobs(&pool, fd, name, &out);
        } else {
            rc = scan_stream(t, fd, name, &out);
        }
        if (!in)
            close(fd);
    }
    pool_stop(&pool);
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
