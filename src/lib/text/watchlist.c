/*
 * text/watchlist.c - the outlet watchlist: TSV terms (data/watchlist/
 * README.md) normalised like the text they are matched against and
 * compiled into one Hyperscan block-mode database. Between the words of a
 * term a space is optional, so "Voice-of-Khurasan" and "VoiceofKhurasan"
 * match too; word boundaries are checked on the normalised text.
 */
#define VIGIL_MODULE "text"
#include "text/hs_cache.h"
#include "text/text_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <hs/hs.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "common/alloc.h"
#include "common/error.h"

/* Weak keys count only within this many normalised bytes of a strong hit. */
#define WEAK_WINDOW 80
#define MAX_TERMS 100000
#define MAX_LINE 4096

struct wl_entry {
    char *term, *outlet, *kind, *lang;
    double weight;
    int weak;
    int exclude;                /* a known other thing: cancels hits */
};

struct wl_pattern {
    char *norm;                 /* normalised term */
    size_t first, count;        /* entries, after sorting by pattern */
    unsigned char inflect;      /* case endings allowed: 1, 2 also single letters */
    unsigned char exact;        /* vowels as written (an Arabizi form) */
};

/* A case ending (normalised) and the script its first letter must have. */
struct wl_suffix {
    char *norm;
    size_t len;
    int script;                 /* UScriptCode */
    int single;                 /* one letter: only after a name of two words */
};

struct vigil_watchlist {
    struct wl_entry *e;
    size_t n, cap;
    struct wl_pattern *p;
    size_t np;
    size_t *order;              /* entry indices grouped by pattern */
    struct wl_suffix *sfx;
    size_t nsfx;
    hs_database_t *db;
    unsigned *split_of;         /* db ids np.. : the pattern each split form is of */
    size_t nsplit;
    hs_database_t *db_rasm;     /* the terms with a dotted Arabic-script
                                   letter, also matching it dotless */
};

struct raw_hit {
    unsigned pattern;
    int literal;                /* spells its pattern (match_start()) */
    size_t from, to;            /* normalised bytes */
};

struct vigil_text__wlscratch {
    hs_scratch_t *hs;
    struct raw_hit *raw;
    size_t nraw, capraw;
    vigil_hit *hits;
    size_t nhits, caphits;
    size_t *nfrom, *nto;        /* normalised spans of hits */
    unsigned char *keep;
    unsigned char *excl;        /* hit of an exclusion (never reported) */
    const vigil_norm_text *nt;
    const char *orig;           /* the text nt was normalised from */
    const vigil_watchlist *wl;
    int rasm;                   /* scanning db_rasm */
    int err;
};

void vigil_watchlist_free(vigil_watchlist *wl)
{
    size_t i;

    if (!wl)
        return;
    for (i = 0; i < wl->n; i++) {
        vigil__free(wl->e[i].term);
        vigil__free(wl->e[i].outlet);
        vigil__free(wl->e[i].kind);
        vigil__free(wl->e[i].lang);
    }
    for (i = 0; i < wl->np; i++)
        vigil__free(wl->p[i].norm);
    for (i = 0; i < wl->nsfx; i++)
        vigil__free(wl->sfx[i].norm);
    vigil__free(wl->sfx);
    vigil__free(wl->e);
    vigil__free(wl->p);
    vigil__free(wl->order);
    if (wl->db)
        hs_free_database(wl->db);
    if (wl->db_rasm)
        hs_free_database(wl->db_rasm);
    vigil__free(wl->split_of);
    vigil__free(wl);
}

size_t vigil_watchlist_count(const vigil_watchlist *wl)
{
    return wl ? wl->n : 0;
}

/* ---- TSV parsing -------------------------------------------------------- */

static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;

    for (;;) {
        char *t = strchr(p, '\t');
        if (n == max)
            return max + 1;
        f[n++] = p;
        if (!t)
            break;
        *t = '\0';
        p = t + 1;
    }
    return n;
}

static int add_entry(vigil_watchlist *wl, char **f, const char *name,
                     size_t lineno)
{
    struct wl_entry *e;
    char *end;
    double w;
    int weak = 0, exclude = 0;

    if (strcmp(f[4], "weak") == 0)
        weak = 1;
    else if (strcmp(f[4], "exclude") == 0)
        exclude = 1;
    else if (strcmp(f[4], "strong") != 0)
        return vigil_error_set(VIGIL_EFORMAT,
                               "%s:%zu: strength must be strong, weak or "
                               "exclude, not '%s'", name, lineno, f[4]);
    w = strtod(f[5], &end);
    if (end == f[5] || *end || !(w > 0.0 && w <= 1.0))
        return vigil_error_set(VIGIL_EFORMAT,
                               "%s:%zu: weight must be a number in (0,1], "
                               "not '%s'", name, lineno, f[5]);
    if (!*f[0] || !*f[1])
        return vigil_error_set(VIGIL_EFORMAT, "%s:%zu: empty term or outlet",
                               name, lineno);
    if (wl->n >= MAX_TERMS)
        return vigil_error_set(VIGIL_ELIMIT, "%s:%zu: more than %d terms",
                               name, lineno, MAX_TERMS);
    if (wl->n == wl->cap) {
        size_t nc = wl->cap ? wl->cap * 2 : 64;
        struct wl_entry *ne = vigil__realloc(wl->e, nc * sizeof(*ne));
        if (!ne)
            return VIGIL_ENOMEM;
        wl->e = ne;
        wl->cap = nc;
    }
    e = &wl->e[wl->n];
    memset(e, 0, sizeof(*e));
    wl->n++;
    e->weight = w;
    e->weak = weak;
    e->exclude = exclude;
    if (!(e->term = vigil__strdup(f[0])) ||
        !(e->outlet = vigil__strdup(f[1])) ||
        !(e->kind = vigil__strdup(f[2])) || !(e->lang = vigil__strdup(f[3])))
        return VIGIL_ENOMEM;
    return VIGIL_OK;
}

static int parse_tsv(vigil_watchlist *wl, const char *tsv, size_t len,
                     const char *name)
{
    size_t pos = 0, lineno = 0;
    char line[MAX_LINE];

    while (pos < len) {
        const char *nl = memchr(tsv + pos, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - tsv - pos) : len - pos;
        char *f[7];
        int nf, rc;

        lineno++;
        if (ll >= sizeof(line))
            return vigil_error_set(VIGIL_EFORMAT, "%s:%zu: line longer than "
                                   "%d bytes", name, lineno, MAX_LINE - 1);
        memcpy(line, tsv + pos, ll);
        line[ll] = '\0';
        pos += ll + (nl ? 1 : 0);
        if (ll && line[ll - 1] == '\r')
            line[--ll] = '\0';
        if (ll == 0 || line[0] == '#' || strncmp(line, "term\t", 5) == 0)
            continue;
        if (memchr(line, '\0', ll))
            return vigil_error_set(VIGIL_EFORMAT, "%s:%zu: NUL byte",
                                   name, lineno);
        if ((nf = split_tabs(line, f, 6)) != 6)
            return vigil_error_set(VIGIL_EFORMAT, "%s:%zu: %d tab-separated "
                                   "fields, expected 6 (term, outlet, kind, "
                                   "language, strength, weight)", name, lineno,
                                   nf > 6 ? 7 : nf);
        if ((rc = add_entry(wl, f, name, lineno)) < 0)
            return rc;
    }
    return VIGIL_OK;
}

/* ---- patterns ----------------------------------------------------------- */

struct norm_entry {
    char *norm;                 /* normalised term, owned */
    size_t entry;
    int exact;                  /* no vowel classes: its e is a digit 3 */
};

static int cmp_norm_entry(const void *a, const void *b)
{
    const struct norm_entry *x = a, *y = b;
    int c = strcmp(x->norm, y->norm);

    if (c)
        return c;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* Patterns are the distinct normalised terms: sort the @p nn (norm, entry)
 * pairs and cut them into groups; order[] lists the entries group by group,
 * each group in file order (an entry may be in two groups, see
 * joined_form()). Takes ownership of every ne[i].norm. */
static int make_patterns(vigil_watchlist *wl, struct norm_entry *ne,
                         size_t nn)
{
    size_t i;

    qsort(ne, nn, sizeof(*ne), cmp_norm_entry);
    if ((wl->order = vigil__mallocarray(nn, sizeof(size_t))) == NULL ||
        (wl->p = vigil__calloc(nn, sizeof(*wl->p))) == NULL)
        return VIGIL_ENOMEM;
    for (i = 0; i < nn; i++) {
        if (wl->np == 0 || strcmp(ne[i].norm, wl->p[wl->np - 1].norm) != 0) {
            wl->p[wl->np].norm = ne[i].norm;
            wl->p[wl->np].first = i;
            ne[i].norm = NULL;
            wl->np++;
        }
        wl->p[wl->np - 1].count++;
        wl->p[wl->np - 1].exact |= ne[i].exact != 0;
        wl->order[i] = ne[i].entry;
    }
    return VIGIL_OK;
}

/* ASCII spellings that look alike in most fonts and that the normaliser
 * keeps apart, so that text stays readable: i and l (capital I, digit 1
 * and "!" read as i: "AI-Azaim", "A1-Azaim" for Al-Azaim), m and rn
 * ("Arnaq"), w and vv (and v written vv, "Ovvozi"). With @p vowels (a
 * term not spelled exactly), the vowel classes: a term's e stands for e or i, o and u for o or u, i for
 * e, i, l or ii (a long vowel written double, "Tawhiid", "Nashiir": the
 * normaliser folds every other doubled letter, but keeps ii, which may be
 * il, li or ll). A term letter matches any byte of the class look_alike()
 * returns, or the two bytes it puts in *@p two. */
static const char *look_alike(char c, const char **two, int vowels)
{
    *two = NULL;
    switch (c) {
    case 'e':
        return vowels ? "ei" : NULL;
    case 'i':
        if (vowels)
            *two = "ii";
        return vowels ? "eil" : "il";
    case 'l':
        return "il";
    case 'o': case 'u':
        return vowels ? "ou" : NULL;
    case 'm':
        *two = "rn";
        return "m";
    case 'w':
        *two = "vv";
        return "w";
    case 'v':               /* doubled: the normaliser keeps vv (a w) */
        *two = "vv";
        return "v";
    default:
        return NULL;
    }
}

/* Arabic-script letters written without their dots ("rasm"), as posts do
 * to slip past filters: each dotted letter of a term (its normalised
 * two-byte form) also matches its dotless shape -- ب ت ث ن ي پ as ٮ (and
 * ن as ں), ج خ چ as ح, ذ as د, ز ژ as ر, ش as س, ض as ص, ظ as ط, غ as ع,
 * ف as ڡ, ق as ٯ or ڡ -- never another dotted letter. "وكاله اعماٯ" is
 * وكالة أعماق written so. */
static const struct {
    char letter[3];
    char alt[3][3];
} rasm_shapes[] = {
    { "\xD8\xA8", { "\xD9\xAE" } },                  /* ب: ٮ */
    { "\xD8\xAA", { "\xD9\xAE" } },                  /* ت */
    { "\xD8\xAB", { "\xD9\xAE" } },                  /* ث */
    { "\xD9\x86", { "\xD9\xAE", "\xDA\xBA" } },      /* ن: ٮ ں */
    { "\xD9\x8A", { "\xD9\xAE" } },                  /* ي */
    { "\xD9\xBE", { "\xD9\xAE" } },                  /* پ */
    { "\xD8\xAC", { "\xD8\xAD" } },                  /* ج: ح */
    { "\xD8\xAE", { "\xD8\xAD" } },                  /* خ */
    { "\xDA\x86", { "\xD8\xAD" } },                  /* چ */
    { "\xD8\xB0", { "\xD8\xAF" } },                  /* ذ: د */
    { "\xD8\xB2", { "\xD8\xB1" } },                  /* ز: ر */
    { "\xDA\x98", { "\xD8\xB1" } },                  /* ژ */
    { "\xD8\xB4", { "\xD8\xB3" } },                  /* ش: س */
    { "\xD8\xB6", { "\xD8\xB5" } },                  /* ض: ص */
    { "\xD8\xB8", { "\xD8\xB7" } },                  /* ظ: ط */
    { "\xD8\xBA", { "\xD8\xB9" } },                  /* غ: ع */
    { "\xD9\x81", { "\xDA\xA1" } },                  /* ف: ڡ */
    { "\xD9\x82", { "\xD9\xAF", "\xDA\xA1" } },      /* ق: ٯ ڡ */
};

/* The dotless shapes of the two-byte letter at @p p, or NULL (the lead
 * byte is checked first: most letters of a term are ASCII). */
static const char (*rasm_alts(const char *p))[3]
{
    unsigned char b = (unsigned char)p[0];
    size_t i;

    if (b < 0xD8 || b > 0xDA)
        return NULL;
    for (i = 0; i < sizeof(rasm_shapes) / sizeof(rasm_shapes[0]); i++)
        if (p[0] == rasm_shapes[i].letter[0] &&
            p[1] == rasm_shapes[i].letter[1])
            return rasm_shapes[i].alt;
    return NULL;
}

/* Weight of the code point starting at norm[k] for split_at(): 2 for a
 * Devanagari letter (U+0900-097F: a consonant is a syllable, and the
 * normaliser drops the vowel signs, so "अमा क" is read "अम क"), 1 for any
 * other code point, 0 for a continuation byte. */
static size_t split_weight(const char *norm, size_t k)
{
    unsigned char c = (unsigned char)norm[k];

    if ((c & 0xC0) == 0x80)
        return 0;
    return c == 0xE0 && ((unsigned char)norm[k + 1] == 0xA4 ||
                         (unsigned char)norm[k + 1] == 0xA5) ? 2 : 1;
}

/* Whether a strong name may be written with a space at byte @p i of its
 * normalised form @p norm ("Am aq", "Kho rasan", "أعم اق", "अमा क"):
 * inside a word, at a code point boundary, with two code points of the
 * word or more on either side (a Devanagari letter counts two). */
static int split_at(const char *norm, size_t i)
{
    size_t n = strlen(norm), k, before = 0, after = 0;

    if (i == 0 || i >= n || norm[i] == ' ' || norm[i - 1] == ' ' ||
        ((unsigned char)norm[i] & 0xC0) == 0x80)
        return 0;
    for (k = i; k > 0 && norm[k - 1] != ' ' && before < 2; k--)
        before += split_weight(norm, k - 1);
    for (k = i; k < n && norm[k] != ' ' && after < 2; k++)
        after += split_weight(norm, k);
    return before >= 2 && after >= 2;
}

/* The split form of @p norm at byte @p at (split_at()): a literal, its
 * bytes as written (its own spaces too, which term_regex() makes
 * optional: a literal keeps the database small) and one space at @p at.
 * Caller frees; NULL when out of memory. */
static char *split_regex(const char *norm, size_t at)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strlen(norm), i, k = 0;
    char *r = vigil__malloc(n * 4 + 8);

    if (!r)
        return NULL;
    for (i = 0; i < n; i++) {
        if (i == at)
            r[k++] = ' ';
        r[k++] = '\\';                  /* \xHH: no snprintf, 25 K of them */
        r[k++] = 'x';
        r[k++] = hex[(unsigned char)norm[i] >> 4];
        r[k++] = hex[norm[i] & 15];
    }
    r[k] = '\0';
    return r;
}

/* Regex for a normalised term: bytes escaped, spaces optional, look-alike
 * spellings allowed (look_alike); with @p rasm, dotted Arabic-script
 * letters also as their dotless shapes. */
static char *term_regex(const char *norm, int vowels, int rasm)
{
    size_t n = strlen(norm), i, k = 0;
    char *r = vigil__malloc(n * 24 + 1);

    if (!r)
        return NULL;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)norm[i];
        const char *two;
        const char *alt = look_alike((char)c, &two, vowels);
        const char (*dl)[3] = rasm && i + 1 < n ? rasm_alts(norm + i) : NULL;

        if (dl) {                       /* the letter or a dotless shape */
            int a;

            k += (size_t)sprintf(r + k, "(?:\\x%02x\\x%02x", c,
                                 (unsigned char)norm[i + 1]);
            for (a = 0; a < 3 && dl[a][0]; a++)
                k += (size_t)sprintf(r + k, "|\\x%02x\\x%02x",
                                     (unsigned char)dl[a][0],
                                     (unsigned char)dl[a][1]);
            r[k++] = ')';
            i++;
            continue;
        }
        if (c == ' ') {
            r[k++] = ' ';
            r[k++] = '?';
        } else if (alt && two) {
            k += (size_t)sprintf(r + k, "(?:[%s]|%s)", alt, two);
        } else if (alt) {
            k += (size_t)sprintf(r + k, "[%s]", alt);
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            r[k++] = (char)c;
        } else {
            k += (size_t)snprintf(r + k, 5, "\\x%02x", c);
        }
    }
    r[k] = '\0';
    return r;
}

/* Whether normalised term @p norm has a letter of rasm_shapes. */
static int has_rasm_letter(const char *norm)
{
    size_t i;

    for (i = 0; norm[i] && norm[i + 1]; i++)
        if (rasm_alts(norm + i))
            return 1;
    return 0;
}

/* Compile @p n expressions (pattern ids @p ids) into *@p db, through the
 * on-disk cache. */
static int compile_set(vigil_watchlist *wl, char **exprs, unsigned *ids,
                       size_t n, hs_database_t **db)
{
    unsigned *flags = vigil__calloc(n ? n : 1, sizeof(unsigned));
    hs_compile_error_t *cerr = NULL;
    uint8_t key[32];
    int rc = VIGIL_OK, have_key;

    if (!flags)
        return VIGIL_ENOMEM;            /* flags 0: ends only, match_start() */
    /* a compile costs ~80 ms for the default list: reuse a cached one */
    have_key = vigil_text__hs_cache_key(key, (const char *const *)exprs,
                                        flags, ids, (unsigned)n,
                                        HS_MODE_BLOCK) == 0;
    if (have_key && (*db = vigil_text__hs_cache_load(key)) != NULL)
        goto out;
    if (hs_compile_multi((const char *const *)exprs, flags, ids, (unsigned)n,
                         HS_MODE_BLOCK, NULL, db, &cerr) != HS_SUCCESS) {
        int e = cerr->expression;

        rc = vigil_error_set(VIGIL_ERROR, "watchlist pattern %d ('%s'): %s",
                             e >= 0 ? (int)ids[e] : e,
                             e >= 0 && ids[e] < wl->np ? wl->p[ids[e]].norm : "",
                             cerr->message);
        hs_free_compile_error(cerr);
    } else if (have_key) {
        vigil_text__hs_cache_store(key, *db);
    }
out:
    vigil__free(flags);
    return rc;
}

/* Two databases: every pattern as written (db), and the patterns with a
 * dotted Arabic-script letter, that letter also matching its dotless
 * shape (db_rasm). The second is scanned only over a text that holds a
 * dotless letter (wl_match): in the first, its alternatives cost the
 * watchlist about 8% on the bench corpus. */
static int compile_db(vigil_watchlist *wl)
{
    size_t i, j, nr = 0, ne, ns = 0;
    char **exprs, **rexprs;
    unsigned *ids, *rids;
    int rc = VIGIL_OK;

    /* the split forms of the strong names of four letters or more
     * ("Am aq", "Kho rasan"): ids np.., each mapped to its pattern */
    for (i = 0; i < wl->np; i++)
        for (j = 0; wl->p[i].inflect && wl->p[i].norm[j]; j++)
            ns += (size_t)split_at(wl->p[i].norm, j);
    ne = wl->np + ns;
    exprs = vigil__calloc(ne, sizeof(char *));
    rexprs = vigil__calloc(wl->np, sizeof(char *));
    ids = vigil__calloc(ne, sizeof(unsigned));
    rids = vigil__calloc(wl->np, sizeof(unsigned));
    if (!exprs || !rexprs || !ids || !rids ||
        (ns && (wl->split_of = vigil__calloc(ns, sizeof(unsigned))) == NULL)) {
        rc = VIGIL_ENOMEM;
        goto out;
    }
    for (i = 0; i < wl->np; i++)
        for (j = 0; wl->p[i].inflect && wl->p[i].norm[j]; j++) {
            if (!split_at(wl->p[i].norm, j))
                continue;
            if ((exprs[wl->np + wl->nsplit] = split_regex(wl->p[i].norm, j)) == NULL) {
                rc = VIGIL_ENOMEM;
                goto out;
            }
            ids[wl->np + wl->nsplit] = (unsigned)(wl->np + wl->nsplit);
            wl->split_of[wl->nsplit++] = (unsigned)i;
        }
    for (i = 0; i < wl->np; i++) {
        int vowels = !wl->p[i].exact;

        if ((exprs[i] = term_regex(wl->p[i].norm, vowels, 0)) == NULL) {
            rc = VIGIL_ENOMEM;
            goto out;
        }
        ids[i] = (unsigned)i;
        if (vowels && has_rasm_letter(wl->p[i].norm)) {
            if ((rexprs[nr] = term_regex(wl->p[i].norm, 1, 1)) == NULL) {
                rc = VIGIL_ENOMEM;
                goto out;
            }
            rids[nr++] = (unsigned)i;
        }
    }
    rc = compile_set(wl, exprs, ids, ne, &wl->db);
    if (rc == VIGIL_OK && nr > 0)
        rc = compile_set(wl, rexprs, rids, nr, &wl->db_rasm);
out:
    for (i = 0; exprs && i < wl->np + wl->nsplit; i++)
        vigil__free(exprs[i]);
    for (i = 0; rexprs && i < nr; i++)
        vigil__free(rexprs[i]);
    vigil__free(exprs);
    vigil__free(rexprs);
    vigil__free(ids);
    vigil__free(rids);
    return rc;
}

/* Case endings written onto a name in the languages the network publishes
 * in, where a name takes them like any noun: Uzbek "Xuroson Ovozining",
 * "Al-Azaimdan", Tajik "Садои Хуросонро", "Садои Хуросони нав" (izafa),
 * Turkish and Azerbaijani typed without the apostrophe ("Amaqın",
 * "Amaqdan"), Russian "Амака", Uyghur "...نىڭ", Persian "...را". A strong
 * name of four letters or more may end inside a word when the rest of the
 * word is one of these (its first letter in the ending's script); the hit
 * still spans the name. Latin has no one-letter endings here: Arabic names
 * end in -i, -a (al-Nashiri is not Nashir); one-letter Cyrillic endings
 * follow only names of two words or more. Normalised like the terms when
 * the list is built. */
static const char *const CASE_ENDINGS[] = {
    /* Uzbek (Latin): genitive, accusative, dative, locative, ablative,
     * plural, "-like", "until" */
    "ning", "ni", "ga", "ka", "qa", "da", "dan", "dagi", "dek", "gacha",
    "lar", "larning", "larni", "larga", "larda", "lardan",
    /* Turkish and Azerbaijani, vowel-harmony variants (ı ü ə fold to
     * their look-alikes): genitive, accusative, dative, locative,
     * ablative, instrumental */
    "ın", "in", "un", "ün", "nın", "nin", "nun", "nün", "yı", "yi", "yu",
    "yü", "ya", "ye", "yə", "de", "ta", "te", "də", "den", "tan", "ten",
    "dən", "la", "le", "lə", "yla", "yle", "ylə", "nda", "nde", "ndan",
    "nden",
    /* Uzbek (Cyrillic) */
    "нинг", "ни", "га", "ка", "қа", "да", "дан", "даги", "лар",
    /* Tajik: object -ро, izafa -и, plural -ҳо, "its" -аш */
    "ро", "и", "ӣ", "ҳо", "ҳои", "аш",
    /* Russian noun endings of a name ending in a consonant */
    "а", "у", "е", "ы", "ом", "ов", "ам", "ами", "ах",
    /* Uyghur: genitive, accusative, dative, locative, ablative, plural */
    "نىڭ", "نى", "غا", "قا", "گە", "كە", "دا", "تا", "دە", "تە", "دىن",
    "تىن", "لار", "لەر",
    /* Persian and Dari: object marker written on */
    "را",
};

static int cmp_suffix(const void *a, const void *b)
{
    const struct wl_suffix *x = a, *y = b;
    int c = strcmp(x->norm, y->norm);

    return c ? c : (x->script > y->script) - (x->script < y->script);
}

/* Normalise CASE_ENDINGS into wl->sfx (sorted, duplicates dropped). */
static int build_suffixes(vigil_watchlist *wl, vigil_normalizer *nz,
                          vigil_norm_text *nt)
{
    size_t n = sizeof(CASE_ENDINGS) / sizeof(CASE_ENDINGS[0]), i, k = 0;
    int rc;

    if ((wl->sfx = vigil__calloc(n, sizeof(*wl->sfx))) == NULL)
        return VIGIL_ENOMEM;
    for (i = 0; i < n; i++) {
        const char *e = CASE_ENDINGS[i];
        int32_t j = 0, len = (int32_t)strlen(e);
        UChar32 c;
        UErrorCode ec = U_ZERO_ERROR;

        U8_NEXT(e, j, len, c);
        if ((rc = vigil_text_normalize(nt, nz, e, (size_t)len,
                                       VIGIL_NORM_TERM)) < 0)
            return rc;
        if (nt->len == 0 || memchr(nt->text, ' ', nt->len))
            continue;
        if ((wl->sfx[k].norm = vigil__strndup(nt->text, nt->len)) == NULL)
            return VIGIL_ENOMEM;
        wl->sfx[k].len = nt->len;
        wl->sfx[k].script = (int)uscript_getScript(c, &ec);
        wl->sfx[k].single = j == len;
        k++;
    }
    qsort(wl->sfx, k, sizeof(*wl->sfx), cmp_suffix);
    for (i = 0, wl->nsfx = 0; i < k; i++) {
        if (wl->nsfx && cmp_suffix(&wl->sfx[wl->nsfx - 1], &wl->sfx[i]) == 0) {
            vigil__free(wl->sfx[i].norm);
            continue;
        }
        wl->sfx[wl->nsfx++] = wl->sfx[i];
    }
    return VIGIL_OK;
}

/* Which patterns take case endings: those of a strong entry with four
 * letters or more, ending in a letter. */
static void mark_inflecting(vigil_watchlist *wl)
{
    size_t i, j;

    for (i = 0; i < wl->np; i++) {
        struct wl_pattern *p = &wl->p[i];
        size_t n = strlen(p->norm), letters = 0;
        int strong = 0;

        for (j = 0; j < p->count; j++)
            strong |= !wl->e[wl->order[p->first + j]].weak;
        for (j = 0; j < n; j++)
            letters += p->norm[j] != ' ' &&
                       ((unsigned char)p->norm[j] & 0xC0) != 0x80;
        if (strong && letters >= 4 &&
            !((unsigned char)p->norm[n - 1] >= '0' &&
              (unsigned char)p->norm[n - 1] <= '9'))
            p->inflect = memchr(p->norm, ' ', n) ? 2 : 1;
    }
}

/* The term written without its spaces, as the text normaliser reads it
 * (a letter three times in a row is one: "Talaa al-Ansar" as a hashtag,
 * "#TalaaalAnsar", reads "talalansar"), when that is not the term itself
 * without spaces; else NULL (also when out of memory: the form is an
 * extra). Uses @p nt. Caller frees. */
static char *joined_form(const char *norm, vigil_normalizer *nz,
                         vigil_norm_text *nt)
{
    size_t n = strlen(norm), i, k = 0;
    char *flat = vigil__malloc(n + 1), *out = NULL;

    if (!flat)
        return NULL;
    for (i = 0; i < n; i++)
        if (norm[i] != ' ')
            flat[k++] = norm[i];
    flat[k] = '\0';
    if (vigil_text_normalize(nt, nz, flat, k, VIGIL_NORM_TERM) == VIGIL_OK &&
        (nt->len != k || memcmp(nt->text, flat, k) != 0))
        out = vigil__strndup(nt->text, nt->len);
    vigil__free(flat);
    return out;
}

/* The normalised term with its Arabic article written as a word of its
 * own ("مؤسسة ال عزائم" for مؤسسة العزائم): a typing slip and an easy
 * dodge of exact filters, while a lone "ال" is never a word. NULL when no
 * word of @p norm starts with ال and goes on (or out of memory: the form is
 * an extra). Caller frees. */
static char *article_apart_form(const char *norm)
{
    static const char al[] = "\xD8\xA7\xD9\x84";    /* ال */
    size_t n = strlen(norm), i, k = 0, found = 0;
    char *out;

    for (i = 0; i + 4 < n; i++)
        if ((i == 0 || norm[i - 1] == ' ') && memcmp(norm + i, al, 4) == 0 &&
            norm[i + 4] != ' ')
            found++;
    if (!found || (out = vigil__malloc(n + found + 1)) == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        out[k++] = norm[i];
        if (i >= 3 && i + 1 < n && norm[i + 1] != ' ' &&
            (i == 3 || norm[i - 4] == ' ') && memcmp(norm + i - 3, al, 4) == 0)
            out[k++] = ' ';
    }
    out[k] = '\0';
    return out;
}

/* The Arabizi spellings of a transliterated term: each apostrophe that
 * stands for ayn or hamza ("A'maq", "Al-Aza'im", "I'lam") written as the
 * digit 3 (ayn) or 2 (hamza), as Arabic speakers type them in Latin
 * letters ("A3maq", "Al-Aza2im"). Adds their normalised forms to @p ne
 * (at most two) when the term has such an apostrophe; returns how many,
 * or VIGIL_ENOMEM. */
static int arabizi_forms(struct norm_entry *ne, size_t entry, const char *term,
                         vigil_normalizer *nz, vigil_norm_text *nt)
{
    static const char *const marks[] = { "'", "`", "\xE2\x80\x99", "\xE2\x80\x98",
                                         "\xCA\xBF", "\xCA\xBE", "\xCA\xBB",
                                         "\xCA\xBC" };
    size_t n = strlen(term), i, k, m;
    char *v;
    int added = 0, d, found = 0;

    if ((v = vigil__malloc(n + 1)) == NULL)
        return VIGIL_ENOMEM;
    for (d = 0; d < 2; d++) {
        for (i = 0, k = 0; i < n;) {
            for (m = 0; m < sizeof(marks) / sizeof(marks[0]); m++)
                if (strncmp(term + i, marks[m], strlen(marks[m])) == 0)
                    break;
            if (m < sizeof(marks) / sizeof(marks[0]) && k > 0) {
                v[k++] = d == 0 ? '3' : '2';
                i += strlen(marks[m]);
                found = 1;
            } else {
                v[k++] = term[i++];
            }
        }
        v[k] = '\0';
        if (!found)
            break;
        if (vigil_text_normalize(nt, nz, v, k, VIGIL_NORM_TERM) < 0 ||
            (ne[added].norm = vigil__strndup(nt->text, nt->len)) == NULL) {
            vigil__free(v);
            return VIGIL_ENOMEM;
        }
        ne[added].exact = 1;            /* A3maq: not Aimaq */
        ne[added++].entry = entry;
    }
    vigil__free(v);
    return added;
}

static int build(vigil_watchlist *wl, const char *name)
{
    vigil_normalizer *nz = NULL;
    vigil_norm_text nt = VIGIL_NORM_TEXT_INIT;
    struct norm_entry *ne;
    size_t i, nn = 0;
    int rc;

    if (wl->n == 0)
        return vigil_error_set(VIGIL_EFORMAT, "%s: no terms", name);
    if ((ne = vigil__calloc(6 * wl->n, sizeof(*ne))) == NULL)
        return VIGIL_ENOMEM;
    if ((rc = vigil_normalizer_new(&nz)) < 0)
        goto out;
    for (i = 0; i < wl->n && rc == VIGIL_OK; i++) {
        const char *t = wl->e[i].term;
        ne[nn].entry = i;
        if ((rc = vigil_text_normalize(&nt, nz, t, strlen(t),
                                       VIGIL_NORM_TERM)) < 0)
            break;
        if (nt.len == 0) {
            rc = vigil_error_set(VIGIL_EFORMAT, "%s: term '%s' has no "
                                 "letters", name, t);
        } else if ((ne[nn++].norm = vigil__strndup(nt.text, nt.len)) == NULL) {
            rc = VIGIL_ENOMEM;
        } else {
            const unsigned keep = VIGIL_NORM_TERM |
                                  VIGIL_TEXT__NORM_KEEP_DOUBLES;
            size_t f = nn - 1;
            int a;

            if (memchr(ne[f].norm, ' ', nt.len) &&
                (ne[nn].norm = joined_form(ne[f].norm, nz, &nt)) != NULL)
                ne[nn++].entry = i;
            /* with its doubled letters, as letter-spaced text reads */
            if (vigil_text_normalize(&nt, nz, t, strlen(t), keep) == VIGIL_OK &&
                strcmp(nt.text, ne[f].norm) != 0 &&
                (ne[nn].norm = vigil__strndup(nt.text, nt.len)) != NULL)
                ne[nn++].entry = i;
            if ((ne[nn].norm = article_apart_form(ne[f].norm)) != NULL)
                ne[nn++].entry = i;
            if ((a = arabizi_forms(ne + nn, i, t, nz, &nt)) < 0)
                rc = a;
            else
                nn += (size_t)a;
        }
    }
    if (rc == VIGIL_OK)
        rc = build_suffixes(wl, nz, &nt);
    if (rc == VIGIL_OK && (rc = make_patterns(wl, ne, nn)) == VIGIL_OK) {
        mark_inflecting(wl);
        rc = compile_db(wl);
    }
out:
    for (i = 0; i < nn; i++)
        vigil__free(ne[i].norm);
    vigil__free(ne);
    vigil_norm_text_dispose(&nt);
    vigil_normalizer_free(nz);
    return rc;
}

static int wl_new(vigil_watchlist **out, const char *const *tsv,
                  const size_t *len, const char *const *name, int n)
{
    vigil_watchlist *wl;
    int rc = VIGIL_OK, i;

    *out = NULL;
    if ((wl = vigil__calloc(1, sizeof(*wl))) == NULL)
        return VIGIL_ENOMEM;
    for (i = 0; i < n && rc == VIGIL_OK; i++)
        rc = parse_tsv(wl, tsv[i], len[i], name[i]);
    if (rc == VIGIL_OK)
        rc = build(wl, name[n - 1]);
    if (rc < 0) {
        vigil_watchlist_free(wl);
        return rc;
    }
    *out = wl;
    return VIGIL_OK;
}

int vigil_watchlist_new(vigil_watchlist **out, const char *tsv, size_t len,
                        const char *name)
{
    VIGIL_ASSERT_ARG(out && (tsv || len == 0));
    return wl_new(out, &tsv, &len, name ? &name : (const char *const[]){
                      "watchlist" }, 1);
}

extern const unsigned char vigil__watchlist_default_tsv[];
#define DEFAULT_TSV ((const char *)vigil__watchlist_default_tsv)

int vigil_watchlist_new_default(vigil_watchlist **out)
{
    VIGIL_ASSERT_ARG(out);
    return vigil_watchlist_new(out, DEFAULT_TSV, strlen(DEFAULT_TSV),
                               "outlets.tsv (built in)");
}

static int read_file(char **out, size_t *len, const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, r;

    *out = NULL;
    if (!f)
        return vigil_error_set(VIGIL_EIO, "%s: cannot open", path);
    do {
        if (n + 4096 > cap) {
            char *nb;
            cap = cap ? cap * 2 : 8192;
            if (cap > 64u * 1024u * 1024u) {
                fclose(f);
                vigil__free(buf);
                return vigil_error_set(VIGIL_ELIMIT, "%s: over 64 MiB", path);
            }
            if ((nb = vigil__realloc(buf, cap)) == NULL) {
                fclose(f);
                vigil__free(buf);
                return VIGIL_ENOMEM;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n, f);
        n += r;
    } while (r > 0);
    if (ferror(f)) {
        fclose(f);
        vigil__free(buf);
        return vigil_error_set(VIGIL_EIO, "%s: read error", path);
    }
    fclose(f);
    *out = buf;
    *len = n;
    return VIGIL_OK;
}

int vigil_watchlist_load(vigil_watchlist **out, const char *path,
                         int with_default)
{
    char *data;
    size_t len;
    int rc;

    VIGIL_ASSERT_ARG(out && path);
    *out = NULL;
    if ((rc = read_file(&data, &len, path)) < 0)
        return rc;
    if (with_default) {
        const char *tsv[2] = { DEFAULT_TSV, data };
        size_t lens[2] = { strlen(DEFAULT_TSV), len };
        const char *names[2] = { "outlets.tsv (built in)", path };
        rc = wl_new(out, tsv, lens, names, 2);
    } else {
        rc = wl_new(out, (const char *const *)&data, &len, &path, 1);
    }
    vigil__free(data);
    return rc;
}

/* ---- matching ----------------------------------------------------------- */

int vigil_text__wl_scratch_new(vigil_text__wlscratch **out,
                               const vigil_watchlist *wl)
{
    vigil_text__wlscratch *sc;

    *out = NULL;
    if ((sc = vigil__calloc(1, sizeof(*sc))) == NULL)
        return VIGIL_ENOMEM;
    if (hs_alloc_scratch(wl->db, &sc->hs) != HS_SUCCESS ||
        (wl->db_rasm && hs_alloc_scratch(wl->db_rasm, &sc->hs) != HS_SUCCESS)) {
        vigil__free(sc);
        return vigil_error_set(VIGIL_ENOMEM, "Hyperscan scratch allocation");
    }
    *out = sc;
    return VIGIL_OK;
}

void vigil_text__wl_scratch_free(vigil_text__wlscratch *sc)
{
    if (!sc)
        return;
    if (sc->hs)
        hs_free_scratch(sc->hs);
    vigil__free(sc->raw);
    vigil__free(sc->hits);
    vigil__free(sc->nfrom);
    vigil__free(sc->nto);
    vigil__free(sc->keep);
    vigil__free(sc->excl);
    vigil__free(sc);
}

/* Arabic proclitics و ف ب ل ك written onto the next word. */
static int is_proclitic(const unsigned char *p)
{
    return (p[0] == 0xD9 && (p[1] == 0x88 || p[1] == 0x81 || p[1] == 0x84 ||
                             p[1] == 0x83)) ||
           (p[0] == 0xD8 && p[1] == 0xA8);
}

static int left_boundary(const unsigned char *t, size_t from)
{
    size_t k;

    if (from == 0 || t[from - 1] == ' ')
        return 1;
    if (t[from] < 0xD8 || t[from] > 0xDB)
        return 0;                       /* proclitics only before Arabic */
    for (k = 0; k < 2 && from >= 2 && is_proclitic(t + from - 2); k++) {
        from -= 2;
        if (from == 0 || t[from - 1] == ' ')
            return 1;
    }
    return 0;
}

/* Bytes of the UTF-8 sequence led by @p c (letters come only from valid
 * sequences, so the lead byte tells). */
static size_t seq_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Whether the original text has a word break between the code points of
 * normalised bytes @p a and a + 1 that the normaliser joined. Apostrophes,
 * dots, dashes, underscores and slashes are dropped inside words (A'maq,
 * K.h.o.r.a.s.a.n), but one that ends or starts a name is a boundary:
 * English "Amaq's", Turkish "Amaq'ın", French "d'Amaq", handles and links
 * "@AlAzaim_media", "t.me/amaq_news", and so are a bullet or an emoji
 * ("news•Amaq", "news🔥Amaq"). So is a change from a lower-case to
 * an upper-case letter ("JoinAmaqNews", "t.me/AlAzaimUrdu", Cyrillic
 * alike; before a name only after a capitalised word, so "xAmaq" stays
 * one word) and, after a name, a run of digits ending the token
 * ("@VoiceOfKhurasan1"). So is white space that the joining of a name
 * spelled out letter by letter took with it: a word of one or two letters
 * before or after the name joins the run ("news to A m a q", "من و ك ا ل
 * ة"), but the name starts at the space. The whole term must still match
 * on its side. */
static int break_after(const vigil_text__wlscratch *sc, size_t a, int right)
{
    const unsigned char *o = (const unsigned char *)sc->orig;
    const uint32_t *map = sc->nt->map;
    size_t len = map[sc->nt->len], at = map[a];
    size_t i = at + seq_len(o[at]), end = map[a + 1], k;
    UChar32 prev, next;
    int32_t j;

    if (i > end)
        return 0;                       /* both bytes from one code point */
    for (k = i; k < end; k++) {
        if (o[k] < 0x80 && strchr("'`._-*/\\|+~=^()[]{} \t", o[k]) && o[k])
            return 1;
        if (end - k >= 3 && o[k] == 0xE2 && o[k + 1] == 0x80 &&
            ((o[k + 2] >= 0x90 && o[k + 2] <= 0x95) || o[k + 2] == 0x98 ||
             o[k + 2] == 0x99))
            return 1;                   /* U+2010-2015 dashes, U+2018/9 */
        if (end - k >= 2 && ((o[k] == 0xCA && (o[k + 1] == 0xBB ||
                                                o[k + 1] == 0xBC)) ||
                             (o[k] == 0xC2 && (o[k + 1] == 0xB7 || o[k + 1] == 0xA0))))
            return 1;                   /* U+02BB U+02BC, middle dot, NBSP */
        if (end - k >= 3 && o[k] == 0xE2 && o[k + 1] == 0x80 &&
            o[k + 2] == 0xA2)
            return 1;                   /* bullet */
        if (o[k] >= 0xC2) {             /* an emoji: "news🔥Amaq" */
            int32_t q = (int32_t)k;
            UChar32 c;

            U8_NEXT(o, q, (int32_t)end, c);
            if (c >= 0 && vigil_text__pictograph(c))
                return 1;
        }
    }
    if (i != end) {
        /* a letter the normaliser read as one with the name's last
         * ("AlAzaimMedia": m + M, a doubled letter): a change to upper
         * case at it still ends the name */
        UChar32 c;

        j = (int32_t)at;
        U8_NEXT(o, j, (int32_t)len, prev);
        U8_NEXT(o, j, (int32_t)len, c);
        return right && prev >= 0 && c >= 0 && j == (int32_t)end &&
               u_islower(prev) && u_isupper(c) && u_tolower(c) == prev;
    }
    j = (int32_t)at;
    U8_NEXT(o, j, (int32_t)len, prev);
    j = (int32_t)end;
    U8_NEXT(o, j, (int32_t)len, next);
    if (prev >= 0 && next >= 0 && u_islower(prev) && u_isupper(next)) {
        if (right)
            return 1;
        /* before a name, only after a capitalised word ("JoinAmaq", not
         * "xAmaq" or "myAmaq") */
        for (j = (int32_t)at; j > 0;) {
            UChar32 c;
            U8_PREV(o, 0, j, c);
            if (c >= 0 && u_isupper(c))
                return 1;
            if (c < 0 || !u_islower(c))
                return 0;
        }
        return 0;
    }
    if (right && next >= '0' && next <= '9' && u_isalpha(prev)) {
        for (k = end; k < len && o[k] >= '0' && o[k] <= '9'; k++)
            ;
        return k == len || (o[k] < 0x80 && !((o[k] | 0x20) >= 'a' &&
                                             (o[k] | 0x20) <= 'z'));
    }
    return 0;
}

/* Whether the word goes on after normalised byte @p to with one of the
 * case endings (build_suffixes()) and ends with it, for a name of pattern
 * @p p that takes them. */
static int case_ending(const vigil_text__wlscratch *sc,
                       const struct wl_pattern *p, size_t to)
{
    const vigil_watchlist *wl = sc->wl;
    const char *t = sc->nt->text;
    size_t len = sc->nt->len, i;
    int32_t j;
    UChar32 c;
    UErrorCode ec = U_ZERO_ERROR;
    int script;

    if (!p->inflect || to >= len || t[to] == ' ')
        return 0;
    j = (int32_t)sc->nt->map[to];
    U8_NEXT(sc->orig, j, (int32_t)sc->nt->map[len], c);
    if (c < 0)
        return 0;
    script = (int)uscript_getScript(c, &ec);
    for (i = 0; i < wl->nsfx; i++) {
        const struct wl_suffix *x = &wl->sfx[i];
        /* an ending that starts with the name's last letter lost that
         * letter to the normaliser ("Amaqqa" reads "amaqa") */
        size_t skip = x->len > 1 && x->norm[0] == t[to - 1] &&
                      (unsigned char)x->norm[0] < 0x80;
        size_t e = to + x->len - skip;

        if (x->script != script || (x->single && p->inflect < 2) ||
            e > len || memcmp(t + to, x->norm + skip, x->len - skip) != 0)
            continue;
        if (e == len || t[e] == ' ' || break_after(sc, e - 1, 1))
            return 1;
    }
    return 0;
}

/* Start of the match of @p norm[0, @p i) (spaces optional, look-alike
 * spellings as term_regex() allows them) ending at @p k of @p t, found by
 * walking back; Hyperscan reports ends only, since start-of-match tracking
 * costs it several times the scan. Returns -1 when none. *@p literal is
 * cleared when the text spells a letter through a look-alike or vowel
 * class. Where a letter's class and its two-byte spelling both fit ("ii"
 * for i), the one-byte reading is tried first and the two-byte one only
 * when the rest fails (a branch per such letter of the term). */
static long walk_back(const char *norm, size_t i, const char *t, size_t k,
                      int vowels, int rasm, int split, int *literal, int *dotless)
{
    while (i > 0) {
        char c = norm[i - 1];
        const char *two;
        const char *alt = look_alike(c, &two, vowels);
        const char (*dl)[3];
        int one;

        if (c == ' ') {
            if (k > 0 && t[k - 1] == ' ')
                k--;
            i--;
            continue;
        }
        if (k == 0)
            return -1;
        if (split && t[k - 1] == ' ' && split_at(norm, i)) {
            k--;                        /* "Am aq" */
            *literal = 0;
            continue;
        }
        if (rasm && i >= 2 && k >= 2 && (unsigned char)c >= 0x80 &&
            (dl = rasm_alts(norm + i - 2)) != NULL) {
            int a, ok = t[k - 2] == norm[i - 2] && t[k - 1] == c;

            for (a = 0; !ok && a < 3 && dl[a][0]; a++)
                if (t[k - 2] == dl[a][0] && t[k - 1] == dl[a][1]) {
                    ok = 1;
                    *literal = 0;       /* written without its dots */
                    *dotless = 1;
                }
            if (!ok)
                return -1;
            k -= 2;
            i -= 2;
            continue;
        }
        one = t[k - 1] == c || (alt && t[k - 1] && strchr(alt, t[k - 1]));
        if (two && k >= 2 && t[k - 2] == two[0] && t[k - 1] == two[1]) {
            if (one) {
                int lit = *literal && t[k - 1] == c, dl2 = *dotless;
                long r = walk_back(norm, i - 1, t, k - 1, vowels, rasm, split, &lit,
                                   &dl2);

                if (r >= 0) {
                    *literal = lit;
                    *dotless = dl2;
                    return r;
                }
            }
            *literal = 0;               /* "rn" for m, "vv" for w, "ii" */
            k -= 2;
            i--;
            continue;
        }
        if (!one)
            return -1;
        if (t[k - 1] != c)
            *literal = 0;
        k--;
        i--;
    }
    return (long)k;
}

static long match_start(const char *norm, size_t nlen, const char *t,
                        size_t to, int vowels, int rasm, int split, int *literal,
                        int *dotless)
{
    *literal = 1;
    *dotless = 0;
    return walk_back(norm, nlen, t, to, vowels, rasm, split, literal, dotless);
}

static int on_match(unsigned int id, unsigned long long from_unused,
                    unsigned long long to, unsigned int flags, void *ctx)
{
    vigil_text__wlscratch *sc = ctx;
    const unsigned char *t = (const unsigned char *)sc->nt->text;
    int split = id >= sc->wl->np;       /* a split form: its pattern's id */
    const char *norm;
    int literal, dotless;
    long from;

    if (split)
        id = sc->wl->split_of[id - sc->wl->np];
    norm = sc->wl->p[id].norm;
    from = match_start(norm, strlen(norm), sc->nt->text, (size_t)to,
                       !sc->wl->p[id].exact, sc->rasm, split, &literal, &dotless);

    (void)flags;
    (void)from_unused;
    if (from < 0 || (sc->rasm && !dotless) ||   /* db found that one */
        !(left_boundary(t, (size_t)from) ||
          break_after(sc, (size_t)from - 1, 0)) ||
        !(to == sc->nt->len || t[to] == ' ' || break_after(sc, to - 1, 1) ||
          case_ending(sc, &sc->wl->p[id], (size_t)to)))
        return 0;
    if (sc->nraw == VIGIL_TEXT_MAX_HITS)
        return 1;                       /* enough; the rest is not reported */
    if (sc->nraw == sc->capraw) {
        size_t nc = sc->capraw ? sc->capraw * 2 : 32;
        struct raw_hit *nr = vigil__realloc(sc->raw, nc * sizeof(*nr));
        if (!nr) {
            sc->err = VIGIL_ENOMEM;
            return 1;                   /* stop scanning */
        }
        sc->raw = nr;
        sc->capraw = nc;
    }
    sc->raw[sc->nraw].pattern = id;
    sc->raw[sc->nraw].literal = literal;
    sc->raw[sc->nraw].from = (size_t)from;
    sc->raw[sc->nraw].to = (size_t)to;
    sc->nraw++;
    return 0;
}

static int hits_reserve(vigil_text__wlscratch *sc, size_t n)
{
    vigil_hit *nh;
    size_t *nf, *nt;
    unsigned char *nk;

    if (n <= sc->caphits)
        return VIGIL_OK;
    if ((nh = vigil__realloc(sc->hits, n * sizeof(*nh))) == NULL)
        return VIGIL_ENOMEM;
    sc->hits = nh;
    if ((nf = vigil__realloc(sc->nfrom, n * sizeof(*nf))) == NULL)
        return VIGIL_ENOMEM;
    sc->nfrom = nf;
    if ((nt = vigil__realloc(sc->nto, n * sizeof(*nt))) == NULL)
        return VIGIL_ENOMEM;
    sc->nto = nt;
    if ((nk = vigil__realloc(sc->keep, n)) == NULL)
        return VIGIL_ENOMEM;
    sc->keep = nk;
    if ((nk = vigil__realloc(sc->excl, n)) == NULL)
        return VIGIL_ENOMEM;
    sc->excl = nk;
    sc->caphits = n;
    return VIGIL_OK;
}

/* One hit per (outlet, span); entries of a pattern in file order. Where
 * two terms of an outlet match the same span ("Voice of Khurasan" and,
 * through the vowel classes, "Voice of Khorasan"), the term spelled as the
 * text is reported: the raw hits that spell their pattern go first. */
static int expand_hits(vigil_text__wlscratch *sc, const vigil_watchlist *wl)
{
    size_t r, i, j, k, n = 0, need = 0;
    int rc, pass;

    for (r = 0; r < sc->nraw; r++)
        need += wl->p[sc->raw[r].pattern].count;
    if ((rc = hits_reserve(sc, need ? need : 1)) < 0)
        return rc;
    for (k = 0; k < 2 * sc->nraw; k++) {
        const struct wl_pattern *p;

        r = k % sc->nraw;
        pass = k >= sc->nraw;
        p = &wl->p[sc->raw[r].pattern];
        if (sc->raw[r].literal == pass)
            continue;                   /* spelled ones first, then others */
        for (i = 0; i < p->count; i++) {
            const struct wl_entry *e = &wl->e[wl->order[p->first + i]];
            int dup = 0;
            for (j = 0; j < n && !dup; j++)
                dup = sc->nfrom[j] == sc->raw[r].from &&
                      sc->nto[j] == sc->raw[r].to &&
                      sc->excl[j] == e->exclude &&
                      strcmp(sc->hits[j].outlet, e->outlet) == 0;
            if (dup)
                continue;
            sc->hits[n].outlet = e->outlet;
            sc->hits[n].term = e->term;
            sc->hits[n].kind = e->kind;
            sc->hits[n].weight = e->weight;
            sc->hits[n].weak = e->weak;
            sc->excl[n] = (unsigned char)e->exclude;
            sc->nfrom[n] = sc->raw[r].from;
            sc->nto[n] = sc->raw[r].to;
            n++;
        }
    }
    sc->nhits = n;
    return VIGIL_OK;
}

/* The original bytes [*lo, *end) of the normalised span [@p from, @p to)
 * when a bidi override shows it reversed (its map runs backwards): from
 * its lowest offset to the end of the letter at its highest. */
static void reversed_span(const vigil_norm_text *nt, const char *orig,
                          size_t from, size_t to, size_t *lo, size_t *end)
{
    uint32_t l = nt->map[from], h = nt->map[from];
    size_t k;

    for (k = from; k < to; k++) {
        l = nt->map[k] < l ? nt->map[k] : l;
        h = nt->map[k] > h ? nt->map[k] : h;
    }
    *lo = l;
    *end = h + seq_len((unsigned char)orig[h]);
}

/* Whether the original text of the normalised span [@p from, @p to) is
 * not one plain word: a separator inside ("an-Naba", "A n N a b a") or a
 * lowercase letter followed by a capital ("AnNaba", "#AlAzaim"). Such a
 * name is written apart on purpose; an exclusion (a plain word) does not
 * cancel it. */
static int written_apart(const vigil_text__wlscratch *sc, size_t from,
                         size_t to)
{
    int32_t i = (int32_t)sc->nt->map[from], end = (int32_t)sc->nt->map[to];
    int lower = 0, reversed = i > (int32_t)sc->nt->map[to - 1];

    if (reversed) {     /* shown reversed by a bidi override: its bytes,
                         * where the order of the cases says nothing */
        size_t lo, e;

        reversed_span(sc->nt, sc->orig, from, to, &lo, &e);
        i = (int32_t)lo;
        end = (int32_t)e;
    }
    while (i < end) {
        UChar32 c;
        int t;

        U8_NEXT(sc->orig, i, end, c);
        t = c < 0 ? -1 : u_charType(c);
        if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK ||
            t == U_COMBINING_SPACING_MARK)
            continue;
        if (c < 0 || !u_isalpha(c) || (lower && u_isupper(c)))
            return 1;
        lower = !reversed && u_islower(c);
    }
    return 0;
}

/* Keep hits not strictly inside a longer one and not inside an exclusion
 * of their outlet, and weak hits only near a kept strong hit; exclusions
 * themselves are never kept. */
static void filter_hits(vigil_text__wlscratch *sc)
{
    size_t i, j, k = 0, n = sc->nhits;
    unsigned char *keep = sc->keep, *excl = sc->excl;

    for (i = 0; i < n; i++) {
        keep[i] = !excl[i];
        for (j = 0; j < n && keep[i]; j++)
            if (j != i && !excl[j] && sc->nfrom[j] <= sc->nfrom[i] &&
                sc->nto[j] >= sc->nto[i] &&
                sc->nto[j] - sc->nfrom[j] > sc->nto[i] - sc->nfrom[i])
                keep[i] = 0;
        for (j = 0; j < n && keep[i]; j++)
            if (excl[j] && sc->nfrom[j] <= sc->nfrom[i] &&
                sc->nto[j] >= sc->nto[i] &&
                strcmp(sc->hits[j].outlet, sc->hits[i].outlet) == 0 &&
                !written_apart(sc, sc->nfrom[i], sc->nto[i]))
                keep[i] = 0;
    }
    for (i = 0; i < n; i++) {
        int near = 0;
        if (!keep[i] || !sc->hits[i].weak)
            continue;
        for (j = 0; j < n && !near; j++)
            near = keep[j] && !sc->hits[j].weak &&
                   sc->nfrom[j] <= sc->nto[i] + WEAK_WINDOW &&
                   sc->nfrom[i] <= sc->nto[j] + WEAK_WINDOW;
        keep[i] = (unsigned char)near;
    }
    for (i = 0; i < n; i++) {
        if (!keep[i])
            continue;
        sc->hits[k] = sc->hits[i];
        sc->nfrom[k] = sc->nfrom[i];
        sc->nto[k] = sc->nto[i];
        k++;
    }
    sc->nhits = k;
}

/* @p end moved past the combining marks and tatweel that follow it in
 * @p orig (of @p len bytes): a hit ends with its last letter's grapheme
 * ("Amaq" + U+0301, العزائمُ). */
static size_t past_marks(const char *orig, size_t len, size_t end)
{
    while (end < len) {
        int32_t i = (int32_t)end;
        UChar32 c;
        int t;

        U8_NEXT(orig, i, (int32_t)len, c);
        t = c < 0 ? -1 : u_charType(c);
        if (t != U_NON_SPACING_MARK && t != U_ENCLOSING_MARK &&
            t != U_COMBINING_SPACING_MARK && c != 0x0640)
            break;
        end = (size_t)i;
    }
    return end;
}

static void sort_and_map(vigil_text__wlscratch *sc, const vigil_norm_text *nt,
                         const char *orig)
{
    size_t i, j, olen = nt->map[nt->len];

    for (i = 0; i < sc->nhits; i++) {
        uint32_t last = nt->map[sc->nto[i] - 1];
        size_t l = seq_len((unsigned char)orig[last]), end;
        size_t next = nt->map[sc->nto[i]];    /* the next normalised byte's */

        sc->hits[i].start = nt->map[sc->nfrom[i]];
        if (sc->hits[i].start > last) {
            /* a name shown reversed by a bidi override: its bytes run
             * backwards, so the hit spans its lowest and highest */
            size_t lo, e;

            reversed_span(nt, orig, sc->nfrom[i], sc->nto[i], &lo, &e);
            sc->hits[i].start = lo;
            sc->hits[i].end = past_marks(orig, olen, e);
            continue;
        }
        end = past_marks(orig, olen, last + l);
        /* and over the repeats of a doubled or stretched last letter the
         * normaliser folded into it ("Amaqq", "Amaqqq"), unless a letter
         * follows them: then the last repeat starts a case ending
         * ("Amaqqa": dative -qa) */
        {
            /* a space maps to the letter before it: no bound then */
            int word_end = sc->nto[i] == nt->len || nt->text[sc->nto[i]] == ' ';
            size_t bound = word_end ? olen : next, e2 = end;

            while (e2 + l <= bound && memcmp(orig + e2, orig + last, l) == 0)
                e2 = past_marks(orig, olen, e2 + l);
            if (!word_end && e2 > end && e2 == next)
                e2 = end;               /* the ending's letters follow */
            end = e2;
        }
        sc->hits[i].end = end;
    }
    for (i = 1; i < sc->nhits; i++) {   /* insertion sort by start, end */
        vigil_hit h = sc->hits[i];
        for (j = i; j > 0 && (sc->hits[j - 1].start > h.start ||
                              (sc->hits[j - 1].start == h.start &&
                               sc->hits[j - 1].end > h.end)); j--)
            sc->hits[j] = sc->hits[j - 1];
        sc->hits[j] = h;
    }
}

/* Whether normalised text @p t (@p n bytes) holds a dotless letter shape
 * that no dotted letter has: ٮ (U+066E), ٯ (U+066F), ڡ (U+06A1), ں
 * (U+06BA). Text written without dots has them (ب ت ث ن ي are among the
 * commonest letters), other text seldom does. */
static int has_dotless(const char *t, size_t n)
{
    size_t i = 0;

#if defined(__SSE2__)
    /* 16 pairs at a time: a lead byte D9 before AE or AF, DA before A1 or
     * BA (the text is read to t[i + 16], inside n) */
    const __m128i d9 = _mm_set1_epi8((char)0xD9), da = _mm_set1_epi8((char)0xDA),
                  ae = _mm_set1_epi8((char)0xAE), a1 = _mm_set1_epi8((char)0xA1),
                  ba = _mm_set1_epi8((char)0xBA), one = _mm_set1_epi8(1);

    for (; i + 17 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(t + i + 1));
        __m128i m = _mm_or_si128(
            _mm_and_si128(_mm_cmpeq_epi8(x, d9),
                          _mm_cmpeq_epi8(_mm_andnot_si128(one, y), ae)),
            _mm_and_si128(_mm_cmpeq_epi8(x, da),
                          _mm_or_si128(_mm_cmpeq_epi8(y, a1),
                                       _mm_cmpeq_epi8(y, ba))));

        if (_mm_movemask_epi8(m))
            return 1;
    }
#endif
    for (; i + 1 < n; i++) {
        unsigned char b = (unsigned char)t[i], c = (unsigned char)t[i + 1];

        if ((b == 0xD9 && (c == 0xAE || c == 0xAF)) ||
            (b == 0xDA && (c == 0xA1 || c == 0xBA)))
            return 1;
    }
    return 0;
}

int vigil_text__wl_match(const vigil_hit **hits_out, size_t *n_out,
                         vigil_text__wlscratch *sc, const vigil_watchlist *wl,
                         const vigil_norm_text *nt, const char *orig)
{
    int rc;

    *hits_out = NULL;
    *n_out = 0;
    sc->nraw = 0;
    sc->nhits = 0;
    sc->nt = nt;
    sc->orig = orig;
    sc->wl = wl;
    sc->err = VIGIL_OK;
    if (nt->len == 0)
        return VIGIL_OK;
    sc->rasm = 0;
    rc = hs_scan(wl->db, nt->text, (unsigned)nt->len, 0, sc->hs, on_match, sc);
    if (rc == HS_SUCCESS && sc->err == VIGIL_OK && wl->db_rasm &&
        nt->letters[VIGIL_NORM_ARAB] > 0 && has_dotless(nt->text, nt->len)) {
        sc->rasm = 1;
        rc = hs_scan(wl->db_rasm, nt->text, (unsigned)nt->len, 0, sc->hs,
                     on_match, sc);
    }
    if (sc->err < 0)
        return sc->err;
    if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED)   /* terminated: cap */
        return vigil_error_set(VIGIL_ERROR, "Hyperscan scan failed (%d)", rc);
    if ((rc = expand_hits(sc, wl)) < 0)
        return rc;
    filter_hits(sc);
    sort_and_map(sc, nt, orig);
    *hits_out = sc->hits;
    *n_out = sc->nhits;
    return VIGIL_OK;
}
