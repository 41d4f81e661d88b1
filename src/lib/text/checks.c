/*
 * text/checks.c - whole-string address checks, each by its own checksum:
 * Monero (base58 blocks + Keccak-256), Bitcoin (base58check, bech32 /
 * bech32m with BIP-141 witness rules), Ethereum (EIP-55), TRON (base58check,
 * version 0x41) and Tor onion v3 (rend-spec-v3: SHA3-256 checksum).
 */
#include "vigil/text.h"

#include <string.h>

#include "text/text_internal.h"

/* Monero network tags (cryptonote_config.h of the Monero reference). */
static const struct {
    uint8_t tag;
    const char *name;
    int integrated;
} xmr_tags[] = {
    { 18, "standard", 0 }, { 19, "integrated", 1 }, { 42, "subaddress", 0 },
    { 53, "testnet-standard", 0 }, { 54, "testnet-integrated", 1 },
    { 63, "testnet-subaddress", 0 }, { 24, "stagenet-standard", 0 },
    { 25, "stagenet-integrated", 1 }, { 36, "stagenet-subaddress", 0 },
};

int vigil_check_monero(const char *s, size_t len, const char **subtype_out)
{
    uint8_t raw[80], h[32];
    int n;
    size_t i;

    if (subtype_out)
        *subtype_out = NULL;
    if (len != 95 && len != 106)
        return VIGIL_VALID_NO;
    if ((n = vigil_text__xmr_b58_decode(raw, sizeof(raw), s, len)) < 0)
        return VIGIL_VALID_NO;
    if (n != (len == 95 ? 69 : 77))
        return VIGIL_VALID_NO;
    vigil_text__keccak256(h, raw, (size_t)n - 4);
    if (memcmp(h, raw + n - 4, 4) != 0)
        return VIGIL_VALID_NO;
    for (i = 0; i < sizeof(xmr_tags) / sizeof(xmr_tags[0]); i++) {
        if (xmr_tags[i].tag != raw[0])
            continue;
        if (xmr_tags[i].integrated != (len == 106))
            return VIGIL_VALID_NO;
        if (subtype_out)
            *subtype_out = xmr_tags[i].name;
        return VIGIL_VALID_YES;
    }
    return VIGIL_VALID_NO;
}

/* 25-byte base58check payload with the given version byte(s). */
static int b58check(const char *s, size_t len, uint8_t *version_out)
{
    uint8_t raw[40], h[32];

    if (vigil_text__b58_decode(raw, sizeof(raw), s, len) != 25)
        return 0;
    vigil_text__sha256d(h, raw, 21);
    if (memcmp(h, raw + 21, 4) != 0)
        return 0;
    *version_out = raw[0];
    return 1;
}

static int check_segwit(const char *s, size_t len, const char **subtype_out)
{
    char hrp[8];
    uint8_t data[96], prog[64];
    size_t dn;
    int pn;
    uint32_t c;

    c = vigil_text__bech32_decode(hrp, sizeof(hrp), data, &dn, sizeof(data),
                                  s, len);
    if (c == 0 || strcmp(hrp, "bc") != 0 || dn < 1 || data[0] > 16)
        return VIGIL_VALID_NO;
    pn = vigil_text__convert_bits(prog, sizeof(prog), data + 1, dn - 1, 5, 8,
                                  0);
    if (pn < 2 || pn > 40)
        return VIGIL_VALID_NO;
    if (data[0] == 0) {
        if (c != VIGIL_BECH32 || (pn != 20 && pn != 32))
            return VIGIL_VALID_NO;
        if (subtype_out)
            *subtype_out = pn == 20 ? "p2wpkh" : "p2wsh";
        return VIGIL_VALID_YES;
    }
    if (c != VIGIL_BECH32M)
        return VIGIL_VALID_NO;
    if (subtype_out)
        *subtype_out = data[0] == 1 && pn == 32 ? "p2tr" : "segwit";
    return VIGIL_VALID_YES;
}

int vigil_check_bitcoin(const char *s, size_t len, const char **subtype_out)
{
    uint8_t ver;

    if (subtype_out)
        *subtype_out = NULL;
    if (len >= 3 && (s[0] == 'b' || s[0] == 'B') &&
        (s[1] == 'c' || s[1] == 'C') && s[2] == '1')
        return check_segwit(s, len, subtype_out);
    if (len < 25 || len > 35 || !b58check(s, len, &ver))
        return VIGIL_VALID_NO;
    if (ver == 0x00 && s[0] == '1') {
        if (subtype_out)
            *subtype_out = "p2pkh";
        return VIGIL_VALID_YES;
    }
    if (ver == 0x05 && s[0] == '3') {
        if (subtype_out)
            *subtype_out = "p2sh";
        return VIGIL_VALID_YES;
    }
    return VIGIL_VALID_NO;
}

int vigil_check_tron(const char *s, size_t len)
{
    uint8_t ver;

    if (len != 34 || s[0] != 'T' || !b58check(s, len, &ver) || ver != 0x41)
        return VIGIL_VALID_NO;
    return VIGIL_VALID_YES;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int vigil_check_ethereum(const char *s, size_t len)
{
    char low[40];
    uint8_t h[32];
    int lower = 0, upper = 0;
    size_t i;

    if (len != 42 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return VIGIL_VALID_NO;
    for (i = 0; i < 40; i++) {
        char c = s[2 + i];
        if (hexval(c) < 0)
            return VIGIL_VALID_NO;
        lower |= (c >= 'a' && c <= 'f');
        upper |= (c >= 'A' && c <= 'F');
        low[i] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
    }
    if (!(lower && upper))
        return VIGIL_VALID_UNCHECKED;   /* single case: EIP-55 not applied */
    vigil_text__keccak256(h, low, sizeof(low));
    for (i = 0; i < 40; i++) {
        char c = s[2 + i];
        int nib = (h[i / 2] >> (i % 2 ? 0 : 4)) & 0xf;

        if (c >= '0' && c <= '9')
            continue;
        if ((nib >= 8) != (c >= 'A' && c <= 'F'))
            return VIGIL_VALID_NO;
    }
    return VIGIL_VALID_YES;
}

int vigil_check_onion(const char *s, size_t len)
{
    static const char tag[] = ".onion checksum";
    uint8_t raw[40], buf[64], h[32];

    if (len == 62 && strncmp(s + 56, ".onion", 6) == 0)
        len = 56;
    if (len != 56 || vigil_text__b32_decode(raw, sizeof(raw), s, len) != 35)
        return VIGIL_VALID_NO;
    if (raw[34] != 3)
        return VIGIL_VALID_NO;
    memcpy(buf, tag, sizeof(tag) - 1);
    memcpy(buf + sizeof(tag) - 1, raw, 32);
    buf[sizeof(tag) - 1 + 32] = 3;
    vigil_text__sha3_256(h, buf, sizeof(tag) - 1 + 33);
    return (h[0] == raw[32] && h[1] == raw[33]) ? VIGIL_VALID_YES
                                                : VIGIL_VALID_NO;
}
