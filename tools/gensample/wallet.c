/*
 * tools/gensample/wallet.c - syntactically valid FAKE cryptocurrency
 * addresses built from random key material: Monero (Keccak-256 checksum,
 * 8-byte base58 blocks), Bitcoin base58check (P2PKH, P2SH) and bech32
 * (BIP 173, P2WPKH). Nothing here is taken from any report or chain.
 */
#include "gs.h"

#include <string.h>

#include <openssl/evp.h>

static const char b58[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* ---- Keccak-256 (the original padding 0x01 that Monero uses, not SHA3's
 * 0x06). Keccak-f[1600] as in the Keccak reference, FIPS 202 section 3. */

static const uint64_t keccak_rc[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
    0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
    0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
    0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
    0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
    0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
    0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};
static const int keccak_rot[24] = {
    1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14,
    27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44,
};
static const int keccak_pi[24] = {
    10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4,
    15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
};

static uint64_t rol64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static void keccak_f(uint64_t st[25])
{
    int round, i, j;
    uint64_t bc[5], t;

    for (round = 0; round < 24; round++) {
        for (i = 0; i < 5; i++)
            bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
        for (i = 0; i < 5; i++) {
            t = bc[(i + 4) % 5] ^ rol64(bc[(i + 1) % 5], 1);
            for (j = 0; j < 25; j += 5)
                st[j + i] ^= t;
        }
        t = st[1];
        for (i = 0; i < 24; i++) {
            j = keccak_pi[i];
            bc[0] = st[j];
            st[j] = rol64(t, keccak_rot[i]);
            t = bc[0];
        }
        for (j = 0; j < 25; j += 5) {
            for (i = 0; i < 5; i++)
                bc[i] = st[j + i];
            for (i = 0; i < 5; i++)
                st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
        }
        st[0] ^= keccak_rc[round];
    }
}

void gs_keccak256(uint8_t out[32], const uint8_t *in, size_t len)
{
    enum { RATE = 136 };
    uint64_t st[25] = { 0 };
    uint8_t block[RATE];
    size_t i;

    for (; len >= RATE; in += RATE, len -= RATE) {
        for (i = 0; i < RATE / 8; i++) {
            uint64_t w = 0;
            int k;
            for (k = 7; k >= 0; k--)
                w = (w << 8) | in[8 * i + (size_t)k];
            st[i] ^= w;
        }
        keccak_f(st);
    }
    memset(block, 0, sizeof(block));
    memcpy(block, in, len);
    block[len] ^= 0x01;
    block[RATE - 1] ^= 0x80;
    for (i = 0; i < RATE / 8; i++) {
        uint64_t w = 0;
        int k;
        for (k = 7; k >= 0; k--)
            w = (w << 8) | block[8 * i + (size_t)k];
        st[i] ^= w;
    }
    keccak_f(st);
    for (i = 0; i < 32; i++)
        out[i] = (uint8_t)(st[i / 8] >> (8 * (i % 8)));
}

/* ---- Bitcoin base58check ------------------------------------------------- */

static void sha256d(uint8_t out[32], const uint8_t *in, size_t len)
{
    uint8_t tmp[32];
    unsigned int n = 0;

    if (!EVP_Digest(in, len, tmp, &n, EVP_sha256(), NULL) ||
        !EVP_Digest(tmp, 32, out, &n, EVP_sha256(), NULL))
        gs_die("SHA-256 failed");
}

/* Plain base58 of @p in (leading zero bytes -> '1'). */
static void base58_encode(char *out, size_t out_size, const uint8_t *in, size_t len)
{
    uint8_t digits[128];
    size_t ndig = 0, i, j, zeros = 0, o = 0;

    while (zeros < len && in[zeros] == 0)
        zeros++;
    for (i = zeros; i < len; i++) {
        unsigned carry = in[i];
        for (j = 0; j < ndig; j++) {
            carry += (unsigned)digits[j] << 8;
            digits[j] = (uint8_t)(carry % 58);
            carry /= 58;
        }
        while (carry) {
            digits[ndig++] = (uint8_t)(carry % 58);
            carry /= 58;
        }
    }
    if (zeros + ndig + 1 > out_size)
        gs_die("base58 output too long");
    for (i = 0; i < zeros; i++)
        out[o++] = '1';
    for (i = ndig; i > 0; i--)
        out[o++] = b58[digits[i - 1]];
    out[o] = '\0';
}

/* Decode base58 into @p out (big-endian); returns byte count or -1. */
static int base58_decode(uint8_t *out, size_t out_size, const char *s)
{
    uint8_t bytes[128];
    size_t nb = 0, zeros = 0, i, j;
    const char *p;

    for (p = s; *p == '1'; p++)
        zeros++;
    for (; *p; p++) {
        const char *d = strchr(b58, *p);
        unsigned carry;
        if (!d || !*p)
            return -1;
        carry = (unsigned)(d - b58);
        for (j = 0; j < nb; j++) {
            carry += (unsigned)bytes[j] * 58;
            bytes[j] = (uint8_t)(carry & 0xff);
            carry >>= 8;
        }
        while (carry) {
            if (nb >= sizeof(bytes))
                return -1;
            bytes[nb++] = (uint8_t)(carry & 0xff);
            carry >>= 8;
        }
    }
    if (zeros + nb > out_size)
        return -1;
    memset(out, 0, zeros);
    for (i = 0; i < nb; i++)
        out[zeros + i] = bytes[nb - 1 - i];
    return (int)(zeros + nb);
}

static void base58check(char *out, size_t out_size, uint8_t version,
                        const uint8_t hash160[20])
{
    uint8_t buf[25], sum[32];

    buf[0] = version;
    memcpy(buf + 1, hash160, 20);
    sha256d(sum, buf, 21);
    memcpy(buf + 21, sum, 4);
    base58_encode(out, out_size, buf, 25);
}

static bool base58check_ok(const char *s, uint8_t version)
{
    uint8_t buf[25], sum[32];

    if (base58_decode(buf, sizeof(buf), s) != 25 || buf[0] != version)
        return false;
    sha256d(sum, buf, 21);
    return memcmp(sum, buf + 21, 4) == 0;
}

/* ---- bech32 (BIP 173) ---------------------------------------------------- */

static const char b32[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static uint32_t bech32_polymod(const uint8_t *v, size_t n)
{
    static const uint32_t gen[5] = { 0x3b6a57b2, 0x26508e6d, 0x1ea119fa,
                                     0x3d4233dd, 0x2a1462b3 };
    uint32_t chk = 1;
    size_t i;
    int k;

    for (i = 0; i < n; i++) {
        uint32_t top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v[i];
        for (k = 0; k < 5; k++)
            if ((top >> k) & 1)
                chk ^= gen[k];
    }
    return chk;
}

/* hrp expansion + data values, for checksum computation */
static size_t bech32_values(uint8_t *v, const char *hrp, const uint8_t *data, size_t n)
{
    size_t h = strlen(hrp), i, o = 0;

    for (i = 0; i < h; i++)
        v[o++] = (uint8_t)((unsigned char)hrp[i] >> 5);
    v[o++] = 0;
    for (i = 0; i < h; i++)
        v[o++] = (uint8_t)(hrp[i] & 31);
    memcpy(v + o, data, n);
    return o + n;
}

static void bech32_p2wpkh(char *out, const uint8_t prog[20])
{
    uint8_t data[64], v[128];
    size_t n = 0, i, nv;
    uint32_t acc = 0, mod;
    int bits = 0;

    data[n++] = 0;                              /* witness version 0 */
    for (i = 0; i < 20; i++) {
        acc = (acc << 8) | prog[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            data[n++] = (uint8_t)((acc >> bits) & 31);
        }
    }
    if (bits)
        data[n++] = (uint8_t)((acc << (5 - bits)) & 31);
    nv = bech32_values(v, "bc", data, n);
    memset(v + nv, 0, 6);
    mod = bech32_polymod(v, nv + 6) ^ 1;
    for (i = 0; i < 6; i++)
        data[n + i] = (uint8_t)((mod >> (5 * (5 - i))) & 31);
    memcpy(out, "bc1", 3);
    for (i = 0; i < n + 6; i++)
        out[3 + i] = b32[data[i]];
    out[3 + n + 6] = '\0';
}

static bool bech32_ok(const char *s)
{
    uint8_t data[96], v[128];
    size_t n = 0, len = strlen(s), i;

    if (len < 14 || len > 90 || strncmp(s, "bc1", 3) != 0)
        return false;
    for (i = 3; i < len; i++) {
        const char *d = strchr(b32, s[i]);
        if (!d || !s[i])
            return false;
        data[n++] = (uint8_t)(d - b32);
    }
    return bech32_polymod(v, bech32_values(v, "bc", data, n)) == 1;
}

/* ---- Monero: 0x12 || spend(32) || view(32) || keccak[0..4], base58 in
 * 8-byte blocks of 11 characters (a last partial block uses fewer). */

static const int xmr_block_chars[9] = { 0, 2, 3, 5, 6, 7, 9, 10, 11 };

static void xmr_encode(char *out, const uint8_t *in, size_t len)
{
    size_t off, o = 0;

    for (off = 0; off < len; off += 8) {
        size_t n = len - off < 8 ? len - off : 8, i;
        int k, w = xmr_block_chars[n];
        uint64_t num = 0;

        for (i = 0; i < n; i++)
            num = (num << 8) | in[off + i];
        for (k = w - 1; k >= 0; k--) {
            out[o + (size_t)k] = b58[num % 58];
            num /= 58;
        }
        o += (size_t)w;
    }
    out[o] = '\0';
}

static bool xmr_ok(const char *s)
{
    uint8_t raw[69], sum[32];
    size_t len = strlen(s), off = 0, o = 0;

    if (len != 95)
        return false;
    while (off < len) {
        size_t w = len - off >= 11 ? 11 : len - off, n, i;
        uint64_t num = 0;

        for (n = 0; n < 9 && xmr_block_chars[n] != (int)w; n++)
            ;
        if (n == 9)
            return false;
        for (i = 0; i < w; i++) {
            const char *d = strchr(b58, s[off + i]);
            if (!d || !s[off + i])
                return false;
            if (__builtin_mul_overflow(num, 58u, &num) ||
                __builtin_add_overflow(num, (uint64_t)(d - b58), &num))
                return false;                    /* block overflow */
        }
        if (n < 8 && (num >> (8 * n)))
            return false;
        for (i = 0; i < n; i++)
            raw[o + i] = (uint8_t)(num >> (8 * (n - 1 - i)));
        o += n;
        off += w;
    }
    if (o != 69 || raw[0] != 0x12)
        return false;
    gs_keccak256(sum, raw, 65);
    return memcmp(sum, raw + 65, 4) == 0;
}

static void xmr_make(gs_rng *r, char *out)
{
    uint8_t raw[69], sum[32];

    raw[0] = 0x12;                     /* mainnet standard address */
    gs_rng_bytes(r, raw + 1, 64);      /* random "spend" and "view" keys */
    gs_keccak256(sum, raw, 65);
    memcpy(raw + 65, sum, 4);
    xmr_encode(out, raw, 69);
}

/* ---- public ------------------------------------------------------------- */

bool gs_wallet_check(const char *type, const char *address)
{
    if (strcmp(type, "xmr") == 0)
        return xmr_ok(address);
    if (strcmp(type, "btc-p2pkh") == 0)
        return base58check_ok(address, 0x00);
    if (strcmp(type, "btc-p2sh") == 0)
        return base58check_ok(address, 0x05);
    if (strcmp(type, "btc-bech32") == 0)
        return bech32_ok(address);
    return false;
}

/* Alter one body character so that the checksum no longer holds. */
static void corrupt(gs_rng *r, gs_wallet *w)
{
    size_t len = strlen(w->address);
    const char *alpha = strcmp(w->type, "btc-bech32") == 0 ? b32 : b58;
    size_t skip = strcmp(w->type, "btc-bech32") == 0 ? 4 : 2;

    do {
        size_t pos = skip + gs_rng_below(r, (uint32_t)(len - skip));
        char c;
        do
            c = alpha[gs_rng_below(r, (uint32_t)strlen(alpha))];
        while (c == w->address[pos]);
        w->address[pos] = c;
    } while (gs_wallet_check(w->type, w->address));
}

void gs_wallet_make(gs_rng *r, gs_wallet *out, bool valid)
{
    uint8_t h[20];
    unsigned pick = gs_rng_below(r, 10);

    memset(out, 0, sizeof(*out));
    gs_rng_bytes(r, h, sizeof(h));   /* stands for HASH160 of a random key */
    if (pick < 4) {
        out->type = "xmr";
        xmr_make(r, out->address);
    } else if (pick < 6) {
        out->type = "btc-p2pkh";
        base58check(out->address, sizeof(out->address), 0x00, h);
    } else if (pick < 7) {
        out->type = "btc-p2sh";
        base58check(out->address, sizeof(out->address), 0x05, h);
    } else {
        out->type = "btc-bech32";
        bech32_p2wpkh(out->address, h);
    }
    if (!gs_wallet_check(out->type, out->address))
        gs_die("internal: generated %s address fails its own check", out->type);
    out->valid = valid;
    if (!valid)
        corrupt(r, out);
}

static int hexbytes(uint8_t *out, const char *hex)
{
    size_t i, n = strlen(hex) / 2;

    for (i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (uint8_t)v;
    }
    return (int)n;
}

int gs_wallet_selftest(void)
{
    uint8_t h[32], prog[20], xraw[69];
    char s[128];
    int fails = 0;

    /* Keccak-256("") from the Keccak team's known answers */
    gs_keccak256(h, (const uint8_t *)"", 0);
    hexbytes(prog, "c5d2460186f7233c927e7db2dcc703c0e500b653");
    fails += memcmp(h, prog, 20) != 0;
    gs_keccak256(h, (const uint8_t *)"abc", 3);
    hexbytes(prog, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e3");
    fails += memcmp(h, prog, 20) != 0;
    /* base58check of the all-zero HASH160: the well-known burn address */
    memset(prog, 0, 20);
    base58check(s, sizeof(s), 0x00, prog);
    fails += strcmp(s, "1111111111111111111114oLvT2") != 0;
    /* BIP 173 test vector (P2WPKH) */
    hexbytes(prog, "751e76e8199196d454941c45d1b3a323f1433bd6");
    bech32_p2wpkh(s, prog);
    fails += strcmp(s, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4") != 0;
    fails += !bech32_ok(s);
    s[10] = s[10] == 'q' ? 'p' : 'q';
    fails += bech32_ok(s);
    /* Monero block encoding round trip over a fixed payload */
    memset(xraw, 0xab, sizeof(xraw));
    xraw[0] = 0x12;
    gs_keccak256(h, xraw, 65);
    memcpy(xraw + 65, h, 4);
    xmr_encode(s, xraw, 69);
    fails += strlen(s) != 95 || s[0] != '4' || !xmr_ok(s);
    if (fails)
        fprintf(stderr, "vigil-gensample: wallet self-test: %d failures\n", fails);
    return fails;
}
