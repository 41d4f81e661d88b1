/*
 * text/codec.c - the hashes and encodings wallet and onion checksums rest
 * on: Keccak-f[1600] sponge (FIPS 202; Keccak-256 and SHA3-256 differ only
 * in the pad byte), base58 (Bitcoin and Monero block variant), base32 and
 * bech32/bech32m (BIP-173, BIP-350). SHA-256 comes from libcrypto.
 */
#include "text/text_internal.h"

#include <string.h>


/* ---- Keccak ------------------------------------------------------------- */

static const uint64_t keccak_rc[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
    0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
    0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
    0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
    0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
    0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
    0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL
};
/* rho rotations (keccak_rotc) and pi lane order (keccak_piln) of the
 * reference implementation, written out in keccak_f's RHO_PI steps:
 * rotc 1 3 6 10 15 21 28 36 45 55 2 14 27 41 56 8 25 43 62 18 39 61 20 44
 * piln 10 7 11 17 18 3 5 16 8 21 24 4 15 23 19 13 12 2 20 14 22 9 6 1 */

static uint64_t rotl64(uint64_t x, unsigned n)
{
    return (x << n) | (x >> (64 - n));
}

static void keccak_f(uint64_t st[25])
{
    uint64_t bc[5], t;
    int round, i, j;

    for (round = 0; round < 24; round++) {
        for (i = 0; i < 5; i++)                         /* theta */
            bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
        for (i = 0; i < 5; i++) {
            t = bc[i == 0 ? 4 : i - 1] ^ rotl64(bc[i == 4 ? 0 : i + 1], 1);
            for (j = 0; j < 25; j += 5)
                st[j + i] ^= t;
        }
        /* rho + pi, unrolled: position piln[i] gets the previous lane
         * rotated by rotc[i] (constant shifts) */
#define RHO_PI(k, r) do { bc[0] = st[k]; st[k] = rotl64(t, r); t = bc[0]; } while (0)
        t = st[1];
        RHO_PI(10, 1); RHO_PI(7, 3); RHO_PI(11, 6); RHO_PI(17, 10);
        RHO_PI(18, 15); RHO_PI(3, 21); RHO_PI(5, 28); RHO_PI(16, 36);
        RHO_PI(8, 45); RHO_PI(21, 55); RHO_PI(24, 2); RHO_PI(4, 14);
        RHO_PI(15, 27); RHO_PI(23, 41); RHO_PI(19, 56); RHO_PI(13, 8);
        RHO_PI(12, 25); RHO_PI(2, 43); RHO_PI(20, 62); RHO_PI(14, 18);
        RHO_PI(22, 39); RHO_PI(9, 61); RHO_PI(6, 20); RHO_PI(1, 44);
#undef RHO_PI
        for (j = 0; j < 25; j += 5) {                   /* chi */
            for (i = 0; i < 5; i++)
                bc[i] = st[j + i];
            st[j] ^= ~bc[1] & bc[2];
            st[j + 1] ^= ~bc[2] & bc[3];
            st[j + 2] ^= ~bc[3] & bc[4];
            st[j + 3] ^= ~bc[4] & bc[0];
            st[j + 4] ^= ~bc[0] & bc[1];
        }
        st[0] ^= keccak_rc[round];                      /* iota */
    }
}

/* Sponge with rate 136 bytes (capacity 512), 32-byte output. */
static void keccak_256_pad(uint8_t out[32], const void *data, size_t len,
                           uint8_t pad)
{
    uint64_t st[25];
    uint8_t block[136];
    const uint8_t *p = data;
    size_t i;

    memset(st, 0, sizeof(st));
    while (len >= sizeof(block)) {
        for (i = 0; i < 17; i++) {
            uint64_t w = 0;
            int b;
            for (b = 7; b >= 0; b--)
                w = (w << 8) | p[i * 8 + (size_t)b];
            st[i] ^= w;
        }
        keccak_f(st);
        p += sizeof(block);
        len -= sizeof(block);
    }
    memset(block, 0, sizeof(block));
    if (len)
        memcpy(block, p, len);
    block[len] ^= pad;
    block[sizeof(block) - 1] ^= 0x80;
    for (i = 0; i < 17; i++) {
        uint64_t w = 0;
        int b;
        for (b = 7; b >= 0; b--)
            w = (w << 8) | block[i * 8 + (size_t)b];
        st[i] ^= w;
    }
    keccak_f(st);
    for (i = 0; i < 32; i++)
        out[i] = (uint8_t)(st[i / 8] >> (8 * (i % 8)));
}

void vigil_text__keccak256(uint8_t out[32], const void *data, size_t len)
{
    keccak_256_pad(out, data, len, 0x01);
}

void vigil_text__sha3_256(uint8_t out[32], const void *data, size_t len)
{
    keccak_256_pad(out, data, len, 0x06);
}

/* ---- SHA-256 (FIPS 180-4) ----------------------------------------------
 * Written here because libcrypto 3's one-shot SHA256() fetches the
 * algorithm on every call (about 40,000 instructions for a 25-byte
 * address); the tests compare this one with libcrypto at many lengths. */

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static uint32_t ror32(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t st[8], const uint8_t *b)
{
    uint32_t w[64], a, bb, c, d, e, f, g, h, t1, t2;
    int i;

    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
               (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
    for (i = 16; i < 64; i++)
        w[i] = w[i - 16] + w[i - 7] +
               (ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
               (ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10));
    a = st[0]; bb = st[1]; c = st[2]; d = st[3];
    e = st[4]; f = st[5]; g = st[6]; h = st[7];
    for (i = 0; i < 64; i++) {
        t1 = h + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) +
             ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
        t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) +
             ((a & bb) ^ (a & c) ^ (bb & c));
        h = g; g = f; f = e; e = d + t1;
        d = c; c = bb; bb = a; a = t1 + t2;
    }
    st[0] += a; st[1] += bb; st[2] += c; st[3] += d;
    st[4] += e; st[5] += f; st[6] += g; st[7] += h;
}

void vigil_text__sha256(uint8_t out[32], const void *data, size_t len)
{
    uint32_t st[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    const uint8_t *p = data;
    uint8_t last[128];
    uint64_t bits = (uint64_t)len * 8;
    size_t rest, n, i;

    for (; len >= 64; p += 64, len -= 64)
        sha256_block(st, p);
    rest = len;
    memset(last, 0, sizeof(last));
    if (rest)
        memcpy(last, p, rest);
    last[rest] = 0x80;
    n = rest + 9 <= 64 ? 64 : 128;
    for (i = 0; i < 8; i++)
        last[n - 1 - i] = (uint8_t)(bits >> (8 * i));
    sha256_block(st, last);
    if (n == 128)
        sha256_block(st, last + 64);
    for (i = 0; i < 32; i++)
        out[i] = (uint8_t)(st[i / 4] >> (24 - 8 * (i % 4)));
}

void vigil_text__sha256d(uint8_t out[32], const void *data, size_t len)
{
    uint8_t h[32];

    vigil_text__sha256(h, data, len);
    vigil_text__sha256(out, h, sizeof(h));
}

/* ---- base58 ------------------------------------------------------------- */

static const char b58_alpha[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

static int b58_val(unsigned char c)
{
    if (c >= '1' && c <= '9') return c - '1';
    if (c >= 'A' && c <= 'H') return c - 'A' + 9;
    if (c >= 'J' && c <= 'N') return c - 'J' + 17;
    if (c >= 'P' && c <= 'Z') return c - 'P' + 22;
    if (c >= 'a' && c <= 'k') return c - 'a' + 33;
    if (c >= 'm' && c <= 'z') return c - 'm' + 44;
    return -1;
}

int vigil_text__b58_decode(uint8_t *out, size_t cap, const char *s, size_t len)
{
    uint8_t num[128];           /* big-endian big number, n bytes used */
    size_t n = 0, zeros = 0, i, j;

    if (len > 128)
        return -1;
    while (zeros < len && s[zeros] == '1')
        zeros++;
    for (i = zeros; i < len; i++) {
        int v = b58_val((unsigned char)s[i]);
        unsigned carry;

        if (v < 0)
            return -1;
        carry = (unsigned)v;
        for (j = 0; j < n; j++) {
            carry += (unsigned)num[sizeof(num) - 1 - j] * 58u;
            num[sizeof(num) - 1 - j] = (uint8_t)carry;
            carry >>= 8;
        }
        while (carry) {
            if (n >= sizeof(num))
                return -1;
            num[sizeof(num) - 1 - n++] = (uint8_t)carry;
            carry >>= 8;
        }
    }
    if (zeros + n > cap)
        return -1;
    memset(out, 0, zeros);
    memcpy(out + zeros, num + sizeof(num) - n, n);
    return (int)(zeros + n);
}

int vigil_text__b58_encode(char *out, size_t cap, const uint8_t *p, size_t n)
{
    uint8_t dig[200];           /* base-58 digits, little-endian */
    size_t nd = 0, zeros = 0, i, j, k = 0;

    if (n > 128)
        return -1;
    while (zeros < n && p[zeros] == 0)
        zeros++;
    for (i = zeros; i < n; i++) {
        unsigned carry = p[i];
        for (j = 0; j < nd; j++) {
            carry += (unsigned)dig[j] << 8;
            dig[j] = (uint8_t)(carry % 58);
            carry /= 58;
        }
        while (carry) {
            dig[nd++] = (uint8_t)(carry % 58);
            carry /= 58;
        }
    }
    if (zeros + nd + 1 > cap)
        return -1;
    for (i = 0; i < zeros; i++)
        out[k++] = '1';
    for (i = nd; i > 0; i--)
        out[k++] = b58_alpha[dig[i - 1]];
    out[k] = '\0';
    return (int)k;
}

/* Monero: characters needed for a block of i bytes (0..8). */
static const int xmr_enc_size[9] = { 0, 2, 3, 5, 6, 7, 9, 10, 11 };

static int xmr_dec_size(size_t chars)
{
    int i;

    for (i = 0; i < 9; i++)
        if (xmr_enc_size[i] == (int)chars)
            return i;
    return -1;
}

int vigil_text__xmr_b58_decode(uint8_t *out, size_t cap, const char *s,
                               size_t len)
{
    size_t full = len / 11, rest = len % 11, b, k = 0;
    int rest_bytes = xmr_dec_size(rest);

    if (rest_bytes < 0 || full * 8 + (size_t)rest_bytes > cap)
        return -1;
    for (b = 0; b <= full; b++) {
        size_t nch = b < full ? 11 : rest, i;
        int nby = b < full ? 8 : rest_bytes;
        uint64_t v = 0;

        if (nch == 0)
            break;
        for (i = 0; i < nch; i++) {
            int d = b58_val((unsigned char)s[b * 11 + i]);
            if (d < 0)
                return -1;
            if (__builtin_mul_overflow(v, 58u, &v) ||
                __builtin_add_overflow(v, (uint64_t)d, &v))
                return -1;      /* block value overflows 64 bits */
        }
        if (nby < 8 && (v >> (8 * nby)) != 0)
            return -1;          /* block value overflows its byte count */
        for (i = (size_t)nby; i > 0; i--) {
            out[k + i - 1] = (uint8_t)v;
            v >>= 8;
        }
        k += (size_t)nby;
    }
    return (int)k;
}

int vigil_text__xmr_b58_encode(char *out, size_t cap, const uint8_t *p,
                               size_t n)
{
    size_t full = n / 8, rest = n % 8, b, k = 0;
    size_t total = full * 11 + (size_t)xmr_enc_size[rest];

    if (total + 1 > cap)
        return -1;
    for (b = 0; b <= full; b++) {
        size_t nby = b < full ? 8 : rest, i;
        int nch = xmr_enc_size[nby];
        uint64_t v = 0;

        for (i = 0; i < nby; i++)
            v = (v << 8) | p[b * 8 + i];
        for (i = (size_t)nch; i > 0; i--) {
            out[k + i - 1] = b58_alpha[v % 58];
            v /= 58;
        }
        k += (size_t)nch;
    }
    out[k] = '\0';
    return (int)k;
}

/* ---- base32 ------------------------------------------------------------- */

static const char b32_alpha[] = "abcdefghijklmnopqrstuvwxyz234567";

int vigil_text__b32_decode(uint8_t *out, size_t cap, const char *s, size_t len)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t i, k = 0;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int v;

        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c >= 'a' && c <= 'z')
            v = c - 'a';
        else if (c >= '2' && c <= '7')
            v = c - '2' + 26;
        else
            return -1;
        acc = (acc << 5) | (uint32_t)v;
        bits += 5;
        if (bits >= 8) {
            if (k >= cap)
                return -1;
            bits -= 8;
            out[k++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    return (int)k;
}

int vigil_text__b32_encode(char *out, size_t cap, const uint8_t *p, size_t n)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        acc = (acc << 8) | p[i];
        bits += 8;
        while (bits >= 5) {
            if (k + 1 >= cap)
                return -1;
            bits -= 5;
            out[k++] = b32_alpha[(acc >> bits) & 31];
        }
        acc &= (1u << bits) - 1;
    }
    if (bits > 0) {
        if (k + 1 >= cap)
            return -1;
        out[k++] = b32_alpha[(acc << (5 - bits)) & 31];
    }
    out[k] = '\0';
    return (int)k;
}

/* ---- bech32 (BIP-173 / BIP-350) ----------------------------------------- */

static const char bech32_alpha[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static uint32_t bech32_polymod_step(uint32_t pre)
{
    uint32_t b = pre >> 25;

    return ((pre & 0x1ffffff) << 5) ^
           (-((b >> 0) & 1) & 0x3b6a57b2u) ^ (-((b >> 1) & 1) & 0x26508e6du) ^
           (-((b >> 2) & 1) & 0x1ea119fau) ^ (-((b >> 3) & 1) & 0x3d4233ddu) ^
           (-((b >> 4) & 1) & 0x2a1462b3u);
}

static uint32_t bech32_hrp_chk(const char *hrp, size_t n)
{
    uint32_t chk = 1;
    size_t i;

    for (i = 0; i < n; i++)
        chk = bech32_polymod_step(chk) ^ ((unsigned char)hrp[i] >> 5);
    chk = bech32_polymod_step(chk);
    for (i = 0; i < n; i++)
        chk = bech32_polymod_step(chk) ^ ((unsigned char)hrp[i] & 0x1f);
    return chk;
}

uint32_t vigil_text__bech32_decode(char *hrp, size_t hrp_cap, uint8_t *data,
                                   size_t *data_len, size_t data_cap,
                                   const char *s, size_t len)
{
    size_t i, sep = len, hl;
    int lower = 0, upper = 0;
    uint32_t chk;

    if (len < 8 || len > 90)
        return 0;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 33 || c > 126)
            return 0;
        lower |= (c >= 'a' && c <= 'z');
        upper |= (c >= 'A' && c <= 'Z');
        if (c == '1')
            sep = i;
    }
    if ((lower && upper) || sep == len || sep < 1 || sep + 7 > len)
        return 0;
    hl = sep;
    if (hl + 1 > hrp_cap || len - sep - 1 - 6 > data_cap)
        return 0;
    for (i = 0; i < hl; i++) {
        char c = s[i];
        hrp[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    hrp[hl] = '\0';
    chk = bech32_hrp_chk(hrp, hl);
    for (i = sep + 1; i < len; i++) {
        char c = s[i];
        const char *p;

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((p = strchr(bech32_alpha, c)) == NULL || c == '\0')
            return 0;
        chk = bech32_polymod_step(chk) ^ (uint32_t)(p - bech32_alpha);
        if (i + 6 < len)
            data[i - sep - 1] = (uint8_t)(p - bech32_alpha);
    }
    *data_len = len - sep - 1 - 6;
    if (chk == VIGIL_BECH32 || chk == VIGIL_BECH32M)
        return chk;
    return 0;
}

int vigil_text__bech32_encode(char *out, size_t cap, const char *hrp,
                              const uint8_t *data, size_t n, uint32_t constant)
{
    size_t hl = strlen(hrp), i, k = 0;
    uint32_t chk = bech32_hrp_chk(hrp, hl);

    if (hl + 1 + n + 6 + 1 > cap)
        return -1;
    memcpy(out, hrp, hl);
    k = hl;
    out[k++] = '1';
    for (i = 0; i < n; i++) {
        chk = bech32_polymod_step(chk) ^ data[i];
        out[k++] = bech32_alpha[data[i] & 31];
    }
    for (i = 0; i < 6; i++)
        chk = bech32_polymod_step(chk);
    chk ^= constant;
    for (i = 0; i < 6; i++)
        out[k++] = bech32_alpha[(chk >> (5 * (5 - i))) & 31];
    out[k] = '\0';
    return (int)k;
}

int vigil_text__convert_bits(uint8_t *out, size_t cap, const uint8_t *in,
                             size_t n, int from, int to, int pad)
{
    uint32_t acc = 0, maxv = (1u << to) - 1;
    int bits = 0;
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        if (in[i] >> from)
            return -1;
        acc = (acc << from) | in[i];
        bits += from;
        while (bits >= to) {
            if (k >= cap)
                return -1;
            bits -= to;
            out[k++] = (uint8_t)((acc >> bits) & maxv);
        }
        acc &= (1u << bits) - 1;
    }
    if (pad) {
        if (bits) {
            if (k >= cap)
                return -1;
            out[k++] = (uint8_t)((acc << (to - bits)) & maxv);
        }
    } else if (bits >= from || ((acc << (to - bits)) & maxv)) {
        return -1;
    }
    return (int)k;
}
