/*
 * tools/gensample/common.c - small helpers of vigil-gensample: fatal
 * errors, allocation, files, the xoshiro256** PRNG, a JSON writer and
 * time formatting (UTC arithmetic only, never the host's time zone).
 */
#include "gs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util/json_out.h"

void gs_die(const char *fmt, ...)
{
    va_list ap;

    fputs("vigil-gensample: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

void *gs_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        gs_die("out of memory (%zu bytes)", n);
    return p;
}

void *gs_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        gs_die("out of memory (%zu x %zu bytes)", n, size);
    return p;
}

void *gs_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        gs_die("out of memory (%zu bytes)", n);
    return q;
}

char *gs_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(gs_xmalloc(n), s, n);
}

void gs_mkdirs(const char *path)
{
    char tmp[4096];
    size_t i, n = strlen(path);

    if (n == 0 || n >= sizeof(tmp))
        gs_die("bad directory path '%s'", path);
    memcpy(tmp, path, n + 1);
    for (i = 1; i <= n; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0')
            continue;
        tmp[i] = '\0';
        if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
            gs_die("%s: cannot create directory: %s", tmp, strerror(errno));
        if (i < n)
            tmp[i] = '/';
    }
}

void gs_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (!f)
        gs_die("%s: cannot create: %s", path, strerror(errno));
    if (len && fwrite(data, 1, len, f) != len)
        gs_die("%s: write failed: %s", path, strerror(errno));
    if (fclose(f) != 0)
        gs_die("%s: close failed: %s", path, strerror(errno));
}

void gs_buf_flush(vgu_buf *b, FILE *f, const char *path)
{
    if (b->len && fwrite(b->ptr, 1, b->len, f) != b->len)
        gs_die("%s: write failed: %s", path, strerror(errno));
    vgu_buf_clear(b);
}

/* ---- PRNG ------------------------------------------------------------------
 * splitmix64 expands the seed into the xoshiro256** state, as its authors
 * recommend (https://prng.di.unimi.it/). Both are fixed algorithms, so a seed
 * names the same stream on every platform, unlike rand().
 */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void gs_rng_seed(gs_rng *r, uint64_t seed)
{
    int i;

    for (i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t gs_rng_next(gs_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint32_t gs_rng_below(gs_rng *r, uint32_t n)
{
    uint64_t limit = (UINT64_MAX / n) * n;
    uint64_t x;

    do
        x = gs_rng_next(r);
    while (x >= limit);
    return (uint32_t)(x % n);
}

int64_t gs_rng_range(gs_rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)gs_rng_below(r, (uint32_t)(hi - lo + 1));
}

bool gs_rng_chance(gs_rng *r, unsigned per_mille)
{
    return gs_rng_below(r, 1000) < per_mille;
}

void gs_rng_bytes(gs_rng *r, uint8_t *out, size_t n)
{
    size_t i;
    uint64_t x = 0;

    for (i = 0; i < n; i++) {
        if (i % 8 == 0)
            x = gs_rng_next(r);
        out[i] = (uint8_t)(x >> (8 * (i % 8)));
    }
}

/* ---- JSON writer ------------------------------------------------------------ */

static void jput(gs_json *j, const char *s)
{
    if (vgu_buf_puts(j->b, s) < 0)
        gs_die("out of memory writing JSON");
}

static void jkey(gs_json *j, const char *key)
{
    int i;

    if (!j->first[j->depth])
        jput(j, ",");
    j->first[j->depth] = false;
    if (j->pretty && j->depth > 0) {
        jput(j, "\n");
        for (i = 0; i < j->depth; i++)
            jput(j, " ");
    }
    if (key) {
        if (vgu_json_cstr(j->b, key) < 0)
            gs_die("out of memory writing JSON");
        jput(j, j->pretty ? ": " : ":");
    }
}

void gs_json_init(gs_json *j, vgu_buf *b, bool pretty)
{
    memset(j, 0, sizeof(*j));
    j->b = b;
    j->pretty = pretty;
    j->first[0] = true;
}

void gs_json_open(gs_json *j, const char *key, char bracket)
{
    char s[2] = { bracket, '\0' };

    if (j->depth > 0)
        jkey(j, key);
    jput(j, s);
    if (++j->depth >= (int)(sizeof(j->first) / sizeof(j->first[0])))
        gs_die("JSON nesting too deep");
    j->first[j->depth] = true;
}

void gs_json_close(gs_json *j, char bracket)
{
    char s[2] = { bracket, '\0' };
    bool empty = j->first[j->depth];
    int i;

    j->depth--;
    if (j->pretty && !empty) {
        jput(j, "\n");
        for (i = 0; i < j->depth; i++)
            jput(j, " ");
    }
    jput(j, s);
}

void gs_json_strn(gs_json *j, const char *key, const char *s, size_t len)
{
    jkey(j, key);
    if (vgu_json_str(j->b, s, len) < 0)
        gs_die("out of memory writing JSON");
}

void gs_json_str(gs_json *j, const char *key, const char *s)
{
    if (!s) {
        gs_json_null(j, key);
        return;
    }
    gs_json_strn(j, key, s, strlen(s));
}

void gs_json_int(gs_json *j, const char *key, long long v)
{
    jkey(j, key);
    if (vgu_buf_printf(j->b, "%lld", v) < 0)
        gs_die("out of memory writing JSON");
}

void gs_json_bool(gs_json *j, const char *key, bool v)
{
    jkey(j, key);
    jput(j, v ? "true" : "false");
}

void gs_json_null(gs_json *j, const char *key)
{
    jkey(j, key);
    jput(j, "null");
}

/* ---- time ------------------------------------------------------------------- */

static void utc_tm(struct tm *tm, int64_t t)
{
    time_t tt = (time_t)t;

    if (!gmtime_r(&tt, tm))
        gs_die("time %lld out of range", (long long)t);
}

void gs_fmt_local(char out[32], int64_t t, int offset)
{
    struct tm tm;

    utc_tm(&tm, t + offset);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
}

void gs_fmt_utc(char out[32], int64_t t)
{
    struct tm tm;

    utc_tm(&tm, t);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void gs_fmt_media(char out[32], int64_t t, int offset)
{
    struct tm tm;

    utc_tm(&tm, t + offset);
    strftime(out, 32, "%d-%m-%Y_%H-%M-%S", &tm);
}

void gs_fmt_month(char out[16], int64_t t)
{
    struct tm tm;

    utc_tm(&tm, t);
    strftime(out, 16, "%Y-%m", &tm);
}
