/*
 * text/langid.c - language and script identification: UTF-8 decoding and
 * script vote, then a naive Bayes over hashed char 1-5-grams and words of
 * the dominant script (tables in langid_model.c), then Dari vs Farsi by word.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(__GNUC__)
#define LID_INLINE static inline __attribute__((always_inline))
#else
#define LID_INLINE static inline
#endif

#define VIGIL_MODULE "langid"
#include "common/alloc.h"
#include "common/error.h"
#include "text/ascii_simd.h"
#include "text/langid_internal.h"
#include "text/langid_model.h"
#include "text/text_internal.h"
#include "vigil/langid.h"

#define MAXWORD 24                 /* code points kept per word */
#define MIN_LETTERS 3              /* fewer letters -> "und" */
#define LID_MAX_ORDER 4            /* char n-grams 1..4; = MAX_ORDER in build_model.py */
#define FNV_OFF 2166136261u
#define FNV_PRIME 16777619u

static const char *const label_names[VIGIL_LANGID_NLABELS] = {
    "pus-Arab", "prs-Arab", "pes-Arab", "arb-Arab", "urd-Arab", "uig-Arab",
    "ckb-Arab", "tgk-Cyrl", "rus-Cyrl", "uzb-Cyrl", "uzb-Latn", "tur-Latn",
    "azj-Latn", "eng-Latn", "fra-Latn", "spa-Latn", "sqi-Latn", "swh-Latn",
    "som-Latn", "hau-Latn", "kmr-Latn", "hin-Deva", "mal-Mlym", "ben-Beng",
    "div-Thaa"
};

const char *vigil_langid_label_name(size_t i)
{
    return i < VIGIL_LANGID_NLABELS ? label_names[i] : NULL;
}

/* ------------------------------------------------------------ decoding */

/* Decode one code point at *p (< end); invalid bytes give -1, advance 1. */
LID_INLINE long utf8_next(const unsigned char **pp, const unsigned char *end)
{
    const unsigned char *p = *pp;
    unsigned c = p[0];
    unsigned long cp;
    int n, i;

    if (c < 0x80) {
        *pp = p + 1;
        return (long)c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        cp = c & 0x07;
    } else {
        *pp = p + 1;
        return -1;
    }
    if ((size_t)(end - p) <= (size_t)n) {
        *pp = p + 1;
        return -1;
    }
    for (i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *pp = p + 1;
            return -1;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
        *pp = p + 1;
        return -1;
    }
    *pp = p + n + 1;
    return (long)cp;
}

/* The plain letter a-z of a styled Latin letter, or 0: fullwidth
 * (U+FF21-FF3A, U+FF41-FF5A) and the Mathematical Alphanumeric Symbols
 * (U+1D400-1D6A3, 13 styles of A-Z then a-z) that posts use as "fonts".
 * Mirrored by styled_latin() in build_model.py. */
LID_INLINE unsigned long styled_latin(long cp)
{
    if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
        return 0x61 + (unsigned long)(cp - 0xFF21) % 32;
    if (cp >= 0x1D400 && cp <= 0x1D6A3)
        return 0x61 + (unsigned long)(cp - 0x1D400) % 52 % 26;
    /* small capitals (those below U+0800 are in the low tables) and
     * negative circled and squared capitals, as the normaliser reads them */
    return (unsigned char)vigil_text__styled_letter(cp);
}

/* Class (separator, skip, joiner or script id) and case-folded form. */
LID_INLINE unsigned classify(long cp, unsigned long *fold)
{
    size_t lo = 0, hi = vigil__langid_nranges;
    unsigned long st;

    *fold = (unsigned long)cp;
    if (cp < 0)
        return VIGIL__LID_SEP;
    if (cp < 2048) {
        *fold = vigil__langid_low_fold[cp];
        return vigil__langid_low_class[cp];
    }
    if (cp == 0x200C || cp == 0x200D) {
        *fold = 0x200C;
        return VIGIL__LID_JOIN;
    }
    if (cp == 0x2018 || cp == 0x2019) {
        *fold = 0x27;
        return VIGIL__LID_JOIN;
    }
    if (cp >= 0x1D00 && (st = styled_latin(cp)) != 0) {
        *fold = st;
        return VIGIL__LID_LATN;
    }
    if (cp > 0xFFFF)
        return VIGIL__LID_SEP;
    if (cp == 0x3164 || cp == 0xFFA0 || cp == 0x115F || cp == 0x1160)
        return VIGIL__LID_SEP;          /* Hangul fillers posted as blanks */
    if (cp >= VIGIL__LID_PRES_LO && cp <= VIGIL__LID_PRES_HI &&
        vigil__langid_pres[cp - VIGIL__LID_PRES_LO][0]) {
        *fold = vigil__langid_pres[cp - VIGIL__LID_PRES_LO][0];
        return VIGIL__LID_ARAB;         /* presentation form: its letter */
    }
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const vigil__langid_range *r = &vigil__langid_ranges[mid];

        if (cp < r->lo)
            hi = mid;
        else if (cp > r->hi)
            lo = mid + 1;
        else
            return r->cls;
    }
    return VIGIL__LID_SEP;
}

/* The letters after the first of a ligature presentation form (lam-alef,
 * the Allah sign, ...; classify() gives the first): LID_PRES_MORE of them,
 * zero-padded (not zero-terminated when all are used), or NULL for any
 * other code point. */
#define LID_PRES_MORE 3
LID_INLINE const uint16_t *pres_rest(long cp)
{
    const uint16_t *e;

    if (cp < VIGIL__LID_PRES_LO || cp > VIGIL__LID_PRES_HI)
        return NULL;
    e = vigil__langid_pres[cp - VIGIL__LID_PRES_LO];
    return e[0] && e[1] ? e + 1 : NULL;
}

LID_INLINE size_t utf8_put(unsigned char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
}

/* ------------------------------------------------------------ words */

/* One word as ' ' + folded UTF-8 + ' ', with code point offsets. */
typedef struct {
    unsigned char b[MAXWORD * 3 + 2];
    uint8_t off[MAXWORD + 3];
    uint32_t cpb[MAXWORD + 2];  /* UTF-8 bytes of each position, first byte lowest */
    uint8_t cpl[MAXWORD + 2];   /* their lengths (1-3) */
    int ncp;             /* code points in the word (no padding) */
    int keep_ncp;        /* ncp without trailing joiners */
    int in_model[VIGIL__LID_NMODELS];  /* letters per modelled script (model_slot) */
    int letters;
    int colon;           /* the separator after the word is ':' */
} word_buf;

static void word_reset(word_buf *w)
{
    w->b[0] = ' ';
    w->cpb[0] = ' ';
    w->cpl[0] = 1;
    w->off[0] = 0;
    w->off[1] = 1;
    w->ncp = w->keep_ncp = w->letters = w->colon = 0;
    memset(w->in_model, 0, sizeof(w->in_model));
}

LID_INLINE void word_add(word_buf *w, unsigned long cp)
{
    size_t at = w->off[w->ncp + 1], n = utf8_put(w->b + at, cp);
    uint32_t packed = w->b[at];

    if (n > 1)
        packed |= (uint32_t)w->b[at + 1] << 8;
    if (n > 2)
        packed |= (uint32_t)w->b[at + 2] << 16;
    w->ncp++;
    w->cpb[w->ncp] = packed;
    w->cpl[w->ncp] = (uint8_t)n;
    w->off[w->ncp + 1] = (uint8_t)(at + n);
}

/* ------------------------------------------------------------ scoring */

#define LANES 16            /* weights read per feature (>= nlabels) */
#define FLUSH_EVERY 480      /* (480 + one word's features) * 0x6F fits uint16 */

typedef struct {
    const vigil__langid_model *m;
#if defined(__SSE2__)
    __m128i acc_lo, acc_hi;  /* raw weight chars, 8 x uint16 each */
#else
    uint16_t acc[LANES];
#endif
    int32_t score[LANES];
    unsigned pending;        /* features in acc since the last flush */
    uint32_t mask;
    unsigned nfeat;
    unsigned dari, iran;     /* lexicon evidence, 2 per strong word, 1 per weak */
    int32_t dscore;          /* Dari-vs-Farsi log-odds, quarter nats */
    uint32_t prev_word;      /* hash of the previous Persian-branch word, 0 if none */
    int persian;             /* the model has the Persian class */
    const char *text;        /* Persian model: the text read (date rule); */
    size_t len;              /* Latin: the same bytes (azeri_absent) */
    unsigned letters;        /* Latin: the Latin letters read */
} nb_ctx;

/* Field by field, not memset: five per text, and a memset of the whole
 * struct compiles to `rep stos`, whose start-up cost was a fifth of the
 * time of a short text. */
static void nb_init(nb_ctx *c, const vigil__langid_model *m)
{
    c->m = m;
#if defined(__SSE2__)
    c->acc_lo = c->acc_hi = _mm_setzero_si128();
    {
        __m128i *sc = (__m128i *)(void *)c->score, z = _mm_setzero_si128();

        _mm_storeu_si128(sc, z);
        _mm_storeu_si128(sc + 1, z);
        _mm_storeu_si128(sc + 2, z);
        _mm_storeu_si128(sc + 3, z);
    }
#else
    memset(c->acc, 0, sizeof(c->acc));
    memset(c->score, 0, sizeof(c->score));
#endif
    c->pending = 0;
    c->mask = (1u << m->bits) - 1u;
    c->nfeat = 0;
    c->dari = c->iran = 0;
    c->dscore = 0;
    c->prev_word = 0;
    c->persian = 0;
    c->text = NULL;
    c->len = 0;
    c->letters = 0;
}

/* Move the lanes into score[], taking off the VIGIL__LID_W0 bias. */
static void nb_flush(nb_ctx *c)
{
#if defined(__SSE2__)
    /* widen the uint16 lanes to int32 and add them, in registers */
    __m128i z = _mm_setzero_si128(), *sc = (__m128i *)(void *)c->score;
    __m128i bias = _mm_set1_epi32((int32_t)(VIGIL__LID_W0 * c->pending));

    _mm_storeu_si128(sc, _mm_add_epi32(_mm_loadu_si128(sc),
                                       _mm_sub_epi32(_mm_unpacklo_epi16(c->acc_lo, z), bias)));
    _mm_storeu_si128(sc + 1, _mm_add_epi32(_mm_loadu_si128(sc + 1),
                                           _mm_sub_epi32(_mm_unpackhi_epi16(c->acc_lo, z), bias)));
    _mm_storeu_si128(sc + 2, _mm_add_epi32(_mm_loadu_si128(sc + 2),
                                           _mm_sub_epi32(_mm_unpacklo_epi16(c->acc_hi, z), bias)));
    _mm_storeu_si128(sc + 3, _mm_add_epi32(_mm_loadu_si128(sc + 3),
                                           _mm_sub_epi32(_mm_unpackhi_epi16(c->acc_hi, z), bias)));
    c->acc_lo = c->acc_hi = z;
    c->pending = 0;
#else
    uint16_t lanes[LANES];
    int i;

    memcpy(lanes, c->acc, sizeof(lanes));
    memset(c->acc, 0, sizeof(c->acc));
    for (i = 0; i < LANES; i++)
        c->score[i] += (int32_t)lanes[i] - (int32_t)(VIGIL__LID_W0 * c->pending);
    c->pending = 0;
#endif
}

#define MAX_WORD_FEATURES ((MAXWORD + 2) * LID_MAX_ORDER + 1)

/* Sum the weight rows of one word's features into 16 uint16 lanes (the
 * tables are padded so that reading past the last label of the last row
 * stays inside). Independent row loads, so their cache misses overlap.
 * At most MAX_WORD_FEATURES * 0x6F per lane: no overflow. */
static void sum_rows(uint16_t out[LANES], const vigil__langid_model *m,
                     uint32_t mask, const uint32_t *hs, size_t nh)
{
    const unsigned char *w = (const unsigned char *)m->w;
    size_t nl = (size_t)m->nlabels, i;
#if defined(__SSE2__)
    __m128i lo = _mm_setzero_si128(), hi = lo, z = lo;

    for (i = 0; i < nh; i++) {
        uint32_t h = (hs[i] ^ (hs[i] >> 15)) & mask;
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(w + h * nl));

        lo = _mm_add_epi16(lo, _mm_unpacklo_epi8(v, z));
        hi = _mm_add_epi16(hi, _mm_unpackhi_epi8(v, z));
    }
    _mm_storeu_si128((__m128i *)(void *)out, lo);
    _mm_storeu_si128((__m128i *)(void *)(out + 8), hi);
#else
    int l;

    memset(out, 0, LANES * sizeof(uint16_t));
    for (i = 0; i < nh; i++) {
        uint32_t h = (hs[i] ^ (hs[i] >> 15)) & mask;
        const unsigned char *row = w + h * nl;

        for (l = 0; l < LANES; l++)
            out[l] = (uint16_t)(out[l] + row[l]);
    }
#endif
}

/* Add one word's lane sums (nh features) to the accumulators. Integer
 * sums, so the result does not depend on how features are grouped. */
LID_INLINE void add_sum(nb_ctx *c, const uint16_t sum[LANES], unsigned nh)
{
    if (c->pending + nh > FLUSH_EVERY)
        nb_flush(c);
#if defined(__SSE2__)
    c->acc_lo = _mm_add_epi16(c->acc_lo, _mm_loadu_si128((const __m128i *)(const void *)sum));
    c->acc_hi = _mm_add_epi16(c->acc_hi, _mm_loadu_si128((const __m128i *)(const void *)(sum + 8)));
#else
    {
        int l;

        for (l = 0; l < LANES; l++)
            c->acc[l] = (uint16_t)(c->acc[l] + sum[l]);
    }
#endif
    c->pending += nh;
    c->nfeat += nh;
}

static int in_sorted(const uint32_t *v, size_t n, uint32_t x)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;

        if (v[mid] < x)
            lo = mid + 1;
        else if (v[mid] > x)
            hi = mid;
        else
            return 1;
    }
    return 0;
}

/* Afghan spellings after a silent h (Iran drops or changes the h): the
 * indefinite/relative -i as "-هیی" / "-ه‌یی" (Iran "-ه‌ای") and the suffixes
 * -گی / -گان after the h, "زنده‌گی" (Iran "زندگی"). Each with or without
 * ZWNJ after the h, in a word of at least 4 code points. Mirrors
 * DARI_SUFFIXES in build_model.py. */
static int dari_suffix(const word_buf *w)
{
    static const unsigned char tails[3][6] = {
        { 0xDB, 0x8C, 0xDB, 0x8C, 0, 0 },            /* یی */
        { 0xDA, 0xAF, 0xDB, 0x8C, 0, 0 },            /* گی */
        { 0xDA, 0xAF, 0xD8, 0xA7, 0xD9, 0x86 },      /* گان */
    };
    static const size_t tlen[3] = { 4, 4, 6 };
    static const unsigned char zwnj[3] = { 0xE2, 0x80, 0x8C };
    size_t end = w->off[w->ncp + 1];   /* end of the word, before padding */
    int i;

    if (w->ncp < 4)
        return 0;
    for (i = 0; i < 3; i++) {
        size_t at;

        if (end < tlen[i] + 3 || memcmp(w->b + end - tlen[i], tails[i], tlen[i]) != 0)
            continue;
        at = end - tlen[i];          /* the h (b[0] is the padding) ends here, */
        if (at >= 4 && memcmp(w->b + at - 3, zwnj, 3) == 0)
            at -= 3;                 /* or before a ZWNJ */
        if (at >= 3 && w->b[at - 2] == 0xD9 && w->b[at - 1] == 0x87)
            return 1;
    }
    return 0;
}

/* A plural or verbal affix typed as a word of its own (ها های هایی می
 * نمی, "کتاب ها", "می شود"): a typing habit of Afghan and casual Iranian
 * writers alike, so the Dari-vs-Farsi table skips it (word and context),
 * as if it were not there. Mirrors DARI_DETACHED in build_model.py. */
static int detached_affix(const word_buf *w)
{
    static const unsigned char ha[] = { 0xD9, 0x87, 0xD8, 0xA7, 0xDB, 0x8C, 0xDB, 0x8C };
    static const unsigned char mi[] = { 0xD9, 0x86, 0xD9, 0x85, 0xDB, 0x8C };
    size_t n = (size_t)w->off[w->ncp + 1] - 1u;   /* word bytes after the padding */
    const unsigned char *b = w->b + 1;

    switch (n) {
    case 4: return memcmp(b, ha, 4) == 0 || memcmp(b, mi + 2, 4) == 0; /* ها می */
    case 6: return memcmp(b, ha, 6) == 0 || memcmp(b, mi, 6) == 0;     /* های نمی */
    case 8: return memcmp(b, ha, 8) == 0;                              /* هایی */
    default: return 0;
    }
}

LID_INLINE int32_t dari_w(uint32_t h)
{
    uint32_t b = (h ^ (h >> 15)) & ((1u << vigil__langid_dari_bits) - 1u);

    return (int32_t)(unsigned char)vigil__langid_dari_w[b] - VIGIL__LID_W0;
}

/* Dari-vs-Farsi evidence of one word's own features (mirrors
 * dari_features in build_model.py; the context part is dari_context). */
static int32_t dari_local(const uint32_t *hs, size_t nh)
{
    int32_t d = 0;
    size_t i;

    for (i = 0; i < nh; i++)
        d += dari_w(hs[i]);
    return d;
}

/* Dari-vs-Farsi evidence from the word's context: the bigram with the
 * previous word, "any word:" and "word:" (colon_hash(0) and
 * colon_hash(word) of build_model.py; the first was missing here until
 * 2026-11-27, so texts with a colon scored up to 11 quarter nats lower
 * than in the build's cross-validation). */
LID_INLINE void dari_context(nb_ctx *c, uint32_t word, int colon)
{
    if (word && c->prev_word)
        c->dscore += dari_w(((((c->prev_word ^ 0x9E3779B9u) * FNV_PRIME) ^ word)) * FNV_PRIME);
    if (colon) {
        c->dscore += dari_w(0x3A3A3A3Au * FNV_PRIME);
        if (word)
            c->dscore += dari_w((word ^ 0x3A3A3A3Au) * FNV_PRIME);
    }
    c->prev_word = word;
}

/* FNV-1a over the 1-3 UTF-8 bytes of one position. */
LID_INLINE uint32_t fnv_cp(uint32_t h, uint32_t b, unsigned n)
{
    h = (h ^ (b & 0xFFu)) * FNV_PRIME;
    if (n > 1) {
        h = (h ^ ((b >> 8) & 0xFFu)) * FNV_PRIME;
        if (n > 2)
            h = (h ^ (b >> 16)) * FNV_PRIME;
    }
    return h;
}

/* Close the padding of @p w (' ' after the last kept code point) and
 * return the number of positions (code points + 2). */
static int word_close(word_buf *w)
{
    size_t total = w->off[w->ncp + 1];

    w->b[total] = ' ';
    w->off[w->ncp + 2] = (uint8_t)(total + 1);
    w->cpb[w->ncp + 1] = ' ';
    w->cpl[w->ncp + 1] = 1;
    return w->ncp + 2;
}

/* Order-0 feature (the whole padded word) of a word of <= 20 code points. */
static uint32_t word_hash(const word_buf *w, int npos)
{
    uint32_t h = FNV_OFF;
    int i;

    for (i = 0; i < npos; i++)
        h = fnv_cp(h, w->cpb[i], w->cpl[i]);
    return (h ^ 1u) * FNV_PRIME;
}

/* Char 1-4-gram hashes of the padded word (no 1-grams of the padding),
 * then the word hash when @p word != 0. Returns the count. */
static size_t word_features(const word_buf *w, int npos, uint32_t word,
                            uint32_t *hs)
{
    size_t nh = 0;
    int i, n;

#if LID_MAX_ORDER == 4
    /* the 1-4-grams of every position with four positions left, straight
     * (sums do not depend on the order of the features) */
    for (i = 0; i + 4 <= npos; i++) {
        uint32_t h = fnv_cp(FNV_OFF, w->cpb[i], w->cpl[i]);

        if (i != 0)
            hs[nh++] = (h ^ 2u) * FNV_PRIME;
        h = fnv_cp(h, w->cpb[i + 1], w->cpl[i + 1]);
        hs[nh++] = (h ^ 3u) * FNV_PRIME;
        h = fnv_cp(h, w->cpb[i + 2], w->cpl[i + 2]);
        hs[nh++] = (h ^ 4u) * FNV_PRIME;
        h = fnv_cp(h, w->cpb[i + 3], w->cpl[i + 3]);
        hs[nh++] = (h ^ 5u) * FNV_PRIME;
    }
    /* the last three positions: 1-3-grams, 1-2-grams, nothing (the 1-gram
     * of the padding is not a feature); npos >= 3 */
    if (npos - i == 3) {
        uint32_t h = fnv_cp(FNV_OFF, w->cpb[i], w->cpl[i]);

        if (i != 0)
            hs[nh++] = (h ^ 2u) * FNV_PRIME;
        h = fnv_cp(h, w->cpb[i + 1], w->cpl[i + 1]);
        hs[nh++] = (h ^ 3u) * FNV_PRIME;
        h = fnv_cp(h, w->cpb[i + 2], w->cpl[i + 2]);
        hs[nh++] = (h ^ 4u) * FNV_PRIME;
        i++;
    }
    if (npos - i == 2) {
        uint32_t h = fnv_cp(FNV_OFF, w->cpb[i], w->cpl[i]);

        if (i != 0)
            hs[nh++] = (h ^ 2u) * FNV_PRIME;
        h = fnv_cp(h, w->cpb[i + 1], w->cpl[i + 1]);
        hs[nh++] = (h ^ 3u) * FNV_PRIME;
    }
    (void)n;
#else
    for (i = 0; i < npos; i++) {
        uint32_t h = FNV_OFF;

        for (n = 1; n <= LID_MAX_ORDER && i + n <= npos; n++) {
            h = fnv_cp(h, w->cpb[i + n - 1], w->cpl[i + n - 1]);
            if (n == 1 && (i == 0 || i == npos - 1))
                continue;
            hs[nh++] = (h ^ (uint32_t)(n + 1)) * FNV_PRIME;
        }
    }
#endif
    if (word)
        hs[nh++] = word;
    return nh;
}

/* ------------------------------------------------------------ word cache */

/* What one word contributes to its model whatever its context: lane sums,
 * feature count, lexicon points and the Dari-vs-Farsi log-odds of its own
 * features, plus its order-0 hash for the context features. */
typedef struct {
    uint16_t sum[LANES];
    uint32_t word;                  /* order-0 hash, 0 when > 20 code points */
    int16_t dlocal;
    uint8_t nh, dari, iran;
    uint8_t detached;               /* detached_affix(): no Dari-table part */
} word_score;

/* Two direct-mapped memos, both keyed by exact bytes so that a hit gives
 * the numbers a recomputation would: `raw` by the word's bytes in the text
 * (words of letters of one script, read by fast_word), `fold` by the
 * padded case-folded word (every other word). A `raw` entry met again
 * since it was stored (WC_HIT) gets a second chance: the next new word for
 * its slot is scored without replacing it, so words seen once (most new
 * words) do not push out the frequent ones. */
#define WC_MAXB 56                  /* longer words are not cached */
#define WC_RAW_BITS 16              /* 8 MB: see "Word memo" in docs/internals/langid.md */
#define WC_ALIGN ((uintptr_t)2 << 20)  /* raw memo start: a large-page boundary */
#define WC_FOLD_BITS 10
#define WC_SLOT 0x7Fu               /* wc_raw.slot: the model slot */
#define WC_HIT 0x80u                /* wc_raw.slot: met again since stored */

typedef struct {
    word_score s;
    uint32_t key;                   /* hash of b */
    uint8_t len;                    /* bytes in b; 0 = empty slot */
    uint8_t slot;                   /* fold: model slot; raw: script class */
    uint8_t letters;                /* raw: letters (joiners, marks not counted) */
    unsigned char b[WC_MAXB];
} wc_entry;

/* A raw-memo entry: the word's first and last 8 bytes (a, z; for shorter
 * words the loads of bytes_key) identify a word of up to 16 bytes
 * exactly; b holds the bytes of longer ones. 128 bytes, aligned in the
 * cache: a hit reads only the first 64 (one cache line). */
typedef struct {
    uint64_t a, z;
    word_score s;
    uint8_t len;                    /* bytes; 0 = empty slot */
    uint8_t cls;                    /* script class */
    uint8_t slot;                   /* its model (model_slot(cls)) */
    uint8_t letters;                /* letters (joiners, marks not counted) */
    unsigned char b[WC_MAXB];
    unsigned char pad[128 - 64 - WC_MAXB];
} wc_raw;
_Static_assert(sizeof(wc_raw) == 128 && offsetof(wc_raw, b) == 64,
               "wc_raw: hit fields in the first 64 bytes, 128 in all");

struct vigil_langid_cache {
    wc_raw *raw;                    /* 1 << WC_RAW_BITS entries, in the same
                                     * allocation after this struct, 128-aligned */
    wc_entry fold[1u << WC_FOLD_BITS];
    /* class + 1 of U+0800..U+FFFF, 0 = not looked up yet (filled on use;
     * the same value classify() gives) */
    uint8_t cls3[0x10000];
    /* ASCII bytes: 1 for a separator scan_text skips between words (not
     * '@', not a digit); for token starts TOK_LINK (may start a link or
     * @handle) | TOK_ALNUM (letter or digit: may start a machine token) */
    uint8_t skip[256], tok[256];
    uint8_t sep[256];           /* 1 for an ASCII separator (ends a word) */
};

#define TOK_ALNUM 1u
#define TOK_LINK 2u
#define TOK_MARKUP 4u

static int is_markup_start(unsigned c)
{
    return c == '{' || c == '&' || c == '<' || c == '%' || c == '$' || c == '\\';
}

int vigil_langid_cache_new(vigil_langid_cache **out)
{
    if (!out)
        return vigil_error_set(VIGIL_EINVAL, "langid: bad arguments");
    unsigned c;

    if ((*out = vigil__calloc(1, sizeof(**out) + sizeof(wc_raw) *
                                     ((size_t)1 << WC_RAW_BITS) + WC_ALIGN)) == NULL)
        return VIGIL_ENOMEM;
    {
        uintptr_t at = (uintptr_t)(void *)(*out + 1);

        (*out)->raw = (wc_raw *)(void *)((char *)(void *)(*out + 1) +
                                         ((WC_ALIGN - (at & (WC_ALIGN - 1))) & (WC_ALIGN - 1)));
#ifdef MADV_HUGEPAGE
        /* large pages where the system gives them on request: a memo word
         * lands on a random page, and 4 KB pages cost a TLB miss per
         * lookup and a page fault per page first touched (a request this
         * large is usually served by fresh zero pages, not yet touched) */
        (void)madvise((void *)(*out)->raw, sizeof(wc_raw) << WC_RAW_BITS, MADV_HUGEPAGE);
#endif
    }
    for (c = 0; c < 0x80; c++) {
        int digit = c >= '0' && c <= '9';

        (*out)->sep[c] = vigil__langid_low_class[c] == VIGIL__LID_SEP;
        (*out)->skip[c] = vigil__langid_low_class[c] == VIGIL__LID_SEP && c != '@' &&
                          c != '#' && !digit && !is_markup_start(c);
        (*out)->tok[c] = (uint8_t)((digit || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
                                    ? TOK_ALNUM : 0u) |
                                   (strchr("@#hHwWtT", (int)c) && c ? TOK_LINK : 0u) |
                                   (is_markup_start(c) ? TOK_MARKUP : 0u));
    }
    return VIGIL_OK;
}

void vigil_langid_cache_free(vigil_langid_cache *c)
{
    vigil__free(c);
}

/* Lexicon points of one Persian-branch word (word hash @p h, 0 if none). */
static void lexicon_points(const word_buf *w, uint32_t h, word_score *s)
{
    s->dari = dari_suffix(w) ? 2u : 0u;
    s->iran = 0;
    if (!h || !vigil__langid_lex_maybe(h))
        return;                     /* in none of the four lists */
    s->dari = (uint8_t)(s->dari + 2u * (unsigned)in_sorted(vigil__langid_dari_words,
                                                           vigil__langid_ndari_words, h));
    s->dari = (uint8_t)(s->dari + (unsigned)in_sorted(vigil__langid_dari_weak_words,
                                                      vigil__langid_ndari_weak_words, h));
    s->iran = (uint8_t)(2u * (unsigned)in_sorted(vigil__langid_iran_words,
                                                 vigil__langid_niran_words, h) +
                        (unsigned)in_sorted(vigil__langid_iran_weak_words,
                                            vigil__langid_niran_weak_words, h));
}

/* Compute what word @p w (closed, npos positions) contributes to @p c. */
static void score_word(const nb_ctx *c, const word_buf *w, int npos,
                       uint32_t word, word_score *s)
{
    uint32_t hs[MAX_WORD_FEATURES];
    size_t nh = word_features(w, npos, word, hs);

    sum_rows(s->sum, c->m, c->mask, hs, nh);
    s->word = word;
    s->nh = (uint8_t)nh;
    s->dari = s->iran = 0;
    s->dlocal = 0;
    s->detached = 0;
    if (c->persian) {
        lexicon_points(w, word, s);
        s->detached = (uint8_t)detached_affix(w);
        if (!s->detached)
            s->dlocal = (int16_t)dari_local(hs, nh);
    }
}

LID_INLINE void apply_word(nb_ctx *c, const word_score *s, int colon)
{
    add_sum(c, s->sum, s->nh);
    if (c->persian) {
        c->dari += s->dari;
        c->iran += s->iran;
        if (!s->detached) {
            c->dscore += s->dlocal;
            dari_context(c, s->word, colon);
        }
    }
}

/* Score one word into @p c (slot @p slot of the three models), through
 * the fold memo of @p wc when given; the score is copied to @p keep when
 * not NULL. */
static void nb_word(nb_ctx *c, word_buf *w, vigil_langid_cache *wc, int slot,
                    word_score *keep)
{
    word_score tmp, *s = keep ? keep : &tmp;
    int npos = word_close(w);
    size_t nb = w->off[npos];
    uint32_t word = w->ncp <= 20 ? word_hash(w, npos) : 0;
    wc_entry *e = NULL;

    if (wc && word && nb <= WC_MAXB) {
        e = &wc->fold[(word ^ (word >> WC_FOLD_BITS) ^ (uint32_t)slot) &
                      ((1u << WC_FOLD_BITS) - 1u)];
        if (e->len == nb && e->s.word == word && e->slot == slot &&
            memcmp(e->b, w->b, nb) == 0) {
            if (keep)
                *keep = e->s;
            apply_word(c, &e->s, w->colon);
            return;
        }
    }
    score_word(c, w, npos, word, s);
    if (e) {
        e->s = *s;
        e->len = (uint8_t)nb;
        e->slot = (uint8_t)slot;
        memcpy(e->b, w->b, nb);
    }
    apply_word(c, s, w->colon);
}

/* The modelled scripts, in nb_ctx order. */
static int model_slot(unsigned script)
{
    switch (script) {
    case VIGIL__LID_LATN: return 0;
    case VIGIL__LID_CYRL: return 1;
    case VIGIL__LID_ARAB: return 2;
    case VIGIL__LID_DEVA: return 3;
    case VIGIL__LID_BENG: return 4;
    default: return -1;
    }
}

/* A finished word goes to the model of its majority script, if any. */
/* Latin and Cyrillic look-alikes once case-folded (mirrors LAT2CYR and
 * CYR2LAT in build_model.py): Latin a b c e h k m o p t x y, Cyrillic
 * а в с е н к м о р т х у і ј ѕ. */
static unsigned long lat2cyr(unsigned long cp)
{
    static const char lat[] = "abcehkmoptxy";
    static const uint16_t cyr[] = { 0x430, 0x432, 0x441, 0x435, 0x43D, 0x43A,
                                    0x43C, 0x43E, 0x440, 0x442, 0x445, 0x443 };
    const char *at = cp >= 'a' && cp <= 'z' ? strchr(lat, (int)cp) : NULL;

    return at ? cyr[at - lat] : 0;
}

static unsigned long cyr2lat(unsigned long cp)
{
    static const uint16_t cyr[] = { 0x430, 0x432, 0x441, 0x435, 0x43D, 0x43A, 0x43C, 0x43E,
                                    0x440, 0x442, 0x445, 0x443, 0x456, 0x458, 0x455 };
    static const char lat[] = "abcehkmoptxyijs";
    size_t i;

    for (i = 0; i < sizeof(cyr) / sizeof(cyr[0]); i++)
        if (cyr[i] == cp)
            return (unsigned char)lat[i];
    return 0;
}

/* A word of Latin and Cyrillic letters is homoglyph evasion ("Тoҷикистoн"
 * with Latin o): the look-alikes of the script with fewer letters in it
 * are read as the other script's letters (mirrors _repair_mixed). */
static void repair_mixed(word_buf *w)
{
    word_buf r;
    int i, to_cyr, moved = 0;

    if (!w->in_model[0] || !w->in_model[1] || w->in_model[0] == w->in_model[1])
        return;
    to_cyr = w->in_model[1] > w->in_model[0];
    word_reset(&r);
    for (i = 1; i <= w->ncp; i++) {
        const unsigned char *p = w->b + w->off[i];
        unsigned long cp = (unsigned long)utf8_next(&p, w->b + w->off[i + 1]), m;

        m = to_cyr ? lat2cyr(cp) : cyr2lat(cp);
        if (m) {
            cp = m;
            moved++;
        }
        word_add(&r, cp);
    }
    r.keep_ncp = w->keep_ncp;
    r.letters = w->letters;
    r.colon = w->colon;
    memcpy(r.in_model, w->in_model, sizeof(r.in_model));
    r.in_model[to_cyr] += moved;
    r.in_model[!to_cyr] -= moved;
    *w = r;
}

static void word_done(word_buf *w, nb_ctx *ctx, vigil_langid_cache *wc)
{
    int s;

    if (w->letters == 0)
        return;
    repair_mixed(w);
    for (s = 0; s < VIGIL__LID_NMODELS; s++)
        if (w->in_model[s] * 2 > w->letters) {
            w->ncp = w->keep_ncp;
            nb_word(&ctx[s], w, wc, s, NULL);
            return;
        }
}

static int has_prefix(const unsigned char *p, const unsigned char *end,
                      const char *pre)
{
    size_t n = strlen(pre), i;

    if ((size_t)(end - p) < n)
        return 0;
    for (i = 0; i < n; i++)
        if ((p[i] | 0x20) != (unsigned char)pre[i])
            return 0;
    return 1;
}

/* Length of a #hashtag starting at p (at a token start: '#' and a
 * letter or a non-ASCII byte), else 0. Posts tag in English and in names
 * whatever their language ("#breaking", "#Kabul" in a Somali post). */
static size_t hashtag_len(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *q = p + 1;

    if (end - p < 2 || !((unsigned)((p[1] | 0x20) - 'a') < 26u || p[1] >= 0xC2))
        return 0;
    while (q < end && *q > ' ')
        q++;
    return (size_t)(q - p);
}

/* Length of a link or @handle starting at p (at a token start), else 0:
 * its Latin letters say nothing about the language of the post. */
static size_t link_len(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *q = p;

    /* most words at a token start are none ("the", "with", "to"): the
     * first two bytes as has_prefix() compares them */
    if (end - p < 2 || (*p != '@' && ((p[1] | 0x20) != 't' || (*p | 0x20) != 'h') &&
                        ((p[1] | 0x20) != 'w' || (*p | 0x20) != 'w') &&
                        ((p[1] | 0x20) != '.' || (*p | 0x20) != 't')))
        return 0;
    if (!(*p == '@' || has_prefix(p, end, "http://") ||
          has_prefix(p, end, "https://") || has_prefix(p, end, "www.") ||
          has_prefix(p, end, "t.me/")))
        return 0;
    /* a handle starts with a letter on Telegram, also with a digit or
     * '_' on X, Instagram and TikTok (@_news24, @1tv_ru) */
    if (*p == '@' && (end - p < 2 || !(((p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z') ||
                                        (p[1] >= '0' && p[1] <= '9') || p[1] == '_')))
        return 0;
    while (q < end && *q > ' ')
        q++;
    return (size_t)(q - p);
}

static int is_alnum_ascii(unsigned char c)
{
    return (unsigned)(c - '0') < 10u || (unsigned)((c | 0x20) - 'a') < 26u;
}

static int is_alpha_ascii(unsigned char c)
{
    return (unsigned)((c | 0x20) - 'a') < 26u;
}

/* End of a run of printable ASCII bytes other than @p stop1 and @p stop2
 * from p, at most @p max of them, when @p close follows; else NULL. */
static const unsigned char *ascii_until(const unsigned char *p,
                                        const unsigned char *end, size_t max,
                                        unsigned char close, unsigned char stop)
{
    const unsigned char *lim = end - p > (ptrdiff_t)max ? p + max : end;

    for (; p < lim && *p >= 0x20 && *p < 0x7F && *p != close && *p != stop; p++)
        ;
    return p < end && *p == close ? p + 1 : NULL;
}

/* Length of the markup or placeholder at p (one of { & < % $ \), else 0.
 * Localised strings as programs carry them (Fluent "{ -brand-short-name }",
 * "&brandShortName;", "<a data-l10n-name=...>", printf "%1$S", "%(name)s",
 * LibreOffice "%PRODUCTNAME", shell "$(ARG1)" "${name}" "$HOME", "\n"):
 * their Latin letters would outvote a short string in another script. The
 * build's clean_ui() drops the same from the training strings; mirrored by
 * strip_markup() in build_model.py. */
static size_t markup_len(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *q = p + 1;

    if (end - p < 2)
        return 0;
    switch (*p) {
    case '{':
        q = ascii_until(q, end, 64, '}', '{');
        break;
    case '&':
        q += *q == '#';
        while (q < end && q - p <= 41 && (is_alnum_ascii(*q) || *q == '_' ||
                                          *q == '.' || *q == '-'))
            q++;
        q = q > p + 1 + (p[1] == '#') && q < end && *q == ';' ? q + 1 : NULL;
        break;
    case '<':
        q = is_alpha_ascii(*q) || *q == '/' || *q == '!' || *q == '?'
                ? ascii_until(q, end, 200, '>', '<') : NULL;
        break;
    case '%':
        if (*q == '(') {
            q = ascii_until(q + 1, end, 40, ')', '(');
            q = q && q < end && is_alpha_ascii(*q) ? q + 1 : NULL;
        } else if (*q == '{') {
            q = ascii_until(q + 1, end, 40, '}', '{');
        } else if (*q >= 'A' && *q <= 'Z' && end - q >= 3 &&
                   ((q[1] >= 'A' && q[1] <= 'Z') || q[1] == '_')) {
            while (q < end && ((*q >= 'A' && *q <= 'Z') || *q == '_' ||
                               (*q >= '0' && *q <= '9')))
                q++;
        } else {                        /* printf: %[n$][flags][w][.p][len]c */
            const unsigned char *d = q;
            while (d < end && *d >= '0' && *d <= '9')
                d++;
            if (d > q && d < end && *d == '$')
                q = d + 1;
            while (q < end && (*q == '-' || *q == '+' || *q == '#' || *q == '0'))
                q++;
            while (q < end && *q >= '0' && *q <= '9')
                q++;
            if (q + 1 < end && *q == '.' && q[1] >= '0' && q[1] <= '9')
                for (q++; q < end && *q >= '0' && *q <= '9'; q++)
                    ;
            while (q < end && strchr("lhqjzt", *q) && *q)
                q++;
            q = q < end && (is_alpha_ascii(*q) || *q == '@') ? q + 1 : NULL;
        }
        break;
    case '$':
        if (*q == '{')
            q = ascii_until(q + 1, end, 40, '}', '{');
        else if (*q == '(')
            q = ascii_until(q + 1, end, 40, ')', '(');
        else if (is_alpha_ascii(*q) || *q == '_')
            while (q < end && (is_alnum_ascii(*q) || *q == '_'))
                q++;
        else
            q = NULL;
        break;
    case '\\':
        q = strchr("ntr\"'\\", *q) && *q ? q + 1 : NULL;
        break;
    default:
        q = NULL;
    }
    return q ? (size_t)(q - p) : 0;
}

/* Length of a machine token (wallet address, hash, key) at p: 25 or more
 * ASCII letters and digits with at least one digit; else 0. Its letters
 * would otherwise outvote a short caption in another script. */
static size_t code_len(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *q = p;
    int digits = 0;

    if (end - p < 25 || !is_alnum_ascii(p[24]))
        return 0;
#if defined(__SSE2__)
    {   /* most tokens are words far shorter than 25: the first 16 bytes
         * must all be letters or digits */
        if (vigil__alnum_mask16((const char *)p) != 0xFFFF)
            return 0;
    }
#endif
    while (q < end && is_alnum_ascii(*q)) {
        digits |= *q <= '9';
        q++;
    }
    if (q - p < 25 || !digits || (q < end && *q > ' ' && *q < 0x80 &&
                                  *q != '.' && *q != ',' && *q != ')'))
        return 0;
    return (size_t)(q - p);
}

/* class_at()'s answer for a ligature presentation form (several letters,
 * pres_rest()) and for the 4-byte block of styled letters: no class of
 * classify()'s, so fast_word leaves the word to scan_text's general path,
 * which reads all its letters. */
#define LID_LIGATURE VIGIL__LID_NSCRIPTS

/* Class of the code point at p and its bytes *n, as utf8_next() and
 * classify() would give them (LID_LIGATURE for a ligature), with
 * U+0800..U+FFFF looked up in (and added to) the cache's table. Invalid
 * bytes are separators (*n = 1). */
LID_INLINE unsigned class_at(vigil_langid_cache *wc, const unsigned char *p,
                             const unsigned char *end, size_t *n)
{
    unsigned c = p[0];

    if (c < 0x80) {
        *n = 1;
        return vigil__langid_low_class[c];
    }
    if (c >= 0xC2 && c <= 0xDF && end - p >= 2 && (p[1] & 0xC0) == 0x80) {
        *n = 2;
        return vigil__langid_low_class[((c & 0x1Fu) << 6) | (p[1] & 0x3Fu)];
    }
    if (c >= 0xE0 && c <= 0xEF && end - p >= 3 && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80) {
        unsigned cp = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        unsigned k = wc->cls3[cp];

        *n = 3;
        if (k)
            return k - 1;
        if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
            k = VIGIL__LID_SEP;        /* overlong or surrogate: invalid */
        else {
            unsigned long fold;

            k = classify((long)cp, &fold);
            if (pres_rest((long)cp))
                return LID_LIGATURE;    /* not remembered: the loops skip it */
        }
        wc->cls3[cp] = (uint8_t)(k + 1);
        return k;
    }
    if (c == 0xF0 && end - p >= 4 && (p[3] & 0xC0) == 0x80 &&
        ((p[1] == 0x9D && p[2] >= 0x90 && p[2] <= 0x9A) ||
         (p[1] == 0x9F && (p[2] == 0x85 || p[2] == 0x86)))) {
        *n = 4;                 /* U+1D400-1D6BF, U+1F140-1F1BF: maybe a */
        return LID_LIGATURE;    /* styled letter, read by the general path */
    }
    *n = 1;             /* other 4-byte (above the BMP) or invalid: a separator */
    return VIGIL__LID_SEP;
}

/* Memo key of @p nb bytes: the first and last 8 (4 for 4-7 bytes; the
 * bytes themselves below 4), which identify words of <= 16 bytes. */
LID_INLINE void bytes_key(const unsigned char *p, size_t nb, uint64_t *a,
                          uint64_t *z)
{
    if (nb >= 8) {
        memcpy(a, p, 8);
        memcpy(z, p + nb - 8, 8);
    } else if (nb >= 4) {
        uint32_t x, y;

        memcpy(&x, p, 4);
        memcpy(&y, p + nb - 4, 4);
        *a = x;
        *z = y;
    } else {
        size_t i;

        *a = 0;
        for (i = 0; i < nb; i++)
            *a = *a << 8 | p[i];
        *z = 0;
    }
}

/* Raw memo slot of a key. */
LID_INLINE size_t raw_slot(uint64_t a, uint64_t z, size_t nb)
{
    return (size_t)(((a * 0x9E3779B97F4A7C15ull) ^ ((z ^ nb) * 0xC2B2AE3D27D4EB4Full)) >> 40) &
           ((1u << WC_RAW_BITS) - 1u);
}

#if defined(__SSE2__)
/* Bit k set when byte k of the 16 at @p p is an ASCII separator: ASCII
 * and not a letter, ' or ` (test_langid checks that these are the ASCII
 * bytes the model does not class as separators). */
LID_INLINE unsigned sep_mask16(const unsigned char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i l = _mm_or_si128(x, _mm_set1_epi8(0x20));
    __m128i word = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\'')),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('`'))),
        _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                      _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1))));

    /* sign bit clear (ASCII) and not a word byte */
    return (unsigned)_mm_movemask_epi8(
        _mm_andnot_si128(word, _mm_cmpgt_epi8(x, _mm_set1_epi8(-1))));
}
#endif

/* The extent of a word the raw memo may hold at @p p: the bytes up to the
 * next ASCII separator or the end of the text, when 1 to WC_MAXB of them;
 * else 0. Every memo key is a word so ended (fast_word), so bytes equal
 * to a key within this extent are that word. */
LID_INLINE size_t word_end(const vigil_langid_cache *wc, const unsigned char *p,
                           const unsigned char *end)
{
    const unsigned char *q = p, *lim = end - p > WC_MAXB ? p + WC_MAXB + 1 : end;

#if defined(__SSE2__)
    /* the common words first: ASCII ones of up to 15 bytes by one mask,
     * and runs of non-ASCII bytes ended by an ASCII separator */
    if (*p < 0x80) {
        unsigned m;

        if (end - p >= 16 && (m = sep_mask16(p)) != 0)
            return (size_t)__builtin_ctz(m);
    } else {
        while (end - q >= 16 && q < lim) {
            unsigned m = (unsigned)_mm_movemask_epi8(
                _mm_loadu_si128((const __m128i *)(const void *)q)) ^ 0xFFFFu;

            if (m) {
                q += __builtin_ctz(m);
                if (q < lim && wc->sep[*q])
                    return (size_t)(q - p);
                break;
            }
            q += 16;
        }
    }
#endif
    while (q < lim && !wc->sep[*q])
        q++;
    return (size_t)(q - p) <= WC_MAXB ? (size_t)(q - p) : 0;
}

/* A word start's extent (word_end()) and its raw memo key and
 * entry, worked out ahead so that the entry's load is under way before
 * the word is read. */
typedef struct {
    const unsigned char *p;
    size_t nb;
    uint64_t a, z;
    wc_raw *e;
} word_key;

LID_INLINE void key_word(word_key *k, vigil_langid_cache *wc,
                         const unsigned char *p, size_t nb)
{
    k->p = p;
    k->nb = nb;
    bytes_key(p, nb, &k->a, &k->z);
    k->e = &wc->raw[raw_slot(k->a, k->z, nb)];
    __builtin_prefetch(k->e);
}

/* The memo's answer for the word keyed @p k (word_end()'s extent): when
 * it holds the word, its letters and score are added and 1 returned. A
 * word seen before is recognised by its bytes alone: a key holds only
 * letters, joiners and marks of one script, so bytes equal to a key,
 * followed by a separator, are that word. */
LID_INLINE int raw_hit(const word_key *k, const unsigned char *end,
                       unsigned *counts, nb_ctx *ctx)
{
    wc_raw *e = k->e;
    const unsigned char *q = k->p + k->nb;

    if (e->len != k->nb || e->a != k->a || e->z != k->z ||
        (k->nb > 16 && memcmp(e->b + 8, k->p + 8, k->nb - 16) != 0))
        return 0;
    counts[e->cls] += e->letters;
    apply_word(&ctx[e->slot & WC_SLOT], &e->s, q < end && *q == ':');
    e->slot |= WC_HIT;
    return 1;
}

/* The miss path of fast_word: the word [p, p + nb) read as scan_text's
 * general path reads it (marks skipped, joiners kept inside, letters
 * counted), then scored into @p c; the score is copied to @p keep. Not
 * through the fold memo: the raw memo just missed the word, so the fold
 * memo seldom holds it, and its lookup cost a cache miss per new word
 * (catalog strings that never repeat: 5% of the scan). */
static void slow_word(const unsigned char *p, size_t nb, int colon, int slot,
                      nb_ctx *c, word_score *keep)
{
    const unsigned char *q = p, *end = p + nb;
    word_buf w;

    word_reset(&w);
    while (q < end) {
        unsigned long fold;
        unsigned k;

        /* ASCII and two-byte code points straight from the low tables
         * (what utf8_next() and classify() give them), the rest the
         * general way */
        if (q[0] < 0x80) {
            fold = vigil__langid_low_fold[q[0]];
            k = vigil__langid_low_class[q[0]];
            q++;
        } else if (q[0] >= 0xC2 && q[0] <= 0xDF && end - q >= 2 && (q[1] & 0xC0) == 0x80) {
            unsigned cp = ((q[0] & 0x1Fu) << 6) | (q[1] & 0x3Fu);

            fold = vigil__langid_low_fold[cp];
            k = vigil__langid_low_class[cp];
            q += 2;
        } else {
            k = classify(utf8_next(&q, end), &fold);
        }
        if (k == VIGIL__LID_SKIP)
            continue;
        if (k == VIGIL__LID_JOIN) {
            if (w.ncp > 0 && w.ncp < MAXWORD)
                word_add(&w, fold);
            continue;
        }
        if (w.ncp < MAXWORD) {   /* fast_word leaves ligatures to scan_text */
            word_add(&w, fold);
            w.keep_ncp = w.ncp;
            w.letters++;
        }
    }
    w.colon = colon;
    w.ncp = w.keep_ncp;
    nb_word(c, &w, NULL, slot, keep);
}

/*
 * The common word, read whole at a word start: letters of one script,
 * with joiners (ZWNJ, apostrophes) and skipped marks (harakat) after the
 * first letter, ended by a separator or the end of the text. A word of a
 * script without a model (Devanagari, ...) only adds its letters to the
 * count; a word of a modelled script of at most 20 code points and
 * WC_MAXB bytes comes from the raw memo, or is computed as the general
 * path would and remembered. Returns the bytes consumed (the separator is
 * left for the caller), or 0 when the general path must read the word
 * (another script inside it, or too long). @p g, when not NULL, is the
 * key of word_end()'s answer for @p p, which raw_hit() found no entry for.
 */
static size_t fast_word(const unsigned char *p, const unsigned char *end,
                        unsigned *counts, nb_ctx *ctx, vigil_langid_cache *wc,
                        const word_key *g)
{
    const unsigned char *q;
    unsigned cls, k, letters = 1, ncp = 1;
    uint64_t a, z;
    size_t n, nb;
    wc_raw *e;
    int slot, colon;

    cls = class_at(wc, p, end, &n);
    if (cls < VIGIL__LID_FIRST_SCRIPT || cls == LID_LIGATURE)
        return 0;
    slot = model_slot(cls);
    q = p + n;
    for (;;) {
        if (cls == VIGIL__LID_LATN) {   /* ASCII letters: one table load */
            while (q < end && *q < 0x80 &&
                   vigil__langid_low_class[*q] == VIGIL__LID_LATN) {
                q++;
                ncp++;
                letters++;
            }
        } else {                        /* 2-byte letters of the script */
            while (end - q >= 2 && (unsigned)(q[0] - 0xC2) <= 0xDF - 0xC2 &&
                   (q[1] & 0xC0) == 0x80 &&
                   vigil__langid_low_class[((q[0] & 0x1Fu) << 6) | (q[1] & 0x3Fu)] == cls) {
                q += 2;
                ncp++;
                letters++;
            }
            /* 3-byte letters of the script (Indic, Thaana), as class_at
             * gives them once its table holds them */
            while (end - q >= 3 && (q[0] & 0xF0u) == 0xE0u &&
                   (q[1] & 0xC0) == 0x80 && (q[2] & 0xC0) == 0x80 &&
                   wc->cls3[((q[0] & 0x0Fu) << 12) | ((q[1] & 0x3Fu) << 6) |
                            (q[2] & 0x3Fu)] == cls + 1) {
                q += 3;
                ncp++;
                letters++;
            }
        }
        if (q == end)
            break;
        k = class_at(wc, q, end, &n);
        if (k == VIGIL__LID_SEP)
            break;
        if (k == cls)
            letters++;
        else if (k != VIGIL__LID_JOIN && k != VIGIL__LID_SKIP)
            return 0;
        ncp += k != VIGIL__LID_SKIP;
        q += n;
    }
    if (slot < 0) {                     /* no model: letters only */
        counts[cls] += letters;
        return (size_t)(q - p);
    }
    nb = (size_t)(q - p);
    if (ncp > 20 || nb > WC_MAXB)       /* 20 code points: the word hash */
        return 0;
    colon = q < end && *q == ':';
    if (g && g->nb == nb) {
        a = g->a;           /* looked up above, missed: nothing stored since */
        z = g->z;
        e = g->e;
    } else {
        bytes_key(p, nb, &a, &z);
        e = &wc->raw[raw_slot(a, z, nb)];
    }
    if (e->len == nb && e->a == a && e->z == z &&
        (nb <= 16 || memcmp(e->b + 8, p + 8, nb - 16) == 0)) {
        counts[e->cls] += e->letters;
        apply_word(&ctx[slot], &e->s, colon);
        e->slot |= WC_HIT;
        return nb;
    }
    counts[cls] += letters;
    if (e->slot & WC_HIT) {
        /* second chance: the entry's word was met again since it was
         * stored, this one may be seen once (most new words are) */
        word_score tmp;

        e->slot &= WC_SLOT;
        slow_word(p, nb, colon, slot, &ctx[slot], &tmp);
        return nb;
    }
    slow_word(p, nb, colon, slot, &ctx[slot], &e->s);
    e->a = a;
    e->z = z;
    e->len = (uint8_t)nb;
    e->cls = (uint8_t)cls;
    e->slot = (uint8_t)slot;
    e->letters = (uint8_t)letters;
    memcpy(e->b, p, nb);
    return nb;
}

/* Length of the link, @handle, #hashtag (when not @p tags; *tag is then
 * 1) or machine token at @p p when p starts a token (the text or white
 * space before it), else 0; @p g is word_end()'s answer there. The one
 * test of fill_queue() and scan_text's step-by-step path, which must
 * agree. */
LID_INLINE size_t token_at(const vigil_langid_cache *wc, const char *text,
                           const unsigned char *p, const unsigned char *end,
                           size_t g, int tags, int *tag)
{
    unsigned t = wc->tok[*p];
    size_t nb;

    *tag = 0;
    if (!t || (p != (const unsigned char *)text && p[-1] > ' '))
        return 0;
    if ((t & TOK_LINK) && (nb = link_len(p, end)) != 0)
        return nb;
    if (*p == '#' && !tags && (nb = hashtag_len(p, end)) != 0) {
        *tag = 1;
        return nb;
    }
    /* code_len() wants 25 ASCII letters and digits from p: a shorter word
     * ended by anything else is none */
    if ((t & TOK_ALNUM) && !(g != 0 && g < 25 && (p + g == end || !is_alnum_ascii(p[g]))))
        return code_len(p, end);
    return 0;
}

#define LID_AHEAD 8         /* words queued, their memo entries loading */

/* Queue the plain words from @p r (a word start or separator) until
 * LID_AHEAD are queued: words the raw memo may hold (word_end()), not a
 * link, hashtag, markup or machine token. Their memo entries are looked
 * up now, so that the loads overlap and are done when each word is read.
 * Returns where to go on, or NULL at the first word that is not plain
 * (or the end): scan_text reads that one its own way. What is queued
 * depends only on the bytes, so a queued word is what the step-by-step
 * path would find at its position. */
static const unsigned char *fill_queue(word_key *ks, unsigned qh, unsigned *qt,
                                       vigil_langid_cache *wc, const char *text,
                                       const unsigned char *r,
                                       const unsigned char *end, int tags)
{
    while (*qt - qh < LID_AHEAD) {
        size_t g;
        int tag;

        while (r < end && wc->skip[*r])
            r++;
        if (r == end || (wc->tok[*r] & TOK_MARKUP) || (g = word_end(wc, r, end)) == 0 ||
            token_at(wc, text, r, end, g, tags, &tag) != 0)
            return NULL;
        key_word(&ks[(*qt)++ % LID_AHEAD], wc, r, g);
        r += g;
    }
    return r;
}

/*
 * One pass over the text: count letters per script into counts[] and feed
 * every Latin, Cyrillic or Arabic word to its model in ctx[0..2]. Links,
 * @handles and machine tokens (addresses, hashes) are skipped, and so are
 * #hashtags unless @p tags; returns the number of hashtags skipped.
 */
static unsigned scan_text(const char *text, size_t len, unsigned *counts,
                          nb_ctx *ctx, vigil_langid_cache *wc, int tags)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    const unsigned char *fr = NULL;     /* where fill_queue() goes on, if it may */
    word_key ks[LID_AHEAD];             /* queued words: [qh, qt) mod LID_AHEAD */
    unsigned skipped = 0, qh = 0, qt = 0;
    size_t nb;
    word_buf w;

    word_reset(&w);
    while (p < end) {
        unsigned long fold;
        unsigned c;
        long cp;
        int slot;
        const uint16_t *rest;
        int more;

        if (w.ncp == 0 && wc) {
            /* a word start, with the cache: separators skipped, then the
             * queued plain words (their memo entries' loads started by
             * fill_queue() some words ago) as long as they follow each
             * other, or the steps below */
            const word_key *k;

            while (wc->skip[*p])
                if (++p == end)
                    return skipped;     /* no word open: nothing to finish */
            while (qh != qt && ks[qh % LID_AHEAD].p < p)
                qh++;                   /* passed by the general path */
            for (k = NULL;;) {
                if (qh == qt)
                    fr = p;
                if (fr && qt - qh <= LID_AHEAD / 2)
                    fr = fill_queue(ks, qh, &qt, wc, text, fr, end, tags);
                if (qh == qt || ks[qh % LID_AHEAD].p != p)
                    break;
                k = &ks[qh++ % LID_AHEAD];
                if (!raw_hit(k, end, counts, ctx) &&
                    (nb = fast_word(p, end, counts, ctx, wc, k)) != k->nb)
                    break;
                p = k->p + k->nb;
                k = NULL;
                if (qh != qt) {
                    /* only separators fill_queue() skipped lie between
                     * a queued word and the next one */
                    p = ks[qh % LID_AHEAD].p;
                    continue;
                }
                while (p < end && wc->skip[*p])
                    p++;
                if (p == end)
                    return skipped;
            }
            if (k) {                    /* it ended elsewhere than guessed */
                if (nb != 0) {
                    p += nb;
                    continue;
                }                       /* else the general path reads it */
            } else {
                size_t g;
                int tag;

                if (wc->tok[*p] & TOK_MARKUP) {
                    nb = markup_len(p, end);
                    p += nb ? nb : 1;   /* else a separator */
                    continue;
                }
                g = word_end(wc, p, end);
                if ((nb = token_at(wc, text, p, end, g, tags, &tag)) != 0) {
                    p += nb;
                    skipped += (unsigned)tag;
                    continue;
                }
                if ((nb = fast_word(p, end, counts, ctx, wc, NULL)) != 0) {
                    p += nb;
                    continue;
                }
            }
        } else if (w.ncp == 0) {
            /* Between words a separator changes nothing (the word is
             * already reset); '@' and digits may start a link or a
             * machine token. */
            if (is_markup_start(*p)) {
                size_t skip = markup_len(p, end);

                p += skip ? skip : 1;   /* else a separator */
                continue;
            }
            if (*p == '#' && !tags &&
                (p == (const unsigned char *)text || p[-1] <= ' ')) {
                size_t skip = hashtag_len(p, end);

                if (skip) {
                    p += skip;
                    skipped++;
                    continue;
                }
            }
            if (*p < 0x80 && vigil__langid_low_class[*p] == VIGIL__LID_SEP &&
                *p != '@' && (*p < '0' || *p > '9')) {
                p++;
                continue;
            }
            if ((*p == '@' || *p == 'h' || *p == 'H' || *p == 'w' ||
                 *p == 'W' || *p == 't' || *p == 'T') &&
                (p == (const unsigned char *)text || p[-1] <= ' ')) {
                size_t skip = link_len(p, end);

                if (skip) {
                    p += skip;
                    continue;
                }
            }
            if (*p < 0x80 && is_alnum_ascii(*p) &&
                (p == (const unsigned char *)text || p[-1] <= ' ')) {
                size_t skip = code_len(p, end);

                if (skip) {
                    p += skip;
                    continue;
                }
            }
        }
        cp = utf8_next(&p, end);
        c = classify(cp, &fold);

        if (c == VIGIL__LID_SKIP)
            continue;
        if (c == VIGIL__LID_JOIN) {
            if (w.ncp > 0 && w.ncp < MAXWORD)
                word_add(&w, fold);
            continue;
        }
        if (c == VIGIL__LID_SEP) {
            w.colon = cp == ':';
            word_done(&w, ctx, wc);
            word_reset(&w);
            if (is_markup_start((unsigned)cp)) {    /* "word<b>", "word%S" */
                size_t skip = markup_len(p - 1, end);

                if (skip)
                    p += skip - 1;
            }
            continue;
        }
        rest = pres_rest(cp);
        for (more = 0;; more++) {
            counts[c]++;
            if (w.ncp < MAXWORD) {
                word_add(&w, fold);
                w.keep_ncp = w.ncp;
                w.letters++;
                if ((slot = model_slot(c)) >= 0)
                    w.in_model[slot]++;
            }
            /* a ligature's further letters: at most 3, zero-ended before */
            if (!rest || more == LID_PRES_MORE || rest[more] == 0)
                break;
            fold = rest[more];
        }
    }
    word_done(&w, ctx, wc);
    return skipped;
}

/* exp() for the small range softmax needs, without libm. */
static double exp_small(double x)
{
    double r = 1.0, term = 1.0;
    int i, halvings = 0;

    if (x < -60.0)
        return 0.0;
    while (x < -0.5) {
        x /= 2.0;
        halvings++;
    }
    for (i = 1; i < 12; i++) {
        term *= x / i;
        r += term;
    }
    while (halvings-- > 0)
        r *= r;
    return r;
}

typedef struct {
    const char *label;
    float score;
} cand;

/* Labels are a few bytes: copied in a loop here, once per text (strlen,
 * memchr and a second strlen cost more in calls than in work). */
static void set_guess(vigil_langid_guess *g, const char *label, float score)
{
    const char *dash = NULL, *script;
    size_t i;

    memset(g, 0, sizeof(*g));
    for (i = 0; label[i]; i++) {
        if (i < sizeof(g->label) - 1)
            g->label[i] = label[i];
        if (label[i] == '-' && !dash)
            dash = label + i;
    }
    script = dash ? dash + 1 : "Zyyy";
    for (i = 0; script[i] && i < sizeof(g->script) - 1; i++)
        g->script[i] = script[i];
    g->score = score;
}

static void set_und(vigil_langid_guess *g, const char *script)
{
    set_guess(g, "und", 0.0f);
    strncpy(g->script, script, sizeof(g->script) - 1);
}

/* The out-of-set classes start vigil__langid_other_prior quarter nats behind
 * (a prior: a text must show them clearly to come out und). */
static void other_prior(nb_ctx *c)
{
    int i;

    for (i = c->m->nin; i < c->m->nlabels; i++)
        c->score[i] -= vigil__langid_other_prior;
}

/* Azerbaijani without its letters. Azerbaijani writes ə, q and x where
 * Turkish writes e, k/ğ and h ("oxuduqdan" / "okuduktan"): 11.9% of the
 * letters of the Azerbaijani dev and authored texts are one of them,
 * 0.02% of the Turkish ones. The character n-grams count the letters a
 * text has, not the ones it lacks, so a short Turkish text of words both
 * languages share ("biliyorduk, bu o zaman mümkün") was called
 * Azerbaijani. A text whose bytes hold none of them takes log(1 - 0.119)
 * per Latin letter the model read (0.507 quarter nats) off the Azerbaijani
 * class, at most AZJ_ABSENT_CAP; the bytes are read only when the class is
 * close enough to the best for it to matter (an x in a placeholder turns
 * the rule off, as before it). docs/internals/langid.md, "Real prose". */
#define AZJ_ABSENT_MQN 507      /* thousandths of a quarter nat per letter */
#define AZJ_ABSENT_CAP 64       /* quarter nats: 128 letters */
#define LATN_AZJ 2              /* its place in LATIN_MODEL (build_model.py) */

static void azeri_absent(nb_ctx *c)
{
    const unsigned char *t = (const unsigned char *)c->text;
    const vigil__langid_model *m = c->m;
    int32_t best = c->score[0];
    uint32_t pen;
    int i;
    size_t j;

    if (m != &vigil__langid_latn || !t || m->nin <= LATN_AZJ ||
        memcmp(m->labels[LATN_AZJ], "azj-Latn", 9) != 0)
        return;
    for (i = 1; i < m->nlabels; i++)
        best = c->score[i] > best ? c->score[i] : best;
    if (best - c->score[LATN_AZJ] >= AZJ_ABSENT_CAP)
        return;                         /* cannot change the order */
    for (j = 0; j < c->len; j++) {
        unsigned b = t[j], l = b | 0x20u;

        if (l == 'q' || l == 'x' ||
            (j + 1 < c->len && ((b == 0xC9 && t[j + 1] == 0x99) ||
                                (b == 0xC6 && t[j + 1] == 0x8F))))
            return;                     /* q x ə Ə */
    }
    pen = (c->letters * AZJ_ABSENT_MQN + 500u) / 1000u;
    c->score[LATN_AZJ] -= (int32_t)(pen < AZJ_ABSENT_CAP ? pen : AZJ_ABSENT_CAP);
}

/* Split the Persian probability between pes and prs. Dari on lexicon
 * evidence (>= 2 points and above Iran's) or when the Dari-vs-Farsi log-odds
 * reach the generated threshold; otherwise Farsi, and with no evidence
 * either way a 0.6/0.4 split that --top shows. */
static size_t persian_split(cand *cs, size_t n, size_t at, const nb_ctx *c)
{
    float p = cs[at].score, prs;
    unsigned dari = c->dari;
    size_t i;
    int best = 1;

    /* the date rule reads the text again: only when Persian is the
     * model's first class (as build_model.py scores it) */
    for (i = 0; i < (size_t)c->m->nlabels; i++)   /* out-of-set classes too */
        best &= c->score[i] <= c->score[at];
    if (best)
        dari += vigil__langid_afghan_dates(c->text, c->len);

    if (dari >= 2 && dari > c->iran)
        prs = p * (dari - c->iran >= 4 ? 0.85f : 0.7f);
    else if (c->dscore >= vigil__langid_dari_threshold)
        prs = p * 0.7f;
    else if (c->iran > 0)
        prs = p * 0.1f;
    else
        prs = p * 0.4f;       /* no evidence: Farsi, low confidence */
    cs[at].score = p - prs;
    cs[n].label = "prs-Arab";
    cs[n].score = prs;
    return n + 1;
}

static size_t score_model(cand *cs, nb_ctx *ctx)
{
    nb_ctx c = *ctx;
    const vigil__langid_model *m = c.m;
    double mx, sum = 0.0, e[LANES], temp;
    size_t n = 0;
    int i;

    nb_flush(&c);
    other_prior(&c);
    azeri_absent(&c);
    /* quarter nats; naive Bayes is overconfident, so soften with length */
    temp = 4.0 * (1.0 + c.nfeat / 40.0);
    mx = c.score[0];
    for (i = 1; i < m->nlabels; i++)
        if (c.score[i] > mx)
            mx = c.score[i];
    for (i = 0; i < m->nlabels; i++) {
        e[i] = exp_small((c.score[i] - mx) / temp);
        sum += e[i];
    }
    for (i = 0; i < m->nin; i++) {
        cs[n].label = m->labels[i];
        cs[n].score = (float)(e[i] / sum);
        n++;
    }
    if (m->nin < m->nlabels) {
        /* the out-of-set classes: one und with the best one's score, so
         * that the first guess is the class with the highest sum, as in
         * top_label() (their total could beat a label none of them beats) */
        double o = 0.0;

        for (i = m->nin; i < m->nlabels; i++)
            o = e[i] > o ? e[i] : o;
        cs[n].label = "und";
        cs[n].score = (float)(o / sum);
        n++;
    }
    if (c.persian)
        for (i = 0; i < m->nin; i++)
            if (strcmp(m->labels[i], "pes-Arab") == 0) {
                n = persian_split(cs, n, (size_t)i, &c);
                break;
            }
    return n;
}

/* Long texts are read as a sample: LID_SAMPLE_PIECES windows of
 * LID_SAMPLE_PIECE bytes spread evenly from the start to the end, each cut
 * at white space. Texts up to LID_SAMPLE_MAX bytes (every 25-400 character
 * text of the dev set and of the acceptance buckets, in any script) are
 * read whole. A design decision for speed on long posts; measured on long
 * concatenations of dev snippets, docs/internals/langid.md. */
#define LID_SAMPLE_MAX 4096
#define LID_SAMPLE_PIECES 4
#define LID_SAMPLE_PIECE (LID_SAMPLE_MAX / LID_SAMPLE_PIECES)

/* First byte of a word at or after @p i (< lim): after the next white
 * space, else the next UTF-8 lead byte. */
static size_t align_start(const unsigned char *t, size_t i, size_t lim)
{
    size_t j = i;

    while (j < lim && t[j] > ' ')
        j++;
    if (j < lim)
        return j + 1;
    while (i < lim && (t[i] & 0xC0) == 0x80)
        i++;
    return i;
}

/* End of the last whole word before @p i (> low; i < text length): at
 * white space, else at a UTF-8 lead byte. */
static size_t align_end(const unsigned char *t, size_t i, size_t low)
{
    size_t j = i;

    while (j > low && t[j] > ' ')
        j--;
    if (j > low)
        return j;
    while (i > low && (t[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* The three models over one text (or its sample): letters per script into
 * counts[]; hashtags read as words only when @p tags. Returns the number of
 * hashtags skipped. */
static unsigned run_models(vigil_langid_cache *wc, const char *text,
                           size_t len, unsigned *counts, nb_ctx *ctx, int tags)
{
    const unsigned char *t = (const unsigned char *)text;
    unsigned skipped = 0;
    size_t i;

    nb_init(&ctx[0], &vigil__langid_latn);
    nb_init(&ctx[1], &vigil__langid_cyrl);
    nb_init(&ctx[2], &vigil__langid_arab);
    nb_init(&ctx[3], &vigil__langid_deva);
    nb_init(&ctx[4], &vigil__langid_beng);
    ctx[2].persian = 1;
    ctx[2].text = text;     /* dates: the first LID_SAMPLE_MAX bytes */
    ctx[2].len = len <= LID_SAMPLE_MAX ? len : LID_SAMPLE_MAX;
    ctx[0].text = text;     /* Azerbaijani letters: the same bytes */
    ctx[0].len = ctx[2].len;
    if (len <= LID_SAMPLE_MAX)
        return scan_text(text, len, counts, ctx, wc, tags);
    for (i = 0; i < LID_SAMPLE_PIECES; i++) {
        size_t from = (len - LID_SAMPLE_PIECE) / (LID_SAMPLE_PIECES - 1) * i;
        size_t to = i == LID_SAMPLE_PIECES - 1 ? len : from + LID_SAMPLE_PIECE;

        if (i > 0)
            from = align_start(t, from, to);
        if (to < len)
            to = align_end(t, to, from);
        if (from < to)
            skipped += scan_text(text + from, to - from, counts, ctx, wc, tags);
    }
    return skipped;
}

/* Whether byte @p c may end (@p before) or start a letter: an ASCII letter
 * or a byte of another code point. */
static int letterish(unsigned char c, int before)
{
    return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
           (before ? c >= 0x80 : c >= 0xC0);
}

/* Longest text drop_accels() rewrites (the callers' buffer). */
#define ACCEL_MAX 1024

/* Index of the first '&', '_' or '~' of @p t from @p i on, or @p n. */
static size_t next_mark(const unsigned char *t, size_t i, size_t n)
{
#if defined(__SSE2__)
    for (; i + 16 <= n; i += 16) {      /* most texts have no mark at all */
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('&')),
                         _mm_cmpeq_epi8(x, _mm_set1_epi8('_'))),
            _mm_cmpeq_epi8(x, _mm_set1_epi8('~')));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);

        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i < n && t[i] != '&' && t[i] != '_' && t[i] != '~')
        i++;
    return i;
}

/* Whether the '&' at @p t[i] starts an entity ("&lt;", "&#39;"). */
static int entity_at(const unsigned char *t, size_t i, size_t n)
{
    size_t k = i + 1;

    if (k < n && t[k] == '#')
        k++;
    while (k < n && k - i < 12 && is_alnum_ascii(t[k]))
        k++;
    return k < n && k > i + 1 && t[k] == ';';
}

/* Whether the word around @p t[i] (to the blanks) is a path, file name,
 * identifier, handle or link rather than a word of a UI string: a slash,
 * backslash or digit, a dot, colon, "=" or "?" inside it, a leading "@"
 * or "#" ("po/pt_BR.po", "sdl_mixer.pas", "utf_8", "@amaq_news", "a=1";
 * the handles and links are skipped by scan_text anyway). */
static int pathlike(const unsigned char *t, size_t i, size_t n)
{
    size_t a = i, b = i;

    while (a > 0 && t[a - 1] > ' ')
        a--;
    while (b < n && t[b] > ' ')
        b++;
    if (t[a] == '@' || t[a] == '#')
        return 1;
    for (; a < b; a++)
        if (t[a] == '/' || t[a] == '\\' || (t[a] >= '0' && t[a] <= '9') ||
            ((t[a] == '.' || t[a] == ':' || t[a] == '=' || t[a] == '?') &&
             a + 1 < b && (is_alnum_ascii(t[a + 1]) || t[a + 1] == '/')))
            return 1;
    return 0;
}

/* Whether @p c is an ASCII capital. */
static int ascii_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

/* UI strings mark the access key of a menu item inside a word: "Ouv&rir"
 * (KDE, Qt, Windows), "Sa_ve" (GTK), "Sa~ve" (LibreOffice). Read as
 * separators they would split the word in two. Texts of up to ACCEL_MAX
 * bytes with one such mark of a kind between two letters (not an entity,
 * "&lt;", not between capitals, "AT&T", "RTC_EPOCH", not in a path or
 * file name, "po/pt_BR.po") are read without it, from @p buf, and *@p len
 * set; the others as they are. */
static const char *drop_accels(const char *text, size_t *len, char *buf)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t i, at[3] = { 0, 0, 0 }, n = *len, o = 0, from = 0;
    unsigned count[3] = { 0, 0, 0 }, k;
    static const char kinds[] = "&_~";

    if (n < 3 || n > ACCEL_MAX)
        return text;
    for (i = next_mark(t, 0, n); i < n; i = next_mark(t, i + 1, n))
        if (i > 0 && i + 1 < n && letterish(t[i - 1], 1) &&
            letterish(t[i + 1], 0) && (t[i] != '&' || !entity_at(t, i, n)) &&
            !(ascii_upper(t[i - 1]) && ascii_upper(t[i + 1])) &&
            !pathlike(t, i, n)) {
            k = (unsigned)(strchr(kinds, t[i]) - kinds);
            at[k] = i;
            count[k]++;
        }
    /* one access key per string: several marks of a kind between letters
     * are identifiers or query strings (gtk_widget_show, a=1&b=2) */
    for (i = 0; i < n; i++) {           /* at[] in text order, one by one */
        size_t next = n;

        for (k = 0; k < 3; k++)
            if (count[k] == 1 && at[k] >= i && at[k] < next)
                next = at[k];
        if (next == n)
            break;
        memcpy(buf + o, t + from, next - from);
        o += next - from;
        from = next + 1;
        i = next;
    }
    if (from == 0)
        return text;                    /* no access key */
    memcpy(buf + o, t + from, n - from);
    *len = o + n - from;
    return buf;
}

/* counts[] = 0 in plain stores (a memset or "= { 0 }" of this size
 * compiles to `rep stos`, slow to start, and this runs once per text). */
static void zero_counts(unsigned counts[VIGIL__LID_NSCRIPTS])
{
    int i;

    for (i = 0; i < VIGIL__LID_NSCRIPTS; i += 4) {
        counts[i] = counts[i + 1] = 0;
        counts[i + 2] = counts[i + 3] = 0;
    }
}

_Static_assert(VIGIL__LID_NSCRIPTS <= 32 && VIGIL__LID_NSCRIPTS % 4 == 0,
               "scripts_seen: one bit per script, four counts per load");

/* Bit i set for each script i (>= VIGIL__LID_FIRST_SCRIPT) with letters;
 * their sum in *@p total. */
static uint32_t scripts_seen(const unsigned counts[VIGIL__LID_NSCRIPTS],
                             unsigned *total)
{
    uint32_t seen = 0;
    unsigned sum = 0;
    int i;

#if defined(__SSE2__)
    __m128i acc = _mm_setzero_si128(), z = acc;

    for (i = 0; i < VIGIL__LID_NSCRIPTS; i += 4) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(counts + i));

        acc = _mm_add_epi32(acc, v);
        seen |= (uint32_t)(~_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(v, z))) & 15)
                << i;
    }
    acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, _MM_SHUFFLE(1, 0, 3, 2)));
    acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, _MM_SHUFFLE(2, 3, 0, 1)));
    sum = (unsigned)_mm_cvtsi128_si32(acc);
    for (i = 0; i < VIGIL__LID_FIRST_SCRIPT; i++)   /* not scripts */
        sum -= counts[i];
    seen &= ~(((uint32_t)1 << VIGIL__LID_FIRST_SCRIPT) - 1u);
#else
    for (i = VIGIL__LID_FIRST_SCRIPT; i < VIGIL__LID_NSCRIPTS; i++) {
        sum += counts[i];
        if (counts[i])
            seen |= (uint32_t)1 << i;
    }
#endif
    *total = sum;
    return seen;
}

/* run_models() without hashtags, or with them when the rest of the text
 * has too few letters for a language ("#Kabul #news" alone); access keys
 * dropped first (drop_accels). */
static void run_models_tags(vigil_langid_cache *wc, const char *text,
                            size_t len, unsigned *counts, nb_ctx *ctx,
                            char *buf)
{
    unsigned i, letters = 0;

    /* the models keep pointers into the text: @p buf (ACCEL_MAX bytes)
     * is the caller's */
    text = drop_accels(text, &len, buf);

    if (run_models(wc, text, len, counts, ctx, 0) == 0)
        return;
    for (i = VIGIL__LID_FIRST_SCRIPT; i < VIGIL__LID_NSCRIPTS; i++)
        letters += counts[i];
    if (letters >= MIN_LETTERS)
        return;
    zero_counts(counts);
    run_models(wc, text, len, counts, ctx, 1);
}

int vigil__langid_trace(vigil__langid_state *st, vigil_langid_cache *wc,
                        const char *text, size_t len)
{
    unsigned counts[VIGIL__LID_NSCRIPTS] = { 0 };
    nb_ctx ctx[VIGIL__LID_NMODELS];
    char buf[ACCEL_MAX];
    int m, l;

    if (!st || (!text && len > 0))
        return vigil_error_set(VIGIL_EINVAL, "langid: bad arguments");
    memset(st, 0, sizeof(*st));
    run_models_tags(wc, text, len, counts, ctx, buf);
    for (l = 0; l < VIGIL__LID_NSCRIPTS; l++)
        st->counts[l] = counts[l];
    for (m = 0; m < VIGIL__LID_NMODELS; m++) {
        nb_flush(&ctx[m]);
        for (l = 0; l < 16; l++)
            st->score[m][l] = ctx[m].score[l];
        st->nfeat[m] = ctx[m].nfeat;
        st->dari[m] = ctx[m].dari;
        st->iran[m] = ctx[m].iran;
        st->dscore[m] = ctx[m].dscore;
    }
    return VIGIL_OK;
}

int vigil_langid_identify(vigil_langid_guess *out, size_t k, size_t *n_out,
                          const char *text, size_t len)
{
    return vigil_langid_identify_cached(NULL, out, k, n_out, text, len);
}

/* The best label of the model of @p ctx without the softmax (one
 * candidate, score 1), when that label is not Persian: the softmax keeps
 * the order of the sums and ties go to the first label either way. When
 * Persian is best, its Dari/Farsi split needs the probabilities: the full
 * score_model(). */
static size_t top_label(cand *cs, nb_ctx *ctx)
{
    nb_ctx c = *ctx;
    const vigil__langid_model *m = c.m;
    int i, b = 0;
    int32_t bv;

    nb_flush(&c);
    other_prior(&c);
    azeri_absent(&c);
    bv = c.score[0];
    for (i = 1; i < m->nlabels; i++)    /* the best in a register */
        if (c.score[i] > bv) {
            bv = c.score[i];
            b = i;
        }
    if (c.persian && strcmp(m->labels[b], "pes-Arab") == 0)
        return score_model(cs, ctx);
    cs[0].label = b < m->nin ? m->labels[b] : "und";
    cs[0].score = 1.0f;
    return 1;
}

static int identify(vigil_langid_cache *wc, vigil_langid_guess *out,
                    size_t k, size_t *n_out, const char *text, size_t len,
                    int label_only);

int vigil__langid_best(vigil_langid_cache *wc, vigil_langid_guess *out,
                       const char *text, size_t len)
{
    size_t n;

    return identify(wc, out, 1, &n, text, len, 1);
}

int vigil_langid_identify_cached(vigil_langid_cache *wc,
                                 vigil_langid_guess *out, size_t k,
                                 size_t *n_out, const char *text, size_t len)
{
    return identify(wc, out, k, n_out, text, len, 0);
}

static int identify_once(vigil_langid_cache *wc, vigil_langid_guess *out,
                         size_t k, size_t *n_out, const char *text, size_t len,
                         int label_only);

/* The rest of the text decides only with this probability or more. */
#define FORMULA_MIN_P 0.5f

/* Whether every byte blanked out of @p text into @p rest is ASCII: the
 * formulae found were all in Latin letters. */
static int latin_formulae(const char *text, const char *rest, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (rest[i] != text[i] && (unsigned char)text[i] >= 0x80)
            return 0;
    return 1;
}

/* Arabic religious formulae (langid_formulae.c) are quoted in Arabic
 * whatever the language of the post around them: a Pashto, Urdu or Tajik
 * post that opened with the basmala and the hamdala came out Arabic, and
 * their words nudged Uyghur towards Sorani or Farsi towards Dari. A text
 * that holds one is read without it first; that answer stands when the
 * rest names a language with probability >= FORMULA_MIN_P (Farsi and
 * Dari together), else the whole text is read (a formula alone, or with
 * a word or two: Arabic), unless the rest is `und` and the formulae were
 * in Latin letters. */
static int identify(vigil_langid_cache *wc, vigil_langid_guess *out,
                    size_t k, size_t *n_out, const char *text, size_t len,
                    int label_only)
{
    char rest[VIGIL__LID_FORMULA_MAX];
    vigil_langid_guess g[2];
    size_t n, j;
    float p;

    /* bad arguments: identify_once() says so */
    if (!out || !n_out || k == 0 || !text || len > VIGIL__LID_FORMULA_MAX ||
        !vigil__langid_has_formula_mark(text, len) ||
        vigil__langid_blank_formulae(rest, text, len) == 0 ||
        identify_once(wc, g, 2, &n, rest, len, 0) != VIGIL_OK)
        return identify_once(wc, out, k, n_out, text, len, label_only);
    if (memcmp(g[0].label, "und", 4) == 0)
        /* nothing else in the text: a formula in Arabic letters is
         * Arabic, one in Latin letters ("Allahu Akbar") no language */
        return identify_once(wc, out, k, n_out, latin_formulae(text, rest, len) ? rest : text,
                             len, label_only);
    p = g[0].score;
    if (n > 1 && ((memcmp(g[0].label, "pes-Arab", 9) == 0 &&
                   memcmp(g[1].label, "prs-Arab", 9) == 0) ||
                  (memcmp(g[0].label, "prs-Arab", 9) == 0 &&
                   memcmp(g[1].label, "pes-Arab", 9) == 0)))
        p += g[1].score;        /* the Persian split: both halves */
    if (p < FORMULA_MIN_P)
        return identify_once(wc, out, k, n_out, text, len, label_only);
    if (k > 2)
        return identify_once(wc, out, k, n_out, rest, len, label_only);
    for (j = 0; j < k && j < n; j++)   /* what identify_once(rest) gives */
        out[j] = g[j];
    *n_out = j;
    return VIGIL_OK;
}

static int identify_once(vigil_langid_cache *wc, vigil_langid_guess *out,
                         size_t k, size_t *n_out, const char *text, size_t len,
                         int label_only)
{
    size_t (*model)(cand *, nb_ctx *) = label_only ? top_label : score_model;
    unsigned counts[VIGIL__LID_NSCRIPTS];
    unsigned best = 0, total = 0, i;
    uint32_t seen;
    nb_ctx ctx[VIGIL__LID_NMODELS];
    cand cs[LANES + 2];         /* labels, und for the out-of-set ones, Dari */
    char buf[ACCEL_MAX];
    size_t n = 0, j;
    float frac;

    if (!out || !n_out || k == 0 || (!text && len > 0))
        return vigil_error_set(VIGIL_EINVAL, "langid: bad arguments");
    *n_out = 1;
    zero_counts(counts);
    run_models_tags(wc, text, len, counts, ctx, buf);
    ctx[0].letters = counts[VIGIL__LID_LATN];
    /* Latin letters count half against another script: names, brands and
     * acronyms in Latin letters fill posts in every script ("Python",
     * "GNOME", "PDF" in a Farsi or Russian line), the reverse is rare */
    seen = scripts_seen(counts, &total);
    if (counts[VIGIL__LID_LATN] > 0 &&
        total - counts[VIGIL__LID_LATN] >= MIN_LETTERS)
        counts[VIGIL__LID_LATN] = counts[VIGIL__LID_LATN] / 2;
    total = 0;
    for (; seen; seen &= seen - 1) {    /* most scripts: never the best */
        i = (unsigned)__builtin_ctz(seen);
        total += counts[i];
        if (counts[i] > counts[best] ||
            (counts[i] == counts[best] && best == VIGIL__LID_LATN))
            best = i;
    }
    if (best == 0 || counts[best] < MIN_LETTERS) {
        set_und(out, best ? vigil__langid_scripts[best] : "Zyyy");
        return VIGIL_OK;
    }
    frac = (float)counts[best] / (float)total;
    if (frac < 0.4f) {
        set_und(out, "Zyyy");   /* mixed, no dominant script */
        return VIGIL_OK;
    }
    switch (best) {
    case VIGIL__LID_LATN:
        n = model(cs, &ctx[0]);
        break;
    case VIGIL__LID_CYRL:
        n = model(cs, &ctx[1]);
        break;
    case VIGIL__LID_ARAB:
        n = model(cs, &ctx[2]);
        break;
    case VIGIL__LID_DEVA:
        n = model(cs, &ctx[3]);
        break;
    case VIGIL__LID_BENG:
        n = model(cs, &ctx[4]);
        break;
    case VIGIL__LID_MLYM:
        cs[n].label = "mal-Mlym", cs[n++].score = 1.0f;
        break;
    case VIGIL__LID_THAA:
        cs[n].label = "div-Thaa", cs[n++].score = 1.0f;
        break;
    default:
        set_und(out, vigil__langid_scripts[best]);
        return VIGIL_OK;
    }
    /* selection sort of the few candidates, best first, ties by order */
    for (j = 0; j < n && j < k; j++) {
        size_t b = j, m;

        for (m = j + 1; m < n; m++)
            if (cs[m].score > cs[b].score)
                b = m;
        if (b != j) {
            cand t = cs[j];

            cs[j] = cs[b];
            cs[b] = t;
        }
        set_guess(&out[j], cs[j].label, cs[j].score * frac);
        if (memcmp(cs[j].label, "und", 4) == 0)   /* out of set: the text's script */
            strncpy(out[j].script, vigil__langid_scripts[best], sizeof(out[j].script) - 1);
    }
    *n_out = j;
    return VIGIL_OK;
}

/* ------------------------------------------------------------ spans */

int vigil_langid_spans(vigil_langid_span *out, size_t cap, size_t *n_out,
                       const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text, *end;
    size_t n = 0, start = 0;
    unsigned cur = 0;
    size_t one;

    if (!out || !n_out || cap == 0 || (!text && len > 0))
        return vigil_error_set(VIGIL_EINVAL, "langid: bad arguments");
    end = p + len;
    while (p < end) {
        const unsigned char *at = p;
        unsigned long fold;
        unsigned c = classify(utf8_next(&p, end), &fold);

        if (c < VIGIL__LID_FIRST_SCRIPT || c == cur)
            continue;
        if (cur != 0 && n + 1 < cap) {
            size_t stop = (size_t)(at - (const unsigned char *)text);

            out[n].start = start;
            out[n].end = stop;
            vigil_langid_identify(&out[n].best, 1, &one, text + start, stop - start);
            n++;
            start = stop;
        }
        cur = c;
    }
    out[n].start = start;
    out[n].end = len;
    vigil_langid_identify(&out[n].best, 1, &one, text ? text + start : "", len - start);
    *n_out = n + 1;
    return VIGIL_OK;
}
