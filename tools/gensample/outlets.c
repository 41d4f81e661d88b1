/*
 * tools/gensample/outlets.c - outlet names and spelling variants (copied
 * from shared/domain/outlets.csv) that the sample mentions, by name only,
 * inside benign texts, sometimes with the evasions that watchlists must see
 * through: letters split by dots or spaces, or Latin letters swapped for
 * Cyrillic look-alikes.
 */
#include "gs.h"

#include <string.h>

static const struct {
    const char *outlet;
    const char *variants[8];
} outlets[] = {
    { "Al-Azaim Foundation for Media Production",
      { "Al-Azaim Foundation", "al-Azaim Media Foundation", "Al-Aza'im",
        "مؤسسة العزائم", "العزائم", NULL } },
    { "Voice of Khurasan", { "Voice of Khurasan", "Voice of Khorasan", "VoK", NULL } },
    { "Khorasan Ghag Radio",
      { "Khorasan Ghag", "Khurasan Ghag", "خراسان غږ", NULL } },
    { "Sadoi Khorasan", { "Sadoi Khorasan", "Sada-ye Khorasan", "صدای خراسان", NULL } },
    { "Sadoi Khuroson Radio", { "Sadoi Khuroson", "Садои Хуросон", NULL } },
    { "Xuroson Ovozi", { "Xuroson Ovozi", "Xoroson Ovozi", NULL } },
    { "Fursan al-Tarjuma",
      { "Fursan al-Tarjuma", "Knights of Translation", "فرسان الترجمة", NULL } },
    { "Amaq News Agency", { "Amaq News Agency", "Amaq", "وكالة أعماق", NULL } },
    { "al-Naba", { "al-Naba", "an-Naba", "النبأ", NULL } },
    { "Khurasan TV", { "Khurasan TV", "Khorasan TV", NULL } },
    { "Halummu", { "Halummu", NULL } },
};
#define NOUTLET (sizeof(outlets) / sizeof(outlets[0]))

static bool is_ascii_word(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
            return false;
    return n >= 4;
}

/* Longest ASCII-letter word of @p s: start in *at, length returned. */
static size_t longest_word(const char *s, size_t *at)
{
    size_t best = 0, i = 0, n = strlen(s);

    *at = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '-')
            j++;
        if (is_ascii_word(s + i, j - i) && j - i > best) {
            best = j - i;
            *at = i;
        }
        i = j + 1;
    }
    return best;
}

static void add(char *dst, size_t *o, const char *s, size_t n)
{
    if (*o + n >= 255)
        gs_die("internal: outlet term too long");
    memcpy(dst + *o, s, n);
    *o += n;
    dst[*o] = '\0';
}

/* Rewrite the longest Latin word of the variant with evasion @p kind. */
static void evade(gs_outlet_mention *m, int kind)
{
    static const char *homo[] = { "a", "а", "e", "е", "o", "о", "c", "с", "p", "р" };
    const char *v = m->variant;
    size_t at, n = longest_word(v, &at), i, o = 0, k, swaps = 0;

    add(m->term, &o, v, at);
    for (i = 0; i < n; i++) {
        const char *ch = v + at + i;
        const char *rep = NULL;

        if (kind == 2) {
            for (k = 0; k < sizeof(homo) / sizeof(homo[0]); k += 2)
                if (*ch == homo[k][0])
                    rep = homo[k + 1];
        }
        if (rep && swaps++ % 2 == 0)
            add(m->term, &o, rep, strlen(rep));
        else
            add(m->term, &o, ch, 1);
        if (kind != 2 && i + 1 < n)
            add(m->term, &o, kind == 0 ? "." : " ", 1);
    }
    add(m->term, &o, v + at + n, strlen(v + at + n));
    m->evasion = kind == 0 ? "dotted" : kind == 1 ? "spaced" : "homoglyph";
    if (strcmp(m->term, m->variant) == 0)
        m->evasion = "none";      /* homoglyph found no swappable letter */
}

void gs_outlet_pick(gs_rng *r, gs_outlet_mention *out)
{
    size_t i = gs_rng_below(r, NOUTLET), nv = 0, at;

    while (outlets[i].variants[nv])
        nv++;
    memset(out, 0, sizeof(*out));
    out->outlet = outlets[i].outlet;
    out->variant = outlets[i].variants[gs_rng_below(r, (uint32_t)nv)];
    snprintf(out->term, sizeof(out->term), "%s", out->variant);
    out->evasion = "none";
    if (longest_word(out->variant, &at) > 0 && gs_rng_chance(r, 300))
        evade(out, (int)gs_rng_below(r, 3));
}
