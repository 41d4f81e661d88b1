/*
 * text/langid_dates.c - Afghan solar dates as Dari evidence: a month name of
 * the Afghan solar calendar (حمل ثور جوزا ...) next to a day number, after
 * ماه / اول / اوایل / اواسط / اواخر, or before a 13xx/14xx year. Mirrors
 * afghan_dates() in data/langid/build_model.py. Names, numbers and leads
 * are whole tokens (runs of bytes above 0x20), so the scan is one pass.
 */
#include <stddef.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/langid_internal.h"

/* The Afghan solar months (Iran names them فروردین ... اسفند). Alone most
 * of them are also ordinary Persian words (جدی "serious", سرطان "cancer",
 * میزان "amount", حمل "transport"), so only the date contexts count. */
static const char *const months[12] = {
    "حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله",
    "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت",
};
static const unsigned char month_len[12] = { 6, 6, 8, 10, 6, 10, 10, 8, 6, 6, 6, 6 };
#define MIZAN 6          /* "amount": Iranian "میزان ۱۴۰۰ میلیارد", no year rule */

/* Words that lead a month name in a date: "ماه جدی", "اول حمل". */
static const char *const leads[5] = { "ماه", "اول", "اوایل", "اواسط", "اواخر" };

/* Decimal digit (ASCII, Arabic-Indic U+0660-0669, Persian U+06F0-06F9)
 * starting at t[i] (< n): its value 0-9 and its length in *k, or -1. */
static int digit_at(const unsigned char *t, size_t i, size_t n, size_t *k)
{
    if (t[i] >= '0' && t[i] <= '9') {
        *k = 1;
        return t[i] - '0';
    }
    if (i + 1 < n && t[i] == 0xD9 && t[i + 1] >= 0xA0 && t[i + 1] <= 0xA9) {
        *k = 2;
        return t[i + 1] - 0xA0;
    }
    if (i + 1 < n && t[i] == 0xDB && t[i + 1] >= 0xB0 && t[i + 1] <= 0xB9) {
        *k = 2;
        return t[i + 1] - 0xB0;
    }
    return -1;
}

/* Bytes of one trailing punctuation mark ending token [t, t + n): ASCII
 * . , : ; ! ? ) or the Arabic comma and semicolon; 0 if none. */
static size_t punct_tail(const unsigned char *t, size_t n)
{
    if (n >= 1 && t[n - 1] < 0x80 && strchr(".,:;!?)", t[n - 1]) && t[n - 1])
        return 1;
    if (n >= 2 && t[n - 2] == 0xD8 && (t[n - 1] == 0x8C || t[n - 1] == 0x9B))
        return 2;
    return 0;
}

/* Token made of digits only: their number (values in d[0..3] for the
 * first four), or 0. */
static size_t digits(const unsigned char *t, size_t n, int d[4])
{
    size_t i = 0, k, c = 0;
    int v;

    while (i < n) {
        if ((v = digit_at(t, i, n, &k)) < 0)
            return 0;
        if (c < 4)
            d[c] = v;
        c++;
        i += k;
    }
    return c;
}

/* Index of the month the token names (itself, or with one trailing
 * punctuation mark), or -1. The first letter picks the one or two
 * candidates, so most tokens cost a switch. */
static int month_of(const unsigned char *t, size_t n)
{
    int c[2] = { -1, -1 }, i;

    if (n < 6 || n > 12)
        return -1;
    if (t[0] == 0xD8) {
        switch (t[1]) {
        case 0xAD: c[0] = 0, c[1] = 11; break;      /* ح: حمل حوت */
        case 0xAB: c[0] = 1; break;                 /* ث: ثور */
        case 0xAC: c[0] = 2, c[1] = 9; break;       /* ج: جوزا جدی */
        case 0xB3: c[0] = 3, c[1] = 5; break;       /* س: سرطان سنبله */
        case 0xA7: c[0] = 4; break;                 /* ا: اسد */
        case 0xB9: c[0] = 7; break;                 /* ع: عقرب */
        case 0xAF: c[0] = 10; break;                /* د: دلو */
        default: return -1;
        }
    } else if (t[0] == 0xD9 && (t[1] == 0x85 || t[1] == 0x82)) {
        c[0] = t[1] == 0x85 ? 6 : 8;                /* م: میزان, ق: قوس */
    } else {
        return -1;
    }
    for (i = 0; i < 2 && c[i] >= 0; i++) {
        size_t l = month_len[c[i]], p = punct_tail(t, n);

        if ((l == n || l + p == n) && memcmp(t, months[c[i]], l) == 0)
            return c[i];
    }
    return -1;
}

/* A day number (1-2 digits) or one of leads[]. */
static int lead_token(const unsigned char *t, size_t n)
{
    int d[4];
    size_t c = digits(t, n, d), k;

    if (c >= 1 && c <= 2)
        return 1;
    for (k = 0; k < sizeof leads / sizeof leads[0]; k++)
        if (strlen(leads[k]) == n && memcmp(t, leads[k], n) == 0)
            return 1;
    return 0;
}

/* A year 13xx or 14xx (four digits, maybe one trailing punctuation mark). */
static int year_token(const unsigned char *t, size_t n)
{
    int d[4];

    if (n == 0 || digits(t, n - punct_tail(t, n), d) != 4)
        return 0;
    return d[0] == 1 && (d[1] == 3 || d[1] == 4);
}

/* End of the token starting at t[i]: the first byte <= 0x20 from i on, or
 * len. SSE2 takes 16 bytes a step (unsigned min: x <= 0x20 iff
 * min(x, 0x20) == x). */
static size_t tok_end(const unsigned char *t, size_t i, size_t len)
{
#if defined(__SSE2__)
    const __m128i sp = _mm_set1_epi8(0x20);

    while (len - i >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, sp), x));

        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#endif
    while (i < len && t[i] > 0x20)
        i++;
    return i;
}

unsigned vigil__langid_afghan_dates(const char *text, size_t len)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t i = 0, s, e, ps = 0, pe = 0, j, k;
    unsigned points = 0;
    int m;

    /* tokens: runs of bytes above 0x20 (white space and controls split) */
    while (i < len) {
        while (i < len && t[i] <= 0x20)
            i++;
        if (i == len)
            break;
        s = i;
        e = i = tok_end(t, i, len);
        if ((m = month_of(t + s, e - s)) >= 0) {
            int ok = pe > ps && lead_token(t + ps, pe - ps);

            if (!ok && m != MIZAN) {
                for (j = e; j < len && t[j] <= 0x20; j++)
                    ;
                k = tok_end(t, j, len);
                ok = year_token(t + j, k - j);
            }
            points += ok ? 2u : 0u;
        }
        ps = s;
        pe = e;
    }
    return points;
}
