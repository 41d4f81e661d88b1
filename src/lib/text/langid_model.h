/*
 * text/langid_model.h - layout of the generated language-ID tables in
 * langid_model.c (written by data/langid/build_model.py; never edit that file).
 */
#ifndef VIGIL_TEXT_LANGID_MODEL_H
#define VIGIL_TEXT_LANGID_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* Code point classes; values >= 3 are script ids into vigil__langid_scripts. */
enum { VIGIL__LID_SEP = 0, VIGIL__LID_SKIP = 1, VIGIL__LID_JOIN = 2,
       VIGIL__LID_FIRST_SCRIPT = 3, VIGIL__LID_NSCRIPTS = 32 };

/* Script ids the generator assigns (see SCRIPTS in build_model.py). */
enum { VIGIL__LID_LATN = 3, VIGIL__LID_CYRL = 4, VIGIL__LID_ARAB = 5,
       VIGIL__LID_DEVA = 6, VIGIL__LID_BENG = 7, VIGIL__LID_MLYM = 8,
       VIGIL__LID_THAA = 9 };

/* A run of code points >= U+0800 sharing one class (sorted, disjoint;
 * code points not covered are separators). */
typedef struct {
    uint16_t lo, hi;
    uint8_t cls;
} vigil__langid_range;

/* Naive Bayes weights of one script: w[bucket * nlabels + label] minus
 * VIGIL__LID_W0 is a centred log-probability in quarter nats (-32..31);
 * 16 padding chars follow the last row. */
#define VIGIL__LID_W0 0x50
/* Quarter nats subtracted from the sum of each out-of-set class (labels >=
 * nin) before the classes are compared: OTHER_PRIOR in build_model.py. */
extern const int vigil__langid_other_prior;
typedef struct {
    const char *script;
    int nlabels;
    int nin;                    /* labels [0, nin) are output labels; the rest
                                 * are out-of-set classes, reported as und */
    int bits;                   /* 1 << bits buckets */
    const char *const *labels;
    const char *w;
} vigil__langid_model;

extern const uint16_t vigil__langid_low_fold[2048];
extern const uint8_t vigil__langid_low_class[2048];
extern const vigil__langid_range vigil__langid_ranges[];
extern const size_t vigil__langid_nranges;
extern const char vigil__langid_scripts[32][5];
/* Arabic presentation forms U+FB50..U+FEFF: the letters of their NFKC form
 * (up to 4, zero-padded; all zero for a form read as it is). */
#define VIGIL__LID_PRES_LO 0xFB50
#define VIGIL__LID_PRES_HI 0xFEFF
extern const uint16_t vigil__langid_pres[VIGIL__LID_PRES_HI - VIGIL__LID_PRES_LO + 1][4];
extern const vigil__langid_model vigil__langid_latn;
extern const vigil__langid_model vigil__langid_cyrl;
extern const vigil__langid_model vigil__langid_arab;
/* One label each, hin-Deva and ben-Beng, and their out-of-set classes. */
extern const vigil__langid_model vigil__langid_deva;
extern const vigil__langid_model vigil__langid_beng;
/* Sorted word hashes (order 0) of Dari and of Iranian-Persian evidence. */
extern const uint32_t vigil__langid_dari_words[];
extern const size_t vigil__langid_ndari_words;
extern const uint32_t vigil__langid_dari_weak_words[];   /* topical, count half */
extern const size_t vigil__langid_ndari_weak_words;
extern const uint32_t vigil__langid_iran_words[];
extern const size_t vigil__langid_niran_words;
extern const uint32_t vigil__langid_iran_weak_words[];   /* place names, count half */
extern const size_t vigil__langid_niran_weak_words;
/* Bit h >> VIGIL__LID_LEX_FILTER_SHIFT is set for the hash h of every word of
 * the four lists above (LEX_FILTER_SHIFT in build_model.py): a clear bit
 * means the word is in none of them. */
#define VIGIL__LID_LEX_FILTER_SHIFT 19
extern const unsigned char vigil__langid_lex_filter[1u << (32 - VIGIL__LID_LEX_FILTER_SHIFT - 3)];

/* Whether word hash @p h may be in one of the four lists (its filter bit). */
static inline int vigil__langid_lex_maybe(uint32_t h)
{
    return (vigil__langid_lex_filter[h >> (VIGIL__LID_LEX_FILTER_SHIFT + 3)] >>
            ((h >> VIGIL__LID_LEX_FILTER_SHIFT) & 7u)) & 1u;
}

/* Dari-vs-Farsi log-odds, one char (VIGIL__LID_W0 + q, q in quarter nats)
 * per bucket of 1 << vigil__langid_dari_bits, over the Arabic model's word
 * features plus word bigrams and "word:"; Dari when the sum reaches
 * dari_threshold (or on lexicon evidence, see persian_split). */
extern const char vigil__langid_dari_w[];
extern const int vigil__langid_dari_bits;
extern const int vigil__langid_dari_threshold;

#endif
