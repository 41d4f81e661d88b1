/*
 * hash/pdq_hex.c - PDQ hex serialisation (see vigil/pdq.h for the layout).
 */
#define VIGIL_MODULE "pdq"
#include "vigil/pdq.h"

#include "common/error.h"

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int vigil_pdq_from_hex(vigil_pdq *out, const char *hex, size_t len)
{
    size_t i;

    if (len != VIGIL_PDQ_HEX_LEN)
        return vigil_error_set(VIGIL_EFORMAT,
                               "PDQ hash has %zu characters, expected 64", len);
    for (i = 0; i < 4; i++)
        out->w[i] = 0;
    for (i = 0; i < VIGIL_PDQ_HEX_LEN; i++) {
        int v = hexval((unsigned char)hex[i]);

        if (v < 0)
            return vigil_error_set(VIGIL_EFORMAT,
                                   "PDQ hash: character %zu is not hex", i + 1);
        out->w[i / 16] = (out->w[i / 16] << 4) | (uint64_t)v;
    }
    return VIGIL_OK;
}

void vigil_pdq_to_hex(char *out, const vigil_pdq *h)
{
    static const char digits[] = "0123456789abcdef";
    int i;

    for (i = 0; i < VIGIL_PDQ_HEX_LEN; i++)
        out[i] = digits[(h->w[i / 16] >> (60 - 4 * (i % 16))) & 15];
    out[VIGIL_PDQ_HEX_LEN] = '\0';
}
