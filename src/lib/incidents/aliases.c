/*
 * incidents/aliases.c - the actor/place alias table: TSV rows mapping
 * spelling variants (optionally scoped to a dataset and countries) to one
 * key, looked up through a hash of the case- and space-folded variant, and
 * "strip" rows that drop a trailing word ("province") from unmatched names.
 * Applied at query time; stored incidents keep their raw values.
 */
#define VIGIL_MODULE "incidents"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/error.h"
#include "vigil/incidents.h"

#define ALIAS_MAX_LINE 4096
#define ALIAS_NORM_MAX 512

typedef struct {
    int kind;
    char *variant;              /* folded */
    char *key;                  /* as written */
    char *dataset;              /* NULL = any */
    char *countries;            /* folded, ",a,b," form; NULL = any */
    int next;                   /* chain in the hash bucket, -1 ends */
} alias_entry;

/* "strip" row: a trailing word dropped from unmatched names. */
typedef struct {
    int kind;
    char *word;                 /* folded, e.g. "province" */
    char *dataset;              /* NULL = any */
} strip_rule;

struct vigil_aliases {
    alias_entry *v;
    size_t n, cap;
    strip_rule *strip;
    size_t nstrip;
    int *bucket;                /* nbucket heads, -1 empty */
    size_t nbucket;
};

/* Lower-case ASCII, collapse runs of white space, trim. */
static size_t fold(char *out, size_t out_len, const char *s, size_t len)
{
    size_t o = 0, i;
    int space = 0;

    for (i = 0; i < len && o + 1 < out_len; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (isspace(ch)) {
            space = o > 0;
            continue;
        }
        if (space && o + 2 < out_len)
            out[o++] = ' ';
        space = 0;
        out[o++] = (char)tolower(ch);
    }
    out[o] = '\0';
    return o;
}

static size_t hash_str(const char *s, int kind)
{
    size_t h = 1469598103934665603u ^ (size_t)kind;  /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

int vigil_aliases_new(vigil_aliases **out)
{
    vigil_aliases *a;

    *out = NULL;
    if ((a = vigil__calloc(1, sizeof(*a))) == NULL)
        return VIGIL_ENOMEM;
    a->nbucket = 1024;
    if ((a->bucket = vigil__mallocarray(a->nbucket, sizeof(int))) == NULL) {
        vigil__free(a);
        return VIGIL_ENOMEM;
    }
    memset(a->bucket, 0xff, a->nbucket * sizeof(int));
    *out = a;
    return VIGIL_OK;
}

void vigil_aliases_free(vigil_aliases *a)
{
    size_t i;

    if (!a)
        return;
    for (i = 0; i < a->n; i++) {
        vigil__free(a->v[i].variant);
        vigil__free(a->v[i].key);
        vigil__free(a->v[i].dataset);
        vigil__free(a->v[i].countries);
    }
    for (i = 0; i < a->nstrip; i++) {
        vigil__free(a->strip[i].word);
        vigil__free(a->strip[i].dataset);
    }
    vigil__free(a->strip);
    vigil__free(a->v);
    vigil__free(a->bucket);
    vigil__free(a);
}

static int rehash(vigil_aliases *a)
{
    size_t nb = a->nbucket * 2, i;
    int *b = vigil__mallocarray(nb, sizeof(int));

    if (!b)
        return VIGIL_ENOMEM;
    memset(b, 0xff, nb * sizeof(int));
    for (i = 0; i < a->n; i++) {
        size_t h = hash_str(a->v[i].variant, a->v[i].kind) % nb;
        a->v[i].next = b[h];
        b[h] = (int)i;
    }
    vigil__free(a->bucket);
    a->bucket = b;
    a->nbucket = nb;
    return VIGIL_OK;
}

/* Fold a comma list into ",a,b," so membership is a strstr. */
static char *fold_list(const char *s)
{
    char buf[ALIAS_NORM_MAX], item[ALIAS_NORM_MAX];
    size_t o = 0;

    buf[o++] = ',';
    while (*s) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s), n;

        n = fold(item, sizeof(item), s, len);
        if (n && o + n + 2 < sizeof(buf)) {
            memcpy(buf + o, item, n);
            o += n;
            buf[o++] = ',';
        }
        s += len + (e ? 1 : 0);
    }
    buf[o] = '\0';
    return vigil__strdup(buf);
}

static int add(vigil_aliases *a, int kind, const char *key,
               const char *variant, const char *dataset, const char *countries)
{
    char norm[ALIAS_NORM_MAX];
    alias_entry *e;
    size_t h;

    if (a->n == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 64;
        alias_entry *nv = vigil__realloc(a->v, ncap * sizeof(*nv));

        if (!nv)
            return VIGIL_ENOMEM;
        a->v = nv;
        a->cap = ncap;
    }
    if (a->n >= a->nbucket && rehash(a) < 0)
        return VIGIL_ENOMEM;
    fold(norm, sizeof(norm), variant, strlen(variant));
    e = &a->v[a->n];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    if (!(e->variant = vigil__strdup(norm)) || !(e->key = vigil__strdup(key))
        || (dataset && !(e->dataset = vigil__strdup(dataset))) ||
        (countries && !(e->countries = fold_list(countries)))) {
        vigil__free(e->variant);
        vigil__free(e->key);
        vigil__free(e->dataset);
        return VIGIL_ENOMEM;
    }
    h = hash_str(e->variant, kind) % a->nbucket;
    e->next = a->bucket[h];
    a->bucket[h] = (int)a->n++;
    return VIGIL_OK;
}

/* Split a TSV line in place; returns the number of fields (max 5). */
static int split_tabs(char *line, char *f[5])
{
    int n = 0;

    while (n < 5) {
        char *t = strchr(line, '\t');

        f[n++] = line;
        if (!t)
            break;
        *t = '\0';
        line = t + 1;
    }
    return n;
}

static const char *scope_or_null(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return (*s == '\0' || strcmp(s, "*") == 0) ? NULL : s;
}

static int add_strip(vigil_aliases *a, int kind, const char *word,
                     const char *dataset)
{
    char norm[ALIAS_NORM_MAX];
    strip_rule *nv, *r;

    if (!(nv = vigil__realloc(a->strip, (a->nstrip + 1) * sizeof(*nv))))
        return VIGIL_ENOMEM;
    a->strip = nv;
    r = &a->strip[a->nstrip];
    fold(norm, sizeof(norm), word, strlen(word));
    r->kind = kind;
    r->dataset = NULL;
    if (!(r->word = vigil__strdup(norm)) ||
        (dataset && !(r->dataset = vigil__strdup(dataset)))) {
        vigil__free(r->word);
        return VIGIL_ENOMEM;
    }
    a->nstrip++;
    return VIGIL_OK;
}

static int kind_from(const char *s)
{
    return strcmp(s, "actor") == 0 ? VIGIL_ALIAS_ACTOR
         : strcmp(s, "place") == 0 ? VIGIL_ALIAS_PLACE : -1;
}

static int load_line(vigil_aliases *a, char *line, const char *path,
                     unsigned long lineno)
{
    char *f[5] = { NULL, NULL, NULL, NULL, NULL };
    int n, kind, rc;
    size_t len = strlen(line);

    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    if (len == 0 || line[0] == '#')
        return VIGIL_OK;
    n = split_tabs(line, f);
    if (n < 3 || !*f[1] || !*f[2])
        return vigil_error_set(VIGIL_EFORMAT, "%s:%lu: expected kind<TAB>key"
                               "<TAB>variant", path, lineno);
    if (strcmp(f[0], "strip") == 0) {
        if ((kind = kind_from(f[1])) < 0)
            return vigil_error_set(VIGIL_EFORMAT, "%s:%lu: strip applies to "
                                   "actor or place, not '%s'", path, lineno,
                                   f[1]);
        if (strpbrk(f[2], " \t"))
            return vigil_error_set(VIGIL_EFORMAT, "%s:%lu: strip takes one "
                                   "word, not '%s'", path, lineno, f[2]);
        return add_strip(a, kind, f[2], n > 3 ? scope_or_null(f[3]) : NULL);
    }
    if ((kind = kind_from(f[0])) < 0)
        return vigil_error_set(VIGIL_EFORMAT, "%s:%lu: kind '%s' is not "
                               "actor, place or strip", path, lineno, f[0]);
    if ((rc = add(a, kind, f[1], f[2], n > 3 ? scope_or_null(f[3]) : NULL,
                  n > 4 ? scope_or_null(f[4]) : NULL)) < 0)
        return rc;
    /* The key resolves to itself (any scope), so case variants group. */
    return add(a, kind, f[1], f[1], NULL, NULL);
}

int vigil_aliases_load(vigil_aliases *a, const char *path)
{
    char line[ALIAS_MAX_LINE];
    unsigned long lineno = 0;
    FILE *f;
    int rc = VIGIL_OK;

    VIGIL_ASSERT_ARG(a && path);
    if ((f = fopen(path, "r")) == NULL)
        return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
    while (rc == VIGIL_OK && fgets(line, sizeof(line), f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f))
            rc = vigil_error_set(VIGIL_EFORMAT, "%s:%lu: line longer than %d "
                                 "bytes", path, lineno, ALIAS_MAX_LINE - 2);
        else
            rc = load_line(a, line, path, lineno);
    }
    if (rc == VIGIL_OK && ferror(f))
        rc = vigil_error_set(VIGIL_EIO, "%s: read error", path);
    fclose(f);
    return rc;
}

int vigil_aliases_load_default(vigil_aliases *a)
{
    char path[1024];
    const char *env;
    FILE *f;

    if ((env = getenv("VIGIL_ALIASES")) != NULL && *env)
        return vigil_aliases_load(a, env);
    if ((env = getenv("VIGIL_DATA_DIR")) != NULL && *env)
        snprintf(path, sizeof(path), "%s/incidents/aliases.tsv", env);
    else
#ifdef VIGIL_DATA_DIR
        snprintf(path, sizeof(path), "%s/incidents/aliases.tsv",
                 VIGIL_DATA_DIR);
#else
        return vigil_error_set(VIGIL_ENOTFOUND, "no alias table configured");
#endif
    if ((f = fopen(path, "r")) == NULL)
        return vigil_error_set(VIGIL_ENOTFOUND, "%s: no alias table", path);
    fclose(f);
    return vigil_aliases_load(a, path);
}

static int in_scope(const alias_entry *e, const char *dataset,
                    const char *country_folded)
{
    char pat[ALIAS_NORM_MAX + 2];

    if (e->dataset && (!dataset || strcasecmp(e->dataset, dataset) != 0))
        return 0;
    if (!e->countries)
        return 1;
    if (!country_folded)
        return 0;
    snprintf(pat, sizeof(pat), ",%s,", country_folded);
    return strstr(e->countries, pat) != NULL;
}

/* Best entry for a folded variant: scoped matches beat unscoped ones,
 * later rows beat earlier ones. */
static const alias_entry *lookup(const vigil_aliases *a, int kind,
                                 const char *norm, const char *dataset,
                                 const char *country_folded)
{
    const alias_entry *best = NULL;
    int i, best_score = -1;

    if (!a || !a->n)
        return NULL;
    for (i = a->bucket[hash_str(norm, kind) % a->nbucket]; i >= 0;
         i = a->v[i].next) {
        const alias_entry *e = &a->v[i];
        int score;

        if (e->kind != kind || strcmp(e->variant, norm) != 0 ||
            !in_scope(e, dataset, country_folded))
            continue;
        score = (e->dataset != NULL) + (e->countries != NULL);
        if (score >= best_score && (!best || score > best_score || e > best)) {
            best = e;
            best_score = score;
        }
    }
    return best;
}

static const char *copy_out(char *buf, size_t buf_len, const char *s,
                            size_t len)
{
    if (len >= buf_len)
        len = buf_len - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

const char *vigil_aliases_resolve(const vigil_aliases *a, vigil_alias_kind k,
                                  const char *raw, const char *dataset,
                                  const char *country, char *buf,
                                  size_t buf_len)
{
    char norm[ALIAS_NORM_MAX], cnorm[ALIAS_NORM_MAX];
    const alias_entry *e;
    const char *cf = NULL;
    size_t len, n, i;

    if (!raw || buf_len == 0)
        return NULL;
    while (isspace((unsigned char)*raw))
        raw++;
    len = strlen(raw);
    while (len && isspace((unsigned char)raw[len - 1]))
        len--;
    if (len == 0)
        return NULL;
    if (country && *country)
        cf = (fold(cnorm, sizeof(cnorm), country, strlen(country)), cnorm);
    n = fold(norm, sizeof(norm), raw, len);
    if ((e = lookup(a, (int)k, norm, dataset, cf)) != NULL)
        return copy_out(buf, buf_len, e->key, strlen(e->key));
    for (i = 0; a && len < ALIAS_NORM_MAX - 1 && i < a->nstrip; i++) {
        const strip_rule *r = &a->strip[i];
        size_t wl = strlen(r->word);

        if (r->kind != (int)k || (r->dataset && (!dataset ||
            strcasecmp(r->dataset, dataset) != 0)) || n <= wl + 1 ||
            norm[n - wl - 1] != ' ' || strcmp(norm + n - wl, r->word) != 0)
            continue;
        norm[n - wl - 1] = '\0';
        if ((e = lookup(a, (int)k, norm, dataset, cf)) != NULL)
            return copy_out(buf, buf_len, e->key, strlen(e->key));
        /* raw ends in the word (any case) after white space: cut both */
        len -= wl;
        while (len && isspace((unsigned char)raw[len - 1]))
            len--;
        break;
    }
    return copy_out(buf, buf_len, raw, len);
}
