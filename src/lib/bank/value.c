/*
 * bank/value.c - the stored form of bank entry values: digests (pdq, md5,
 * sha256) as raw bytes in bank_entries.value, hex at the edges (lists,
 * match queries, export).
 */
#define VIGIL_MODULE "bank"
#include <string.h>

#include "bank/bank_internal.h"
#include "common/error.h"

int vigil_bank__value_bytes(unsigned char *out, size_t *len_out, int type,
                            const char *hex, size_t hex_len)
{
    size_t want = type == VIGIL_SIGNAL_MD5 ? 32 : 64, i;
    unsigned bad = 0;

    *len_out = 0;
    if ((type != VIGIL_SIGNAL_PDQ && type != VIGIL_SIGNAL_MD5 &&
         type != VIGIL_SIGNAL_SHA256) || hex_len != want)
        return VIGIL_EFORMAT;
    for (i = 0; i < want; i += 2) {
        unsigned hi = (unsigned char)hex[i], lo = (unsigned char)hex[i + 1];

        bad |= ((hi - '0' >= 10u) & ((hi | 0x20) - 'a' >= 6u)) |
               ((lo - '0' >= 10u) & ((lo | 0x20) - 'a' >= 6u));
        /* a hex digit's value: low nibble, +9 for letters (bit 6 set) */
        out[i / 2] = (unsigned char)(((hi & 15) + 9 * (hi >> 6)) << 4 |
                                     ((lo & 15) + 9 * (lo >> 6)));
    }
    if (bad)
        return VIGIL_EFORMAT;
    *len_out = want / 2;
    return VIGIL_OK;
}

void vigil_bank__value_hex(char *out, const unsigned char *v, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[v[i] >> 4];
        out[2 * i + 1] = digits[v[i] & 15];
    }
    out[2 * n] = '\0';
}
