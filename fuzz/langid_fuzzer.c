/*
 * fuzz/langid_fuzzer.c - libFuzzer target for language ID: arbitrary bytes
 * (invalid UTF-8, mixed scripts, long words) through identify and spans;
 * checks the output contract (labels NUL-terminated, scores in 0..1,
 * spans ordered and inside the text), Arabic formula blanking (same
 * length, bytes kept or blanked), and that the word cache (kept
 * across inputs, so it is warm and full of earlier words) changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/langid_internal.h"
#include "vigil/langid.h"

static vigil_langid_cache *cache;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vigil_langid_guess g[VIGIL_LANGID_NLABELS + 1];
    vigil_langid_span sp[8];
    size_t k, n = 0, i, cap;

    if (size == 0)
        return 0;
    k = 1 + data[0] % (VIGIL_LANGID_NLABELS + 1);
    cap = 1 + data[0] % 8;
    data++;
    size--;
    if (vigil_langid_identify(g, k, &n, (const char *)data, size) != 0)
        abort();
    {   /* formula blanking: same length, a byte kept or made a space */
        static char rest[VIGIL__LID_FORMULA_MAX];
        size_t j, w;

        if (size <= VIGIL__LID_FORMULA_MAX) {
            w = vigil__langid_blank_formulae(rest, (const char *)data, size);
            for (j = 0; j < size; j++)
                if (rest[j] != (char)data[j] && rest[j] != ' ')
                    abort();
            if (w == 0 && memcmp(rest, data, size) != 0)
                abort();
        }
    }
    /* the date rule reads only [data, data + size), at 2 points a name */
    if (vigil__langid_afghan_dates((const char *)data, size) > size)
        abort();
    if (n < 1 || n > k)
        abort();
    for (i = 0; i < n; i++) {
        if (memchr(g[i].label, '\0', sizeof(g[i].label)) == NULL ||
            memchr(g[i].script, '\0', sizeof(g[i].script)) == NULL)
            abort();
        if (!(g[i].score >= 0.0f && g[i].score <= 1.0f))
            abort();
        if (i > 0 && g[i].score > g[i - 1].score)
            abort();
    }
    {
        vigil__langid_state a, b;

        if (!cache && vigil_langid_cache_new(&cache) != 0)
            abort();
        if (vigil__langid_trace(&a, NULL, (const char *)data, size) != 0 ||
            vigil__langid_trace(&b, cache, (const char *)data, size) != 0 ||
            memcmp(&a, &b, sizeof(a)) != 0)
            abort();
    }
    {   /* triage's label-only path: the first guess's label and script */
        vigil_langid_guess best;

        if (n > 0 && (vigil__langid_best(cache, &best, (const char *)data, size) != 0 ||
                      strcmp(best.label, g[0].label) != 0 ||
                      strcmp(best.script, g[0].script) != 0))
            abort();
    }
    if (vigil_langid_spans(sp, cap, &n, (const char *)data, size) != 0)
        abort();
    if (n < 1 || n > cap || sp[0].start != 0 || sp[n - 1].end != size)
        abort();
    for (i = 0; i < n; i++)
        if (sp[i].start > sp[i].end || (i > 0 && sp[i].start != sp[i - 1].end))
            abort();
    return 0;
}
