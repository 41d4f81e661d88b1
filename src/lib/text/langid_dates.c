/*
 * text/langid_dates.c - Afghan solar dates as Dari evidence: a month name of
 * the Afghan solar calendar (حمل ثور جوزا ...) next to a day number, after
 * ماه / اول / اوایل / اواسط / اواخر, or before a 13xx/14xx year. Mirrors
 * afghan_dates() in data/langid/build_model.py character for character.
 */
#include <stddef.h>
#include <string.h>

#include "text/langid_internal.h"

/* The Afghan solar months (Iran names them فروردین ... اسفند). Alone most
 * of them are also ordinary Persian words (جدی "serious", سرطان "cancer",
 * میزان "amount", حمل "transport"), so only the date contexts count. */
static const char *const months[12] = {
    "حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله",
    "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت",
};
#define MIZAN 6          /* "amount": Iranian "میزان ۱۴۰۰ میلیارد", no year rule */

/* Words that lead a month name in a date: "ماه جدی", "اول حمل". */
static const char *const leads[5] = { "ماه", "اول", "اوایل", "اواسط", "اواخر" };

/* Decimal digit (ASCII, Arabic-Indic U+0660-0669, Persian U+06F0-06F9)
 * starting at t[i]: its value 0-9 and its length in *n, or -1. */
static int digit_at(const unsigned char *t, size_t i, size_t len, size_t *n)
{
    if (i < len && t[i] >= '0' && t[i] <= '9') {
        *n = 1;
        return t[i] - '0';
    }
    if (i + 1 < len && t[i] == 0xD9 && t[i + 1] >= 0xA0 && t[i + 1] <= 0xA9) {
        *n = 2;
        return t[i + 1] - 0xA0;
    }
    if (i + 1 < len && t[i] == 0xDB && t[i + 1] >= 0xB0 && t[i + 1] <= 0xB9) {
        *n = 2;
        return t[i + 1] - 0xB0;
    }
    return -1;
}

/* Length of the digit that ends just before t[i], or 0. */
static size_t digit_before(const unsigned char *t, size_t i)
{
    size_t n;

    if (i >= 1 && digit_at(t, i - 1, i, &n) >= 0 && n == 1)
        return 1;
    if (i >= 2 && digit_at(t, i - 2, i, &n) >= 0 && n == 2)
        return 2;
    return 0;
}

/* A letter-like character ends just before t[i]: U+0600-06FF (Arabic
 * block, its digits included), ZWNJ, an ASCII letter or digit. */
static int wordish_before(const unsigned char *t, size_t i)
{
    if (i == 0)
        return 0;
    if (t[i - 1] < 0x80)
        return (t[i - 1] >= '0' && t[i - 1] <= '9') ||
               ((t[i - 1] | 0x20) >= 'a' && (t[i - 1] | 0x20) <= 'z');
    if (i >= 2 && t[i - 2] >= 0xD8 && t[i - 2] <= 0xDB)
        return 1;
    return i >= 3 && t[i - 3] == 0xE2 && t[i - 2] == 0x80 && t[i - 1] == 0x8C;
}

/* The same test for the character starting at t[i]. */
static int wordish_at(const unsigned char *t, size_t i, size_t len)
{
    if (i >= len)
        return 0;
    if (t[i] < 0x80)
        return (t[i] >= '0' && t[i] <= '9') ||
               ((t[i] | 0x20) >= 'a' && (t[i] | 0x20) <= 'z');
    if (t[i] >= 0xD8 && t[i] <= 0xDB)
        return i + 1 < len;
    return i + 2 < len && t[i] == 0xE2 && t[i + 1] == 0x80 && t[i + 2] == 0x8C;
}

/* A day number (1 or 2 digits, one word) and spaces end at t[i]. */
static int day_before(const unsigned char *t, size_t i)
{
    size_t j = i, n, digits = 0;

    while (j > 0 && t[j - 1] == ' ')
        j--;
    if (j == i)
        return 0;
    while ((n = digit_before(t, j)) != 0) {
        j -= n;
        digits++;
    }
    return digits >= 1 && digits <= 2 && !wordish_before(t, j);
}

/* One of leads[] and spaces end at t[i]. */
static int lead_before(const unsigned char *t, size_t i)
{
    size_t j = i, k;

    while (j > 0 && t[j - 1] == ' ')
        j--;
    if (j == i)
        return 0;
    for (k = 0; k < sizeof leads / sizeof leads[0]; k++) {
        size_t n = strlen(leads[k]);

        if (j >= n && memcmp(t + j - n, leads[k], n) == 0 && !wordish_before(t, j - n))
            return 1;
    }
    return 0;
}

/* Spaces and a year 13xx or 14xx (four digits, one word) start at t[i]. */
static int year_after(const unsigned char *t, size_t i, size_t len)
{
    size_t j = i, n;
    int d[4], k;

    while (j < len && t[j] == ' ')
        j++;
    if (j == i)
        return 0;
    for (k = 0; k < 4; k++) {
        if ((d[k] = digit_at(t, j, len, &n)) < 0)
            return 0;
        j += n;
    }
    return d[0] == 1 && (d[1] == 3 || d[1] == 4) && !wordish_at(t, j, len);
}

unsigned vigil__langid_afghan_dates(const char *text, size_t len)
{
    const unsigned char *t = (const unsigned char *)text;
    unsigned points = 0;
    size_t i, m;

    for (i = 0; i + 1 < len; i++) {
        if (t[i] < 0xD8 || t[i] > 0xDB || wordish_before(t, i))
            continue;
        for (m = 0; m < 12; m++) {
            size_t n = strlen(months[m]);

            if (i + n > len || memcmp(t + i, months[m], n) != 0 ||
                wordish_at(t, i + n, len))
                continue;
            if (day_before(t, i) || lead_before(t, i) ||
                (m != MIZAN && year_after(t, i + n, len)))
                points += 2;
            break;
        }
    }
    return points;
}
