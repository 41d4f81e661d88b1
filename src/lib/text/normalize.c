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
#include "text/text_internal.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>

#include "common/alloc.h"
#include "common/error.h"

enum { C_LETTER = 0, C_DROP = 1, C_HARD = 2, C_SOFT = 3 };
/* A separator run holding punctuation, not only white space: spelled-out
 * runs are never joined across it ("al-N a b a: hr", "T r a n → 1"). */
#define C_PUNCT 4

#define ENTRY_MAX 63            /* bytes of one cached mapping */

/* The word being written and the run of spelled-out words before it. */
struct wstate {
    size_t start;               /* output offset of the current word */
    size_t pieces;              /* pieces split by soft separators, >= 1 */
    size_t piece_start;         /* output offset of the current piece */
    int prev_tail1;             /* the word before ended in a 1-letter
                                   piece ("al-N" before "a b a") */
    int gap_punct;              /* punctuation before the current word */
    size_t run;                 /* spelled words just before this one */
    size_t run_from;            /* output offset where joining starts */
    size_t prev_start, prev_cps; /* the word before the run's first */
    int pending;                /* separator seen since the last letter */
    int term;                   /* VIGIL_NORM_TERM: no joins */
    int ref;                    /* reference pass: count code points by
                                   scanning the map, never word_cps3 */
    int override;               /* saw U+202D or U+202E (one_cp) */
};

/* Two- and three-byte UTF-8 sequences the letter loop handles inline.
 * tab2 is indexed by the two bytes read as one native 16-bit word, tab3 by
 * the code point of a three-byte sequence; 0 = not (yet) known. Bits 0-31
 * hold the output bytes as they lie in memory, 32-34 their count (<= 4),
 * 62-63 the script bucket; T2_LETTER or T2_DROP says which. Entries are
 * only filled from a validly decoded code point of that length, so a bad
 * sequence (an ASCII or continuation lead, an overlong form, a surrogate)
 * always reads 0. */
#define T2_SIZE 65536u
#define T2_LETTER (1ull << 37)
#define T2_DROP (1ull << 38)
#define T2_INDEX(p) t2_index(p)

static inline unsigned t2_index(const unsigned char *p)
{
    uint16_t v;

    memcpy(&v, p, 2);                   /* one load; any byte order works */
    return v;
}

/* Byte kinds for the letter loop: an ASCII letter (counted as Latin), a
 * digit (leetspeak letter, not counted), a dropped apostrophe, anything
 * else (every byte >= 0x80 included). */
enum { K_ALPHA = 0, K_DIGIT = 1, K_DROP = 2, K_OTHER = 3 };

struct vigil_normalizer {
    const UNormalizer2 *nfkc_cf;
    const UNormalizer2 *nfkc;
    const UNormalizer2 *nfd;
    USpoofChecker *spoof;
    uint32_t *cache;            /* 65536 BMP entries, 0 = not computed */
    char *pool;                 /* cached UTF-8 mappings */
    size_t pool_len, pool_cap;
    uint64_t *tab2;             /* T2_SIZE entries, see above */
    uint64_t *tab3;             /* 65536 entries, by BMP code point */
    unsigned char ascii_cls[128];
    unsigned char kind[256];
    char ascii_out[128];
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
        } else if (c && strchr(".-_*/\\|+~=^", c)) {
            nz->ascii_cls[c] = C_SOFT;
        }
        nz->kind[c] = nz->ascii_cls[c] == C_DROP ? K_DROP
                            : nz->ascii_cls[c] != C_LETTER ? K_OTHER
                            : c >= '0' && c <= '9' ? K_DIGIT : K_ALPHA;
    }
    memset(nz->kind + 128, K_OTHER, 128);
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
        nz->nfkc = unorm2_getNFKCInstance(&e);
    if (U_SUCCESS(e))
        nz->nfd = unorm2_getNFDInstance(&e);
    if (U_SUCCESS(e))
        nz->spoof = uspoof_open(&e);
    if (U_FAILURE(e)) {
        vigil_normalizer_free(nz);
        return vigil_error_set(VIGIL_ERROR, "ICU normaliser setup: %s",
                               u_errorName(e));
    }
    /* The pool exists from the start: entries of length 0 point into it. */
    nz->pool_cap = 4096;
    if ((nz->cache = vigil__calloc(65536, sizeof(uint32_t))) == NULL ||
        (nz->tab2 = vigil__calloc(T2_SIZE, sizeof(uint64_t))) == NULL ||
        (nz->tab3 = vigil__calloc(65536, sizeof(uint64_t))) == NULL ||
        (nz->pool = vigil__malloc(nz->pool_cap)) == NULL) {
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
    vigil__free(nz->tab2);
    vigil__free(nz->tab3);
    vigil__free(nz->pool);
    vigil__free(nz);
}

void vigil_norm_text_dispose(vigil_norm_text *t)
{
    if (!t)
        return;
    vigil__free(t->text);
    vigil__free(t->map);
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

static int ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int letter_at(const unsigned char *s, size_t k, size_t n, size_t *len);
static int comb_at(const unsigned char *s, size_t k, size_t n, size_t *len);
static UChar32 utf8_next(const unsigned char *s, size_t n, size_t *adv);

static int is_leet(unsigned char c)
{
    return c == '@' || c == '$' || c == '!';
}

#define LEET_RUN 3                  /* signs in a row read as letters */

/* Whether the word that ends right before s[i] has an '@' read as a
 * letter (a letter before it): "N@b" of "N@b@". */
static int at_in_word(const unsigned char *s, size_t i)
{
    size_t k = i, lim = i > 64 ? i - 64 : 0;

    while (k > lim && (s[k - 1] >= 0x80 || ascii_alnum(s[k - 1]) || is_leet(s[k - 1]))) {
        k--;
        if (s[k] == '@' && k > 0 && (s[k - 1] >= 0x80 || ascii_alnum(s[k - 1])))
            return 1;
    }
    return 0;
}

/* A sign inside a word read as the letter it stands for: @ a, $ s and
 * ! i ("Az@im", "Khora$an", "Nash!r", "Aj@n$ı"), when a letter (or
 * leetspeak digit) comes before it (@p in_word) and a letter after it or
 * after a run of up to LEET_RUN signs ("Khur@$@n", "Az@!m"); for !, only
 * a lower-case letter, so "Breaking!Amaq" stays two words. An '@' ending
 * a word with an '@' in it is a letter too ("N@b@"). Between two single
 * letters a sign separates instead ("A!m!a!q": leet_chain()). */
static int leet_sign(unsigned char c, int in_word, const unsigned char *s,
                     size_t i, size_t n, const unsigned char *cls)
{
    size_t j = i + 1, l, k, signs;

    if (!in_word || !is_leet(c))
        return 0;
    /* the run of signs, and format characters the normaliser drops
     * between them and after them ("m\u200b@\u200bq") */
    for (signs = 1;;) {
        for (k = 0; k < 4 && j < n && s[j] >= 0x80 && comb_at(s, j, n, &l); k++)
            j += l;
        if (j >= n || signs >= LEET_RUN || !is_leet(s[j]))
            break;
        j++;
        signs++;
    }
    if (j < n && s[j] < 0x80 && cls[s[j]] == C_LETTER)
        return c != '!' || (s[j] >= 'a' && s[j] <= 'z');
    if (j < n && s[j] >= 0x80 && letter_at(s, j, n, &l))
        return c != '!' || u_islower(utf8_next(s + j, n - j, &l));
    return c == '@' && j == i + 1 && (j == n || !is_leet(s[j])) && at_in_word(s, i);
}

static char leet_letter(unsigned char c)
{
    return c == '@' ? 'a' : c == '$' ? 's' : 'i';
}

/* Whether the bracket at s[i] encloses one ASCII letter or digit, "(A)",
 * "[m]", "{a}": a letter of a name spelled out in brackets
 * ("[A][m][a][q]", as NFKC reads the parenthesised ⒜), so the bracket
 * separates softly instead of as punctuation. */
static int enclosing_bracket(const unsigned char *s, size_t i, size_t n)
{
    unsigned char pair;

    switch (s[i]) {     /* a switch, not memchr: every ASCII punctuation mark comes here */
    case '(': pair = ')'; break;
    case '[': pair = ']'; break;
    case '{': pair = '}'; break;
    case ')': pair = '('; break;
    case ']': pair = '['; break;
    case '}': pair = '{'; break;
    default: return 0;
    }
    if (s[i] == '(' || s[i] == '[' || s[i] == '{')
        return i + 2 < n && s[i + 2] == pair && ascii_alnum(s[i + 1]);
    return i >= 2 && s[i - 2] == pair && ascii_alnum(s[i - 1]);
}

static int is_apostrophe(UChar32 c)
{
    return c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x02BB ||
           c == 0x02BF || c == 0x02BE || c == 0x00B4 || c == 0x2032 ||
           c == 0x055A || c == 0xFF07;
}

/* Blanks posted as "invisible" spaces: the Braille blank and the Hangul
 * fillers render as a space, but are no white space to Unicode (the
 * fillers are even letters that NFKC drops). */
static int blank_filler(UChar32 c)
{
    return c == 0x2800 || c == 0x3164 || c == 0xFFA0 || c == 0x115F ||
           c == 0x1160;
}

/* White space or a blank filler: between words a space, not punctuation,
 * which would end a spelled-out run ("A\u2800m\u2800a\u2800q" is
 * letter-spaced like "A m a q"). */
static int space_like(UChar32 c)
{
    return blank_filler(c) || u_isUWhiteSpace(c);
}

static int is_soft_sep(UChar32 c)
{
    return c == 0x00B7 || (c >= 0x2010 && c <= 0x2015) || c == 0x2022 ||
           c == 0x2027 || c == 0x2043 || c == 0x2219 || c == 0x22C5 ||
           c == 0x30FB || c == 0xFF65 || c == 0x2E31 ||
           vigil_text__pictograph(c);
}

/* Emoji and other pictographs (Extended_Pictographic: 🔥 ❤ ★ ✈ ©) and the
 * emoji skin-tone modifiers: between letters they separate like a dot
 * ("A🔥m🔥a🔥q" is a name spelled out), and the watchlist reads them as a
 * word boundary ("news🔥Amaq"). Shared with watchlist.c. */
int vigil_text__pictograph(long c)
{
    return c >= 0xA9 && ((c >= 0x1F3FB && c <= 0x1F3FF) ||
                         u_hasBinaryProperty((UChar32)c,
                                             UCHAR_EXTENDED_PICTOGRAPHIC));
}

static int skeleton_script(UChar32 c)
{
    UErrorCode e = U_ZERO_ERROR;
    UScriptCode s = uscript_getScript(c, &e);

    if (U_FAILURE(e))
        return 0;
    switch (s) {
    case USCRIPT_LATIN: case USCRIPT_CYRILLIC: case USCRIPT_GREEK:
    case USCRIPT_ARMENIAN: case USCRIPT_CHEROKEE: case USCRIPT_COPTIC:
    /* scripts whose letters are posted only as look-alikes of Latin ones
     * ("fancy text": Lisu ꓮꓟꓮ, Canadian syllabics ᗅᗰ, Tifinagh ⵔ, Carian,
     * Lycian, Old Italic, Runic, Deseret, Osage, Elbasan, Warang Citi,
     * Miao); no text of theirs is ever a term */
    case USCRIPT_LISU: case USCRIPT_CANADIAN_ABORIGINAL:
    case USCRIPT_TIFINAGH: case USCRIPT_CARIAN: case USCRIPT_LYCIAN:
    case USCRIPT_OLD_ITALIC: case USCRIPT_RUNIC: case USCRIPT_DESERET:
    case USCRIPT_OSAGE: case USCRIPT_ELBASAN: case USCRIPT_WARANG_CITI:
    case USCRIPT_MIAO:
        return 1;
    default:
        return 0;
    }
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

/* Whether a[0..n) is ASCII; with @p marks_ok, but for combining marks
 * (which the caller drops). */
static int all_ascii(const UChar *a, int32_t n, int marks_ok)
{
    int32_t i;

    for (i = 0; i < n; i++)
        if (a[i] >= 0x80 &&
            !(marks_ok && u_charType(a[i]) == U_NON_SPACING_MARK))
            return 0;
    return 1;
}

/* UTS #39 skeleton of the case-folded code point in a[0..n), case-folded
 * again. Both cases of a letter give the same result; when the lower-case
 * skeleton is not ASCII but the upper-case one is (Cyrillic к -> ĸ, К -> K),
 * the upper-case one is used, since capitals are the usual look-alikes; so
 * it is when both carry an accent but only the upper-case base is ASCII
 * (ќ -> ĸ + U+0301, Ќ -> K + U+0301).
 * Greek letters take the skeleton of their own case instead: their two
 * cases look like different Latin letters (capital Ν is N, small ν is v;
 * Η is H, η is n), and Greek words are never terms, only look-alikes in
 * Latin ones ("ΝEWS", "Khurasaη").
 * Returns the new length (a[] is rewritten; it holds 64 units). */
static int32_t skeleton_folded(vigil_normalizer *nz, UChar *a, int32_t n)
{
    UChar f[64], low[64], up[64];
    UErrorCode e = U_ZERO_ERROR;
    int32_t nf, nl, nu, i = 0;
    UChar32 c;
    int greek;

    U16_GET(a, 0, 0, n, c);
    greek = uscript_getScript(c, &e) == USCRIPT_GREEK && U_SUCCESS(e);
    e = U_ZERO_ERROR;
    if (greek && n < 64) {
        memcpy(f, a, (size_t)n * sizeof(UChar));
        nf = n;
    } else {
        nf = unorm2_normalize(nz->nfkc_cf, a, n, f, 64, &e);
    }
    if (U_FAILURE(e) || nf <= 0)
        return n;
    nl = uspoof_getSkeleton(nz->spoof, 0, f, nf, low, 64, &e);
    if (U_FAILURE(e) || nl <= 0 || nl >= 64)
        return n;
    if (!all_ascii(low, nl, greek)) {
        U16_NEXT(f, i, nf, c);
        if (i == nf) {                  /* one code point: try its capital */
            int32_t k = 0;
            UChar cap[4];
            U16_APPEND_UNSAFE(cap, k, u_toupper(c));
            nu = uspoof_getSkeleton(nz->spoof, 0, cap, k, up, 64, &e);
            /* ASCII, or else ASCII with an accent when the lower case is
             * not that either (the capital of ќ is K + U+0301) */
            if (U_SUCCESS(e) && nu > 0 && nu < 64 &&
                (all_ascii(up, nu, 0) ||
                 (all_ascii(up, nu, 1) && !all_ascii(low, nl, 1)))) {
                memcpy(low, up, (size_t)nu * sizeof(UChar));
                nl = nu;
            }
            e = U_ZERO_ERROR;
        }
    }
    memcpy(a, low, (size_t)nl * sizeof(UChar));
    return nl;
}

/* Whether the code point in a[0..n) is ASCII letters once case-folded,
 * NFKC-normalised and stripped of its marks (ḿ, ｍ, ᵐ -> m). Such a letter
 * keeps that reading: the UTS #39 skeleton is for look-alikes of other
 * scripts, and it spells m as "rn", which the ASCII m never becomes. */
static int plain_ascii(vigil_normalizer *nz, const UChar *a, int32_t n)
{
    UChar b[64], c[64];
    UErrorCode e = U_ZERO_ERROR;
    int32_t nb, nc, i, letters = 0;

    nb = unorm2_normalize(nz->nfkc_cf, a, n, b, 64, &e);
    nc = U_SUCCESS(e) ? unorm2_normalize(nz->nfd, b, nb, c, 64, &e) : 0;
    if (U_FAILURE(e))
        return 0;
    for (i = 0; i < nc; i++) {
        if (u_charType(c[i]) == U_NON_SPACING_MARK)
            continue;
        if (c[i] < 'a' || c[i] > 'z')
            return 0;
        letters++;
    }
    return letters > 0;
}

/* The ASCII letter a styled letter of text generators stands for, else 0:
 * small capitals (U+1D00 block and the IPA ones: ᴀᴍᴀǫ, with ǫ for q as the
 * generators write it), negative circled and negative squared capitals
 * (🅐, 🅰). NFKC leaves them alone (the squared and circled ones it maps).
 * Shared with langid (text_internal.h). */
char vigil_text__styled_letter(long cp)
{
    static const char caps1d[0x23] = {
        [0x00] = 'a', [0x04] = 'c', [0x05] = 'd', [0x07] = 'e', [0x0A] = 'j',
        [0x0B] = 'k', [0x0D] = 'm', [0x0F] = 'o', [0x18] = 'p', [0x1B] = 't',
        [0x1C] = 'u', [0x20] = 'v', [0x21] = 'w', [0x22] = 'z',
    };
    static const struct { uint16_t cp; char c; } ipa[] = {
        { 0x01EB, 'q' }, { 0x0262, 'g' }, { 0x026A, 'i' }, { 0x0274, 'n' },
        { 0x0280, 'r' }, { 0x028F, 'y' }, { 0x0299, 'b' }, { 0x029C, 'h' },
        { 0x029F, 'l' },
    };
    size_t i;

    if (cp >= 0x1D00 && cp <= 0x1D22)
        return caps1d[cp - 0x1D00];
    if (cp >= 0x1F150 && cp <= 0x1F169)
        return (char)('a' + (cp - 0x1F150));
    if (cp >= 0x1F170 && cp <= 0x1F189)
        return (char)('a' + (cp - 0x1F170));
    if (cp == 0xA730 || cp == 0xA731)
        return cp == 0xA730 ? 'f' : 's';
    if (cp >= 0x01EB && cp <= 0x029F)
        for (i = 0; i < sizeof(ipa) / sizeof(ipa[0]); i++)
            if (ipa[i].cp == cp)
                return ipa[i].c;
    return 0;
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
        type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK ||
        type == U_FORMAT_CHAR || cp == 0x0640)
        return C_DROP;      /* marks (Indic vowel signs too), ZWNJ/ZWJ, tatweel */
    if (blank_filler(cp))
        return C_HARD;
    if (cp >= 0x1F1E6 && cp <= 0x1F1FF) {
        /* regional indicator letters, spelled out to dodge filters
         * ("🇦 🇲 🇦 🇶"); two in a row show as a flag and are not read
         * (flag_half), and language ID does not read them */
        out[0] = (char)('a' + (cp - 0x1F1E6));
        *len = 1;
        return C_LETTER;
    }
    if ((out[0] = vigil_text__styled_letter(cp)) != 0) {
        *len = 1;
        return C_LETTER;
    }
    U16_APPEND_UNSAFE(a, n, cp);
    if (!skeleton_script(cp)) {
        /* a compatibility form of a Greek or Cyrillic letter (the math
         * letters 𝚨 𝚳 𝛈, ℽ): read as that letter, in its own case */
        UChar32 c2 = -1;
        int32_t nk, j = 0;

        nk = unorm2_normalize(nz->nfkc, a, n, b, 64, &e);
        if (U_SUCCESS(e) && nk > 0)
            U16_NEXT(b, j, nk, c2);
        if (U_SUCCESS(e) && j == nk && c2 >= 0x80 && c2 != cp &&
            skeleton_script(c2)) {
            n = 0;
            U16_APPEND_UNSAFE(a, n, c2);
            cp = c2;
        }
        e = U_ZERO_ERROR;
    }
    if (skeleton_script(cp) && !plain_ascii(nz, a, n))
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
            t == U_COMBINING_SPACING_MARK || t == U_FORMAT_CHAR ||
            is_apostrophe(c))
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
    return (is_soft_sep(cp) || ascii_soft) && !space_like(cp) ? C_SOFT
                                                                   : C_HARD;
}

/* Script bucket of a letter: VIGIL_NORM_LATN/ARAB/CYRL or _OTHER. */
static int script_bucket(UChar32 c)
{
    UErrorCode e = U_ZERO_ERROR;
    UScriptCode sc;

    if (c >= 0x0600 && c <= 0x06FF)
        return VIGIL_NORM_ARAB;
    if (c >= 0x0400 && c <= 0x04FF)
        return VIGIL_NORM_CYRL;
    if (c >= 0x00C0 && c <= 0x024F)
        return VIGIL_NORM_LATN;
    sc = uscript_getScript(c, &e);
    return U_FAILURE(e) ? VIGIL_NORM_OTHER
           : sc == USCRIPT_LATIN ? VIGIL_NORM_LATN
           : sc == USCRIPT_ARABIC ? VIGIL_NORM_ARAB
           : sc == USCRIPT_CYRILLIC ? VIGIL_NORM_CYRL : VIGIL_NORM_OTHER;
}

/* Cached lookup for BMP code points. A cache entry packs: bit 0 known,
 * bits 1-2 class, 3-8 length, 9-10 script bucket, 11-31 pool offset. */
static int lookup(vigil_normalizer *nz, UChar32 cp, const char **out, int *len,
                  int *script, char *tmp)
{
    uint32_t ent;
    int cls;

    if (cp <= 0xFFFF && (ent = nz->cache[cp]) != 0) {
        *len = (int)((ent >> 3) & 63);
        *script = (int)((ent >> 9) & 3);
        *out = nz->pool + (ent >> 11);
        return (int)((ent >> 1) & 3);
    }
    cls = map_cp(nz, cp, tmp, len);
    *out = tmp;
    *script = cls == C_LETTER ? script_bucket(cp) : VIGIL_NORM_OTHER;
    if (cp > 0xFFFF)
        return cls;
    if (nz->pool_len + (size_t)*len <= (1u << 21)) {
        /* 8 bytes of slack: run_pass copies short entries 4 at a time */
        if (nz->pool_len + (size_t)*len + 8 > nz->pool_cap) {
            size_t nc = nz->pool_cap ? nz->pool_cap * 2 : 4096;
            char *np = vigil__realloc(nz->pool, nc);
            if (!np)
                return cls;             /* uncached but correct */
            nz->pool = np;
            nz->pool_cap = nc;
        }
        if (*len > 0)
            memcpy(nz->pool + nz->pool_len, tmp, (size_t)*len);
        nz->cache[cp] = ((uint32_t)nz->pool_len << 11) |
                        ((uint32_t)*script << 9) | ((uint32_t)*len << 3) |
                        ((uint32_t)cls << 1) | 1u;
        nz->pool_len += (size_t)*len;
    }
    return cls;
}

/* ---- one pass: code points -> words, separators, joins ----------------- */

static int nt_reserve(vigil_norm_text *t, size_t need)
{
    size_t nc;
    char *nt;
    uint32_t *nm;

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

/* ---- names spelled out with punctuation ---------------------------------
 *
 * A punctuation mark alone (or in a run of up to three) between two single
 * letters joins them like a dot ("K,h,o,r,a,s,a,n", "A;m;a;q", "A::m",
 * "С,а,д,о,и", "أ،ع،م،ا،ق"); with one
 * space after it, in a list of at least three single letters ("K, h, o,
 * r"), it reads as white space, so the letters form a spelled-out run. A
 * letter is an ASCII letter or digit (leetspeak) or an alphabetic code
 * point; single means no letter right before or after it. */

/* Whether the code point at s[k] is a letter; its length in *len. */
static int letter_at(const unsigned char *s, size_t k, size_t n, size_t *len)
{
    size_t adv = 1;
    UChar32 cp;

    *len = 1;
    if (s[k] < 0x80)
        return ascii_alnum(s[k]);
    if ((cp = utf8_next(s + k, n - k, &adv)) < 0)
        return 0;
    *len = adv;
    return u_isalpha(cp);
}

/* Start of the code point that ends right before s[e] (e > 0). */
static size_t cp_before(const unsigned char *s, size_t e)
{
    size_t k = e - 1;

    while (k > 0 && e - k < 4 && (s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

static int dropped_type(int t)
{
    return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK ||
           t == U_COMBINING_SPACING_MARK || t == U_FORMAT_CHAR;
}

/* Whether the code point at s[k] is a combining mark or a format
 * character (a vowel sign, harakat, ZWJ); its length in *len. */
static int comb_at(const unsigned char *s, size_t k, size_t n, size_t *len)
{
    size_t adv = 1;
    UChar32 cp;

    *len = 1;
    if (s[k] < 0x80 || (cp = utf8_next(s + k, n - k, &adv)) < 0)
        return 0;
    *len = adv;
    return dropped_type(u_charType(cp));
}

#define CLUSTER_MARKS 4             /* marks kept with one letter */

/* Whether a single letter, with the marks after it (Devanagari "मा",
 * Arabic "أَ"), ends right before s[e]; its start in *at. */
static int single_before(const unsigned char *s, size_t e, size_t n, size_t *at)
{
    size_t k, q, l, m = 0;

    if (e == 0)
        return 0;
    k = cp_before(s, e);
    while (m < CLUSTER_MARKS && k > 0 && comb_at(s, k, n, &l) && k + l == e) {
        e = k;
        k = cp_before(s, e);
        m++;
    }
    if (!letter_at(s, k, n, &l) || k + l != e)
        return 0;
    if (k > 0 && ((letter_at(s, q = cp_before(s, k), n, &l) && q + l == k) ||
                  (comb_at(s, q, n, &l) && q + l == k)))
        return 0;
    *at = k;
    return 1;
}

/* Whether a single letter, with the marks after it, starts at s[b]; its
 * end in *end. */
static int single_after(const unsigned char *s, size_t b, size_t n, size_t *end)
{
    size_t l, l2, m = 0;

    if (b >= n || !letter_at(s, b, n, &l))
        return 0;
    b += l;
    while (m < CLUSTER_MARKS && b < n && comb_at(s, b, n, &l2)) {
        b += l2;
        m++;
    }
    if (b < n && letter_at(s, b, n, &l2))
        return 0;
    *end = b;
    return 1;
}

/* Whether the code point at s[k] is a punctuation mark (ASCII or not);
 * its length in *len. */
static int mark_at(const unsigned char *s, size_t k, size_t n, size_t *len)
{
    size_t adv = 1;
    UChar32 cp;

    *len = 1;
    if (s[k] < 0x80)
        return s[k] > ' ' && s[k] < 0x7F && !ascii_alnum(s[k]);
    if ((cp = utf8_next(s + k, n - k, &adv)) < 0)
        return 0;
    *len = adv;
    return u_ispunct(cp);
}

#define CHAIN_MARKS 3               /* "A::m", "A].[m": marks in one link */

/* Whether the mark s[i, i + ml), alone or in a run of up to CHAIN_MARKS
 * marks, stands between two single letters. */
static int letter_chain_mark(const unsigned char *s, size_t i, size_t ml, size_t n)
{
    size_t a, z, b = i, e = i + ml, k, l, marks = 1;

    while (b > 0 && marks < CHAIN_MARKS && mark_at(s, k = cp_before(s, b), n, &l) &&
           k + l == b) {
        b = k;
        marks++;
    }
    while (e < n && marks < CHAIN_MARKS && mark_at(s, e, n, &l)) {
        e += l;
        marks++;
    }
    return single_before(s, b, n, &a) && single_after(s, e, n, &z);
}

/* Whether the mark s[i, i + ml) and the space after it link a list of at
 * least three single letters: a single letter before it and after the
 * space, and the same mark after that letter or before the one before it
 * (so "plan B, A m a q" keeps its comma). */
static int list_chain_mark(const unsigned char *s, size_t i, size_t ml, size_t n)
{
    size_t a, z;

    if (i + ml >= n || s[i + ml] != ' ' || !single_before(s, i, n, &a) ||
        !single_after(s, i + ml + 1, n, &z))
        return 0;
    return (z + ml <= n && memcmp(s + z, s + i, ml) == 0) ||
           (a > ml && s[a - 1] == ' ' && memcmp(s + a - 1 - ml, s + i, ml) == 0);
}

#define LEET_CHAIN_MAX 8            /* signs looked back at: a longer chain
                                     * is taken as one (linear time) */

/* Whether the leet sign s[i] ('@', '$', '!') separates the letters of a
 * chain ("A!m!a!q") rather than standing for a letter ("Khur@s@n",
 * "N@b@"): signs of its kind link at least three single letters, and the
 * first of them has a single letter before it; a sign in a run of marks
 * between single letters separates, as any mark there does. The "s" of
 * "Khur@s@n" is single only because the first '@' is read as a letter. */
static int leet_chain(const unsigned char *s, size_t i, size_t n)
{
    size_t a, z, k = i, signs = 1, l;

    if (!letter_chain_mark(s, i, 1, n))
        return 0;
    if ((i > 0 && mark_at(s, k = cp_before(s, i), n, &l) && k + l == i) ||
        (i + 1 < n && mark_at(s, i + 1, n, &l)))
        return 1;               /* in a run of marks: "A!!m?!a,.q" */
    k = i;
    while (signs < LEET_CHAIN_MAX && single_before(s, k, n, &a) && a > 0 &&
           s[a - 1] == s[i]) {
        k = a - 1;
        if (!single_before(s, k, n, &a))
            return 0;           /* "Khur@": the first sign is a letter */
        signs++;
    }
    if (single_after(s, i + 1, n, &z))
        while (signs < 2 && z + 1 < n && s[z] == s[i] && single_after(s, z + 1, n, &z))
            signs++;
    return signs >= 2;
}

#define SPELLED_SIGNS 4              /* signs in a row looked through */
#define SPELLED_SEP 4                /* bytes of the separator: " - ", 🔥 */

/* Whether s[a, a + k) (inside the text) may separate the letters of a
 * spelled-out name: ASCII marks and spaces other than leet signs, or
 * whole code points that are neither letters nor combining marks (ZWSP,
 * emoji, bullets). */
static int spell_seq(const unsigned char *s, size_t a, size_t k, size_t n)
{
    size_t e = a + k, l;

    while (a < e) {
        if (s[a] < 0x80) {
            if (s[a] < ' ' || s[a] >= 0x7F || ascii_alnum(s[a]) || is_leet(s[a]))
                return 0;
            a++;
            continue;
        }
        if ((s[a] & 0xC0) == 0x80 || letter_at(s, a, n, &l) || comb_at(s, a, n, &l))
            return 0;
        utf8_next(s + a, n - a, &l);
        if (a + l > e)
            return 0;
        a += l;
    }
    return 1;
}

/* Whether a single letter ends at s[k], or before at most SPELLED_SIGNS
 * signs each followed by the separator @p m (@p k bytes) ("r.@.$.@"). */
static int spelled_before(const unsigned char *s, size_t k, size_t n,
                          const unsigned char *m, size_t ml)
{
    size_t a, steps;

    for (steps = 0; steps <= SPELLED_SIGNS; steps++) {
        if (single_before(s, k, n, &a))
            return 1;
        if (k < ml + 1 || !is_leet(s[k - 1]) || memcmp(s + k - 1 - ml, m, ml) != 0)
            return 0;
        k -= ml + 1;
    }
    return 0;
}

/* Whether a single letter starts at s[k], or after at most SPELLED_SIGNS
 * signs each followed by the separator @p m. */
static int spelled_after(const unsigned char *s, size_t k, size_t n,
                         const unsigned char *m, size_t ml)
{
    size_t z, steps;

    for (steps = 0; steps <= SPELLED_SIGNS; steps++) {
        if (single_after(s, k, n, &z))
            return 1;
        if (k + 1 + ml > n || !is_leet(s[k]) || memcmp(s + k + 1, m, ml) != 0)
            return 0;
        k += ml + 1;
    }
    return 0;
}

/* Whether s[k] (k <= n) ends a spelled-out run whose separator is @p m:
 * the end of the text, a space, or an ASCII mark that does not start m. */
static int run_end(const unsigned char *s, size_t k, size_t n, const unsigned char *m)
{
    return k == n || s[k] == ' ' ||
           (s[k] != m[0] && s[k] < 0x7F && s[k] > ' ' && !ascii_alnum(s[k]) && !is_leet(s[k]));
}

/* Whether the leet sign s[i] stands as a letter of a name spelled out
 * with one separator between its letters ("K.h.o.r.@.$.@.n",
 * "K - h - @ - g", "A m @ q", "A🔥m🔥@🔥q"): the same separator of up to
 * SPELLED_SEP bytes on both sides and a single letter beyond each,
 * perhaps past other signs spelled the same way; or, as the last (first)
 * letter of the run, two single letters linked by that separator before
 * (after) it ("A.l.N.@.b.@", "@.m.a.q"). Outside a word, so leet_sign()
 * does not take it; read as a letter, the run joins as any spelled-out
 * name does. */
static int spelled_sign(const unsigned char *s, size_t i, size_t n)
{
    size_t k, a, z;

    if (!is_leet(s[i]))
        return 0;
    for (k = 1; k <= SPELLED_SEP; k++) {
        const unsigned char *m;

        if (i >= k + 1 && i + k + 1 < n && memcmp(s + i - k, s + i + 1, k) == 0 &&
            spell_seq(s, i + 1, k, n) &&
            spelled_before(s, i - k, n, s + i + 1, k) &&
            spelled_after(s, i + k + 1, n, s + i + 1, k))
            return 1;
        m = s + i - k;
        if (i >= 2 * k + 2 && spell_seq(s, i - k, k, n) && run_end(s, i + 1, n, m) &&
            single_before(s, i - k, n, &a) && a >= k + 1 &&
            memcmp(s + a - k, m, k) == 0 && spelled_before(s, a - k, n, m, k))
            return 1;           /* the last letter: "A.l.N.@.b.@" */
        m = s + i + 1;
        if (i + 2 * k + 2 < n && spell_seq(s, i + 1, k, n) &&
            (i == 0 || run_end(s, i - 1, n, m)) && single_after(s, i + k + 1, n, &z) &&
            z + k <= n && memcmp(s + z, m, k) == 0 && spelled_after(s, z + k, n, m, k))
            return 1;           /* the first letter: "@.m.a.q" */
    }
    return 0;
}

/* The class of the hard, non-space mark s[i, i + ml). */
static int mark_class(const unsigned char *s, size_t i, size_t ml, size_t n)
{
    /* the usual cases, "word," and " (": no single letter before it */
    if (i == 0 || s[i - 1] == ' ' ||
        (i >= 2 && ascii_alnum(s[i - 1]) && ascii_alnum(s[i - 2])))
        return C_PUNCT;
    return letter_chain_mark(s, i, ml, n) ? C_SOFT
           : list_chain_mark(s, i, ml, n) ? C_HARD : C_PUNCT;
}

/* Remove the spaces in text[from, len). */
static void drop_spaces(vigil_norm_text *t, size_t from)
{
    size_t i, k = from;

    for (i = from; i < t->len; i++) {
        if (t->text[i] == ' ')
            continue;
        t->text[k] = t->text[i];
        t->map[k] = t->map[i];
        k++;
    }
    t->len = k;
}

/* Source code points of the current word, counted up to @p limit + 1:
 * the bytes of one code point share a map entry. */
static size_t word_cps(const vigil_norm_text *t, size_t start, size_t limit)
{
    size_t i, n = 0;

    for (i = start; i < t->len && n <= limit; i++)
        if (i == start || t->map[i] != t->map[i - 1])
            n++;
    return n;
}

/* Code points of the current word (one piece), as 1, 2 or 3 meaning >= 3:
 * the first code point's bytes are skipped, then the next map entry is
 * either the last code point's or a third one. O(1) for most words. */
static size_t word_cps3(const vigil_norm_text *t, size_t start)
{
    uint32_t a = t->map[start], b = t->map[t->len - 1];
    size_t k;

    if (a == b)
        return 1;
    for (k = start + 1; t->map[k] == a; k++)
        ;
    return t->map[k] == b ? 2 : 3;
}

static size_t u8len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Whether the word at @p start of @p t (to @p end) is one letter written
 * two to four times ("mmm", "ll", Cyrillic "ооо"): in a name being
 * spelled out it stands for one letter, doubled or stretched ("A l - A z
 * a i mmm"). It continues a run of spelled words, never starts one. */
static int one_letter_repeated(const vigil_norm_text *t, size_t start,
                               size_t end)
{
    unsigned char c = (unsigned char)t->text[start];
    size_t l = u8len(c), n = end - start, k, b;

    if (n < 2 * l || n > 4 * l || n % l || t->text[start + l] != (char)c ||
        (c < 0x80 && ((c | 0x20) < 'a' || (c | 0x20) > 'z')))
        return 0;
    for (k = start + l; k < end; k += l)
        for (b = 0; b < l; b++)
            if (t->text[k + b] != t->text[start + b])
                return 0;
    return 1;
}

/* The current word ended. A word is spelled out when it is one letter
 * (or, inside a run, one letter repeated: one_letter_repeated()), or
 * single letters joined by soft separators ("K.h.o"). A run of >= 3
 * spelled words is joined, with a word of <= 2 letters at either end
 * ("Kh o r a s a n") or one letter repeated before it ("KKK h u r"). */
static void end_word(vigil_norm_text *t, struct wstate *w)
{
    size_t cps;
    int spelled;

    if (w->start >= t->len || w->term)
        return;
    cps = w->pieces >= 2 ? word_cps(t, w->start, w->pieces)
          : w->ref ? word_cps(t, w->start, 2) : word_cps3(t, w->start);
    spelled = cps == 1 || (w->pieces >= 2 && cps == w->pieces) ||
              (w->run > 0 && w->pieces < 2 &&
               one_letter_repeated(t, w->start, t->len));
    if (spelled) {
        if (w->gap_punct)
            w->run = 0;                 /* punctuation ends a run */
        if (w->run++ == 0)
            w->run_from = (w->prev_cps > 0 &&
                           (w->prev_cps <= 2 || w->prev_tail1 ||
                            one_letter_repeated(t, w->prev_start,
                                                w->start - 1))) &&
                          w->start > 0 && !w->gap_punct
                          ? w->prev_start : w->start;
        if (w->run >= 3) {
            drop_spaces(t, w->run_from);
            w->run_from = t->len;       /* next space; keeps joining linear */
        }
        return;
    }
    if (w->run >= 3 && cps <= 2 && !w->gap_punct)
        drop_spaces(t, w->start - 1);
    w->run = 0;
    w->prev_start = w->start;
    w->prev_cps = cps;
    w->prev_tail1 = w->pieces >= 2 && w->piece_start < t->len &&
                    (w->ref ? word_cps(t, w->piece_start, 1)
                            : word_cps3(t, w->piece_start)) == 1;
}

/* A letter follows a separator: end the word or count a soft piece. */
static void after_sep(vigil_norm_text *t, struct wstate *w)
{
    if (w->pending == C_HARD || w->pending == C_PUNCT || w->term) {
        end_word(t, w);
        w->gap_punct = w->pending == C_PUNCT;
        t->text[t->len] = ' ';
        t->map[t->len] = t->map[t->len - 1];
        t->len++;
        w->start = w->piece_start = t->len;
        w->pieces = 1;
    } else {
        w->pieces++;
        w->piece_start = t->len;
    }
    w->pending = 0;
}

/* A separator run is hard as soon as one of its characters is. */
static inline int sep_merge(int pending, int cls)
{
    if (pending == C_PUNCT || cls == C_PUNCT)
        return C_PUNCT;
    return pending == C_HARD || cls == C_HARD ? C_HARD : C_SOFT;
}

static void note_sep(const vigil_norm_text *t, struct wstate *w, int cls)
{
    if (t->len > 0)
        w->pending = sep_merge(w->pending, cls);
}

/* Room kept in the output beyond two bytes per input byte left (and one
 * for a pending space): run_pass's inline paths write without checks. */
#define SLACK 8

/* normalize() flag: the reference pass (vigil_text__normalize_ref). */
#define NORM_REF 0x10000u

/* Remember a two- or three-byte sequence (@p adv bytes, code point @p cp)
 * for the letter loop when its mapping is a letter of at most 4 bytes or
 * nothing (C_DROP). */
static void tab_fill(vigil_normalizer *nz, const unsigned char *s, size_t adv,
                     UChar32 cp, int cls, const char *m, int len, int script)
{
    unsigned char b[4] = { 0, 0, 0, 0 };
    uint32_t v;
    uint64_t e;

    if (cls == C_DROP) {
        e = T2_DROP;
    } else if (cls == C_LETTER && len >= 1 && len <= 4) {
        memcpy(b, m, (size_t)len);
        memcpy(&v, b, 4);
        e = (uint64_t)v | ((uint64_t)len << 32) | ((uint64_t)script << 62) |
            T2_LETTER;
    } else {
        return;
    }
    if (adv == 2)
        nz->tab2[T2_INDEX(s)] = e;
    else if (adv == 3)
        nz->tab3[cp] = e;
}

/* The tab2/tab3 entry of the non-ASCII sequence at s[i] (0: none known),
 * its length in *adv. */
static inline uint64_t mb_entry(const vigil_normalizer *nz,
                                const unsigned char *s, size_t i, size_t n,
                                size_t *adv)
{
    unsigned c = s[i];

    if (c < 0xE0) {
        *adv = 2;
        return i + 1 < n ? nz->tab2[T2_INDEX(s + i)] : 0;
    }
    *adv = 3;
    if (c < 0xF0 && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80)
        return nz->tab3[((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) |
                        (s[i + 2] & 0x3Fu)];
    return 0;
}

/* Whether s[i] starts a regional indicator letter (U+1F1E6-1F1FF). */
static int regional_at(const unsigned char *s, size_t n, size_t i)
{
    return i + 3 < n && s[i] == 0xF0 && s[i + 1] == 0x9F && s[i + 2] == 0x87 &&
           s[i + 3] >= 0xA6 && s[i + 3] <= 0xBF;
}

/* Whether the regional indicator at s[i] has another one right before or
 * after it: a flag ("🇦🇫"), not a letter spelled out (map_cp). */
static int flag_half(const unsigned char *s, size_t n, size_t i)
{
    return regional_at(s, n, i) &&
           ((i >= 4 && regional_at(s, n, i - 4)) || regional_at(s, n, i + 4));
}

/* Non-ASCII code point at s[i]; returns bytes consumed or -1 (ENOMEM).
 * Keeps run_pass's room: cap > len + 2 * (bytes left) + SLACK. */
static long one_cp(vigil_norm_text *t, vigil_normalizer *nz,
                   const unsigned char *s, size_t n, size_t i,
                   struct wstate *w)
{
    char tmp[ENTRY_MAX + 1];
    const char *m;
    size_t adv, j, need;
    int len, cls, script;
    UChar32 cp = utf8_next(s + i, n - i, &adv);

    if (cp < 0) {
        note_sep(t, w, C_HARD);
        return 1;
    }
    cls = lookup(nz, cp, &m, &len, &script, tmp);
    if (cls == C_LETTER && flag_half(s, n, i))
        cls = C_HARD;
    if (cp == 0x202D || cp == 0x202E)
        w->override = 1;                /* never in tab3: seen here */
    else if (adv == 2 || adv == 3)
        tab_fill(nz, s + i, adv, cp, cls, m, len, script);
    if (cls == C_LETTER) {
        char *out;
        uint32_t *map;
        size_t k;

        need = t->len + (size_t)len + 2 * (n - i) + SLACK;
        if (need + 1 > t->cap && nt_reserve(t, need) < 0)
            return -1;
        t->letters[script]++;
        if (w->pending)
            after_sep(t, w);
        out = t->text;
        map = t->map;
        k = t->len;
        for (j = 0; j < (size_t)len; j++) {
            out[k] = m[j];
            map[k++] = (uint32_t)i;
        }
        t->len = k;
    } else if (cls != C_DROP) {
        note_sep(t, w, cls == C_HARD && !space_like(cp) ? mark_class(s, i, adv, n) : cls);
    }
    return (long)adv;
}

/* Append a tab2 letter (<= 4 bytes, written as one 4-byte word; the room
 * kept by run_pass covers the spare bytes). */
static inline size_t put_t2(char *out, uint32_t *map, size_t len, uint64_t e,
                            size_t i)
{
    uint32_t v = (uint32_t)e;

    memcpy(out + len, &v, 4);
    map[len] = map[len + 1] = map[len + 2] = map[len + 3] = (uint32_t)i;
    return len + (size_t)((e >> 32) & 7u);
}

/*
 * A letter follows a separator run; @p len is the output length (t->len
 * is stale). The common case inline: white space after a one-piece word
 * of >= 2 code points with no spelled-out run open, so the word can only
 * become "the word before" (what end_word would do, minus the joining
 * branches; one letter repeated continues a run only). Everything else
 * goes through after_sep. Returns the length.
 */
static inline size_t word_break(vigil_norm_text *t, struct wstate *w,
                                size_t len)
{
    uint32_t *map = t->map;
    size_t st = w->start;

    if (w->pending == C_HARD && w->pieces == 1 && w->run == 0 && !w->term &&
        st < len && map[st] != map[len - 1]) {
        uint32_t a = map[st], b = map[len - 1];
        size_t k = st + 1;

        while (map[k] == a)
            k++;
        w->prev_cps = map[k] == b ? 2 : 3;
        w->prev_start = st;
        w->prev_tail1 = 0;
        w->gap_punct = 0;
        t->text[len] = ' ';
        map[len] = b;
        w->start = w->piece_start = ++len;
        w->pending = 0;
        return len;
    }
    t->len = len;
    after_sep(t, w);
    return t->len;
}

/*
 * The pass. Room for two output bytes per input byte (an ASCII letter and
 * a space before it; a two- or three-byte letter of <= 4 bytes) plus SLACK
 * is kept reserved, so the inline paths never check capacity; one_cp, the
 * only path that can write more, re-reserves. While no separator is
 * pending, the letter loop takes ASCII letters/digits, apostrophes and
 * the two- and three-byte letters and marks known to tab2/tab3 without
 * further state checks; everything else goes one code point at a time.
 * len/out/map live in locals (char stores alias everything) and t is
 * synced around the rare calls.
 */
#if defined(__SSE2__)
/* The run of ASCII letters at s[i], 16 bytes at a time: each folded
 * (| 0x20) into out[*len] with its offset in map, as run_pass's letter
 * loop writes them; the bytes after the run are written too and
 * overwritten later (room for 16 checked against @p cap). Returns where
 * the loop goes on: the run's end, or fewer than 16 bytes before it. */
static inline size_t ascii_letters16(const unsigned char *s, size_t i, size_t n,
                                     char *out, uint32_t *map, size_t *len,
                                     size_t cap)
{
    while (n - i >= 16 && *len + 16 <= cap) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i l = _mm_or_si128(x, _mm_set1_epi8(0x20));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
            _mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
            _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1))));
        unsigned k = m == 0xFFFFu ? 16u : (unsigned)__builtin_ctz(~m);
        __m128i at = _mm_add_epi32(_mm_set1_epi32((int)(uint32_t)i),
                                   _mm_setr_epi32(0, 1, 2, 3));
        __m128i four = _mm_set1_epi32(4);
        int q;

        _mm_storeu_si128((__m128i *)(void *)(out + *len), l);
        for (q = 0; q < 4; q++) {
            _mm_storeu_si128((__m128i *)(void *)(map + *len + 4 * q), at);
            at = _mm_add_epi32(at, four);
        }
        *len += k;
        i += k;
        if (k < 16)
            break;
    }
    return i;
}
#endif

static int run_pass(vigil_norm_text *t, vigil_normalizer *nz,
                    const unsigned char *s, size_t n, struct wstate *w)
{
    const unsigned char *cls_tab = nz->ascii_cls, *kind = nz->kind;
    const char *out_tab = nz->ascii_out;
    const uint64_t *tab2 = nz->tab2;
    size_t i = 0, len, latn = 0, lc[4] = { 0, 0, 0, 0 }, k;
    char *out;
    uint32_t *map;

    if (nt_reserve(t, 2 * n + SLACK) < 0)
        return VIGIL_ENOMEM;
    out = t->text;
    map = t->map;
    len = t->len;
    while (i < n) {
        unsigned char c;
        uint64_t e;
        size_t mb;
        long adv;

        if (!w->pending) {
            while (i < n) {             /* the letter loop */
                unsigned kd = kind[c = s[i]];

                if (kd == K_ALPHA) {
                    size_t i0 = i;
#if defined(__SSE2__)
                    i = ascii_letters16(s, i, n, out, map, &len, t->cap);
#endif
                    while (i < n && kind[c = s[i]] == K_ALPHA) {
                        out[len] = out_tab[c];
                        map[len++] = (uint32_t)i++;
                    }
                    latn += i - i0;
                    continue;
                }
                if (kd == K_DIGIT) {
                    out[len] = out_tab[c];
                    map[len++] = (uint32_t)i++;
                    continue;
                }
                if (kd == K_DROP) {
                    i++;
                    continue;
                }
                if (c == ' ' && len > 0) {  /* the usual word end */
                    w->pending = C_HARD;
                    if (++i < n && (kind[s[i]] <= K_DIGIT ||
                                    (s[i] >= 0x80 &&
                                     (mb_entry(nz, s, i, n, &mb) &
                                      T2_LETTER)))) {
                        len = word_break(t, w, len);
                        continue;       /* a letter follows the space */
                    }
                    break;
                }
                if (c < 0x80)
                    break;
                e = mb_entry(nz, s, i, n, &mb);
                if ((e & T2_LETTER) && mb == 2) {
                    do {
                        len = put_t2(out, map, len, e, i);
                        lc[e >> 62]++;
                        i += 2;
                    } while (i + 1 < n &&
                             ((e = tab2[T2_INDEX(s + i)]) & T2_LETTER));
                    continue;
                }
                if (e & T2_LETTER) {
                    len = put_t2(out, map, len, e, i);
                    lc[e >> 62]++;
                } else if (!(e & T2_DROP)) {
                    break;
                }
                i += mb;
            }
            if (i >= n)
                break;
        }
        c = s[i];
        if (c < 0x80) {
            int cls = cls_tab[c];
            if (cls == C_LETTER) {
                if (w->pending)
                    len = word_break(t, w, len);
                out[len] = out_tab[c];
                map[len++] = (uint32_t)i;
                latn += (unsigned)((c | 0x20) - 'a') < 26u;
            } else if (leet_sign(c, len && !w->pending, s, i, n, cls_tab) &&
                       !leet_chain(s, i, n)) {
                out[len] = leet_letter(c);          /* "Az@im", "Nash!r" */
                map[len++] = (uint32_t)i;
            } else if ((w->pending || len == 0) && spelled_sign(s, i, n)) {
                if (w->pending)
                    len = word_break(t, w, len);    /* "K.h.o.r.@.s.@.n" */
                out[len] = leet_letter(c);
                map[len++] = (uint32_t)i;
            } else if (cls != C_DROP && len > 0) {
                if (cls == C_HARD && c > ' ')
                    cls = enclosing_bracket(s, i, n) ? C_SOFT : mark_class(s, i, 1, n);
                w->pending = sep_merge(w->pending, cls);
            }
            i++;
            continue;
        }
        e = mb_entry(nz, s, i, n, &mb);
        if (e & T2_LETTER) {
            if (w->pending)
                len = word_break(t, w, len);
            len = put_t2(out, map, len, e, i);
            lc[e >> 62]++;
            i += mb;
            continue;
        }
        if (e & T2_DROP) {
            i += mb;
            continue;
        }
        t->len = len;
        if ((adv = one_cp(t, nz, s, n, i, w)) < 0)
            return VIGIL_ENOMEM;
        out = t->text;                  /* one_cp may have grown them */
        map = t->map;
        len = t->len;
        i += (size_t)adv;
    }
    t->len = len;
    t->letters[VIGIL_NORM_LATN] += latn;
    for (k = 0; k < 4; k++)
        t->letters[k] += lc[k];
    end_word(t, w);
    return VIGIL_OK;
}

/* ---- the reference pass ------------------------------------------------ */

/* Append one letter's bytes @p m (from the code point at @p at). */
static int ref_emit(vigil_norm_text *t, struct wstate *w, size_t at,
                    const char *m, size_t len)
{
    size_t j;

    if (nt_reserve(t, t->len + len + 2) < 0)
        return VIGIL_ENOMEM;
    if (w->pending)
        after_sep(t, w);
    for (j = 0; j < len; j++) {
        t->text[t->len] = m[j];
        t->map[t->len++] = (uint32_t)at;
    }
    return VIGIL_OK;
}

/* What run_pass computes, the plain way: one code point at a time, every
 * non-ASCII one decoded and mapped through ICU afresh (map_cp, no cache,
 * no tab2/tab3, no letter loop), code points of a word counted from the
 * map. */
static int run_pass_ref(vigil_norm_text *t, vigil_normalizer *nz,
                        const unsigned char *s, size_t n, struct wstate *w)
{
    size_t i = 0;

    while (i < n) {
        char tmp[ENTRY_MAX + 1];
        unsigned char c = s[i];
        size_t adv = 1;
        int el = 0, cls;
        UChar32 cp;

        if (c < 0x80) {
            cls = nz->ascii_cls[c];
            if (cls == C_LETTER) {
                if (ref_emit(t, w, i, &nz->ascii_out[c], 1) < 0)
                    return VIGIL_ENOMEM;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                    t->letters[VIGIL_NORM_LATN]++;
            } else if ((leet_sign(c, t->len && !w->pending, s, i, n,
                                  nz->ascii_cls) &&
                        !leet_chain(s, i, n)) ||
                       ((w->pending || !t->len) && spelled_sign(s, i, n))) {
                char l = leet_letter(c);

                if (ref_emit(t, w, i, &l, 1) < 0)
                    return VIGIL_ENOMEM;
            } else if (cls != C_DROP) {
                if (cls == C_HARD && c > ' ')
                    cls = enclosing_bracket(s, i, n) ? C_SOFT : mark_class(s, i, 1, n);
                note_sep(t, w, cls);
            }
            i++;
            continue;
        }
        if ((cp = utf8_next(s + i, n - i, &adv)) < 0) {
            note_sep(t, w, C_HARD);
            i++;
            continue;
        }
        cls = map_cp(nz, cp, tmp, &el);
        if (cls == C_LETTER && flag_half(s, n, i))
            cls = C_HARD;
        if (cls == C_LETTER) {
            if (ref_emit(t, w, i, tmp, (size_t)el) < 0)
                return VIGIL_ENOMEM;
            t->letters[script_bucket(cp)]++;
        } else if (cls != C_DROP) {
            note_sep(t, w, cls == C_HARD && !space_like(cp) ? mark_class(s, i, adv, n)
                                                                : cls);
        }
        i += adv;
    }
    end_word(t, w);
    return VIGIL_OK;
}

#if defined(__SSE2__)
/* Bit k set when position k of the 16 from @p s may start a run (see
 * first_double); reads 21 bytes. */
static inline unsigned double_mask16(const char *s)
{
#define LD(k) _mm_loadu_si128((const __m128i *)(const void *)(s + (k)))
    __m128i x0 = LD(0), x1 = LD(1), x2 = LD(2), x3 = LD(3), x5 = LD(5);
#undef LD
    __m128i one = _mm_andnot_si128(_mm_cmpeq_epi8(x0, _mm_set1_epi8(' ')),
                                   _mm_cmpeq_epi8(x0, x1));
    __m128i two = _mm_and_si128(_mm_cmpeq_epi8(x0, x2),
                                _mm_cmpeq_epi8(x1, x3));
    /* a lead byte, and the first and last bytes: the first two of every
     * Devanagari letter match */
    __m128i hi2 = _mm_set1_epi8((char)0xC0);
    __m128i lead = _mm_cmpeq_epi8(_mm_and_si128(x0, hi2), hi2);
    __m128i three = _mm_and_si128(
        lead, _mm_and_si128(_mm_cmpeq_epi8(x0, x3), _mm_cmpeq_epi8(x2, x5)));

    return (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(one, two), three));
}
#endif

/* Index of the first byte of @p s that may start a run collapse_runs()
 * changes -- a byte equal to the next (a doubled ASCII letter), or two
 * or three bytes equal to the next as many (a doubled Cyrillic letter, or
 * its skeleton: ᴎ, "lo" for ю; a false yes only costs the exact pass) --
 * or @p n. Most texts of Latin script have a doubled letter, most others
 * none; 16 positions at a time. @p avail bytes from @p s are readable (the
 * buffer's room): the last positions are read in one more 16-byte step
 * when it holds, the bytes past @p n only able to add a false yes. */
static size_t first_double(const char *s, size_t n, size_t avail)
{
    size_t i = 0;

#if defined(__SSE2__)
    for (; i + 21 <= n; i += 16) {
        unsigned mask = double_mask16(s + i);

        if (mask)
            return i + (size_t)__builtin_ctz(mask);
    }
    for (; i + 1 < n && i + 21 <= avail; i += 16) {
        unsigned mask = double_mask16(s + i);

        if (n - 1 - i < 16)
            mask &= (1u << (n - 1 - i)) - 1;    /* positions before n - 1 */
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
    }
#else
    (void)avail;
#endif
    for (; i + 1 < n; i++)
        if ((s[i] == s[i + 1] && s[i] != ' ') ||
            (i + 3 < n && s[i] == s[i + 2] && s[i + 1] == s[i + 3]) ||
            ((unsigned char)s[i] >= 0xC0 && i + 5 < n &&
             s[i] == s[i + 3] && s[i + 2] == s[i + 5]))
            return i;
    return n;
}

/* Whether the letter at @p a (the one before, looking back) or @p a's end
 * (looking forward) of @p o (@p n bytes) touches another letter or digit,
 * past the marks and format characters (ZWNJ) the normaliser drops and up
 * to three more of the letter @p self itself (one letter of a name spelled
 * out may be written doubled or stretched: "l.ll.l", "а-аа-б"). */
static int touches_letter(const unsigned char *o, size_t n, size_t a,
                          int forward, UChar32 self)
{
    int32_t k = (int32_t)a;
    int same = 0;
    UChar32 c;

    self = u_foldCase(self, U_FOLD_CASE_DEFAULT);
    for (;;) {
        if (forward ? (size_t)k >= n : k <= 0)
            return 0;
        if (forward)
            U8_NEXT(o, k, (int32_t)n, c);
        else
            U8_PREV(o, 0, k, c);
        if (c < 0)
            return 0;
        if (dropped_type(u_charType(c)) || c == 0x0640)
            continue;
        if (same < 3 && u_foldCase(c, U_FOLD_CASE_DEFAULT) == self) {
            same++;
            continue;
        }
        return u_isalpha(c) || u_isdigit(c);
    }
}

/* Whether @p c, between two letters of a name spelled out, separates them:
 * punctuation, a symbol or a space, in any width ("＊", "－", "＿"). */
static int spelled_sep(UChar32 c)
{
    int t = u_charType(c);

    if (c < 0x80)
        return c >= ' ' && c != 0x7F && !ascii_alnum((unsigned char)c);
    return is_soft_sep(c) || t == U_SPACE_SEPARATOR ||
           (t >= U_DASH_PUNCTUATION && t <= U_OTHER_PUNCTUATION) ||
           (t >= U_MATH_SYMBOL && t <= U_OTHER_SYMBOL) ||
           t == U_INITIAL_PUNCTUATION || t == U_FINAL_PUNCTUATION;
}

/* Whether the letters at @p a and @p b of @p o (@p n bytes) are two
 * letters of a name spelled out ("A_z_a_a_i_m", "H a l l u m m u", with
 * look-alikes "T.a.w.h.е.е.d", fullwidth or mixed separators "K－h-h",
 * ZWNJ beside them "u\u200c*u"): one to three separators between the
 * two, and neither touching another letter (touches_letter). */
static int spelled_pair(const unsigned char *o, size_t n, uint32_t a,
                        uint32_t b)
{
    int32_t k = (int32_t)a, after = (int32_t)b;
    UChar32 ca, cb, c;
    int seps = 0;

    U8_NEXT(o, k, (int32_t)n, ca);
    U8_NEXT(o, after, (int32_t)n, cb);
    if (ca < 0 || cb < 0 || (int32_t)b <= k || (int32_t)b - k > 32)
        return 0;
    while (k < (int32_t)b) {
        U8_NEXT(o, k, (int32_t)b, c);
        if (c < 0)
            return 0;
        if (c >= 0x80 && (dropped_type(u_charType(c)) || c == 0x0640))
            continue;
        if (!spelled_sep(c) || ++seps > 3)
            return 0;
    }
    return seps > 0 && !touches_letter(o, n, a, 0, ca) &&
           !touches_letter(o, n, (size_t)after, 1, cb);
}

/* Whether the letter whose code point starts at @p b in @p orig follows
 * the one at @p a with nothing between them but characters the normaliser
 * drops (combining marks, ZWNJ and other format characters, tatweel):
 * "mm", "m\u0300m", "e\u200ce" are runs, "a.a" and "a a" are not unless
 * they are two letters of a name spelled out (spelled_pair). */
static int adjacent(const unsigned char *orig, size_t n, uint32_t a,
                    uint32_t b)
{
    int32_t i = (int32_t)(a + u8len(orig[a]));

    while (i < (int32_t)b) {
        UChar32 c;
        int t;

        if (orig[i] < 0x80)
            return spelled_pair(orig, n, a, b);
        U8_NEXT(orig, i, (int32_t)b, c);
        t = c < 0 ? -1 : u_charType(c);
        if (!dropped_type(t) && c != 0x0640)
            return spelled_pair(orig, n, a, b);
    }
    return i == (int32_t)b;
}

/* Whether the normalised word around a run holds a letter that was ASCII
 * in @p orig -- Latin, maybe with look-alikes ("Tawhее" with Cyrillic е,
 * spelled out "T.a.w.h.е.е.d") -- rather than only letters of another
 * script ("Хуроосон"), whose skeletons are Latin too. @p out (@p olen
 * bytes) is the text before the run, @p rest (@p rlen bytes) the text
 * after it, @p mo and @p mr their offset maps. */
static int latin_word(const unsigned char *orig, const char *out,
                      const uint32_t *mo, size_t olen, const char *rest,
                      const uint32_t *mr, size_t rlen)
{
    size_t k;

    for (k = olen; k > 0 && out[k - 1] != ' '; k--)
        if (orig[mo[k - 1]] < 0x80 && ascii_alnum(orig[mo[k - 1]]))
            return 1;
    for (k = 0; k < rlen && rest[k] != ' '; k++)
        if (orig[mr[k]] < 0x80 && ascii_alnum(orig[mr[k]]))
            return 1;
    return 0;
}

/* Bytes of the unit of normalised text at @p i of @p s (@p n bytes, offset
 * map @p m): one code point, or every byte the normaliser wrote for one
 * non-ASCII code point of @p orig (a skeleton of several characters:
 * Cyrillic ю is "lo", ъ is "\u02C9b"). */
static size_t unit_len(const char *s, const uint32_t *m,
                       const unsigned char *orig, size_t i, size_t n)
{
    size_t k = i + 1;

    if (orig[m[i]] < 0x80 || s[i] == ' ')
        return 1;
    while (k < n && m[k] == m[i] && s[k] != ' ')
        k++;                    /* (a space maps to the letter before) */
    return k - i;
}

/* Whether the code point at @p a of @p o (@p n bytes) is a letter (Cyrillic
 * б, whose skeleton is the digit 6), not a digit (fullwidth １). */
static int orig_alpha(const unsigned char *o, size_t n, uint32_t a)
{
    int32_t k = (int32_t)a;
    UChar32 c;

    U8_NEXT(o, k, (int32_t)n, c);
    return c >= 0 && u_isalpha(c);
}

/* Bytes [@p from, @p from + @p n) of @p s and their map entries moved to
 * @p to (<= @p from); nothing to do until a run has been folded. */
static inline void shift(char *s, uint32_t *m, size_t to, size_t from,
                         size_t n)
{
    if (to != from && n) {
        memmove(s + to, s + from, n);
        memmove(m + to, m + from, n * sizeof(*m));
    }
}

/* Runs of one letter, which only a letter that follows the previous one in
 * @p orig continues (not "okaa.Amaq", which the normaliser joined):
 * - three times or more reads as one ("Amaaaq", "Khurasaaan", "أعماااق":
 *   letters stretched for emphasis or to dodge exact filters);
 * - a letter written twice reads as one, ee as i and oo as u (also from
 *   look-alikes and leet: "Tawhее" with Cyrillic е, "Tawh3ed"): the
 *   romanisations of one Arabic name differ in doubled consonants and
 *   long vowels ("Halummu", "Hallummu", "Halumu"; "Amaaq"; "Tawheed",
 *   "Tawhid"; "Nasheer", "Nashir"; Cyrillic "Халумму", "Халуму"; ee and
 *   oo only in a word with a Latin letter: Cyrillic "Хуроосон" is
 *   "Хуросон", "Аззоим" (з, skeleton 3, read e) "Азоим"). Not vv,
 *   which stands for w, nor ii, which may stand for il, li or ll
 *   ("Pub1Ications"), nor a doubled Arabic-script letter (الله).
 * Letters with only dropped characters between them (marks, ZWNJ), or two
 * letters of a name spelled out ("A_z_a_a_i_m"), follow each other
 * (adjacent()). The offset map keeps the run's first. */
static void collapse_runs(vigil_norm_text *t, const unsigned char *orig,
                          size_t olen, int keep_doubles)
{
    char *s = t->text;
    uint32_t *m = t->map;
    size_t n = t->len, i = first_double(s, n, t->cap), o;

    if (i == n)
        return;
    while (i > 0 && (((unsigned char)s[i] & 0xC0) == 0x80 ||
                     (m[i - 1] == m[i] && orig[m[i]] >= 0x80)))
        i--;                            /* a unit's start */
    o = i;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t l = unit_len(s, m, orig, i, n), j, k, p = i, run = 1;
        int fold;

        /* s[i] may start a run (first_double): measure it, unit by unit */
        if (l == 1 && orig[m[i]] < 0x80) {     /* ASCII, the usual case */
            for (j = i + 1;
                 j < n && s[j] == (char)c &&
                 (m[j] == m[j - 1] + 1 ? orig[m[j - 1]] < 0x80
                                       : unit_len(s, m, orig, j, n) == 1 &&
                                             adjacent(orig, olen, m[j - 1],
                                                      m[j]));
                 j++)
                run++;
        } else {
            for (j = i + l; j + l <= n && memcmp(s + j, s + i, l) == 0 &&
                            unit_len(s, m, orig, j, n) == l &&
                            ((m[j] == m[p] + 1 && orig[m[p]] < 0x80) ||
                             adjacent(orig, olen, m[p], m[j]));
                 p = j, j += l)
                run++;
        }
        if (l == 1 && c >= '0' && c <= '9')   /* a letter's skeleton */
            fold = orig[m[i]] >= 0x80 && orig_alpha(orig, olen, m[i]);
        else if (l == 1)
            fold = c >= 'a' && c <= 'z' && c != 'v' && c != 'i';
        else
            fold = c < 0xD8 || c > 0xDB;
        if (c != ' ' && (run >= 3 || (run == 2 && !keep_doubles && fold))) {
            shift(s, m, o, i, l);       /* one of the run */
            if (run == 2 && (c == 'e' || c == 'o') &&
                (orig[m[i]] < 0x80 ||
                 latin_word(orig, s, m, o, s + j, m + j, n - j)))
                s[o] = c == 'e' ? 'i' : 'u';
            o += l;
        } else {
            shift(s, m, o, i, j - i);
            o += j - i;
        }
        /* the bytes up to the next candidate, as they are */
        k = j < n ? j + first_double(s + j, n - j, t->cap - j) : n;
        while (k > j && k < n && (((unsigned char)s[k] & 0xC0) == 0x80 ||
                                  (m[k - 1] == m[k] && orig[m[k]] >= 0x80)))
            k--;
        shift(s, m, o, j, k - j);
        o += k - j;
        i = k;
    }
    t->len = o;
}

/* ---- bidi overrides ----------------------------------------------------- */

/* A right-to-left override (U+202E) shows a Latin or Cyrillic name
 * reversed: "\u202Enasaruhk fo eciov" reads "voice of khurasan" on screen,
 * while a filter sees the letters backwards. A left-to-right override
 * (U+202D) does the same to Arabic-script text. The pass notes an override
 * (one_cp; they are never cached in tab3), and normalize() then reads the
 * text as shown. */

/* Whether code point @p c is written right to left (Arabic, Hebrew,
 * Thaana, Syriac, N'Ko ... letters). */
static int rtl_letter(UChar32 c)
{
    int d = (int)u_charDirection(c);

    return d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC;
}

/* End of the override span that starts at @p i (after the override): the
 * next PDF (U+202C), PDI (U+2069), override or embedding, line break, or
 * the end. */
static size_t override_end(const unsigned char *s, size_t n, size_t i)
{
    for (; i < n; i++) {
        if (s[i] == '\n' || s[i] == '\r')
            return i;
        if (s[i] == 0xE2 && i + 2 < n &&
            ((s[i + 1] == 0x80 && s[i + 2] >= 0xAA && s[i + 2] <= 0xAE) ||
             (s[i + 1] == 0x81 && s[i + 2] >= 0xA6 && s[i + 2] <= 0xA9)))
            return i;
    }
    return n;
}

/* Copy s[a, b) into v (from @p o) with its graphemes (a code point and the
 * marks, joiners and variation selectors after it) in reverse order, and
 * each copied byte's source offset into idx; only when every letter of the
 * span runs against the override (@p rtl: the override is right to left,
 * the letters left to right), else in order. Returns the new @p o. */
static size_t copy_override(const unsigned char *s, size_t a, size_t b,
                            int rtl, char *v, uint32_t *idx, size_t o)
{
    size_t starts[256], ns = 0, k, e;
    int32_t i = (int32_t)a;
    int against = 0, with = 0;

    while (i < (int32_t)b) {
        UChar32 c;
        int32_t at = i;
        int t;

        U8_NEXT(s, i, (int32_t)b, c);
        if (c < 0) {
            /* invalid UTF-8: reversed, two stray bytes could make a
             * letter that is in neither order of the text ("qam\x90\xD0"
             * would read "\xD0\x90maq", Cyrillic A + maq, with a hit
             * ending past the text); no name is written so */
            against = 0;
            break;
        }
        t = u_charType(c);
        if (u_isalpha(c)) {
            if (rtl_letter(c) == rtl)
                with++;
            else
                against++;
        }
        if (ns == 0 || !(t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK ||
                         t == U_COMBINING_SPACING_MARK || c == 0x200D ||
                         (c >= 0xFE00 && c <= 0xFE0F))) {
            if (ns == sizeof(starts) / sizeof(starts[0])) {
                against = 0;            /* too long to be a name: as is */
                break;
            }
            starts[ns++] = (size_t)at;
        }
    }
    if (against == 0 || with > 0) {
        for (k = a; k < b; k++) {
            v[o] = (char)s[k];
            idx[o++] = (uint32_t)k;
        }
        return o;
    }
    for (e = b; ns-- > 0; e = starts[ns])
        for (k = starts[ns]; k < e; k++) {
            v[o] = (char)s[k];
            idx[o++] = (uint32_t)k;
        }
    return o;
}

/* The text as it shows on screen, when it holds an override whose span
 * reads reversed: a copy in *vis with each byte's source offset in *idx
 * (both to be freed); 0 with both NULL when nothing is reversed, -1 when
 * out of memory. */
static int override_visual(const char *text, size_t n, char **vis,
                           uint32_t **idx)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, o = 0, b;
    int changed = 0;

    *vis = NULL;
    *idx = NULL;
    if ((*vis = vigil__malloc(n + 1)) == NULL ||
        (*idx = vigil__mallocarray(n + 1, sizeof(uint32_t))) == NULL) {
        vigil__free(*vis);
        *vis = NULL;
        return -1;
    }
    while (i < n) {
        if (s[i] == 0xE2 && i + 2 < n && s[i + 1] == 0x80 &&
            (s[i + 2] == 0xAE || s[i + 2] == 0xAD)) {
            int rtl = s[i + 2] == 0xAE;

            for (b = i + 3; i < b; i++) {
                (*vis)[o] = (char)s[i];
                (*idx)[o++] = (uint32_t)i;
            }
            b = override_end(s, n, i);
            o = copy_override(s, i, b, rtl, *vis, *idx, o);
            changed |= memcmp(*vis + o - (b - i), s + i, b - i) != 0;
            i = b;
            continue;
        }
        (*vis)[o] = (char)s[i];
        (*idx)[o++] = (uint32_t)i++;
    }
    if (!changed) {
        vigil__free(*vis);
        vigil__free(*idx);
        *vis = NULL;
        *idx = NULL;
    }
    return 0;
}

/* One pass (fast or reference) and the run post-pass over @p s, offsets
 * into @p s. */
static int normalize_pass(vigil_norm_text *out, vigil_normalizer *nz,
                          const char *s, size_t len, unsigned int flags,
                          struct wstate *w)
{
    int rc;

    memset(w, 0, sizeof(*w));
    w->pieces = 1;
    w->term = (flags & VIGIL_NORM_TERM) != 0;
    w->ref = (flags & NORM_REF) != 0;
    out->len = 0;
    memset(out->letters, 0, sizeof(out->letters));
    rc = w->ref ? run_pass_ref(out, nz, (const unsigned char *)s, len, w)
                : run_pass(out, nz, (const unsigned char *)s, len, w);
    if (rc < 0)
        return rc;
    if (nt_reserve(out, out->len) < 0)  /* the reference pass: empty text */
        return VIGIL_ENOMEM;
    collapse_runs(out, (const unsigned char *)s, len,
                  (flags & VIGIL_TEXT__NORM_KEEP_DOUBLES) != 0);
    return VIGIL_OK;
}

static int normalize(vigil_norm_text *out, vigil_normalizer *nz,
                     const char *s, size_t len, unsigned int flags, int ref)
{
    struct wstate w;
    char *vis = NULL;
    uint32_t *idx = NULL;
    size_t i;
    int rc;

    VIGIL_ASSERT_ARG(out && nz && (s || len == 0));
    if (len > VIGIL_TEXT_MAX_BYTES)
        return vigil_error_set(VIGIL_ELIMIT, "text is %zu bytes, limit %u",
                               len, VIGIL_TEXT_MAX_BYTES);
    if (ref)
        flags |= NORM_REF;
    if ((rc = normalize_pass(out, nz, s, len, flags, &w)) < 0)
        return rc;
    /* an override (noted by the fast pass; the reference pass always
     * looks): again over the text as shown, offsets through idx */
    if ((w.override || ref) && override_visual(s, len, &vis, &idx) < 0)
        return VIGIL_ENOMEM;
    if (vis) {
        rc = normalize_pass(out, nz, vis, len, flags, &w);
        for (i = 0; rc == VIGIL_OK && i < out->len; i++)
            out->map[i] = idx[out->map[i]];
        vigil__free(vis);
        vigil__free(idx);
        if (rc < 0)
            return rc;
    }
    out->text[out->len] = '\0';
    out->map[out->len] = (uint32_t)len;
    return VIGIL_OK;
}

int vigil_text_normalize(vigil_norm_text *out, vigil_normalizer *nz,
                         const char *s, size_t len, unsigned int flags)
{
    return normalize(out, nz, s, len, flags, 0);
}

int vigil_text__normalize_ref(vigil_norm_text *out, vigil_normalizer *nz,
                              const char *s, size_t len, unsigned int flags)
{
    return normalize(out, nz, s, len, flags, 1);
}
