/*
 * tests/unit/text/test_langid_dates.c - the Afghan solar date rule of the
 * Dari-vs-Farsi decision: which contexts count (day number, ماه/اول...,
 * 13xx/14xx year), which do not (the same words as ordinary Persian), and
 * its effect on the label.
 */
#include <string.h>

#include "test.h"
#include "text/langid_internal.h"
#include "vigil/langid.h"

static unsigned pts(const char *s)
{
    return vigil__langid_afghan_dates(s, strlen(s));
}

static const char *top1(const char *s)
{
    static vigil_langid_guess g[2];
    size_t n = 0;

    if (vigil_langid_identify(g, 2, &n, s, strlen(s)) != 0 || n == 0)
        return "(error)";
    return g[0].label;
}

static void test_contexts(void)
{
    /* counted: a day number (Persian, Arabic-Indic or ASCII digits), a lead
     * word, a solar year after the name */
    CHECK_EQ_INT(pts("این مسابقات از ۱۵ سنبله آغاز میشود"), 2);
    CHECK_EQ_INT(pts("در ٢ ثور برگزار شد"), 2);
    CHECK_EQ_INT(pts("از 9 دلو تا 3 حوت"), 4);
    CHECK_EQ_INT(pts("امتحان در ماه جدی برگزار میشود"), 2);
    CHECK_EQ_INT(pts("از اول حمل آغاز میشود"), 2);
    CHECK_EQ_INT(pts("در اواخر میزان باران بارید"), 2);
    CHECK_EQ_INT(pts("قوس 1401 سرد بود"), 2);
    CHECK_EQ_INT(pts("در ۲۳ عقرب ۱۴۰۲ برگزار شد"), 2);
    CHECK_EQ_INT(pts("جوزا  ۱۳۹۹"), 2);
    /* not counted: the same words as ordinary Persian */
    CHECK_EQ_INT(pts("به میزان ۱۴۰۰ میلیارد تومان"), 0);
    CHECK_EQ_INT(pts("هزینه حمل از بنادر جنوبی"), 0);
    CHECK_EQ_INT(pts("یک برنامه جدی است"), 0);
    CHECK_EQ_INT(pts("سرطان 1500 بار"), 0);          /* not a solar year */
    CHECK_EQ_INT(pts("در ۱۲۳ سنبله"), 0);            /* three digits: no day */
    CHECK_EQ_INT(pts("در ۱۴۰۲۵ سنبله"), 0);
    CHECK_EQ_INT(pts("سنبله ۱۴۰۲۵"), 0);
    CHECK_EQ_INT(pts("۱۵میزان"), 0);                 /* no space: one token */
    CHECK_EQ_INT(pts("ماهجدی"), 0);
    CHECK_EQ_INT(pts("کماه جدی"), 0);                /* lead inside a word */
    CHECK_EQ_INT(pts("در ماه جدی‌ها"), 0);           /* name inside a word */
    CHECK_EQ_INT(pts("a15 سنبله"), 0);
    CHECK_EQ_INT(pts("سنبله"), 0);
    CHECK_EQ_INT(pts(""), 0);
    /* cut inside a UTF-8 character: no read past len, no match */
    CHECK_EQ_INT(vigil__langid_afghan_dates("۱۵ سنبله", strlen("۱۵ سنبله") - 1), 0);
}

static void test_label(void)
{
    /* a date alone makes formal Persian Dari; the same sentence with the
     * Iranian month or without a date stays Farsi */
    CHECK_EQ_STR(top1("جلسه بعدی شورای شهر در ۱۵ سنبله برگزار می‌شود"), "prs-Arab");
    CHECK_EQ_STR(top1("جلسه بعدی شورای شهر در ۱۵ شهریور برگزار می‌شود"), "pes-Arab");
    CHECK_EQ_STR(top1("جلسه بعدی شورای شهر به میزان زیادی برگزار می‌شود"), "pes-Arab");
}

int main(int argc, char **argv)
{
    static const test_case cases[] = {
        { "contexts", test_contexts },
        { "label", test_label },
        { NULL, NULL },
    };

    return test_main(argc, argv, cases);
}
