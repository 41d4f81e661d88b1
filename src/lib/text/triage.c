/*
 * text/triage.c - one text in; language/script, watchlist hits (offsets in
 * the original bytes) and validated indicators out. Owns the normaliser,
 * the Hyperscan scratch and the result buffers, so a handle is reused
 * across texts without allocation in the steady state.
 */
#define VIGIL_MODULE "text"
#include "text/text_internal.h"

#include <stdio.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "common/alloc.h"
#include "common/error.h"

/* Letters looked at to find the dominant script. */
#define SCRIPT_SAMPLE 4096

struct vigil_triage {
    vigil_normalizer *nz;
    vigil_watchlist *wl;
    vigil_text__wlscratch *sc;
    vigil_norm_text nt;
    vigil_text__inds inds;
    vigil_triage_result res;
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
    vigil_watchlist_free(t->wl);
    vigil_normalizer_free(t->nz);
    vigil_norm_text_dispose(&t->nt);
    vigil_text__inds_dispose(&t->inds);
    vigil__free(t);
}

/* Dominant script by letter count (ASCII letters count as Latin). */
static void dominant_script(char out[8], const char *s, size_t len)
{
    unsigned counts[USCRIPT_CODE_LIMIT];
    unsigned letters = 0, best = 0;
    int32_t i = 0, n = len > INT32_MAX ? INT32_MAX : (int32_t)len;
    int bi = -1, k;
    const char *name;

    memset(counts, 0, sizeof(counts));
    while (i < n && letters < SCRIPT_SAMPLE) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0x80) {
            if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
                counts[USCRIPT_LATIN]++;
                letters++;
            }
        } else if (c > 0 && u_isalpha(c)) {
            UErrorCode e = U_ZERO_ERROR;
            UScriptCode sc = uscript_getScript(c, &e);
            if (U_SUCCESS(e) && sc > USCRIPT_INHERITED &&
                sc < USCRIPT_CODE_LIMIT) {
                counts[sc]++;
                letters++;
            }
        }
    }
    for (k = 0; k < USCRIPT_CODE_LIMIT; k++)
        if (counts[k] > best) {
            best = counts[k];
            bi = k;
        }
    name = bi >= 0 ? uscript_getShortName((UScriptCode)bi) : "Zyyy";
    snprintf(out, 8, "%s", name ? name : "Zyyy");
}

static void identify(vigil_triage_result *r, const char *text, size_t len)
{
    snprintf(r->lang, sizeof(r->lang), "und");
    dominant_script(r->script, text, len);
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
    snprintf(r->lang, sizeof(r->lang), "und");
    snprintf(r->script, sizeof(r->script), "Zyyy");
    if (what & VIGIL_TRIAGE_LANG)
        identify(r, text, len);
    if (what & VIGIL_TRIAGE_WATCHLIST) {
        if ((rc = vigil_text_normalize(&t->nt, t->nz, text, len, 0)) < 0 ||
            (rc = vigil_text__wl_match(&r->hits, &r->n_hits, t->sc, t->wl,
                                       &t->nt)) < 0)
            return rc;
    }
    if (what & VIGIL_TRIAGE_INDICATORS) {
        if ((rc = vigil_text__inds_extract(&t->inds, text, len)) < 0)
            return rc;
        r->indicators = t->inds.v;
        r->n_indicators = t->inds.n;
    }
    *out = r;
    return VIGIL_OK;
}
