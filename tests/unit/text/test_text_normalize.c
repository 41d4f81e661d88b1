/*
 * tests/unit/text/test_text_normalize.c - one case per evasion the
 * normaliser undoes (NFKC, case, Arabic-script variants, tatweel, harakat,
 * ZWNJ/ZWJ, homoglyphs, separators, leetspeak) and the offset map.
 */
#include "test.h"

#include <string.h>

#include "vigil/text.h"

static vigil_normalizer *nz;
static vigil_norm_text nt = VIGIL_NORM_TEXT_INIT;

static const char *norm(const char *s)
{
    static char out[160];

    if (vigil_text_normalize(&nt, nz, s, strlen(s), 0) != VIGIL_OK)
        return "(error)";
    snprintf(out, sizeof(out), "%s", nt.text);
    return out;
}

static void same(const char *a, const char *b)
{
    char x[160];

    snprintf(x, sizeof(x), "%s", norm(a));
    CHECK_EQ_STR(x, norm(b));
}

static void test_text_normalize__nfkc_case(void)
{
    CHECK_EQ_STR(norm("KHORASAN"), "khorasan");
    CHECK_EQ_STR(norm("\xEF\xBC\xAB\xEF\xBD\x88\xEF\xBD\x8F"), "kho"); /* ＫｈＯ */
    CHECK_EQ_STR(norm("\xF0\x9D\x90\x8A\xF0\x9D\x90\xA1"), "kh");      /* 𝐊𝐡 */
    CHECK_EQ_STR(norm("Khor\xC4\x81s\xC4\x81n"), "khorasan");           /* ā */
    CHECK_EQ_STR(norm("Khora\xCC\x84san"), "khorasan");   /* combining macron */
    /* m with marks and fullwidth m: the letter, not its UTS #39 skeleton
     * "rn" (ḿ ṃ ｍ ᵐ) */
    CHECK_EQ_STR(norm("a\xE1\xB8\xBF a\xE1\xB9\x83 a\xEF\xBD\x8D a\xE1\xB5\x90"),
                 "am am am am");
    CHECK_EQ_STR(norm("\xEF\xBC\xA1\xEF\xBD\x8D\xEF\xBD\x81\xEF\xBD\x91"), "amaq");
}

static void test_text_normalize__arabic_variants(void)
{
    /* ي ی ى */
    same("\xD8\xB5\xD8\xAF\xD8\xA7\xD9\x8A", "\xD8\xB5\xD8\xAF\xD8\xA7\xDB\x8C");
    same("\xD8\xB5\xD8\xAF\xD8\xA7\xD9\x89", "\xD8\xB5\xD8\xAF\xD8\xA7\xDB\x8C");
    /* ك ک */
    same("\xD9\x83\xD8\xAA\xD8\xA7\xD8\xA8", "\xDA\xA9\xD8\xAA\xD8\xA7\xD8\xA8");
    /* ه ە ہ ۀ */
    same("\xD8\xB1\xD8\xA7\xD9\x87", "\xD8\xB1\xD8\xA7\xDB\x95");
    same("\xD8\xB1\xD8\xA7\xD9\x87", "\xD8\xB1\xD8\xA7\xDB\x81");
    same("\xD8\xB1\xD8\xA7\xD9\x87", "\xD8\xB1\xD8\xA7\xDB\x80");
    /* presentation form ﻙ (U+FED9) -> ك */
    same("\xEF\xBB\x99", "\xD9\x83");
}

static void test_text_normalize__tatweel_harakat_zw(void)
{
    /* العزائم with tatweel, with harakat, with ZWNJ and ZWJ inside */
    const char *plain = "\xD8\xA7\xD9\x84\xD8\xB9\xD8\xB2\xD8\xA7\xD8\xA6\xD9\x85";
    same(plain, "\xD8\xA7\xD9\x84\xD8\xB9\xD9\x80\xD9\x80\xD8\xB2\xD8\xA7\xD8"
                "\xA6\xD9\x85");
    same(plain, "\xD8\xA7\xD9\x84\xD8\xB9\xD9\x8E\xD8\xB2\xD9\x8E\xD8\xA7\xD8"
                "\xA6\xD9\x90\xD9\x85");
    same(plain, "\xD8\xA7\xD9\x84\xD8\xB9\xE2\x80\x8C\xD8\xB2\xD8\xA7\xE2\x80"
                "\x8D\xD8\xA6\xD9\x85");
    CHECK_EQ_INT(strlen(norm(plain)), strlen(plain));
}

/* Indic vowel signs (spacing marks, ा ि ी ...) are dropped like harakat,
 * never separators: अमाक is one word, and "अम काम" stays two. */
static void test_text_normalize__indic_vowel_signs(void)
{
    CHECK_EQ_STR(norm("\xE0\xA4\x85\xE0\xA4\xAE\xE0\xA4\xBE\xE0\xA4\x95"), "\xE0\xA4\x85\xE0\xA4\xAE\xE0\xA4\x95");
    CHECK_EQ_STR(norm("\xE0\xA4\x85\xE0\xA4\xAE \xE0\xA4\x95\xE0\xA4\xBE"
"\xE0\xA4\xAE"), "\xE0\xA4\x85\xE0\xA4\xAE \xE0\xA4\x95\xE0\xA4\xAE");
}

static void test_text_normalize__homoglyphs(void)
{
    /* Cyrillic а о е р с, Greek ο Κ, Latin dotless ı */
    CHECK_EQ_STR(norm("Khur\xD0\xB0s\xD0\xB0n"), "khurasan");
    CHECK_EQ_STR(norm("Kh\xCE\xBFr\xD0\xB0s\xD0\xB0n"), "khorasan");
    CHECK_EQ_STR(norm("\xCE\x9Ahorasan"), "khorasan");
    CHECK_EQ_STR(norm("\xD0\x9Ahorasan"), "khorasan");       /* Cyrillic К */
    CHECK_EQ_STR(norm("V\xD0\xBE\xD1\x96\xD1\x81\xD0\xB5"), "voice");
    same("Hal\xC4\xB1mmu", "Halimmu");
    /* a precomposed accented look-alike reads as its plain letter: Амаќ,
     * АМАЌ (U+045C, U+040C) as Амак; ѐ as е */
    same("\xD0\x90\xD0\xBC\xD0\xB0\xD1\x9C", "\xD0\x90\xD0\xBC\xD0\xB0\xD0\xBA");
    same("\xD0\x90\xD0\x9C\xD0\x90\xD0\x8C", "\xD0\x90\xD0\xBC\xD0\xB0\xD0\xBA");
    same("\xD1\x90", "\xD0\xB5");
    /* Greek letters by their own case: capital Ν is N and small ν is v,
     * Η is H and small η is n ("ΝEWS", "Khurasaη"); Greek Αmαq */
    CHECK_EQ_STR(norm("\xCE\x9D" "EWS Khurasa\xCE\xB7"), "news khurasan");
    CHECK_EQ_STR(norm("\xCE\xBD \xCE\x97"), "v h");
    CHECK_EQ_STR(norm("\xCE\x91m\xCE\xB1q"), "amaq");
    /* "fancy text" look-alikes from scripts never used for terms: Lisu
     * ꓮꓟꓮ, Canadian syllabics ᗅᗰᗅ; and the math Greek capitals 𝚨𝚳𝚨,
     * read as Greek in their own case (𝚮 is H, not the η of case folding) */
    CHECK_EQ_STR(norm("\xEA\x93\xAE\xEA\x93\x9F\xEA\x93\xAEQ"), "amaq");
    CHECK_EQ_STR(norm("\xE1\x97\x85\xE1\x97\xB0\xE1\x97\x85Q"), "amaq");
    CHECK_EQ_STR(norm("\xF0\x9D\x9A\xA8\xF0\x9D\x9A\xB3\xF0\x9D\x9A\xA8" "Q"), "amaq");
    CHECK_EQ_STR(norm("\xF0\x9D\x9A\xAE"), "h");
}

static void test_text_normalize__separators(void)
{
    CHECK_EQ_STR(norm("K.h.o.r.a.s.a.n"), "khorasan");
    CHECK_EQ_STR(norm("K-h-o-r-a-s-a-n Ghag"), "khorasan ghag");
    CHECK_EQ_STR(norm("A l - A z a i m"), "alazaim");
    CHECK_EQ_STR(norm("K h o r a s a n"), "khorasan");
    CHECK_EQ_STR(norm("Kh o r a s a n"), "khorasan");
    /* a letter doubled or stretched inside the spelling is one letter of
     * it; alone, such a word stays a word */
    CHECK_EQ_STR(norm("A l - A z a i mmm today"), "alazaim today");
    CHECK_EQ_STR(norm("K h o rr a s a n"), "khorasan");
    CHECK_EQ_STR(norm("I said mmm ok"), "i said m ok");
    /* ... also between dots, fullwidth or mixed separators and ZWNJ, and
     * one letter repeated before the spelling */
    CHECK_EQ_STR(norm("S.a.w.a.l.ll.l.G.h.a.r"), "sawalghar");
    CHECK_EQ_STR(norm("K\xEF\xBC\x8Dh\xEF\xBC\x8Dh-u-r-a-s-a-n"), "khurasan");
    CHECK_EQ_STR(norm("F\xE2\x80\x8C*u\xE2\x80\x8C*u*u*r*s*a*n"), "fursan");
    CHECK_EQ_STR(norm("KKK h u r a s a n"), "khurasan");
    same("\xD0\xB0-\xD0\xB0\xD0\xB0-\xD0\xB1", "\xD0\xB0-\xD0\xB1");
    CHECK_EQ_STR(norm("okaa.Amaq"), "okaamaq");    /* not one spelling */
    CHECK_EQ_STR(norm("so mmm, a b c"), "so m abc");
    /* blanks posted as spaces (Braille blank, Hangul fillers), and a
     * backslash like a slash */
    CHECK_EQ_STR(norm("A\xE2\xA0\x80m\xE2\xA0\x80" "a\xE2\xA0\x80q"), "amaq");
    CHECK_EQ_STR(norm("news\xE3\x85\xA4" "Amaq"), "news amaq");
    CHECK_EQ_STR(norm("news\xEF\xBE\xA0" "A\xEF\xBE\xA0m\xEF\xBE\xA0"
                      "a\xEF\xBE\xA0q"),
                 "news amaq");
    CHECK_EQ_STR(norm("A\\m\\a\\q"), "amaq");
    /* any ASCII punctuation between single letters joins like a dot
     * ("K,h,o"); next to a longer word it stays punctuation */
    CHECK_EQ_STR(norm("K,h,o,r,a,s,a,n"), "khorasan");
    CHECK_EQ_STR(norm("news A;m;a;q, A:m:a:q!"), "news amaq amaq");
    CHECK_EQ_STR(norm("x,Amaq,y"), "x amaq y");
    CHECK_EQ_STR(norm("ab, c,d xyz"), "ab cd xyz");
    /* a list of single letters, one mark and a space between them, is a
     * spelled-out run; a list of two keeps its mark */
    CHECK_EQ_STR(norm("K, h, o, r, a, s, a, n"), "khorasan");
    CHECK_EQ_STR(norm("news A; m; a; q today"), "news amaq today");
    CHECK_EQ_STR(norm("plan B, A m a q"), "plan b amaq");
    CHECK_EQ_STR(norm("x, y, Amaq"), "x y amaq");
    /* in every script, with ASCII or the script's own marks (Arabic
     * comma U+060C, fullwidth comma U+FF0C) */
    same("\xD0\xA1,\xD0\xB0,\xD0\xB4,\xD0\xBE", "\xD0\xA1\xD0\xB0\xD0\xB4\xD0\xBE");
    same("\xD8\xB9\xD8\x8C\xD9\x85\xD8\x8C\xD8\xA7\xD8\x8C\xD9\x82",
         "\xD8\xB9\xD9\x85\xD8\xA7\xD9\x82");
    same("\xD8\xB9\xD8\x8C \xD9\x85\xD8\x8C \xD8\xA7\xD8\x8C \xD9\x82",
         "\xD8\xB9\xD9\x85\xD8\xA7\xD9\x82");
    CHECK_EQ_STR(norm("A\xEF\xBC\x8Cm\xEF\xBC\x8C" "a\xEF\xBC\x8Cq"), "amaq");
    /* a letter with its vowel signs or harakat counts as one: Devanagari
     * "अ,मा,क", Arabic "أَ،عْ،مَ،ا،قُ" */
    same("\xE0\xA4\x85,\xE0\xA4\xAE\xE0\xA4\xBE,\xE0\xA4\x95",
         "\xE0\xA4\x85\xE0\xA4\xAE\xE0\xA4\xBE\xE0\xA4\x95");
    same("\xD8\xA3\xD9\x8E\xD8\x8C\xD8\xB9\xD9\x92\xD8\x8C\xD9\x85\xD9\x8E"
         "\xD8\x8C\xD8\xA7\xD8\x8C\xD9\x82\xD9\x8F",
         "\xD8\xA3\xD8\xB9\xD9\x85\xD8\xA7\xD9\x82");
    /* a run of up to three marks between single letters, too */
    CHECK_EQ_STR(norm("news A::m::a::q today"), "news amaq today");
    CHECK_EQ_STR(norm("A].[m].[a].[q"), "amaq");
    CHECK_EQ_STR(norm("A!!m?!a,.q"), "amaq");
    CHECK_EQ_STR(norm("e.g., a test"), "eg a test");
    /* the leet signs too, between single letters ("Az@im" stays leet) */
    CHECK_EQ_STR(norm("news A!m!a!q today"), "news amaq today");
    CHECK_EQ_STR(norm("news K$h$o$r today"), "news khor today");
    CHECK_EQ_STR(norm("news A@m@a@q today"), "news amaq today");
    CHECK_EQ_STR(norm("Az@im Nash!r"), "azaim nashir");
    /* a sign after a single letter that a sign read as a letter made
     * single is a letter too; a chain starts at a single letter */
    CHECK_EQ_STR(norm("Khur@s@n Kh@r@s@n"), "khurasan kharasan");
    CHECK_EQ_STR(norm("Nash!r!m Ma$a$l"), "nashirim masasl");
    CHECK_EQ_STR(norm("x A@m@a@q"), "x amaq");
    /* a sign as a letter of a name spelled out with one separator: inside
     * the run, past other signs, first or last ("@.m.a.q", "N.@.b.@") */
    CHECK_EQ_STR(norm("news K.h.o.r.@.$.@.n today"), "news khorasan today");
    CHECK_EQ_STR(norm("K-h-o-r-a-$-a-n G-h-@-g"), "khorasan ghag");
    CHECK_EQ_STR(norm("news @.m.@.q today"), "news amaq today");
    CHECK_EQ_STR(norm("A.l.N.@.b.@"), "alnaba");
    CHECK_EQ_STR(norm("A l N @ b @ today"), "alnaba today");
    CHECK_EQ_STR(norm("$.a.d.o.!"), "sadoi");
    CHECK_EQ_STR(norm("K - h - @ - g"), "khag");
    CHECK_EQ_STR(norm("A__m__@__q"), "amaq");
    CHECK_EQ_STR(norm("A\xF0\x9F\x94\xA5m\xF0\x9F\x94\xA5@\xF0\x9F\x94\xA5q"), "amaq");
    /* format characters the normaliser drops, between signs and after
     * them: "r\u200b@\u200b$\u200b@\u200bn" */
    CHECK_EQ_STR(norm("Khur\xE2\x80\x8B@\xE2\x80\x8B$\xE2\x80\x8B@\xE2\x80\x8Bn"),
                 "khurasan");
    /* a sign with other separators or words around stays punctuation */
    CHECK_EQ_STR(norm("e.g. @user"), "eg user");
    CHECK_EQ_STR(norm("Price 5 $ . 3"), "price s e");
    CHECK_EQ_STR(norm("me @ home, ab @ cd"), "me home ab cd");
    CHECK_EQ_STR(norm("x.@-y.z"), "xyz");
    /* letters spelled out in brackets, as NFKC reads the enclosed forms;
     * other brackets stay punctuation */
    CHECK_EQ_STR(norm("news [A][m][a][q] today"), "news amaq today");
    CHECK_EQ_STR(norm("news (A) (m) (a) (q) today"), "news amaq today");
    CHECK_EQ_STR(norm("(K) h o r, (ab) c d e"), "khor ab cde");
    /* emoji between the letters, as between words */
#define FIRE "\xF0\x9F\x94\xA5"
    CHECK_EQ_STR(norm("A" FIRE "m" FIRE "a" FIRE "q"), "amaq");
#undef FIRE
    CHECK_EQ_STR(norm("I \xE2\x9D\xA4\xEF\xB8\x8F my cat"), "i my cat");
    /* spelled out after a prefix that ends in the name's first letter */
    CHECK_EQ_STR(norm("al-N a b a"), "alnaba");
    /* ... but never across punctuation */
    CHECK_EQ_STR(norm("al-N a b a: hr"), "alnaba hr");
    CHECK_EQ_STR(norm("T r a n s l a t i o n \xE2\x86\x92 1"), "translation i");
    CHECK_EQ_STR(norm("the U-N a b c"), "the unabc");
    CHECK_EQ_STR(norm("K_h_o_r \xC2\xB7 a s a n"), "khorasan");
    CHECK_EQ_STR(norm("Al-Aza'im"), "alazaim");
    CHECK_EQ_STR(norm("I\xE2\x80\x99lam"), "ilam");
    /* ordinary prose keeps its words apart, whatever order the separators
     * of a run come in */
    CHECK_EQ_STR(norm("the  radio,  I think; a day"), "the radio i think a day");
    CHECK_EQ_STR(norm("end. Next -one two- four"), "end next one two four");
    CHECK_EQ_STR(norm("ab.cd x - yz"), "abcd x yz");
}

static void test_text_normalize__leetspeak(void)
{
    CHECK_EQ_STR(norm("Kh0r4s4n"), "khorasan");
    CHECK_EQ_STR(norm("V01c3 0f KHUR@5AN"), "voice of khurasan");
    CHECK_EQ_STR(norm("Al-Az@im"), "alazaim");
    CHECK_EQ_STR(norm("$ 5"), "s");     /* lone '$' is not a letter */
    /* ! for i inside a word, before a lower-case letter only */
    CHECK_EQ_STR(norm("Nash!r V0!ce"), "nashir voice");
    CHECK_EQ_STR(norm("Breaking!Amaq wow! yes"), "breaking amaq wow yes");
}

/* A letter three times or more in a row is one (stretched for emphasis or
 * to dodge filters); a doubled ASCII letter is one too, ee i and oo u
 * (romanisations of Arabic names), but not vv (w) nor a doubled letter of
 * another script, nor two letters the normaliser joined; the offset map
 * keeps the run's first letter. */
static void test_text_normalize__stretched_letters(void)
{
    const char *s = "Amaaaaq Halummu \xD8\xA3\xD8\xB9\xD9\x85\xD8\xA7\xD8\xA7"
                    "\xD8\xA7\xD9\x82 zzz";

    CHECK_EQ_STR(norm("Hallummu Tawheed Yoosuf Eeee Tavvhid"),
                 "halumu tawhid yusuf e tavvhid");
    /* Cyrillic Халумму as Халуму (л has no ASCII skeleton), look-alike
     * and leet oo, ee as Latin ones; الله keeps its doubled lam */
    same("\xD0\xA5\xD0\xB0\xD0\xBB\xD1\x83\xD0\xBC\xD0\xBC\xD1\x83",
         "\xD0\xA5\xD0\xB0\xD0\xBB\xD1\x83\xD0\xBC\xD1\x83");
    same("\xD0\x90\xD0\xBB\xD0\xBB\xD0\xB0\xD1\x85",
         "\xD0\x90\xD0\xBB\xD0\xB0\xD1\x85");
    CHECK_EQ_STR(norm("S\xD0\xBE\xD0\xBEn Nash33r"), "sun nashir");
    CHECK_EQ_STR(norm("\xD8\xA7\xD9\x84\xD9\x84\xD9\x87"),
                 "\xD8\xA7\xD9\x84\xD9\x84\xD9\x87");
    /* a doubled Cyrillic letter is one, whatever its skeleton: Хуроосон
     * (оо, not the u of Latin oo), Аззоим (з: 3, e), Садоии (и: one
     * three-byte letter), Аъъмоқ and Ньююс (ъ, ю: two characters), Набба
     * (б: the digit 6), and a doubled last letter before a space (Амакк) */
    same("\xD0\xA5\xD1\x83\xD1\x80\xD0\xBE\xD0\xBE\xD1\x81\xD0\xBE\xD0\xBD",
         "\xD0\xA5\xD1\x83\xD1\x80\xD0\xBE\xD1\x81\xD0\xBE\xD0\xBD");
    same("\xD0\x90\xD0\xB7\xD0\xB7\xD0\xBE\xD0\xB8\xD0\xBC",
         "\xD0\x90\xD0\xB7\xD0\xBE\xD0\xB8\xD0\xBC");
    same("\xD0\xA1\xD0\xB0\xD0\xB4\xD0\xBE\xD0\xB8\xD0\xB8",
         "\xD0\xA1\xD0\xB0\xD0\xB4\xD0\xBE\xD0\xB8");
    same("\xD0\x90\xD1\x8A\xD1\x8A\xD0\xBC\xD0\xBE\xD2\x9B",
         "\xD0\x90\xD1\x8A\xD0\xBC\xD0\xBE\xD2\x9B");
    same("\xD0\x9D\xD1\x8C\xD1\x8E\xD1\x8E\xD1\x81",
         "\xD0\x9D\xD1\x8C\xD1\x8E\xD1\x81");
    same("\xD0\x9D\xD0\xB0\xD0\xB1\xD0\xB1\xD0\xB0",
         "\xD0\x9D\xD0\xB0\xD0\xB1\xD0\xB0");
    same("\xD0\x90\xD0\xBC\xD0\xB0\xD0\xBA\xD0\xBA \xD1\x82\xD0\xB0\xD0\xB3",
         "\xD0\x90\xD0\xBC\xD0\xB0\xD0\xBA \xD1\x82\xD0\xB0\xD0\xB3");
    /* fullwidth digits read as ASCII ones, leet included */
    same("\xEF\xBC\x97\xEF\xBC\x97 \xEF\xBC\x99\xEF\xBC\x99", "77 99");
    /* words the normaliser joined keep the letters that meet ("al.la",
     * "okaa.Amaq"); a name spelled out with a doubled letter folds it */
    CHECK_EQ_STR(norm("al.la okaa.Amaq Ll"), "alla okaamaq l");
    CHECK_EQ_STR(norm("A_z_a_a_i_m"), "azaim");
    /* also with look-alikes (Cyrillic е); not where a ZWNJ only hides a
     * neighbouring letter (а<ZWNJ>т-Т<ZWNJ>а) */
    CHECK_EQ_STR(norm("T.a.w.h.\xD0\xB5.\xD0\xB5.d"), "tawhid");
    CHECK_EQ_STR(norm("\xD0\xB0\xE2\x80\x8C\xD1\x82-\xD0\xA2\xE2\x80\x8C\xD0\xB0"),
                 "atta");
    CHECK_EQ_STR(norm(s), "amaq halumu \xD8\xA7\xD8\xB9\xD9\x85\xD8\xA7\xD9\x82 z");
    CHECK_OK(vigil_text_normalize(&nt, nz, s, strlen(s), 0));
    CHECK_EQ_INT(nt.map[2], 2);         /* the first a of the run */
    CHECK_EQ_INT(nt.map[3], 6);         /* q */
    CHECK_EQ_INT(nt.map[nt.len - 1], (long)strlen(s) - 3);
    CHECK_EQ_INT(nt.map[nt.len], (long)strlen(s));
}

/* Letters of text generators' "fonts" that NFKC leaves alone: small
 * capitals (ᴀᴍᴀǫ ɴᴇᴡꜱ, ǫ for q), negative circled and negative squared
 * capitals (🅐🅜, 🅰🅼🅰🆀). */
static void test_text_normalize__styled_letters(void)
{
    CHECK_EQ_STR(norm("\xE1\xB4\x80\xE1\xB4\x8D\xE1\xB4\x80\xC7\xAB "
                      "\xC9\xB4\xE1\xB4\x87\xE1\xB4\xA1\xEA\x9C\xB1"),
                 "amaq news");
    CHECK_EQ_STR(norm("\xF0\x9F\x85\x90\xF0\x9F\x85\x9C\xF0\x9F\x85\x90"
                      "\xF0\x9F\x85\xA0"), "amaq");
    CHECK_EQ_STR(norm("\xF0\x9F\x85\xB0\xF0\x9F\x85\xBC\xF0\x9F\x85\xB0"
                      "\xF0\x9F\x86\x80"), "amaq");
    /* regional indicator letters spelled out ("🇦 🇲 🇦 🇶") read as
     * letters; two side by side are a flag (🇦🇫) and stay a symbol */
    CHECK_EQ_STR(norm("\xF0\x9F\x87\xA6 \xF0\x9F\x87\xB2 \xF0\x9F\x87\xA6 \xF0\x9F\x87\xB6"), "amaq");
    CHECK_EQ_STR(norm("x \xF0\x9F\x87\xA6\xF0\x9F\x87\xB2\xF0\x9F\x87\xA6\xF0\x9F\x87\xB6 y"), "x y");
    /* the rest of the block stays as it was: ᴁ (small ae) is a letter */
    CHECK_EQ_STR(norm("x\xE1\xB4\x81y"), "x\xE1\xB4\x81y");
}

/* A bidi override that shows its span reversed (U+202E before Latin
 * letters, U+202D before Arabic ones) is read as shown, up to PDF; the map
 * points at each letter's own bytes. RTL letters under U+202E, or a span
 * mixing both directions, stay as they are. */
static void test_text_normalize__bidi_override(void)
{
    const char *s = "x \xE2\x80\xAEnasaruhk fo eciov\xE2\x80\xAC new";
    const char *v = strstr(s, "eciov") + 4;

    CHECK_EQ_STR(norm(s), "x voice of khurasan new");
    CHECK_OK(vigil_text_normalize(&nt, nz, s, strlen(s), 0));
    CHECK_EQ_INT(nt.map[2], v - s);                 /* v */
    CHECK_EQ_INT(nt.map[nt.len - 5], strstr(s, "nasa") - s);  /* n */
    CHECK_EQ_INT(nt.map[nt.len], (long)strlen(s));
    /* العزائم under U+202E; its letters reversed under U+202D */
    same("\xE2\x80\xAE\xD8\xA7\xD9\x84\xD8\xB9\xD8\xB2\xD8\xA7\xD8\xA6\xD9\x85",
         "\xD8\xA7\xD9\x84\xD8\xB9\xD8\xB2\xD8\xA7\xD8\xA6\xD9\x85");
    same("\xE2\x80\xAD\xD9\x85\xD8\xA6\xD8\xA7\xD8\xB2\xD8\xB9\xD9\x84\xD8\xA7",
         "\xD8\xA7\xD9\x84\xD8\xB9\xD8\xB2\xD8\xA7\xD8\xA6\xD9\x85");
    /* a mark stays on its letter; a mixed span stays in order */
    same("\xE2\x80\xAEqa\xCC\x81mA", "Ama\xCC\x81q");
    CHECK_EQ_STR(norm("\xE2\x80\xAE" "cba \xD8\xA7\xD9\x84"),
                 "cba \xD8\xA7\xD9\x84");
    /* invalid UTF-8 in the span: kept in order (reversed, 0x90 0xD0 would
     * read as Cyrillic A, a letter in neither order, and the offsets of
     * "amaq" ran past the text; text_scan fuzzer, 2026-11-27) */
    {
        static const char bad[] = "\xE2\x80\xAEqam\x90\xD0";
        size_t i;

        CHECK_OK(vigil_text_normalize(&nt, nz, bad, sizeof(bad) - 1, 0));
        CHECK_EQ_STR(nt.text, "qam");
        for (i = 0; i <= nt.len; i++)
            CHECK(nt.map[i] <= sizeof(bad) - 1);
    }
}

static void test_text_normalize__offsets(void)
{
    const char *s = "x \xD0\x9A.h.o \xD8\xB9\xD9\x80\xD9\x8E\xD8\xB2 y";
    size_t i;

    CHECK_OK(vigil_text_normalize(&nt, nz, s, strlen(s), 0));
    CHECK_EQ_STR(nt.text, "x kho \xD8\xB9\xD8\xB2 y");
    CHECK_EQ_INT(nt.map[2], 2);         /* k <- Cyrillic К at byte 2 */
    CHECK_EQ_INT(nt.map[3], 5);         /* h */
    CHECK_EQ_INT(nt.map[6], 9);         /* ع */
    CHECK_EQ_INT(nt.map[8], 15);        /* ز after tatweel and fatha */
    CHECK_EQ_INT(nt.map[nt.len], strlen(s));
    for (i = 1; i < nt.len; i++)
        CHECK(nt.map[i] >= nt.map[i - 1]);
}

static void test_text_normalize__bad_utf8_and_limits(void)
{
    static const char bad[] = "ab\xFF\xC0\x80 cd\xE2\x82";
    CHECK_OK(vigil_text_normalize(&nt, nz, bad, sizeof(bad) - 1, 0));
    CHECK_EQ_STR(nt.text, "ab cd");
    CHECK_OK(vigil_text_normalize(&nt, nz, "", 0, 0));
    CHECK_EQ_INT(nt.len, 0);
    CHECK_EQ_INT(vigil_text_normalize(&nt, nz, "x",
                                      (size_t)VIGIL_TEXT_MAX_BYTES + 1, 0),
                 VIGIL_ELIMIT);
}

static void test_text_normalize__term_mode(void)
{
    CHECK_OK(vigil_text_normalize(&nt, nz, "Al-Azaim", 8, VIGIL_NORM_TERM));
    CHECK_EQ_STR(nt.text, "al azaim");
}

int main(int argc, char **argv)
{
    static const test_case cases[] = {
        { "test_text_normalize__nfkc_case", test_text_normalize__nfkc_case },
        { "test_text_normalize__arabic_variants",
          test_text_normalize__arabic_variants },
        { "test_text_normalize__tatweel_harakat_zw",
          test_text_normalize__tatweel_harakat_zw },
        { "test_text_normalize__homoglyphs", test_text_normalize__homoglyphs },
        { "test_text_normalize__separators", test_text_normalize__separators },
        { "test_text_normalize__leetspeak", test_text_normalize__leetspeak },
        { "test_text_normalize__styled_letters",
          test_text_normalize__styled_letters },
        { "test_text_normalize__stretched_letters",
          test_text_normalize__stretched_letters },
        { "test_text_normalize__bidi_override",
          test_text_normalize__bidi_override },
        { "test_text_normalize__indic_vowel_signs",
          test_text_normalize__indic_vowel_signs },
        { "test_text_normalize__offsets", test_text_normalize__offsets },
        { "test_text_normalize__bad_utf8_and_limits",
          test_text_normalize__bad_utf8_and_limits },
        { "test_text_normalize__term_mode", test_text_normalize__term_mode },
        { NULL, NULL }
    };
    int rc;

    if (vigil_normalizer_new(&nz) != VIGIL_OK)
        return 1;
    rc = test_main(argc, argv, cases);
    vigil_norm_text_dispose(&nt);
    vigil_normalizer_free(nz);
    return rc;
}
