/*
 * text/langid_internal.h - a look inside language identification for the
 * tests: the raw model sums of one text, to check that the word cache
 * reproduces them exactly (the labels alone hide small differences).
 */
#ifndef VIGIL_TEXT_LANGID_INTERNAL_H
#define VIGIL_TEXT_LANGID_INTERNAL_H

#include <stdint.h>

#include "vigil/langid.h"

/* The script models: 0 Latin, 1 Cyrillic, 2 Arabic, 3 Devanagari, 4 Bengali. */
#define VIGIL__LID_NMODELS 5

/** Sums of the models for one text. */
typedef struct {
    unsigned counts[32];        /* letters per script id */
    int32_t score[VIGIL__LID_NMODELS][16];  /* per-label sums, quarter nats, biased */
    unsigned nfeat[VIGIL__LID_NMODELS];
    unsigned dari[VIGIL__LID_NMODELS], iran[VIGIL__LID_NMODELS];  /* lexicon points */
    int32_t dscore[VIGIL__LID_NMODELS];     /* Dari-vs-Farsi log-odds */
} vigil__langid_state;

/**
 * Run the models over @p text (through @p wc when not NULL) and fill
 * @p st. Returns VIGIL_OK or VIGIL_EINVAL. Threads: as identify_cached.
 */
int vigil__langid_trace(vigil__langid_state *st, vigil_langid_cache *wc,
                        const char *text, size_t len);

/**
 * The best label and its script for @p text, as the first guess of
 * vigil_langid_identify_cached() gives them, without computing the
 * probabilities when they cannot change the label (out->score is then
 * not meaningful). For triage, which reports the label only.
 * Returns VIGIL_OK or VIGIL_EINVAL. Threads: as identify_cached.
 */
int vigil__langid_best(vigil_langid_cache *wc, vigil_langid_guess *out,
                       const char *text, size_t len);

/**
 * Dari points of the Afghan solar dates in @p text (@p len bytes, UTF-8):
 * 2 per month name of the Afghan solar calendar with a day number (1-2
 * digits) or ماه/اول/اوایل/اواسط/اواخر before it, or a year 13xx/14xx
 * after it (not for میزان). Mirrors afghan_dates() in build_model.py.
 * Pure function; any thread.
 */
unsigned vigil__langid_afghan_dates(const char *text, size_t len);

/**
 * Whether @p text may hold an Arabic religious formula: the letters لله
 * (الله, لله, بالله; Urdu اللہ) or a ligature U+FDF0-U+FDFF. Pure function.
 */
int vigil__langid_has_formula_mark(const char *text, size_t len);

/* Longest text vigil__langid_blank_formulae() reads; in a longer one a
 * formula is a small part of the sample anyway. */
#define VIGIL__LID_FORMULA_MAX 2048

/**
 * Copy @p text to @p out (@p len bytes, same length) with the words of
 * every Arabic religious formula (بسم الله الرحمن الرحيم, الحمد لله,
 * صلى الله عليه وسلم, ان شاء الله, رحمه الله, ﷺ, ...) and the separators
 * between them replaced by spaces. Returns the number of words blanked;
 * 0, with @p out untouched, when @p len > VIGIL__LID_FORMULA_MAX. Pure
 * function.
 */
size_t vigil__langid_blank_formulae(char *out, const char *text, size_t len);

#endif
