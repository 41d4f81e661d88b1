/*
 * fuzz/csv_fuzzer.c - libFuzzer target for the streaming CSV reader
 * (util/csv.c). Property: every record read back from its own RFC 4180
 * re-serialisation (all fields quoted) has the same fields, byte for byte;
 * line numbers never go backwards. The first input byte picks the read
 * chunk size so window refills land everywhere.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"

typedef struct {
    const uint8_t *p;
    size_t len, pos, chunk;
} src;

static size_t src_read(void *payload, char *buf, size_t n)
{
    src *s = payload;
    size_t k = s->len - s->pos;

    if (k > n)
        k = n;
    if (s->chunk && k > s->chunk)
        k = s->chunk;
    memcpy(buf, s->p + s->pos, k);
    s->pos += k;
    return k;
}

/* Quote every field; returns malloc'd bytes in *out. */
static size_t serialise(vgu_csv *c, char **out)
{
    size_t i, n = vgu_csv_nfields(c), cap = 16, len = 0;
    char *b = malloc(cap);

    for (i = 0; i < n; i++) {
        size_t fl, j;
        const char *f = vgu_csv_get(c, i, &fl);

        if (len + 2 * fl + 4 > cap) {
            cap = 2 * (len + 2 * fl + 4);
            b = realloc(b, cap);
        }
        if (i)
            b[len++] = ',';
        b[len++] = '"';
        for (j = 0; j < fl; j++) {
            if (f[j] == '"')
                b[len++] = '"';
            b[len++] = f[j];
        }
        b[len++] = '"';
    }
    b[len++] = '\n';
    *out = b;
    return len;
}

static void check_round_trip(vgu_csv *c)
{
    src s2;
    char *ser;
    size_t n = vgu_csv_nfields(c), i;
    vgu_csv *c2;

    s2.len = serialise(c, &ser);
    s2.p = (const uint8_t *)ser;
    s2.pos = 0;
    s2.chunk = 0;
    c2 = vgu_csv_new(src_read, &s2, NULL);
    if (!c2)
        abort();
    /* The copy starts with a quote, so no BOM is stripped from it. */
    if (vgu_csv_next(c2) != VGU_CSV_RECORD || vgu_csv_nfields(c2) != n)
        abort();
    for (i = 0; i < n; i++) {
        size_t l1, l2;
        const char *a = vgu_csv_get(c, i, &l1), *b = vgu_csv_get(c2, i, &l2);

        if (l1 != l2 || memcmp(a, b, l1) != 0)
            abort();
    }
    if (vgu_csv_next(c2) != VGU_CSV_END)
        abort();
    vgu_csv_free(c2);
    free(ser);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vgu_csv_limits lim = { 4096, 64 };
    unsigned long last_line = 0;
    vgu_csv *c;
    src s;
    int r, records = 0;

    if (size == 0)
        return 0;
    s.chunk = data[0] % 8;          /* 0 = whole window */
    s.p = data + 1;
    s.len = size - 1;
    s.pos = 0;
    if ((c = vgu_csv_new(src_read, &s, &lim)) == NULL)
        return 0;
    while ((r = vgu_csv_next(c)) != VGU_CSV_END && r != VGU_CSV_FATAL &&
           records++ < 100000) {
        if (vgu_csv_line(c) < last_line)
            abort();
        last_line = vgu_csv_line(c);
        if (r == VGU_CSV_RECORD)
            check_round_trip(c);
    }
    vgu_csv_free(c);
    return 0;
}
