/*
 * text/triage.c - one text in; language/script, watchlist hits (offsets in
 * the original bytes) and validated indicators out. Owns the normaliser,
 * the Hyperscan scratch and the result buffers, so a handle is reused
 * across texts without allocation in the steady state.
 */
#define VIGIL_MODULE "text"
#include "text/text_internal.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "common/alloc.h"
#include "common/error.h"
#include "text/langid_internal.h"
#include "vigil/langid.h"

/* Letters looked at to find the dominant script. */
#define SCRIPT_SAMPLE 4096

struct vigil_triage {
    vigil_normalizer *nz;
    vigil_watchlist *wl;
    vigil_text__wlscratch *sc;
    vigil_langid_cache *lc;      /* word memo of langid, per handle */
    vigil_norm_text nt;
    vigil_text__inds inds;
    vigil_triage_result res;
    /* letter_script() of U+0000..U+FFFF, filled on first use: 0 not
     * looked up, 1 no letter, else script code + 2 */
    uint8_t script_memo[0x10000];
};

static const char *const ind_names[VIGIL_IND__COUNT] = {
    "monero", "bitcoin", "ethereum", "tron", "telegram_link",
    "telegram_handle", "archive_org", "url", "onion"
};

const char *vigil_indicator_type_name(vigil_indicator_type t)
{
    return (unsigned)t < VIGIL_IND__COUNT ? ind_names[t] : NULL;
}

int vigil_triage_new(vigil_triage **out, vigil_watchlist *wl)
{
    vigil_triage *t;
    int rc;

    *out = NULL;
    if ((t = vigil__calloc(1, sizeof(*t))) == NULL) {
        vigil_watchlist_free(wl);
        return VIGIL_ENOMEM;
    }
    t->wl = wl;
    if ((!t->wl && (rc = vigil_watchlist_new_default(&t->wl)) < 0) ||
        (rc = vigil_normalizer_new(&t->nz)) < 0 ||
        (rc = vigil_langid_cache_new(&t->lc)) < 0 ||
        (rc = vigil_text__wl_scratch_new(&t->sc, t->wl)) < 0) {
        vigil_triage_free(t);
        return rc;
    }
    *out = t;
    return VIGIL_OK;
}

void vigil_triage_free(vigil_triage *t)
{
    if (!t)
        return;
    vigil_text__wl_scratch_free(t->sc);
    vigil_langid_cache_free(t->lc);
    vigil_watchlist_free(t->wl);
    vigil_normalizer_free(t->nz);
    vigil_norm_text_dispose(&t->nt);
    vigil_text__inds_dispose(&t->inds);
    vigil__free(t);
}

/* Script of a letter in the blocks triage texts mostly use, without a
 * property lookup; USCRIPT_INVALID_CODE sends the caller to ICU. */
static UScriptCode fast_script(UChar32 c)
{
    if (c >= 0x0600 && c <= 0x06FF)
        return (c >= 0x0660 && c <= 0x0669) || c == 0x0640 || c == 0x060C ||
               c == 0x061B || c == 0x061F || (c >= 0x064B && c <= 0x065F)
                   ? USCRIPT_COMMON : USCRIPT_ARABIC;
    if (c >= 0x0400 && c <= 0x04FF)
        return c >= 0x0483 && c <= 0x0489 ? USCRIPT_INHERITED
                                          : USCRIPT_CYRILLIC;
    if (c >= 0x00C0 && c <= 0x024F)
        return c == 0x00D7 || c == 0x00F7 ? USCRIPT_COMMON : USCRIPT_LATIN;
    return USCRIPT_INVALID_CODE;
}

/* Script of letter @p c (USCRIPT_INVALID_CODE for a non-letter):
 * fast_script()'s, else ICU's; remembered in @p memo for the BMP. */
static UScriptCode letter_script(uint8_t *memo, UChar32 c)
{
    UErrorCode e = U_ZERO_ERROR;
    UScriptCode sc;

    if (c < 0x10000 && memo[c])
        return memo[c] == 1 ? USCRIPT_INVALID_CODE : (UScriptCode)(memo[c] - 2);
    if ((sc = fast_script(c)) == USCRIPT_INVALID_CODE) {
        sc = u_isalpha(c) ? uscript_getScript(c, &e) : USCRIPT_INVALID_CODE;
        if (U_FAILURE(e))
            sc = USCRIPT_INVALID_CODE;
    }
    if (c < 0x10000 && sc + 2 <= 255)      /* sc >= USCRIPT_INVALID_CODE = -1 */
        memo[c] = sc == USCRIPT_INVALID_CODE ? 1 : (uint8_t)(sc + 2);
    return sc;
}

/* Dominant script by letter count (ASCII letters count as Latin). Latin,
 * Arabic and Cyrillic are counted inline; other scripts in a table that is
 * cleared only when one shows up. */
static void dominant_script(char out[8], const char *s, size_t len,
                            uint8_t *memo)
{
    unsigned other[USCRIPT_CODE_LIMIT];
    unsigned latn = 0, arab = 0, cyrl = 0, letters = 0, best = 0, ob = 0;
    int32_t i = 0, n = len > INT32_MAX ? INT32_MAX : (int32_t)len;
    int bi = -1, ok = -1, have_other = 0;
    const char *name;
    size_t nl;

    while (i < n && letters < SCRIPT_SAMPLE) {
        UChar32 c;
        UScriptCode sc;

        if ((unsigned char)s[i] < 0x80) {
            unsigned char b = (unsigned char)s[i++];
            if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') {
                latn++;
                letters++;
            }
            continue;
        }
        U8_NEXT(s, i, n, c);
        if (c <= 0)
            continue;
        if ((sc = letter_script(memo, c)) == USCRIPT_INVALID_CODE)
            continue;                   /* no letter */
        if (sc == USCRIPT_LATIN)
            latn++;
        else if (sc == USCRIPT_ARABIC)
            arab++;
        else if (sc == USCRIPT_CYRILLIC)
            cyrl++;
        else if (sc > USCRIPT_INHERITED && sc < USCRIPT_CODE_LIMIT) {
            if (!have_other) {
                memset(other, 0, sizeof(other));
                have_other = 1;
            }
            /* the other script with the most letters, the lowest code
             * of those tied */
            if (++other[sc] > ob || (other[sc] == ob && (int)sc < ok)) {
                ob = other[sc];
                ok = (int)sc;
            }
        } else {
            continue;
        }
        letters++;
    }
    if (latn > best) { best = latn; bi = USCRIPT_LATIN; }
    if (arab > best) { best = arab; bi = USCRIPT_ARABIC; }
    if (cyrl > best) { best = cyrl; bi = USCRIPT_CYRILLIC; }
    if (have_other && ob > best)
        bi = ok;
    name = bi >= 0 ? uscript_getShortName((UScriptCode)bi) : NULL;
    if (!name)
        name = "Zyyy";
    if ((nl = strlen(name)) > 7)
        nl = 7;
    memcpy(out, name, nl);
    out[nl] = '\0';
}

/* The script from the normaliser's letter counts when it ran and saw
 * only Latin, Arabic and Cyrillic letters; otherwise a pass of its own. */
static void script_of(char out[8], const char *text, size_t len,
                      const vigil_norm_text *nt, uint8_t *memo)
{
    static const char *const names[4] = { "Zyyy", "Latn", "Arab", "Cyrl" };
    int k, best = 0;

    if (!nt || nt->letters[VIGIL_NORM_OTHER] > 0) {
        dominant_script(out, text, len, memo);
        return;
    }
    for (k = 1; k < 4; k++)
        if (nt->letters[k] > nt->letters[best])
            best = k;
    memcpy(out, names[best], 5);
}

/* Language from langid (vigil/langid.h); the script is langid's when it
 * names a language, else the dominant script counted here. */
static void identify(vigil_triage_result *r, vigil_langid_cache *lc,
                     const char *text, size_t len, const vigil_norm_text *nt,
                     uint8_t *memo)
{
    vigil_langid_guess g;

    memcpy(r->lang, "und", 4);
    if (vigil__langid_best(lc, &g, text, len) == VIGIL_OK &&
        memcmp(g.label, "und", 4) != 0) {
        /* same sizes, both NUL-terminated: plain copies (snprintf showed
         * in the profile) */
        _Static_assert(sizeof(r->lang) == sizeof(g.label) &&
                       sizeof(r->script) == sizeof(g.script), "label sizes");
        memcpy(r->lang, g.label, sizeof(r->lang));
        memcpy(r->script, g.script, sizeof(r->script));
        return;
    }
    script_of(r->script, text, len, nt, memo);
}

int vigil_triage_scan(const vigil_triage_result **out, vigil_triage *t,
                      const char *text, size_t len, unsigned int what)
{
    vigil_triage_result *r = &t->res;
    int rc;

    VIGIL_ASSERT_ARG(out && t && (text || len == 0));
    *out = NULL;
    if (len > VIGIL_TEXT_MAX_BYTES)
        return vigil_error_set(VIGIL_ELIMIT, "text is %zu bytes, limit %u",
                               len, VIGIL_TEXT_MAX_BYTES);
    memset(r, 0, sizeof(*r));
    memcpy(r->lang, "und", 4);
    memcpy(r->script, "Zyyy", 5);
    if (what & VIGIL_TRIAGE_WATCHLIST) {
        if ((rc = vigil_text_normalize(&t->nt, t->nz, text, len, 0)) < 0 ||
            (rc = vigil_text__wl_match(&r->hits, &r->n_hits, t->sc, t->wl,
                                       &t->nt, text)) < 0)
            return rc;
    }
    if (what & VIGIL_TRIAGE_LANG)
        identify(r, t->lc, text, len,
                 (what & VIGIL_TRIAGE_WATCHLIST) ? &t->nt : NULL, t->script_memo);
    if (what & VIGIL_TRIAGE_INDICATORS) {
        if ((rc = vigil_text__inds_extract(&t->inds, text, len)) < 0)
            return rc;
        r->indicators = t->inds.v;
        r->n_indicators = t->inds.n;
    }
    *out = r;
    return VIGIL_OK;
}
