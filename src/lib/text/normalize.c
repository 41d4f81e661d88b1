/*
 * text/normalize.c - evasion-resistant normalisation for watchlist matching
 * with a byte-offset map back to the original text. Per code point: UTS #39
 * skeleton (ICU uspoof) for Latin/Cyrillic/Greek-like scripts, NFKC case
 * folding, NFD with marks dropped, Arabic-script letter variants unified,
 * leetspeak digits read as letters; then separator runs collapse to one
 * space and letters spaced out to dodge filters are joined again.
 * Non-ASCII mappings are computed once per normaliser and cached.
 */
#define VIGIL_MODULE "text"
#include "vigil/text.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>

#include "common/alloc.h"
#include "common/error.h"

enum { C_LETTER = 0, C_DROP = 1, C_HARD = 2, C_SOFT = 3 };

#define SEP_HARD ' '
#define SEP_SOFT '\x01'
#define ENTRY_MAX 63            /* bytes of one cached mapping */

struct unit {                   /* a word after soft joins */
    size_t start, end;          /* bytes in the phase-1 buffer */
    size_t cps;                 /* code points */
    size_t pieces;              /* soft-separated pieces */
    size_t piece_cps, max_piece; /* current piece, longest piece (cps) */
};

struct vigil_normalizer {
    const UNormalizer2 *nfkc_cf;
    const UNormalizer2 *nfd;
    USpoofChecker *spoof;
    uint32_t *cache;            /* 65536 BMP entries, 0 = not computed */
    char *pool;                 /* cached UTF-8 mappings */
    size_t pool_len, pool_cap;
    unsigned char ascii_cls[128];
    char ascii_out[128];
    struct unit *units;         /* scratch for phase 2 */
    size_t units_cap;
};

static void ascii_tables(vigil_normalizer *nz)
{
    static const char leet_from[] = "0134578";
    static const char leet_to[] = "oieastb";
    int c;

    for (c = 0; c < 128; c++) {
        nz->ascii_out[c] = (char)c;
        nz->ascii_cls[c] = C_HARD;
        if (c >= 'a' && c <= 'z')
            nz->ascii_cls[c] = C_LETTER;
        else if (c >= 'A' && c <= 'Z') {
            nz->ascii_cls[c] = C_LETTER;
            nz->ascii_out[c] = (char)(c - 'A' + 'a');
        } else if (c >= '0' && c <= '9') {
            const char *p = strchr(leet_from, c);
            nz->ascii_cls[c] = C_LETTER;
            if (p)
                nz->ascii_out[c] = leet_to[p - leet_from];
        } else if (c == '\'' || c == '`') {
            nz->ascii_cls[c] = C_DROP;  /* transliterated ayn/hamza */
        } else if (c && strchr(".-_*/|+~=^", c)) {
            nz->ascii_cls[c] = C_SOFT;
        }
    }
}

int vigil_normalizer_new(vigil_normalizer **out)
{
    vigil_normalizer *nz;
    UErrorCode e = U_ZERO_ERROR;

    *out = NULL;
    if ((nz = vigil__calloc(1, sizeof(*nz))) == NULL)
        return VIGIL_ENOMEM;
    nz->nfkc_cf = unorm2_getNFKCCasefoldInstance(&e);
    if (U_SUCCESS(e))
        nz->nfd = unorm2_getNFDInstance(&e);
    if (U_SUCCESS(e))
        nz->spoof = uspoof_open(&e);
    if (U_FAILURE(e)) {
        vigil_normalizer_free(nz);
        return vigil_error_set(VIGIL_ERROR, "ICU normaliser setup: %s",
                               u_errorName(e));
    }
    if ((nz->cache = vigil__calloc(65536, sizeof(uint32_t))) == NULL) {
        vigil_normalizer_free(nz);
        return VIGIL_ENOMEM;
    }
    ascii_tables(nz);
    *out = nz;
    return VIGIL_OK;
}

void vigil_normalizer_free(vigil_normalizer *nz)
{
    if (!nz)
        return;
    if (nz->spoof)
        uspoof_close(nz->spoof);
    vigil__free(nz->cache);
    vigil__free(nz->pool);
    vigil__free(nz->units);
    vigil__free(nz);
}

void vigil_norm_text_dispose(vigil_norm_text *t)
{
    if (!t)
        return;
    vigil__free(t->text);
    vigil__free(t->map);
    vigil__free(t->map_end);
    memset(t, 0, sizeof(*t));
}

/* ---- one code point ----------------------------------------------------- */

/* Arabic-script letter variants folded to one form (after NFD). */
static UChar32 arabic_fold(UChar32 c)
{
    switch (c) {
    case 0x06CC: case 0x0649: case 0x06D0: case 0x06CD:
        return 0x064A;                  /* ی ى ې ۍ -> ي */
    case 0x06A9: case 0x06AA:
        return 0x0643;                  /* ک ڪ -> ك */
    case 0x06D5: case 0x06C1: case 0x06C0: case 0x0629: case 0x06BE:
        return 0x0647;                  /* ە ہ ۀ ة ھ -> ه */
    case 0x0671: case 0x0672: case 0x0673:
        return 0x0627;                  /* alef variants -> ا */
    default:
        return c;
    }
}

static int is_apostrophe(UChar32 c)
{
    return c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x02BB ||
           c == 0x02BF || c == 0x02BE || c == 0x00B4 || c == 0x2032 ||
           c == 0x055A || c == 0xFF07;
}

static int is_soft_sep(UChar32 c)
{
    return c == 0x00B7 || (c >= 0x2010 && c <= 0x2015) || c == 0x2022 ||
           c == 0x2027 || c == 0x2043 || c == 0x2219 || c == 0x22C5 ||
           c == 0x30FB || c == 0xFF65 || c == 0x2E31;
}

static int skeleton_script(UChar32 c)
{
    UErrorCode e = U_ZERO_ERROR;
    UScriptCode s = uscript_getScript(c, &e);

    return U_SUCCESS(e) && (s == USCRIPT_LATIN || s == USCRIPT_CYRILLIC ||
                            s == USCRIPT_GREEK || s == USCRIPT_ARMENIAN ||
                            s == USCRIPT_CHEROKEE || s == USCRIPT_COPTIC);
}

static int put_utf8(char *out, int k, int cap, UChar32 c)
{
    if (c < 0x80) {
        if (k + 1 > cap) return -1;
        out[k++] = (char)c;
    } else if (c < 0x800) {
        if (k + 2 > cap) return -1;
        out[k++] = (char)(0xC0 | (c >> 6));
        out[k++] = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        if (k + 3 > cap) return -1;
        out[k++] = (char)(0xE0 | (c >> 12));
        out[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[k++] = (char)(0x80 | (c & 0x3F));
    } else {
        if (k + 4 > cap) return -1;
        out[k++] = (char)(0xF0 | (c >> 18));
        out[k++] = (char)(0x80 | ((c >> 12) & 0x3F));
        out[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[k++] = (char)(0x80 | (c & 0x3F));
    }
    return k;
}

static int all_ascii(const UChar *a, int32_t n)
{
    int32_t i;

    for (i = 0; i < n; i++)
        if (a[i] >= 0x80)
            return 0;
    return 1;
}

/* UTS #39 skeleton of the case-folded code point in a[0..n), case-folded
 * again. Both cases of a letter give the same result; when the lower-case
 * skeleton is not ASCII but the upper-case one is (Cyrillic к -> ĸ, К -> K),
 * the upper-case one is used, since capitals are the usual look-alikes.
 * Returns the new length (a[] is rewritten; it holds 64 units). */
static int32_t skeleton_folded(vigil_normalizer *nz, UChar *a, int32_t n)
{
    UChar f[64], low[64], up[64];
    UErrorCode e = U_ZERO_ERROR;
    int32_t nf, nl, nu, i = 0;
    UChar32 c;

    nf = unorm2_normalize(nz->nfkc_cf, a, n, f, 64, &e);
    if (U_FAILURE(e) || nf <= 0)
        return n;
    nl = uspoof_getSkeleton(nz->spoof, 0, f, nf, low, 64, &e);
    if (U_FAILURE(e) || nl <= 0 || nl >= 64)
        return n;
    if (!all_ascii(low, nl)) {
        U16_NEXT(f, i, nf, c);
        if (i == nf) {                  /* one code point: try its capital */
            int32_t k = 0;
            UChar cap[4];
            U16_APPEND_UNSAFE(cap, k, u_toupper(c));
            nu = uspoof_getSkeleton(nz->spoof, 0, cap, k, up, 64, &e);
            if (U_SUCCESS(e) && nu > 0 && nu < 64 && all_ascii(up, nu)) {
                memcpy(low, up, (size_t)nu * sizeof(UChar));
                nl = nu;
            }
            e = U_ZERO_ERROR;
        }
    }
    memcpy(a, low, (size_t)nl * sizeof(UChar));
    return nl;
}

/* Map one non-ASCII code point; returns its class, output in out/len. */
static int map_cp(vigil_normalizer *nz, UChar32 cp, char *out, int *len)
{
    UChar a[64], b[64];
    int32_t n = 0, i;
    UErrorCode e = U_ZERO_ERROR;
    int k = 0, letter = 0, ascii_soft = 0, type = u_charType(cp);

    *len = 0;
    if (is_apostrophe(cp) || type == U_NON_SPACING_MARK ||
        type == U_ENCLOSING_MARK || type == U_FORMAT_CHAR || cp == 0x0640)
        return C_DROP;                  /* marks, ZWNJ/ZWJ, tatweel */
    U16_APPEND_UNSAFE(a, n, cp);
    if (skeleton_script(cp))
        n = skeleton_folded(nz, a, n);
    n = unorm2_normalize(nz->nfkc_cf, a, n, b, 64, &e);
    if (U_SUCCESS(e))
        n = unorm2_normalize(nz->nfd, b, n, a, 64, &e);
    if (U_FAILURE(e))
        return C_HARD;
    for (i = 0; i < n;) {
        UChar32 c;
        int t;

        U16_NEXT(a, i, n, c);
        t = u_charType(c);
        if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK ||
            t == U_FORMAT_CHAR || is_apostrophe(c))
            continue;
        c = arabic_fold(c);
        if (c < 0x80) {
            if (nz->ascii_cls[c] == C_LETTER) {
                letter = 1;
                if ((k = put_utf8(out, k, ENTRY_MAX, nz->ascii_out[c])) < 0)
                    return C_HARD;
            } else {
                ascii_soft = nz->ascii_cls[c] == C_SOFT;
            }
        } else if (u_isalnum(c) || u_isalpha(c)) {
            letter = 1;
            if ((k = put_utf8(out, k, ENTRY_MAX, c)) < 0)
                return C_HARD;
        }
    }
    if (letter) {
        *len = k;
        return C_LETTER;
    }
    if (n == 0)
        return C_DROP;
    return (is_soft_sep(cp) || ascii_soft) && !u_isUWhiteSpace(cp) ? C_SOFT
                                                                   : C_HARD;
}

/* Cached lookup for BMP code points. */
static int lookup(vigil_normalizer *nz, UChar32 cp, const char **out, int *len,
                  char *tmp)
{
    uint32_t ent;
    int cls;

    if (cp > 0xFFFF) {
        cls = map_cp(nz, cp, tmp, len);
        *out = tmp;
        return cls;
    }
    if ((ent = nz->cache[cp]) != 0) {
        *len = (int)((ent >> 3) & 63);
        *out = nz->pool + (ent >> 9);
        return (int)((ent >> 1) & 3);
    }
    cls = map_cp(nz, cp, tmp, len);
    *out = tmp;
    if (nz->pool_len + (size_t)*len <= (1u << 23)) {
        if (nz->pool_len + (size_t)*len > nz->pool_cap) {
            size_t nc = nz->pool_cap ? nz->pool_cap * 2 : 4096;
            char *np = vigil__realloc(nz->pool, nc);
            if (!np)
                return cls;             /* uncached but correct */
            nz->pool = np;
            nz->pool_cap = nc;
        }
        memcpy(nz->pool + nz->pool_len, tmp, (size_t)*len);
        nz->cache[cp] = ((uint32_t)nz->pool_len << 9) |
                        ((uint32_t)*len << 3) | ((uint32_t)cls << 1) | 1u;
        nz->pool_len += (size_t)*len;
    }
    return cls;
}

/* ---- phase 1: code points -> letters and separator markers -------------- */

static int nt_reserve(vigil_norm_text *t, size_t need)
{
    size_t nc;
    char *nt;
    uint32_t *nm, *ne;

    if (need + 1 <= t->cap)
        return VIGIL_OK;
    nc = t->cap ? t->cap : 256;
    while (nc < need + 1)
        nc *= 2;
    if ((nt = vigil__realloc(t->text, nc)) == NULL)
        return VIGIL_ENOMEM;
    t->text = nt;
    if ((nm = vigil__realloc(t->map, nc * sizeof(uint32_t))) == NULL)
        return VIGIL_ENOMEM;
    t->map = nm;
    if ((ne = vigil__realloc(t->map_end, nc * sizeof(uint32_t))) == NULL)
        return VIGIL_ENOMEM;
    t->map_end = ne;
    t->cap = nc;
    return VIGIL_OK;
}

/* Decode one UTF-8 code point; -1 (and *adv = 1) on a malformed byte. */
static UChar32 utf8_next(const unsigned char *s, size_t n, size_t *adv)
{
    UChar32 c = s[0];
    size_t need, i;

    *adv = 1;
    if (c < 0xC2 || c > 0xF4)
        return -1;
    need = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (n < need + 1)
        return -1;
    c &= need == 1 ? 0x1F : need == 2 ? 0x0F : 0x07;
    for (i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if ((need == 2 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
        (need == 3 && (c < 0x10000 || c > 0x10FFFF)))
        return -1;
    *adv = need + 1;
    return c;
}

static void emit_sep(vigil_norm_text *t, int cls, size_t at, size_t end)
{
    char m = cls == C_SOFT ? SEP_SOFT : SEP_HARD;

    if (t->len == 0)
        return;                         /* no leading separators */
    if (t->text[t->len - 1] == SEP_HARD || t->text[t->len - 1] == SEP_SOFT) {
        if (m == SEP_HARD)
            t->text[t->len - 1] = SEP_HARD;
        return;
    }
    t->text[t->len] = m;
    t->map[t->len] = (uint32_t)at;
    t->map_end[t->len] = (uint32_t)end;
    t->len++;
}

static int ascii_cls_ctx(const vigil_normalizer *nz, const vigil_norm_text *t,
                         const unsigned char *s, size_t n, size_t i)
{
    unsigned char c = s[i];

    if ((c == '@' || c == '$') && t->len > 0 &&
        t->text[t->len - 1] != SEP_HARD && t->text[t->len - 1] != SEP_SOFT &&
        i + 1 < n && s[i + 1] < 0x80 &&
        nz->ascii_cls[s[i + 1]] == C_LETTER)
        return C_LETTER;
    return nz->ascii_cls[c];
}

static int phase1(vigil_norm_text *t, vigil_normalizer *nz,
                  const unsigned char *s, size_t n)
{
    size_t i = 0, adv, j;
    char tmp[ENTRY_MAX + 1];

    /* ASCII bytes map to at most one byte each; room for them is kept
     * reserved, so only a non-ASCII code point needs a check. */
    if (nt_reserve(t, n + 2) < 0)
        return VIGIL_ENOMEM;
    while (i < n) {
        const char *m;
        int len, cls;

        if (s[i] < 0x80) {
            cls = ascii_cls_ctx(nz, t, s, n, i);
            if (cls == C_LETTER) {
                char c = s[i] == '@' ? 'a' : s[i] == '$' ? 's'
                                                         : nz->ascii_out[s[i]];
                t->text[t->len] = c;
                t->map[t->len] = (uint32_t)i;
                t->map_end[t->len] = (uint32_t)(i + 1);
                t->len++;
            } else if (cls != C_DROP) {
                emit_sep(t, cls, i, i + 1);
            }
            i++;
            continue;
        }
        {
            UChar32 cp = utf8_next(s + i, n - i, &adv);
            if (cp < 0) {
                emit_sep(t, C_HARD, i, i + 1);
                i++;
                continue;
            }
            cls = lookup(nz, cp, &m, &len, tmp);
            if (nt_reserve(t, t->len + (size_t)len + (n - i) + 2) < 0)
                return VIGIL_ENOMEM;
        }
        if (cls == C_LETTER) {
            for (j = 0; j < (size_t)len; j++) {
                t->text[t->len] = m[j];
                t->map[t->len] = (uint32_t)i;
                t->map_end[t->len] = (uint32_t)(i + adv);
                t->len++;
            }
        } else if (cls != C_DROP) {
            emit_sep(t, cls, i, i + adv);
        }
        i += adv;
    }
    while (t->len > 0 && (t->text[t->len - 1] == SEP_HARD ||
                          t->text[t->len - 1] == SEP_SOFT))
        t->len--;
    return VIGIL_OK;
}

/* ---- phase 2: join soft separators and spaced-out letters --------------- */

static int build_units(vigil_normalizer *nz, const vigil_norm_text *t,
                       size_t *nu_out, int soft_is_hard)
{
    size_t i, nu = 0;
    int in = 0;

    for (i = 0; i <= t->len; i++) {
        char c = i < t->len ? t->text[i] : SEP_HARD;

        if (c == SEP_HARD || (c == SEP_SOFT && soft_is_hard)) {
            if (in)
                nz->units[nu - 1].end = i;
            in = 0;
            continue;
        }
        if (!in) {
            if (nu == nz->units_cap) {
                size_t nc = nz->units_cap ? nz->units_cap * 2 : 64;
                struct unit *nw = vigil__realloc(nz->units, nc * sizeof(*nw));
                if (!nw)
                    return VIGIL_ENOMEM;
                nz->units = nw;
                nz->units_cap = nc;
            }
            memset(&nz->units[nu], 0, sizeof(nz->units[0]));
            nz->units[nu].start = i;
            nz->units[nu].pieces = 1;
            nu++;
            in = 1;
        }
        if (c == SEP_SOFT) {
            nz->units[nu - 1].pieces++;
            nz->units[nu - 1].piece_cps = 0;
        } else if (((unsigned char)c & 0xC0) != 0x80) {
            struct unit *u = &nz->units[nu - 1];
            u->cps++;
            if (++u->piece_cps > u->max_piece)
                u->max_piece = u->piece_cps;
        }
    }
    *nu_out = nu;
    return VIGIL_OK;
}

/* A unit that is one letter, or letters joined by soft separators
 * ("K.h.o"): part of a spelled-out word. */
static int spelled(const struct unit *u)
{
    return u->cps == 1 || (u->pieces >= 2 && u->max_piece == 1);
}

/* join[i] set: no space between unit i and i+1. A run of >= 3 spelled
 * units is joined, with a unit of <= 2 letters at either end
 * ("Kh o r a s a n"). */
static void mark_joins(const struct unit *u, size_t nu, unsigned char *join)
{
    size_t i = 0, j;

    while (i < nu) {
        if (!spelled(&u[i])) {
            i++;
            continue;
        }
        for (j = i; j < nu && spelled(&u[j]); j++)
            ;
        if (j - i >= 3) {
            size_t a = i > 0 && u[i - 1].cps <= 2 ? i - 1 : i;
            size_t b = j < nu && u[j].cps <= 2 ? j : j - 1;
            size_t k;
            for (k = a; k < b; k++)
                join[k] = 1;
        }
        i = j;
    }
}

static void compact(vigil_norm_text *t, const struct unit *u, size_t nu,
                    const unsigned char *join)
{
    size_t k = 0, i, p;

    for (i = 0; i < nu; i++) {
        for (p = u[i].start; p < u[i].end; p++) {
            if (t->text[p] == SEP_SOFT)
                continue;
            t->text[k] = t->text[p];
            t->map[k] = t->map[p];
            t->map_end[k] = t->map_end[p];
            k++;
        }
        if (i + 1 < nu && !join[i]) {
            t->text[k] = ' ';
            t->map[k] = t->map[u[i + 1].start - 1];
            t->map_end[k] = t->map_end[u[i + 1].start - 1];
            k++;
        }
    }
    t->len = k;
}

static int phase2(vigil_norm_text *t, vigil_normalizer *nz, int term)
{
    size_t nu, need;
    unsigned char *join;
    int rc;

    if ((rc = build_units(nz, t, &nu, term)) < 0)
        return rc;
    need = nu ? nu : 1;
    if ((join = vigil__calloc(need, 1)) == NULL)
        return VIGIL_ENOMEM;
    if (!term)
        mark_joins(nz->units, nu, join);
    compact(t, nz->units, nu, join);
    vigil__free(join);
    return VIGIL_OK;
}

int vigil_text_normalize(vigil_norm_text *out, vigil_normalizer *nz,
                         const char *s, size_t len, unsigned int flags)
{
    int rc;

    VIGIL_ASSERT_ARG(out && nz && (s || len == 0));
    if (len > VIGIL_TEXT_MAX_BYTES)
        return vigil_error_set(VIGIL_ELIMIT, "text is %zu bytes, limit %u",
                               len, VIGIL_TEXT_MAX_BYTES);
    out->len = 0;
    if ((rc = nt_reserve(out, len + 1)) < 0 ||
        (rc = phase1(out, nz, (const unsigned char *)s, len)) < 0 ||
        (rc = phase2(out, nz, (flags & VIGIL_NORM_TERM) != 0)) < 0)
        return rc;
    out->text[out->len] = '\0';
    out->map[out->len] = (uint32_t)len;
    out->map_end[out->len] = (uint32_t)len;
    return VIGIL_OK;
}
