/*
 * fuzz/list_fuzz.h - the body shared by the hash-list parser fuzzers: parse
 * the input in one format and check properties of every entry (canonical
 * value, line numbers in order and within the input, counts add up).
 */
#ifndef VIGIL_LIST_FUZZ_H
#define VIGIL_LIST_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/bank.h"

struct lf_state {
    size_t lines, last_line, entries, errors;
};

static int lf_hex(const char *s, size_t want)
{
    size_t i;

    if (strlen(s) != want)
        return 0;
    for (i = 0; i < want; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static int lf_vpdq_again(void *payload, const vigil_bank_entry *e)
{
    if (strcmp((const char *)payload, e->value) != 0)
        abort();                /* canonical form must be a fixed point */
    return 0;
}

static int lf_entry(void *payload, const vigil_bank_entry *e)
{
    struct lf_state *s = payload;
    vigil_list_parse_options o = VIGIL_LIST_PARSE_OPTIONS_INIT;
    size_t ok = 0;

    if (e->line < s->last_line || e->line == 0 || e->line > s->lines)
        abort();
    s->last_line = e->line;
    s->entries++;
    switch (e->type) {
    case VIGIL_SIGNAL_PDQ:
    case VIGIL_SIGNAL_SHA256:
        if (!lf_hex(e->value, 64))
            abort();
        break;
    case VIGIL_SIGNAL_MD5:
        if (!lf_hex(e->value, 32))
            abort();
        break;
    case VIGIL_SIGNAL_VPDQ:
        o.format = VIGIL_LIST_VPDQ;
        o.on_entry = lf_vpdq_again;
        o.payload = (void *)e->value;
        if (vigil_list_parse(&o, e->value, strlen(e->value), &ok, NULL) != 0
            || ok != 1)
            abort();
        break;
    default:
        abort();
    }
    return 0;
}

static void lf_error(void *payload, size_t line, const char *reason)
{
    struct lf_state *s = payload;

    if (line == 0 || line > s->lines || !reason || !*reason)
        abort();
    s->errors++;
}

static int lf_run(vigil_list_format fmt, const char *name, int deftype,
                  const uint8_t *data, size_t size)
{
    vigil_list_parse_options o = VIGIL_LIST_PARSE_OPTIONS_INIT;
    struct lf_state s = { 1, 0, 0, 0 };
    size_t ok = 0, bad = 0, i;

    for (i = 0; i < size; i++)
        s.lines += data[i] == '\n';
    o.format = fmt;
    o.name = name;
    o.default_type = deftype;
    o.on_entry = lf_entry;
    o.on_error = lf_error;
    o.payload = &s;
    if (vigil_list_parse(&o, (const char *)data, size, &ok, &bad) != 0)
        abort();
    if (ok != s.entries || bad != s.errors)
        abort();
    return 0;
}

#endif
