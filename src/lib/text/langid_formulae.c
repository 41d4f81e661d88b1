/*
 * text/langid_formulae.c - Arabic religious formulae (basmala, hamdala,
 * salawat, takbir, "in sha' Allah", eulogies of the dead) blanked out of a
 * text, so that the language of a Pashto, Urdu, Farsi, Tajik or English
 * post that opens or closes with one is read from the rest of the post.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/langid_internal.h"

/* The formulae as word sequences, in the folded spelling fold_cp()
 * gives (alef forms as ا, ى and ی as ي, ک as ك, ة and the Urdu heh forms
 * as ه, harakat and tatweel dropped; ASCII in lower case). Where one is the start of another,
 * the longer one comes first. Quoted in Arabic whatever the language of
 * the post around them, so they say nothing about it. */
static const char *const formulae[] = {
    "بسم الله الرحمن الرحيم",
    "بسم الله",
    "الحمد لله رب العالمين",
    "الحمد لله",
    "والصلاه والسلام علي رسول الله",
    "والصلاه والسلام علي نبينا محمد",
    "والصلاه والسلام علي اشرف الانبياء والمرسلين",
    "والصلاه والسلام علي اشرف المرسلين",
    "الصلاه والسلام علي رسول الله",
    "الصلاه والسلام علي نبينا محمد",
    "وعلي اله وصحبه اجمعين",
    "وعلي اله وصحبه وسلم",
    "قال رسول الله صلي الله عليه وسلم",
    "قال رسول الله",
    "قال الله تعالي",
    "قال تعالي",
    "صلي الله عليه واله وسلم",
    "صلي الله عليه و اله و سلم",
    "صلي الله عليه و سلم",
    "صلي الله عليه وسلم",
    "عليه السلام",
    "الله اكبر",
    "ان شاء الله",
    "انشاء الله",
    "انشاءالله",
    "انشاالله",
    "ما شاء الله",
    "ماشاءالله",
    "سبحان الله",
    "سبحانه وتعالي",
    "عز وجل",
    "جل جلاله",
    "رضي الله عنهما",
    "رضي الله عنهم",
    "رضي الله عنها",
    "رضي الله عنه",
    "رحمهم الله",
    "رحمها الله",
    "رحمه الله",
    "رحمهمالله",                  /* written as one word with ZWNJ: رحمه‌الله */
    "رحمهالله",
    "تقبلهالله",
    "حفظهالله",
    "تقبلهم الله",
    "تقبلها الله",
    "تقبله الله",
    "نحسبه والله حسيبه",
    "نحسبهم والله حسيبهم",
    "حفظهم الله",
    "حفظه الله",
    "نصرهم الله",
    "نصره الله",
    "اعزه الله",
    "جزاكم الله خيرا",
    "جزاك الله خيرا",
    "السلام عليكم ورحمه الله وبركاته",
    "السلام عليكم",
    "لا اله الا الله محمد رسول الله",
    "لا اله الا الله",
    "اعوذ بالله من الشيطان الرجيم",
    "استغفر الله",
    "لا حول ولا قوه الا بالله",
    "حسبنا الله ونعم الوكيل",
    "باذن الله",
    "والله اعلم",
    /* in Latin letters, as English, Somali, Hausa or Swahili posts spell
     * them (case-folded; an apostrophe or hyphen splits a word, so
     * "Insha'Allah" is "insha allah"). Spellings of one language
     * (Turkish "İnşallah", Uzbek "Alloh") are left to the model. */
    "bismillahir rahmanir rahim",
    "bismillah ir rahman ir rahim",
    "bismillah",
    "alhamdulillahi rabbil alamin",
    "alhamdulillah rabbil alamin",
    "alhamdulillahi",
    "alhamdulillah",
    "alhamdulilah",
    "al hamdu lillah",
    "alhamdu lillah",
    "in sha allah",
    "in shaa allah",
    "insha allahu",
    "insha allah",
    "inshaa allah",
    "inshaallah",
    "inshallah",
    "allahu akbar",
    "allahuakbar",
    "ma sha allah",
    "masha allah",
    "mashaallah",
    "mashallah",
    "subhanahu wa taala",
    "subhanahu wa ta ala",
    "subhan allah",
    "subhanallah",
    "assalamu alaikum wa rahmatullahi wa barakatuh",
    "assalamu alaykum wa rahmatullahi wa barakatuhu",
    "assalamu alaikum wa rahmatullah",
    "assalamu alaikum",
    "assalamu alaykum",
    "as salamu alaikum",
    "as salamu alaykum",
    "asalamu alaikum",
    "wa alaikum assalam",
    "jazakallahu khairan",
    "jazakallahu khayran",
    "jazakallah khair",
    "jazak allah khair",
    "jazakumullahu khairan",
    "jazakallahu",
    "jazakallah",
    "sallallahu alaihi wa sallam",
    "sallallahu alayhi wa sallam",
    "sallallahu alaihi wasallam",
    "salallahu alaihi wasallam",
    "pbuh",
    "rahimahullah",
    "rahimahullahu",
    "taqabbalahullah",
    "radiallahu anhu",
    "radiyallahu anhu",
    "radhiallahu anhu",
    "radiallahu anha",
    "radiallahu anhum",
    "hafizahullah",
    "barakallahu feek",
    "barakallah",
    "astaghfirullah",
    "la ilaha illallah",
    "la ilaha illa allah",
    "la hawla wa la quwwata illa billah",
    "hasbunallahu wa nimal wakeel",
    /* the ligatures of Arabic Presentation Forms-A: ﷲ ﷺ ﷻ ﷽ */
    "\xEF\xB7\xB2",
    "\xEF\xB7\xBA",
    "\xEF\xB7\xBB",
    "\xEF\xB7\xBD",
};
#define NFORMULAE (sizeof(formulae) / sizeof(formulae[0]))

/* Length of the UTF-8 sequence at t[i] (< n), 1 for a stray byte. */
static size_t cp_len(const unsigned char *t, size_t i, size_t n)
{
    size_t k = t[i] < 0xC0 ? 1 : t[i] < 0xE0 ? 2 : t[i] < 0xF0 ? 3 : 4;

    return i + k <= n ? k : 1;
}

/* Whether the code point at t[i] (k bytes) ends a word: ASCII other than
 * letters and digits, the Arabic comma, semicolon, question mark and
 * full stop (، ؛ ؟ ۔), the ornate parentheses ﴾ ﴿ and Unicode spaces and
 * punctuation of U+2000-U+206F other than the joiners. */
static int word_sep(const unsigned char *t, size_t i, size_t k)
{
    unsigned c = t[i];

    if (k == 1)
        return !((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
                 c >= 0x80);
    if (k == 2)
        return (c == 0xD8 && (t[i + 1] == 0x8C || t[i + 1] == 0x9B || t[i + 1] == 0x9F)) ||
               (c == 0xDB && t[i + 1] == 0x94) || (c == 0xC2 && t[i + 1] == 0xA0);
    if (k == 3 && c == 0xEF && t[i + 1] == 0xB4)
        return t[i + 2] == 0xBE || t[i + 2] == 0xBF;
    return k == 3 && c == 0xE2 && t[i + 1] >= 0x80 && t[i + 1] <= 0x81 &&
           !(t[i + 1] == 0x80 && (t[i + 2] == 0x8C || t[i + 2] == 0x8D));
}

/* The folded form of an Arabic-script code point (two bytes, D8-DB lead)
 * into o: 0 bytes for a mark or tatweel, else 2. */
static size_t fold_arabic(unsigned cp, unsigned char *o)
{
    if ((cp >= 0x64B && cp <= 0x65F) || cp == 0x670 || cp == 0x640)
        return 0;
    switch (cp) {
    case 0x622: case 0x623: case 0x625: case 0x671:
        cp = 0x627;
        break;
    case 0x649: case 0x6CC:
        cp = 0x64A;
        break;
    case 0x6A9:
        cp = 0x643;
        break;
    case 0x629: case 0x6C1: case 0x6BE: case 0x6C0: case 0x6D5:
        cp = 0x647;
        break;
    default:
        break;
    }
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
}

/* Folded bytes of the code point at t[i] (k bytes, not a separator)
 * into o: none for a mark, tatweel or joiner (ZWNJ, ZWJ), 2 for an
 * Arabic-script letter (fold_arabic), ASCII letters in lower case, else
 * the code point as it is. */
static size_t fold_cp(const unsigned char *t, size_t i, size_t k, unsigned char *o)
{
    if (k == 2 && t[i] >= 0xD8 && t[i] <= 0xDB)
        return fold_arabic(((t[i] & 0x1Fu) << 6) | (t[i + 1] & 0x3Fu), o);
    if (k == 3 && t[i] == 0xE2 && t[i + 1] == 0x80 && (t[i + 2] == 0x8C || t[i + 2] == 0x8D))
        return 0;
    if (k == 1 && t[i] >= 'A' && t[i] <= 'Z') {
        o[0] = (unsigned char)(t[i] | 0x20);
        return 1;
    }
    memcpy(o, t + i, k);
    return k;
}

/* @p v as read from little-endian bytes. */
static uint64_t le64(uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap64(v);
#else
    return v;
#endif
}

/* One word of the text: its bytes, and its folded form in the arena. */
typedef struct {
    uint64_t key;                       /* word_key() of the folded form */
    uint16_t start, end;                /* bytes in the text */
    uint16_t fo, fn;                    /* folded form: arena offset, bytes */
} fword;

/* The first 7 bytes of @p n bytes at @p b and their count (at most 255):
 * equal keys for equal words, and most unequal words differ in it. @p b
 * may be read 8 bytes from its start. */
static uint64_t word_key(const unsigned char *b, size_t n)
{
    uint64_t k;

    memcpy(&k, b, sizeof(k));
    k = le64(k);
    k &= n >= 7 ? 0x00FFFFFFFFFFFFFFull : ((uint64_t)1 << (8 * n)) - 1u;
    return k | (uint64_t)(n < 255 ? n : 255) << 56;
}

/* Words of formula @p f matched by the words ws[0..nw) (folded forms in
 * @p arena), the first one known to match; 0 if the rest do not. */
static size_t match_formula(const char *f, const fword *ws, size_t nw,
                            const unsigned char *arena)
{
    size_t i = 0, fl;

    for (;;) {
        fl = strcspn(f, " ");
        if (i >= nw || ws[i].fn != fl || memcmp(arena + ws[i].fo, f, fl) != 0)
            return 0;
        i++;
        if (f[fl] == '\0')
            return i;
        f += fl + 1;
    }
}

/* The formulae by the key of their first word: a chained hash table,
 * each chain in list order (longer formulae first), built once. */
#define FH_BITS 8
#define FH_NONE 0xFFu
static uint64_t fkey[NFORMULAE];
static uint8_t fhead[1u << FH_BITS], fnext[NFORMULAE];
static pthread_once_t fh_once = PTHREAD_ONCE_INIT;

static unsigned fh_slot(uint64_t key)
{
    return (unsigned)((key * 0x9E3779B97F4A7C15ull) >> (64 - FH_BITS));
}

static void fh_build(void)
{
    size_t j = NFORMULAE;

    _Static_assert(NFORMULAE < FH_NONE, "formula indices fit a byte");
    memset(fhead, FH_NONE, sizeof(fhead));
    while (j-- > 0) {
        unsigned h;
        unsigned char b[8] = { 0 };     /* word_key() reads 8 bytes */
        size_t n = strcspn(formulae[j], " ");

        memcpy(b, formulae[j], n < sizeof(b) ? n : sizeof(b));
        fkey[j] = word_key(b, n);
        h = fh_slot(fkey[j]);
        fnext[j] = fhead[h];
        fhead[h] = (uint8_t)j;
    }
}

/* Whether a formula may start at t[i] (i + 3 <= len): لله (D9 84 D9 84
 * D9 87, Urdu للہ with heh goal DB 81) as in الله, لله, بالله; "llah" in
 * any case as in Allah, Bismillah, InshaAllah; a ligature U+FDF0-U+FDFF
 * (EF B7 B0-BF). */
static int mark_at(const unsigned char *t, size_t i, size_t len)
{
    if (t[i] == 0xEF)
        return t[i + 1] == 0xB7 && t[i + 2] >= 0xB0;
    if (i + 4 > len)
        return 0;
    if ((t[i] | 0x20) == 'l')
        return (t[i + 1] | 0x20) == 'l' && (t[i + 2] | 0x20) == 'a' && (t[i + 3] | 0x20) == 'h';
    return i + 6 <= len && t[i] == 0xD9 && t[i + 1] == 0x84 && t[i + 2] == 0xD9 &&
           t[i + 3] == 0x84 &&
           ((t[i + 4] == 0xD9 && t[i + 5] == 0x87) || (t[i + 4] == 0xDB && t[i + 5] == 0x81));
}

#if defined(__SSE2__)
/* Places p[0..16) where a mark may start, as a bit mask (reads p[0..19)):
 * bytes 1-3 84 D9 84 (لله), "lah" 0x20-folded ("llah"), or bytes 0-1
 * EF B7 (a ligature); mark_at() decides. */
static unsigned mark_mask(const unsigned char *p)
{
    const __m128i low = _mm_set1_epi8(0x20);
    __m128i b0 = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i b1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
    __m128i b2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 2));
    __m128i b3 = _mm_loadu_si128((const __m128i *)(const void *)(p + 3));
    __m128i arab = _mm_and_si128(
        _mm_and_si128(_mm_cmpeq_epi8(b1, _mm_set1_epi8((char)0x84)),
                      _mm_cmpeq_epi8(b2, _mm_set1_epi8((char)0xD9))),
        _mm_cmpeq_epi8(b3, _mm_set1_epi8((char)0x84)));
    __m128i latn = _mm_and_si128(
        _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(b1, low), _mm_set1_epi8('l')),
                      _mm_cmpeq_epi8(_mm_or_si128(b2, low), _mm_set1_epi8('a'))),
        _mm_cmpeq_epi8(_mm_or_si128(b3, low), _mm_set1_epi8('h')));
    __m128i lig = _mm_and_si128(_mm_cmpeq_epi8(b0, _mm_set1_epi8((char)0xEF)),
                                _mm_cmpeq_epi8(b1, _mm_set1_epi8((char)0xB7)));

    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(arab, latn), lig));
}

/* Whether a mark starts at one of the places of @p m from t[at] (the
 * text is @p len bytes from t). */
static int marks_in(const unsigned char *t, size_t at, unsigned m, size_t len)
{
    for (; m; m &= m - 1) {
        size_t k = at + (size_t)__builtin_ctz(m);

        if (k + 3 <= len && mark_at(t, k, len))
            return 1;
    }
    return 0;
}
#endif

int vigil__langid_has_formula_mark(const char *text, size_t len)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t i = 0;

    if (len < 3)
        return 0;
#if defined(__SSE2__)
    /* 16 places at a time; a short text from a zero-padded copy (zeros
     * fit no mark), the last places of a long one from an overlapping
     * block and, for a ligature, its last three bytes */
    if (len < 19) {
        unsigned char pad[32] = { 0 };

        memcpy(pad, t, len);
        return marks_in(pad, 0, mark_mask(pad), len);
    }
    for (; i + 19 <= len; i += 16)
        if (marks_in(t, i, mark_mask(t + i), len))
            return 1;
    if (i + 3 <= len && marks_in(t, len - 19, mark_mask(t + len - 19), len))
        return 1;
    return mark_at(t, len - 3, len);
#else
    for (; i + 3 <= len; i++)
        if (mark_at(t, i, len))
            return 1;
    return 0;
#endif
}

size_t vigil__langid_blank_formulae(char *out, const char *text, size_t len)
{
    const unsigned char *t = (const unsigned char *)text;
    unsigned char arena[VIGIL__LID_FORMULA_MAX + 8];  /* + word_key() reads */
    fword ws[VIGIL__LID_FORMULA_MAX / 2 + 1];
    size_t nw = 0, at, fa = 0, blanked = 0, i, j, k;
    int open = 0;

    if (len > VIGIL__LID_FORMULA_MAX)
        return 0;
    /* the words and their folded forms (folding never lengthens), in
     * one pass; a word is open while nw counts it (open = 1) */
    for (at = 0; at < len; at += k) {
        unsigned c = t[at];
        int sep;

        if (c >= 0xD8 && c <= 0xDB && at + 1 < len) {  /* Arabic script */
            unsigned cp = ((c & 0x1Fu) << 6) | (t[at + 1] & 0x3Fu);

            k = 2;
            sep = cp == 0x60C || cp == 0x61B || cp == 0x61F || cp == 0x6D4;
        } else {
            k = cp_len(t, at, len);
            sep = word_sep(t, at, k);
        }
        if (sep) {
            if (open) {
                ws[nw].end = (uint16_t)at;
                ws[nw].fn = (uint16_t)(fa - ws[nw].fo);
                ws[nw].key = word_key(arena + ws[nw].fo, ws[nw].fn);
                nw++;
                open = 0;
            }
            continue;
        }
        if (!open) {
            ws[nw].start = (uint16_t)at;
            ws[nw].fo = (uint16_t)fa;
            open = 1;
        }
        fa += fold_cp(t, at, k, arena + fa);
    }
    if (open) {
        ws[nw].end = (uint16_t)len;
        ws[nw].fn = (uint16_t)(fa - ws[nw].fo);
        ws[nw].key = word_key(arena + ws[nw].fo, ws[nw].fn);
        nw++;
    }
    pthread_once(&fh_once, fh_build);
    memcpy(out, text, len);
    for (i = 0; i < nw;) {
        size_t m = 0;

        for (j = fhead[fh_slot(ws[i].key)]; j != FH_NONE && m == 0; j = fnext[j])
            if (ws[i].key == fkey[j])
                m = match_formula(formulae[j], ws + i, nw - i, arena);
        if (m > 0) {
            memset(out + ws[i].start, ' ', (size_t)(ws[i + m - 1].end - ws[i].start));
            blanked += m;
            i += m;
        } else {
            i++;
        }
    }
    return blanked;
}
