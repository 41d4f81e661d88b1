/*
 * bench/bench_langid.c - language ID throughput (texts/s, MB/s, one core) on
 * the multilingual dev snippets, beside CLD2 (full tables) when installed;
 * also both detectors' strict macro accuracy on the same snippets, and
 * vigil through the word cache a stream of texts uses (identical results).
 * Usage: bench_langid [DEV_TSV] [SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vigil/langid.h"

#ifndef VIGIL_SOURCE_DIR
#define VIGIL_SOURCE_DIR "."
#endif

typedef struct {
    char label[16];
    char *text;
    size_t len;
} sample;

/* CPU time of this thread: the machine is shared, so wall time would count
 * the time other processes held the core. */
static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static sample *load(const char *path, size_t *n, size_t *bytes)
{
    FILE *f = fopen(path, "r");
    char line[8192];
    sample *v = NULL;
    size_t cap = 0;

    *n = *bytes = 0;
    if (!f) {
        perror(path);
        return NULL;
    }
    while (fgets(line, sizeof(line), f)) {
        char *b, *t;
        size_t len;

        if (line[0] == '#' || !(b = strchr(line, '\t')) || !(t = strchr(b + 1, '\t')))
            continue;
        *b = '\0';
        t++;
        len = strcspn(t, "\r\n");
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            v = realloc(v, cap * sizeof(*v));
            if (!v)
                abort();
        }
        snprintf(v[*n].label, sizeof(v[*n].label), "%.15s", line);
        v[*n].text = malloc(len + 1);
        if (!v[*n].text)
            abort();
        memcpy(v[*n].text, t, len);
        v[*n].text[len] = '\0';
        v[*n].len = len;
        *bytes += len;
        (*n)++;
    }
    fclose(f);
    return v;
}

/* strict macro accuracy: mean over the labels that have snippets of the
 * per-label share right (a label without snippets, such as Dari in dev.tsv,
 * is left out rather than counted as 0) */
static double macro(const sample *v, size_t n, const char *const *pred, size_t *nlabels)
{
    double sum = 0;
    size_t li, present = 0;

    for (li = 0; li < VIGIL_LANGID_NLABELS; li++) {
        const char *l = vigil_langid_label_name(li);
        size_t i, tot = 0, ok = 0;

        for (i = 0; i < n; i++)
            if (strcmp(v[i].label, l) == 0) {
                tot++;
                ok += strcmp(pred[i], l) == 0;
            }
        if (tot) {
            sum += (double)ok / (double)tot;
            present++;
        }
    }
    if (nlabels)
        *nlabels = present;
    return present ? sum / (double)present : 0.0;
}

/* the static label string equal to @p l, or "und" */
static const char *label_static(const char *l)
{
    size_t li;

    for (li = 0; li < VIGIL_LANGID_NLABELS; li++)
        if (strcmp(l, vigil_langid_label_name(li)) == 0)
            return vigil_langid_label_name(li);
    return "und";
}

static void report(const char *name, size_t texts, size_t bytes, double secs)
{
    printf("  %-27s %10.0f texts/s  %7.1f MB/s  (%zu texts in %.2f s)\n", name,
           (double)texts / secs, (double)bytes / secs / 1e6, texts, secs);
}

#ifdef VIGIL_HAVE_CLD2
int vigil_bench_cld2(const char *text, int len, char *code, size_t cap);

/* CLD2 code -> our label; Uzbek split by the snippet's script. */
static const char *cld2_label(const char *code, const sample *s)
{
    static const char *const map[][2] = {
        { "ps", "pus-Arab" }, { "fa", "pes-Arab" }, { "ar", "arb-Arab" },
        { "ur", "urd-Arab" }, { "ug", "uig-Arab" }, { "ckb", "ckb-Arab" },
        { "tg", "tgk-Cyrl" }, { "ru", "rus-Cyrl" }, { "tr", "tur-Latn" },
        { "az", "azj-Latn" }, { "en", "eng-Latn" }, { "fr", "fra-Latn" },
        { "es", "spa-Latn" }, { "sq", "sqi-Latn" }, { "sw", "swh-Latn" },
        { "so", "som-Latn" }, { "ha", "hau-Latn" }, { "ku", "kmr-Latn" },
        { "hi", "hin-Deva" }, { "ml", "mal-Mlym" }, { "bn", "ben-Beng" },
        { "dv", "div-Thaa" },
    };
    size_t i;

    if (strcmp(code, "uz") == 0)
        return strstr(s->label, "Cyrl") ? "uzb-Cyrl" : "uzb-Latn";
    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(code, map[i][0]) == 0)
            return map[i][1];
    return "und";
}
#endif

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : VIGIL_SOURCE_DIR "/data/langid/dev.tsv";
    double secs = argc > 2 ? atof(argv[2]) : 3.0;
    size_t n, bytes, i, nlab = 0;
    double acc;
    const char **pred;
    vigil_langid_guess g;
    sample *v = load(path, &n, &bytes);

    if (!v || n == 0) {
        fprintf(stderr, "bench_langid: no samples in %s\n", path);
        return 1;
    }
    pred = calloc(n, sizeof(*pred));
    if (!pred)
        abort();
    for (i = 0; i < n; i++) {
        size_t k;
        vigil_langid_identify(&g, 1, &k, v[i].text, v[i].len);
        pred[i] = label_static(g.label);
    }
    acc = macro(v, n, pred, &nlab);
    printf("langid on %zu snippets (%zu bytes, %zu labels) from %s;\n"
           "one core of a shared 2-core machine, numbers are indicative\n",
           n, bytes, nlab, path);
    printf("  vigil strict macro accuracy on these snippets: %.4f (over the %zu labels)\n",
           acc, nlab);
    /* interleaved rounds: one pass of each detector per round; report the
     * mean over all rounds and the best single pass */
    {
        double tv = 0, bv = 1e9, tc = 0, bc = 1e9, tw = 0, bw = 1e9;
        int rounds = 0;
        vigil_langid_cache *wc = NULL;

        if (vigil_langid_cache_new(&wc) != 0)
            abort();
        do {
            double a = now();

            for (i = 0; i < n; i++) {
                size_t k;
                vigil_langid_identify(&g, 1, &k, v[i].text, v[i].len);
            }
            a = now() - a;
            tv += a;
            bv = a < bv ? a : bv;
            /* the word cache a stream uses (vigil scan, vigil langid) */
            a = now();
            for (i = 0; i < n; i++) {
                size_t k;
                vigil_langid_identify_cached(wc, &g, 1, &k, v[i].text, v[i].len);
            }
            a = now() - a;
            tw += a;
            bw = a < bw ? a : bw;
#ifdef VIGIL_HAVE_CLD2
            {
                char code[16];
                double b = now();

                for (i = 0; i < n; i++)
                    vigil_bench_cld2(v[i].text, (int)v[i].len, code, sizeof(code));
                b = now() - b;
                tc += b;
                bc = b < bc ? b : bc;
            }
#endif
            rounds++;
        } while (tv + tc + tw < secs);
        vigil_langid_cache_free(wc);
        report("vigil_langid (mean)", n * (size_t)rounds, bytes * (size_t)rounds, tv);
        report("vigil_langid (best)", n, bytes, bv);
        report("vigil_langid cached (mean)", n * (size_t)rounds, bytes * (size_t)rounds, tw);
        report("vigil_langid cached (best)", n, bytes, bw);
#ifdef VIGIL_HAVE_CLD2
        report("CLD2 full (mean)", n * (size_t)rounds, bytes * (size_t)rounds, tc);
        report("CLD2 full (best)", n, bytes, bc);
        printf("  speed ratio vigil/CLD2 (mean): %.2fx\n", tc / tv);
#endif
    }
#ifdef VIGIL_HAVE_CLD2
    {
        char code[16];

        for (i = 0; i < n; i++) {
            vigil_bench_cld2(v[i].text, (int)v[i].len, code, sizeof(code));
            pred[i] = cld2_label(code, &v[i]);
        }
        printf("  CLD2 (full tables) strict macro accuracy on these snippets: %.4f\n",
               macro(v, n, pred, NULL));
    }
#else
    printf("  CLD2 anchor not built (libcld2-dev or a C++ compiler not found)\n");
#endif
    for (i = 0; i < n; i++)
        free(v[i].text);
    free(v);
    free(pred);
    return 0;
}
