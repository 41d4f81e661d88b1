/*
 * tests/unit/text/test_text_indicators.c - address checksums with real-format
 * addresses generated here from random keys by the reference algorithms
 * (Monero base58 blocks + Keccak, Bitcoin hash160 + base58check, BIP-173/350
 * bech32, EIP-55, TRON, Tor onion v3), every one-character corruption
 * rejected, and extraction with offsets from mixed-script text.
 */
#include "test.h"

#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "text/text_internal.h"
#include "vigil/text.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rng(void)      /* xorshift64*: fixed seed, reproducible */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static void rand_bytes(uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        p[i] = (uint8_t)(rng() >> 56);
}

static void hex(char *out, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", p[i]);
}

/* ---- generators (reference algorithms) ---------------------------------- */

static void make_monero(char *out, size_t cap, uint8_t tag, int integrated)
{
    uint8_t raw[80], h[32];
    size_t n = 0;

    raw[n++] = tag;                     /* varint; < 0x80 fits one byte */
    rand_bytes(raw + n, 64);            /* public spend key, public view key */
    n += 64;
    if (integrated) {
        rand_bytes(raw + n, 8);         /* payment id */
        n += 8;
    }
    vigil_text__keccak256(h, raw, n);
    memcpy(raw + n, h, 4);
    n += 4;
    CHECK(vigil_text__xmr_b58_encode(out, cap, raw, n) ==
          (integrated ? 106 : 95));
}

static void make_b58check(char *out, size_t cap, uint8_t version,
                          const uint8_t payload[20])
{
    uint8_t raw[25], h1[32], h2[32];

    raw[0] = version;
    memcpy(raw + 1, payload, 20);
    SHA256(raw, 21, h1);                /* libcrypto, independent of sha256d */
    SHA256(h1, 32, h2);
    memcpy(raw + 21, h2, 4);
    CHECK(vigil_text__b58_encode(out, cap, raw, 25) > 0);
}

static void hash160(uint8_t out[20], const uint8_t *pub, size_t n)
{
    uint8_t sha[32];
    unsigned int len = 20;

    SHA256(pub, n, sha);
    if (EVP_Digest(sha, 32, out, &len, EVP_ripemd160(), NULL) != 1)
        memcpy(out, sha, 20);           /* provider without RIPEMD-160 */
}

static void make_segwit(char *out, size_t cap, int version, size_t plen,
                        uint32_t constant)
{
    uint8_t prog[40], data[80];
    int n;

    rand_bytes(prog, plen);
    data[0] = (uint8_t)version;
    n = vigil_text__convert_bits(data + 1, sizeof(data) - 1, prog, plen, 8, 5,
                                 1);
    CHECK(n > 0);
    CHECK(vigil_text__bech32_encode(out, cap, "bc", data, (size_t)n + 1,
                                    constant) > 0);
}

/* EIP-55: upper-case a hex letter when its nibble of keccak(lower) >= 8. */
static void make_eth(char out[43])
{
    uint8_t pub[64], h[32];
    char low[41];
    int i;

    rand_bytes(pub, sizeof(pub));
    vigil_text__keccak256(h, pub, sizeof(pub));
    hex(low, h + 12, 20);
    vigil_text__keccak256(h, low, 40);
    out[0] = '0';
    out[1] = 'x';
    for (i = 0; i < 40; i++) {
        int nib = (h[i / 2] >> (i % 2 ? 0 : 4)) & 0xf;
        char c = low[i];
        out[2 + i] = (char)(c >= 'a' && nib >= 8 ? c - 'a' + 'A' : c);
    }
    out[42] = '\0';
}

/* Tor rend-spec-v3: base32(pubkey || CHECKSUM[:2] || 0x03). SHA3-256 from
 * libcrypto here, so the library's own sponge is checked against it. */
static void make_onion(char out[57])
{
    static const char tag[] = ".onion checksum";
    uint8_t raw[35], buf[48], h[32];
    unsigned int hl = 32;

    rand_bytes(raw, 32);
    memcpy(buf, tag, 15);
    memcpy(buf + 15, raw, 32);
    buf[47] = 3;
    CHECK(EVP_Digest(buf, 48, h, &hl, EVP_sha3_256(), NULL) == 1);
    raw[32] = h[0];
    raw[33] = h[1];
    raw[34] = 3;
    CHECK(vigil_text__b32_encode(out, 57, raw, 35) == 56);
}

/* ---- corruption --------------------------------------------------------- */

typedef int (*check_fn)(const char *s, size_t len);

static int chk_monero(const char *s, size_t n) { return vigil_check_monero(s, n, NULL); }
static int chk_bitcoin(const char *s, size_t n) { return vigil_check_bitcoin(s, n, NULL); }

/* Every single-character substitution within @p alpha, and every swap of
 * two different neighbours, must fail. Returns how many were tried. */
static int corrupt_all(const char *addr, const char *alpha, size_t from,
                       check_fn fn)
{
    char buf[128];
    size_t n = strlen(addr), i, na = strlen(alpha);
    int tried = 0;

    for (i = from; i < n; i++) {
        size_t k;
        for (k = 0; k < 3; k++) {
            char c = alpha[(size_t)(rng() % na)];
            if (c == addr[i])
                continue;
            memcpy(buf, addr, n + 1);
            buf[i] = c;
            if (fn(buf, n) == VIGIL_VALID_YES) {
                fprintf(stderr, "corrupted accepted: %s\n", buf);
                CHECK(!"corrupted address reported valid");
            }
            tried++;
        }
        if (i + 1 < n && addr[i] != addr[i + 1]) {
            memcpy(buf, addr, n + 1);
            buf[i] = addr[i + 1];
            buf[i + 1] = addr[i];
            CHECK(fn(buf, n) != VIGIL_VALID_YES);
            tried++;
        }
    }
    return tried;
}

static const char B58[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
static const char B32[] = "abcdefghijklmnopqrstuvwxyz234567";
static const char BECH[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/* ---- cases -------------------------------------------------------------- */

static void test_text_codec__hash_vectors(void)
{
    static const char k_empty[] =
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";
    static const char s_empty[] =
        "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a";
    static const char s_abc[] =
        "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532";
    uint8_t h[32], ref[32], msg[600];
    char hx[65];
    size_t len;

    vigil_text__keccak256(h, "", 0);
    hex(hx, h, 32);
    CHECK_EQ_STR(hx, k_empty);
    vigil_text__sha3_256(h, "", 0);
    hex(hx, h, 32);
    CHECK_EQ_STR(hx, s_empty);
    vigil_text__sha3_256(h, "abc", 3);
    hex(hx, h, 32);
    CHECK_EQ_STR(hx, s_abc);
    /* SHA3-256 against libcrypto at every length around the 136-byte rate;
     * Keccak-256 differs from it (pad 0x01 vs 0x06). */
    rand_bytes(msg, sizeof(msg));
    for (len = 0; len < sizeof(msg); len += (len < 300 ? 1 : 37)) {
        unsigned int hl = 32;
        CHECK(EVP_Digest(msg, len, ref, &hl, EVP_sha3_256(), NULL) == 1);
        vigil_text__sha3_256(h, msg, len);
        CHECK(memcmp(h, ref, 32) == 0);
        vigil_text__keccak256(h, msg, len);
        CHECK(memcmp(h, ref, 32) != 0);
    }
}

/* The SHA-256 written in codec.c against libcrypto at every length around
 * the 64-byte block and its 55/56-byte padding edge, and sha256d. */
static void test_text_codec__sha256_vs_libcrypto(void)
{
    uint8_t h[32], ref[32], ref2[32], msg[300];
    size_t len;

    rand_bytes(msg, sizeof(msg));
    for (len = 0; len < sizeof(msg); len++) {
        SHA256(msg, len, ref);
        vigil_text__sha256(h, msg, len);
        CHECK(memcmp(h, ref, 32) == 0);
        SHA256(ref, 32, ref2);
        vigil_text__sha256d(h, msg, len);
        CHECK(memcmp(h, ref2, 32) == 0);
    }
}

static void test_text_codec__base58_roundtrip(void)
{
    uint8_t raw[77], back[80];
    char enc[160];
    int i, n;

    for (i = 0; i < 200; i++) {
        size_t len = 1 + (size_t)(rng() % 77);
        rand_bytes(raw, len);
        if (i % 7 == 0)
            raw[0] = 0;                 /* leading zero bytes -> '1' */
        n = vigil_text__b58_encode(enc, sizeof(enc), raw, len);
        CHECK(n > 0);
        CHECK_EQ_INT(vigil_text__b58_decode(back, sizeof(back), enc,
                                            (size_t)n), len);
        CHECK(memcmp(raw, back, len) == 0);
        n = vigil_text__xmr_b58_encode(enc, sizeof(enc), raw, len);
        CHECK(n > 0);
        CHECK_EQ_INT(vigil_text__xmr_b58_decode(back, sizeof(back), enc,
                                                (size_t)n), len);
        CHECK(memcmp(raw, back, len) == 0);
    }
    CHECK(vigil_text__b58_decode(back, sizeof(back), "0OIl", 4) < 0);
    /* "zzzzzzzzzzz" is 58^11-1 > 2^64: a Monero block cannot hold it */
    CHECK(vigil_text__xmr_b58_decode(back, sizeof(back), "zzzzzzzzzzz", 11)
          < 0);
}

static void test_text_indicators__monero(void)
{
    static const struct { uint8_t tag; int integ; const char *sub; char c; }
    kinds[] = { { 18, 0, "standard", '4' }, { 19, 1, "integrated", '4' },
                { 42, 0, "subaddress", '8' } };
    char a[128];
    const char *sub;
    size_t k;
    int i, tried = 0;

    for (k = 0; k < 3; k++) {
        for (i = 0; i < 8; i++) {
            make_monero(a, sizeof(a), kinds[k].tag, kinds[k].integ);
            CHECK(a[0] == kinds[k].c);
            CHECK_EQ_INT(vigil_check_monero(a, strlen(a), &sub),
                         VIGIL_VALID_YES);
            CHECK_EQ_STR(sub, kinds[k].sub);
            tried += corrupt_all(a, B58, 0, chk_monero);
        }
    }
    CHECK(tried > 1000);
    make_monero(a, sizeof(a), 18, 1);   /* standard tag, integrated length */
    CHECK_EQ_INT(vigil_check_monero(a, strlen(a), NULL), VIGIL_VALID_NO);
    make_monero(a, sizeof(a), 99, 0);   /* unknown network tag */
    CHECK_EQ_INT(vigil_check_monero(a, strlen(a), NULL), VIGIL_VALID_NO);
}

static void test_text_indicators__bitcoin_base58(void)
{
    uint8_t pub[33], h[20];
    char a[64];
    const char *sub;
    int i;

    CHECK_EQ_INT(vigil_check_bitcoin("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", 34,
                                     &sub), VIGIL_VALID_YES);
    CHECK_EQ_STR(sub, "p2pkh");
    for (i = 0; i < 20; i++) {
        rand_bytes(pub, sizeof(pub));
        pub[0] = 2;
        hash160(h, pub, sizeof(pub));
        make_b58check(a, sizeof(a), i % 2 ? 0x05 : 0x00, h);
        CHECK(a[0] == (i % 2 ? '3' : '1'));
        CHECK_EQ_INT(vigil_check_bitcoin(a, strlen(a), &sub), VIGIL_VALID_YES);
        CHECK_EQ_STR(sub, i % 2 ? "p2sh" : "p2pkh");
        corrupt_all(a, B58, 1, chk_bitcoin);
    }
    make_b58check(a, sizeof(a), 0x41, h);   /* TRON version: not Bitcoin */
    CHECK_EQ_INT(vigil_check_bitcoin(a, strlen(a), NULL), VIGIL_VALID_NO);
}

static void test_text_indicators__bitcoin_bech32(void)
{
    static const struct { int v; size_t len; uint32_t c; const char *sub; }
    kinds[] = { { 0, 20, VIGIL_BECH32, "p2wpkh" }, { 0, 32, VIGIL_BECH32,
                "p2wsh" }, { 1, 32, VIGIL_BECH32M, "p2tr" } };
    char a[100], up[100];
    const char *sub;
    size_t k, i;
    int j;

    for (k = 0; k < 3; k++) {
        for (j = 0; j < 10; j++) {
            make_segwit(a, sizeof(a), kinds[k].v, kinds[k].len, kinds[k].c);
            CHECK_EQ_INT(vigil_check_bitcoin(a, strlen(a), &sub),
                         VIGIL_VALID_YES);
            CHECK_EQ_STR(sub, kinds[k].sub);
            for (i = 0; a[i]; i++)
                up[i] = (char)(a[i] >= 'a' && a[i] <= 'z' ? a[i] - 32 : a[i]);
            up[i] = '\0';
            CHECK_EQ_INT(vigil_check_bitcoin(up, i, NULL), VIGIL_VALID_YES);
            for (i = 4; a[i] && !(a[i] >= 'a' && a[i] <= 'z'); i++)
                ;
            memcpy(up, a, sizeof(up));
            up[i] = (char)(up[i] - 32);     /* mixed case is invalid */
            CHECK_EQ_INT(vigil_check_bitcoin(up, strlen(up), NULL),
                         VIGIL_VALID_NO);
            corrupt_all(a, BECH, 3, chk_bitcoin);
        }
    }
    /* BIP-350: v0 with the bech32m constant, v1 with bech32, are invalid */
    make_segwit(a, sizeof(a), 0, 20, VIGIL_BECH32M);
    CHECK_EQ_INT(vigil_check_bitcoin(a, strlen(a), NULL), VIGIL_VALID_NO);
    make_segwit(a, sizeof(a), 1, 32, VIGIL_BECH32);
    CHECK_EQ_INT(vigil_check_bitcoin(a, strlen(a), NULL), VIGIL_VALID_NO);
    make_segwit(a, sizeof(a), 0, 25, VIGIL_BECH32);  /* bad v0 length */
    CHECK_EQ_INT(vigil_check_bitcoin(a, strlen(a), NULL), VIGIL_VALID_NO);
}

static void test_text_indicators__ethereum(void)
{
    static const char *const eip55[] = {
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    };
    char a[43], b[43];
    size_t i;
    int j, flips = 0;

    for (i = 0; i < 4; i++)
        CHECK_EQ_INT(vigil_check_ethereum(eip55[i], 42), VIGIL_VALID_YES);
    for (j = 0; j < 50; j++) {
        make_eth(a);
        CHECK_EQ_INT(vigil_check_ethereum(a, 42), VIGIL_VALID_YES);
        for (i = 2; i < 42; i++) {
            if (!((a[i] >= 'a' && a[i] <= 'f') || (a[i] >= 'A' && a[i] <= 'F')))
                continue;
            memcpy(b, a, 43);
            b[i] = (char)(b[i] ^ 0x20);   /* flip the case of one letter */
            CHECK(vigil_check_ethereum(b, 42) != VIGIL_VALID_YES ||
                  !"case-flipped address accepted");
            flips++;
        }
        for (i = 2; i < 42; i++)
            b[i] = (char)(a[i] >= 'A' && a[i] <= 'F' ? a[i] + 32 : a[i]);
        CHECK_EQ_INT(vigil_check_ethereum(b, 42), VIGIL_VALID_UNCHECKED);
    }
    CHECK(flips > 500);
    CHECK_EQ_INT(vigil_check_ethereum("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg",
                                      42), VIGIL_VALID_NO);
}

static int chk_tron(const char *s, size_t n) { return vigil_check_tron(s, n); }
static int chk_onion(const char *s, size_t n) { return vigil_check_onion(s, n); }

static void test_text_indicators__tron(void)
{
    uint8_t h[20];
    char a[64];
    int i;

    CHECK_EQ_INT(vigil_check_tron("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", 34),
                 VIGIL_VALID_YES);
    for (i = 0; i < 20; i++) {
        rand_bytes(h, 20);
        make_b58check(a, sizeof(a), 0x41, h);
        CHECK(a[0] == 'T' && strlen(a) == 34);
        CHECK_EQ_INT(vigil_check_tron(a, 34), VIGIL_VALID_YES);
        corrupt_all(a, B58, 1, chk_tron);
    }
}

static void test_text_indicators__onion(void)
{
    char a[57], full[70];
    int i;

    for (i = 0; i < 10; i++) {
        make_onion(a);
        CHECK_EQ_INT(vigil_check_onion(a, 56), VIGIL_VALID_YES);
        snprintf(full, sizeof(full), "%s.onion", a);
        CHECK_EQ_INT(vigil_check_onion(full, 62), VIGIL_VALID_YES);
        corrupt_all(a, B32, 0, chk_onion);
    }
}

static const vigil_indicator *find(const vigil_triage_result *r,
                                   vigil_indicator_type t)
{
    size_t i;

    for (i = 0; i < r->n_indicators; i++)
        if (r->indicators[i].type == t)
            return &r->indicators[i];
    return NULL;
}

static void test_text_indicators__extract(void)
{
    vigil_triage *t;
    const vigil_triage_result *r;
    const vigil_indicator *d;
    char xmr[128], bad[128], btc[100], eth[43], onion[57], text[2048];
    int n;

    make_monero(xmr, sizeof(xmr), 42, 0);
    memcpy(bad, xmr, sizeof(xmr));
    bad[50] = bad[50] == 'a' ? 'b' : 'a';
    make_segwit(btc, sizeof(btc), 0, 20, VIGIL_BECH32);
    make_eth(eth);
    make_onion(onion);
    n = snprintf(text, sizeof(text),
                 "Ёрдам: %s ёки %s; باستخدام %s, ETH %s. "
                 "Сайт: http://%s.onion/x?utm_medium=a и https://t.me/+AbCdEf"
                 "GhIjKlMnOpQr и tg://resolve?domain=Some_Chan, mail x@y.com",
                 xmr, bad, btc, eth, onion);
    CHECK_OK(vigil_triage_new(&t, NULL));
    CHECK_OK(vigil_triage_scan(&r, t, text, (size_t)n,
                               VIGIL_TRIAGE_INDICATORS));
    CHECK((d = find(r, VIGIL_IND_MONERO)) != NULL);
    if (d) {
        CHECK_EQ_STR(d->value, xmr);
        CHECK_EQ_INT(d->valid, VIGIL_VALID_YES);
        CHECK_EQ_STR(d->subtype, "subaddress");
        CHECK(memcmp(text + d->start, xmr, 95) == 0 && d->end - d->start == 95);
        CHECK_EQ_INT(d[1].type, VIGIL_IND_MONERO);
        CHECK_EQ_INT(d[1].valid, VIGIL_VALID_NO);
    }
    CHECK((d = find(r, VIGIL_IND_BITCOIN)) != NULL);
    if (d) {
        CHECK_EQ_STR(d->value, btc);
        CHECK_EQ_INT(d->valid, VIGIL_VALID_YES);
    }
    CHECK((d = find(r, VIGIL_IND_ETHEREUM)) != NULL);
    if (d)
        CHECK_EQ_INT(d->valid, VIGIL_VALID_YES);
    CHECK((d = find(r, VIGIL_IND_ONION)) != NULL);
    if (d) {
        CHECK(strncmp(d->value, onion, 56) == 0);
        CHECK_EQ_INT(d->valid, VIGIL_VALID_YES);
    }
    CHECK((d = find(r, VIGIL_IND_URL)) != NULL);
    if (d) {
        char want[100];
        snprintf(want, sizeof(want), "http://%s.onion/x", onion);
        CHECK_EQ_STR(d->value, want);
    }
    CHECK((d = find(r, VIGIL_IND_TELEGRAM_LINK)) != NULL);
    if (d) {
        CHECK_EQ_STR(d->value, "https://t.me/+AbCdEfGhIjKlMnOpQr");
        CHECK_EQ_STR(d[1].value, "https://t.me/some_chan");
    }
    CHECK(find(r, VIGIL_IND_TELEGRAM_HANDLE) == NULL);   /* e-mail is not */
    vigil_triage_free(t);
}

static void test_text_indicators__urls(void)
{
    char out[256];

    CHECK(vigil_text__url_normalize(out, sizeof(out),
          "HTTPS://Example.COM:443/a/B?utm_source=x&id=1&fbclid=z&si=q#top",
          62) > 0);
    CHECK_EQ_STR(out, "https://example.com/a/B?id=1");
    CHECK(vigil_text__url_normalize(out, sizeof(out), "http://x.org:8080", 17)
          > 0);
    CHECK_EQ_STR(out, "http://x.org:8080/");
    CHECK(vigil_text__url_normalize(out, sizeof(out), "http://nodot/", 13) < 0);
    /* share parameters of one site are dropped on that site only */
    CHECK(vigil_text__url_normalize(out, sizeof(out),
          "https://x.com/a/status/1?s=20&t=AbC", 35) > 0);
    CHECK_EQ_STR(out, "https://x.com/a/status/1");
    CHECK(vigil_text__url_normalize(out, sizeof(out),
          "https://www.tiktok.com/@u/video/7?is_from_webapp=1&sender_device=pc&lang=en",
          75) > 0);
    CHECK_EQ_STR(out, "https://www.tiktok.com/@u/video/7?lang=en");
    CHECK(vigil_text__url_normalize(out, sizeof(out),
          "https://m.facebook.com/story.php?id=5&mibextid=Z&rdid=q", 55) > 0);
    CHECK_EQ_STR(out, "https://m.facebook.com/story.php?id=5");
    CHECK(vigil_text__url_normalize(out, sizeof(out),
          "https://youtube.com/watch?v=x&t=30&s=1", 38) > 0);
    CHECK_EQ_STR(out, "https://youtube.com/watch?v=x&t=30&s=1");
    CHECK(vigil_text__url_normalize(out, sizeof(out),
          "https://notx.com/p?s=20", 23) > 0);
    CHECK_EQ_STR(out, "https://notx.com/p?s=20");
}

/* A wallet hidden from plain scanners: invisible characters inside it,
 * split by white space, or a letter written with its Cyrillic look-alike.
 * A valid join is found with offsets over all its parts; a corrupted one,
 * or unrelated words, give nothing valid. */
static void test_text_indicators__hidden_wallets(void)
{
    char a[128], text[512];
    const vigil_triage_result *r;
    const vigil_indicator *d;
    vigil_triage *t;
    int k;

    CHECK_OK(vigil_triage_new(&t, NULL));
    for (k = 0; k < 40; k++) {
        /* standard, subaddress, integrated (106 characters) in turn */
        int tag = k % 3 == 0 ? 18 : k % 3 == 1 ? 42 : 19, cut = 10 + k;
        size_t n;

        make_monero(a, sizeof(a), (uint8_t)tag, tag == 19);
        n = strlen(a);
        switch (k % 5) {
        case 4: {       /* a letter written with its Cyrillic look-alike */
            static const char lat[] = "ABEKMHPCTXYaepcyx";
            static const char *const cyr[] = {
                "\xD0\x90", "\xD0\x92", "\xD0\x95", "\xD0\x9A", "\xD0\x9C", "\xD0\x9D",
                "\xD0\xA0", "\xD0\xA1", "\xD0\xA2", "\xD0\xA5", "\xD0\xA3", "\xD0\xB0",
                "\xD0\xB5", "\xD1\x80", "\xD1\x81", "\xD1\x83", "\xD1\x85",
            };
            size_t at = (size_t)cut;
            const char *q = NULL;

            while (a[at] && !(q = strchr(lat, a[at])))
                at++;
            snprintf(text, sizeof(text), "XMR: %.*s%s%s ok", (int)at, a,
                     q ? cyr[q - lat] : "", a + at + (q != NULL));
            break;
        }
        case 0:         /* ZWSP */
            snprintf(text, sizeof(text), "XMR: %.*s\xE2\x80\x8B%s ok", cut, a,
                     a + cut);
            break;
        case 1:         /* soft hyphen and word joiner */
            snprintf(text, sizeof(text), "XMR: %.*s\xC2\xAD%.*s\xE2\x81\xA0%s",
                     cut, a, 5, a + cut, a + cut + 5);
            break;
        case 2:         /* two parts */
            snprintf(text, sizeof(text), "XMR: %.*s %s thanks", cut, a, a + cut);
            break;
        default:        /* three parts, a line break */
            snprintf(text, sizeof(text), "XMR: %.*s  %.*s\n%s", cut, a, 20,
                     a + cut, a + cut + 20);
        }
        CHECK_OK(vigil_triage_scan(&r, t, text, strlen(text),
                                   VIGIL_TRIAGE_INDICATORS));
        d = find(r, VIGIL_IND_MONERO);
        CHECK(d != NULL);
        if (!d)
            continue;
        CHECK_EQ_STR(d->value, a);
        CHECK_EQ_INT(d->valid, VIGIL_VALID_YES);
        CHECK_EQ_INT(d->start, 5);
        CHECK(d->end > 5 + n && text[d->end - 1] == a[n - 1]);
        if (k % 5 == 4)     /* the look-alike's two bytes */
            CHECK(d->end == 5 + n + 1);
        /* one character changed in the second part: nothing valid */
        a[n - 3] = a[n - 3] == 'A' ? 'B' : 'A';
        snprintf(text, sizeof(text), "XMR: %.*s %s thanks", cut, a, a + cut);
        CHECK_OK(vigil_triage_scan(&r, t, text, strlen(text),
                                   VIGIL_TRIAGE_INDICATORS));
        d = find(r, VIGIL_IND_MONERO);
        CHECK(d == NULL || d->valid != VIGIL_VALID_YES);
    }
    vigil_triage_free(t);
}

/* Defanged links ("hxxps", "[.]", "(dot)", "[:]") are links; offsets span
 * the defanged bytes. */
static void test_text_indicators__defanged(void)
{
    static const char text[] =
        "mirror hxxps://example[.]com/v?id=3&utm_source=tg and t(.)me/Chan_01 "
        "or hXXp[:]//files(dot)example.org/a.pdf; not (.) this [.] one";
    vigil_triage *t;
    const vigil_triage_result *r;
    const vigil_indicator *d;
    size_t k;
    int urls = 0;

    CHECK_OK(vigil_triage_new(&t, NULL));
    CHECK_OK(vigil_triage_scan(&r, t, text, sizeof(text) - 1,
                               VIGIL_TRIAGE_INDICATORS));
    CHECK_EQ_INT(r->n_indicators, 3);
    for (k = 0; k < r->n_indicators; k++) {
        d = &r->indicators[k];
        if (d->type != VIGIL_IND_URL)
            continue;
        if (urls++ == 0) {
            CHECK_EQ_STR(d->value, "https://example.com/v?id=3");
            CHECK_EQ_INT(d->start, strstr(text, "hxxps") - text);
            CHECK_EQ_INT(d->end, strstr(text, " and") - text);
        } else {
            CHECK_EQ_STR(d->value, "http://files.example.org/a.pdf");
            CHECK_EQ_INT(d->end, strstr(text, "; not") - text);
        }
    }
    CHECK_EQ_INT(urls, 2);
    CHECK((d = find(r, VIGIL_IND_TELEGRAM_LINK)) != NULL);
    if (d) {
        CHECK_EQ_STR(d->value, "https://t.me/chan_01");
        CHECK_EQ_INT(d->start, strstr(text, "t(.)me") - text);
    }
    vigil_triage_free(t);
}

/* Bitcoin (bech32, bech32m, base58 P2PKH and P2SH) and TRON addresses
 * written in groups of four, by blanks or dashes ("bc1q ar0s rrr7 ...",
 * "TJCn-KsPa-..."), are joined and reported over all their groups; with a
 * character changed, nothing valid is. */
static void test_text_indicators__split_wallets(void)
{
    static const char b32[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    char a[128], text[512];
    uint8_t h[20];
    const vigil_triage_result *r;
    const vigil_indicator *d;
    vigil_triage *t;
    int k;

    CHECK_OK(vigil_triage_new(&t, NULL));
    for (k = 0; k < 30; k++) {
        vigil_indicator_type type = k % 5 == 4 ? VIGIL_IND_TRON
                                                : VIGIL_IND_BITCOIN;
        size_t n, i, o;
        char sep = k % 2 ? '-' : ' ';

        rand_bytes(h, sizeof(h));
        switch (k % 5) {
        case 0: make_segwit(a, sizeof(a), 0, 20, VIGIL_BECH32); break;
        case 1: make_segwit(a, sizeof(a), 1, 32, VIGIL_BECH32M); break;
        case 2: make_b58check(a, sizeof(a), 0x00, h); break;
        case 3: make_b58check(a, sizeof(a), 0x05, h); break;
        default: make_b58check(a, sizeof(a), 0x41, h);
        }
        n = strlen(a);
        o = (size_t)snprintf(text, sizeof(text), "pay: ");
        for (i = 0; i < n; i++) {
            if (i && i % 4 == 0)
                text[o++] = sep;
            text[o++] = a[i];
        }
        snprintf(text + o, sizeof(text) - o, " thanks");
        CHECK_OK(vigil_triage_scan(&r, t, text, strlen(text),
                                   VIGIL_TRIAGE_INDICATORS));
        d = find(r, type);
        if (!d) {
            fprintf(stderr, "    not joined: %s\n", text);
            CHECK(!"expected a joined address");
            continue;
        }
        CHECK_EQ_STR(d->value, a);
        CHECK_EQ_INT(d->valid, VIGIL_VALID_YES);
        CHECK_EQ_INT(d->start, 5);
        CHECK_EQ_INT(d->end, (long)o);
        /* one character of the last group changed: nothing valid */
        if (k % 5 < 2)
            text[o - 2] = text[o - 2] == b32[0] ? b32[1] : b32[0];
        else
            text[o - 2] = text[o - 2] == 'A' ? 'B' : 'A';
        CHECK_OK(vigil_triage_scan(&r, t, text, strlen(text),
                                   VIGIL_TRIAGE_INDICATORS));
        d = find(r, type);
        CHECK(d == NULL || d->valid != VIGIL_VALID_YES);
    }
    /* a P2PKH address whose first group is four digits ("1378 6nv9 ...",
     * about one in 250): joined too; "1999 was" starts nothing */
    for (k = 0; k < 100000; k++) {
        size_t i, o;

        rand_bytes(h, sizeof(h));
        make_b58check(a, sizeof(a), 0x00, h);
        if (a[1] > '9' || a[2] > '9' || a[3] > '9')
            continue;
        o = (size_t)snprintf(text, sizeof(text), "pay: ");
        for (i = 0; a[i]; i++) {
            if (i && i % 4 == 0)
                text[o++] = ' ';
            text[o++] = a[i];
        }
        text[o] = '\0';
        CHECK_OK(vigil_triage_scan(&r, t, text, o, VIGIL_TRIAGE_INDICATORS));
        CHECK((d = find(r, VIGIL_IND_BITCOIN)) != NULL);
        if (d)
            CHECK_EQ_STR(d->value, a);
        break;
    }
    CHECK(k < 100000);
    CHECK_OK(vigil_triage_scan(&r, t, "in 1999 was a year and 1234 abcd efgh", 37,
                               VIGIL_TRIAGE_INDICATORS));
    CHECK(find(r, VIGIL_IND_BITCOIN) == NULL);
    vigil_triage_free(t);
}

/* @p text must give exactly one indicator, of @p type, with @p value, over
 * the bytes of @p span. */
static void expect_one(vigil_triage *t, const char *text, const char *span,
                       const char *value, vigil_indicator_type type)
{
    const vigil_triage_result *r;
    const vigil_indicator *d;

    CHECK_OK(vigil_triage_scan(&r, t, text, strlen(text),
                               VIGIL_TRIAGE_INDICATORS));
    CHECK_EQ_INT(r->n_indicators, 1);
    if ((d = find(r, type)) == NULL) {
        fprintf(stderr, "    no indicator in: %s\n", text);
        CHECK(!"expected an indicator");
        return;
    }
    CHECK_EQ_STR(d->value, value);
    CHECK_EQ_INT(d->start, strstr(text, span) - text);
    CHECK_EQ_INT(d->end, d->start + (long)strlen(span));
}

/* @p text must give no indicator of @p type. */
static void expect_no(vigil_triage *t, const char *text,
                      vigil_indicator_type type)
{
    const vigil_triage_result *r;

    CHECK_OK(vigil_triage_scan(&r, t, text, strlen(text),
                               VIGIL_TRIAGE_INDICATORS));
    if (find(r, type)) {
        fprintf(stderr, "    unexpected indicator in: %s\n", text);
        CHECK(!"unexpected indicator");
    }
}

/* Wallet addresses inside a block explorer's link are reported besides
 * the link when their checksum holds, never when it fails (paths hold many
 * IDs that look like base58); a hash route of the link is kept
 * ("tronscan.org/#/address/T..."). */
static void test_text_indicators__addresses_in_links(void)
{
    static const char *const fmt[] = {
        "donate: https://tronscan.org/#/address/%s/transfers",
        "https://blockchair.com/bitcoin/address/%s?from=tg",
        "see https://xmrchain.net/search?value=%s ok",
        "https://etherscan.io/address/%s#code",
    };
    char a[128], text[512];
    uint8_t h[20];
    const vigil_triage_result *r;
    const vigil_indicator *d, *u;
    vigil_triage *t;
    int k;

    CHECK_OK(vigil_triage_new(&t, NULL));
    for (k = 0; k < 40; k++) {
        vigil_indicator_type type;
        size_t n;

        switch (k % 4) {
        case 0:
            rand_bytes(h, 20);
            make_b58check(a, sizeof(a), 0x41, h);
            type = VIGIL_IND_TRON;
            break;
        case 1:
            make_segwit(a, sizeof(a), 0, 20, VIGIL_BECH32);
            type = VIGIL_IND_BITCOIN;
            break;
        case 2:
            make_monero(a, sizeof(a), 18, 0);
            type = VIGIL_IND_MONERO;
            break;
        default:
            make_eth(a);
            type = VIGIL_IND_ETHEREUM;
        }
        n = strlen(a);
        snprintf(text, sizeof(text), fmt[k % 4], a);
        CHECK_OK(vigil_triage_scan(&r, t, text, strlen(text),
                                   VIGIL_TRIAGE_INDICATORS));
        d = find(r, type);
        u = find(r, VIGIL_IND_URL);
        CHECK(d != NULL && u != NULL);
        if (!d || !u)
            continue;
        CHECK(strcasecmp(d->value, a) == 0);
        CHECK(d->valid != VIGIL_VALID_NO);
        CHECK_EQ_INT(d->start, strstr(text, a) - text);
        CHECK_EQ_INT(d->end, d->start + (long)n);
        CHECK(strstr(u->value, k % 4 == 0 ? "#/address/" : "/") != NULL);
        if (k % 4 == 3)
            continue;       /* one-case Ethereum: no checksum to fail */
        /* one character changed: the link only */
        a[n - 2] = a[n - 2] == 'q' ? 'p' : a[n - 2] == 'A' ? 'B' :
                   a[n - 2] == '2' ? '3' : 'q';
        snprintf(text, sizeof(text), fmt[k % 4], a);
        CHECK_OK(vigil_triage_scan(&r, t, text, strlen(text),
                                   VIGIL_TRIAGE_INDICATORS));
        CHECK(find(r, type) == NULL);
        CHECK(find(r, VIGIL_IND_URL) != NULL);
    }
    /* an ID of a file-sharing link that looks like base58 stays a link */
    expect_no(t, "https://drive.google.com/file/d/"
                 "1AbCdEfGhJkLmNpQrStUvWxYz23456789/view", VIGIL_IND_BITCOIN);
    vigil_triage_free(t);
}

/* A defanged dot makes a link of a word without a scheme ("example[.]com",
 * "amaq[dot]net/x": defanging says "this is a link"); fullwidth letters
 * and dots read as ASCII ("ｔ.ｍｅ/", "t．me/"), so do ideographic full
 * stops after an ASCII letter or digit ("t。me/"; a bare host only with
 * a path or a common top-level domain), and Cyrillic or Greek look-alikes
 * in a word of ASCII letters ("t.mе/", "t.me/аmaq"; not a Russian word).
 * Offsets cover the
 * original bytes. Not an e-mail address, a lone "[.]", or a link that has
 * its scheme (one URL, not two). */
static void test_text_indicators__bare_and_fullwidth(void)
{
    static const struct {
        const char *text, *span, *value;
        vigil_indicator_type type;
    } yes[] = {
        { "visit example[.]com now", "example[.]com", "https://example.com/",
          VIGIL_IND_URL },
        { "see (amaq[dot]net/x) ok", "amaq[dot]net/x", "https://amaq.net/x",
          VIGIL_IND_URL },
        { "via hxxp[:]//ex[.]com/a", "hxxp[:]//ex[.]com/a", "http://ex.com/a",
          VIGIL_IND_URL },
        { "see(amaq[.]net) ok", "amaq[.]net", "https://amaq.net/",
          VIGIL_IND_URL },
        { "see example(.)com/x now", "example(.)com/x", "https://example.com/x",
          VIGIL_IND_URL },
        { "(amaq(dot)net{.}org)", "amaq(dot)net{.}org", "https://amaq.net.org/",
          VIGIL_IND_URL },
        { "join \xEF\xBD\x94.\xEF\xBD\x8D\xEF\xBD\x85/amaq_news now",
          "\xEF\xBD\x94.\xEF\xBD\x8D\xEF\xBD\x85/amaq_news",
          "https://t.me/amaq_news", VIGIL_IND_TELEGRAM_LINK },
        { "join t\xEF\xBC\x8Eme/amaq_news", "t\xEF\xBC\x8Eme/amaq_news",
          "https://t.me/amaq_news", VIGIL_IND_TELEGRAM_LINK },
        /* mathematical bold and double-struck letters, as NFKC reads them */
        { "join \xF0\x9D\x90\xAD.\xF0\x9D\x90\xA6\xF0\x9D\x90\x9E/amaq_news",
          "\xF0\x9D\x90\xAD.\xF0\x9D\x90\xA6\xF0\x9D\x90\x9E/amaq_news",
          "https://t.me/amaq_news", VIGIL_IND_TELEGRAM_LINK },
        { "t.me/\xF0\x9D\x95\x92\xF0\x9D\x95\x9E\xF0\x9D\x95\x92\xF0\x9D\x95\xA2_"
          "\xF0\x9D\x9F\x99 now",
          "t.me/\xF0\x9D\x95\x92\xF0\x9D\x95\x9E\xF0\x9D\x95\x92\xF0\x9D\x95\xA2_"
          "\xF0\x9D\x9F\x99", "https://t.me/amaq_1", VIGIL_IND_TELEGRAM_LINK },
        /* circled letters */
        { "join \xE2\x93\xA3.\xE2\x93\x9C\xE2\x93\x94/amaq_news now",
          "\xE2\x93\xA3.\xE2\x93\x9C\xE2\x93\x94/amaq_news", "https://t.me/amaq_news",
          VIGIL_IND_TELEGRAM_LINK },
        /* Cyrillic and Greek look-alikes inside an ASCII name or host */
        { "join t.me/\xD0\xB0maq_news now", "t.me/\xD0\xB0maq_news",
          "https://t.me/amaq_news", VIGIL_IND_TELEGRAM_LINK },
        { "join t.m\xD0\xB5/amaq_news now", "t.m\xD0\xB5/amaq_news",
          "https://t.me/amaq_news", VIGIL_IND_TELEGRAM_LINK },
        { "https://t.me/\xD0\x90maq_\xCE\xBF" "fficial ok",
          "https://t.me/\xD0\x90maq_\xCE\xBF" "fficial", "https://t.me/amaq_official",
          VIGIL_IND_TELEGRAM_LINK },
        { "www.ex\xD0\xB0mple.com/page", "www.ex\xD0\xB0mple.com/page",
          "https://www.example.com/page", VIGIL_IND_URL },
        /* the ideographic full stops IDNA reads as dots (U+3002, U+FF61) */
        { "join t\xE3\x80\x82me/amaq_news now", "t\xE3\x80\x82me/amaq_news",
          "https://t.me/amaq_news", VIGIL_IND_TELEGRAM_LINK },
        { "join t\xEF\xBD\xA1me/amaq_news", "t\xEF\xBD\xA1me/amaq_news",
          "https://t.me/amaq_news", VIGIL_IND_TELEGRAM_LINK },
        { "\xE8\xA7\x81 amaq\xE3\x80\x82net now", "amaq\xE3\x80\x82net",
          "https://amaq.net/", VIGIL_IND_URL },
        { "see amaq\xE3\x80\x82" "agency.info/x", "amaq\xE3\x80\x82" "agency.info/x",
          "https://amaq.agency.info/x", VIGIL_IND_URL },
        { "www\xE3\x80\x82" "example\xE3\x80\x82" "org",
          "www\xE3\x80\x82" "example\xE3\x80\x82" "org",
          "https://www.example.org/", VIGIL_IND_URL },
    };
    static const char *const no[] = {
        "mail foo@bar[.]com today", "a [.] b and x[.] y", "(.)(.) [.]x",
        "call f(x) and g(.) or (.)com",
        /* English in Japanese or Chinese text: a full stop after a word */
        "I use Linux\xE3\x80\x82Then go", "version 2\xE3\x80\x82next",
        /* emoji and musical symbols share the lead bytes */
        "fire \xF0\x9F\x94\xA5.\xF0\x9F\x94\xA5 x \xF0\x9D\x84\x9E.me/",
        "\xE4\xB8\xAD\xE6\x96\x87\xE3\x80\x82\xE4\xB8\xAD abc\xE3\x80\x82",
    };
    vigil_triage *t;
    size_t i;

    CHECK_OK(vigil_triage_new(&t, NULL));
    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        expect_one(t, yes[i].text, yes[i].span, yes[i].value, yes[i].type);
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        expect_no(t, no[i], VIGIL_IND_URL);
    /* a Russian word stays Russian, even where its letters look Latin */
    expect_no(t, "\xD1\x81\xD0\xBC\xD0\xBE\xD1\x82\xD1\x80\xD0\xB8 t.me/\xD0\xBA\xD0\xB0"
              "\xD0\xBD\xD0\xB0\xD0\xBB ok", VIGIL_IND_TELEGRAM_LINK);
    expect_no(t, "t.me/\xD0\x9E\xD1\x81\xD0\xB0 x", VIGIL_IND_TELEGRAM_LINK);
    /* many word starts before defanged dots ("(a(a(a...[.]b" three times):
     * the rewritten copy stays in its buffer (a heap overflow under ASan
     * in the first version), every offset inside the text */
    {
        char big[1024];
        const vigil_triage_result *r;
        size_t o = 0, g, q;

        for (g = 0; g < 3; g++) {
            for (q = 0; q < 100; q++) {
                big[o++] = '(';
                big[o++] = 'a';
            }
            memcpy(big + o, "[.]b", 4);
            o += 4;
        }
        CHECK_OK(vigil_triage_scan(&r, t, big, o, VIGIL_TRIAGE_INDICATORS));
        CHECK_EQ_INT(r->n_indicators, 1);       /* one value, https://a.b/ */
        for (q = 0; q < r->n_indicators; q++)
            CHECK(r->indicators[q].start < r->indicators[q].end &&
                  r->indicators[q].end <= o);
    }
    vigil_triage_free(t);
}

/* Onion addresses: a v3 one in a link spans its host, not the scheme; a
 * version 2 one (16 base-32 characters, retired, no checksum) is reported
 * unchecked with subtype "v2", bare or in a link; 16 characters outside
 * base 32 are nothing. */
static void test_text_indicators__onion_forms(void)
{
    static const char *const v2[] = {
        "old mirror expyuzz4wqqyqhjn.onion here", "http://3G2UPL4PQ6KUFC4M.onion/x",
        "http://sub.expyuzz4wqqyqhjn.onion/p",
    };
    char a[57], text[128];
    const vigil_triage_result *r;
    const vigil_indicator *d;
    vigil_triage *t;
    size_t i;

    CHECK_OK(vigil_triage_new(&t, NULL));
    make_onion(a);
    snprintf(text, sizeof(text), "see http://%s.onion/page", a);
    CHECK_OK(vigil_triage_scan(&r, t, text, strlen(text), VIGIL_TRIAGE_INDICATORS));
    CHECK((d = find(r, VIGIL_IND_ONION)) != NULL);
    if (d) {
        CHECK_EQ_INT(d->start, 11);
        CHECK_EQ_INT(d->end, 11 + 62);
        CHECK_EQ_INT(d->valid, VIGIL_VALID_YES);
    }
    for (i = 0; i < sizeof(v2) / sizeof(v2[0]); i++) {
        const char *at = strstr(v2[i], ".onion") - 16;

        CHECK_OK(vigil_triage_scan(&r, t, v2[i], strlen(v2[i]), VIGIL_TRIAGE_INDICATORS));
        CHECK((d = find(r, VIGIL_IND_ONION)) != NULL);
        if (!d)
            continue;
        CHECK_EQ_INT(d->valid, VIGIL_VALID_UNCHECKED);
        CHECK(d->subtype && strcmp(d->subtype, "v2") == 0);
        CHECK_EQ_INT(d->start, at - v2[i]);
        CHECK_EQ_INT(d->end, at + 22 - v2[i]);
        CHECK_EQ_INT(strlen(d->value), 22);
        CHECK(strncmp(d->value, "expyuzz4", 8) == 0 || strncmp(d->value, "3g2upl4p", 8) == 0);
    }
    expect_no(t, "bad abcdefghijklmn18.onion x", VIGIL_IND_ONION);
    expect_no(t, "short abcdefghijklmno.onion x", VIGIL_IND_ONION);
    vigil_triage_free(t);
}

/* A Telegram host written apart ("t . me/", "t dot me/", "t [.] me/") is
 * a link over all its bytes; a lone ". me/" or a "t." inside a word or
 * path is not, nor is a slash followed by a blank. */
static void test_text_indicators__spaced_host(void)
{
    static const struct {
        const char *text, *span, *value;
    } yes[] = {
        { "join t . me/azaim_media now", "t . me/azaim_media",
          "https://t.me/azaim_media" },
        { "T. ME/AzaimMedia", "T. ME/AzaimMedia", "https://t.me/azaimmedia" },
        { "telegram dot me/Chan_01.", "telegram dot me/Chan_01",
          "https://t.me/chan_01" },
        { "via t [.] me/x_chan", "t [.] me/x_chan", "https://t.me/x_chan" },
        { "hxxps://t (dot) me/chan_x", "hxxps://t (dot) me/chan_x",
          "https://t.me/chan_x" },
        { "and t.me /chan2", "t.me /chan2", "https://t.me/chan2" },
    };
    static const char *const no[] = {
        "but not . me/you", "at . me/xyz", "it was t. me/ nothing",
        "see example.com/t. me/xyz", "tt . me/xyz", "t . meh/xyz",
    };
    vigil_triage *t;
    size_t i;

    CHECK_OK(vigil_triage_new(&t, NULL));
    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        expect_one(t, yes[i].text, yes[i].span, yes[i].value,
                   VIGIL_IND_TELEGRAM_LINK);
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        expect_no(t, no[i], VIGIL_IND_TELEGRAM_LINK);
    vigil_triage_free(t);
}

static void test_text_indicators__links_in_text(void)
{
    static const char text[] =
        "see (https://www.example.org/p?utm_campaign=c&q=1), "
        "archive.org/download/Item-1.2_x/file.mp3 telegram.me/s/NewsChan "
        "@ValidName @_badname @abc and x@mail.com";
    vigil_triage *t;
    const vigil_triage_result *r;
    const vigil_indicator *d;

    CHECK_OK(vigil_triage_new(&t, NULL));
    CHECK_OK(vigil_triage_scan(&r, t, text, sizeof(text) - 1,
                               VIGIL_TRIAGE_INDICATORS));
    CHECK_EQ_INT(r->n_indicators, 5);
    CHECK((d = find(r, VIGIL_IND_URL)) != NULL);
    if (d) {
        CHECK_EQ_STR(d->value, "https://www.example.org/p?q=1");
        CHECK(text[d->end] == ')');
    }
    CHECK((d = find(r, VIGIL_IND_ARCHIVE_ORG)) != NULL);
    if (d)
        CHECK_EQ_STR(d->value, "https://archive.org/details/Item-1.2_x");
    CHECK((d = find(r, VIGIL_IND_TELEGRAM_LINK)) != NULL);
    if (d)
        CHECK_EQ_STR(d->value, "https://t.me/newschan");
    CHECK((d = find(r, VIGIL_IND_TELEGRAM_HANDLE)) != NULL);
    if (d) {
        CHECK_EQ_STR(d->value, "@validname");
        CHECK_EQ_INT(d->valid, VIGIL_VALID_YES);
        CHECK_EQ_STR(d[1].value, "@_badname");
        CHECK_EQ_INT(d[1].valid, VIGIL_VALID_NO);
    }
    vigil_triage_free(t);
}

/* Hosts under archive.org (storage servers, the Wayback Machine) keep their
 * host: a link is never started inside a host ("us.archive.org/..." or
 * "archive.org/..." out of "ia8.us.archive.org"), and the storage path
 * /<n>/items/<item>/ names an item; t.me/c/<id>/<post> is a private
 * channel's post. */
static void test_text_indicators__archive_hosts(void)
{
    static const char text[] =
        "ia800100.us.archive.org/1/items/item3/x.pdf and "
        "web.archive.org/web/2022/x.com/y and foo-archive.org/details/z "
        "and https://t.me/c/1234567890/55 t.me/c/123";
    vigil_triage *t;
    const vigil_triage_result *r;
    const vigil_indicator *d;

    CHECK_OK(vigil_triage_new(&t, NULL));
    CHECK_OK(vigil_triage_scan(&r, t, text, sizeof(text) - 1,
                               VIGIL_TRIAGE_INDICATORS));
    CHECK_EQ_INT(r->n_indicators, 4);
    CHECK((d = find(r, VIGIL_IND_ARCHIVE_ORG)) != NULL);
    if (d) {
        CHECK_EQ_STR(d->value, "https://archive.org/details/item3");
        CHECK_EQ_INT(d->start, 0);
    }
    CHECK((d = find(r, VIGIL_IND_URL)) != NULL);
    if (d) {
        CHECK_EQ_STR(d->value, "https://web.archive.org/web/2022/x.com/y");
        CHECK_EQ_INT(d->start, strstr(text, "web.") - text);
    }
    CHECK((d = find(r, VIGIL_IND_TELEGRAM_LINK)) != NULL);
    if (d) {
        CHECK_EQ_STR(d->value, "https://t.me/c/1234567890/55");
        CHECK_EQ_INT(d->valid, VIGIL_VALID_YES);
        CHECK_EQ_STR(d[1].value, "https://t.me/c/123");
        CHECK_EQ_INT(d[1].valid, VIGIL_VALID_NO);
    }
    vigil_triage_free(t);
}

/* Telegram's app links and service paths: an invite by tg://join, a post
 * by tg://resolve?domain=...&post=... or of a private channel by
 * tg://privatepost, sticker and emoji sets and boost
 * pages with their names whole, a channel opened in the web client
 * (web.telegram.org/k/#@name). */
static void test_text_indicators__telegram_forms(void)
{
    static const char *const in[] = {
        "tg://join?invite=AbCdEfGhIjKlMnOpQr", "tg://resolve?domain=Some_chan&post=55",
        "https://t.me/addstickers/xyz_Pack", "t.me/boost/some_channel",
        "tg://join?invite=short", "https://web.telegram.org/k/#@Some_Chan",
        "web.telegram.org/a/#some_chan", "https://t.me/addlist/AbCd-EfGh_1",
        "tg://privatepost?channel=1234567890&post=8",
    };
    static const char *const want[] = {
        "https://t.me/+AbCdEfGhIjKlMnOpQr", "https://t.me/some_chan/55",
        "https://t.me/addstickers/xyz_Pack", "https://t.me/boost/some_channel",
        "https://t.me/+short", "https://t.me/some_chan",
        "https://t.me/some_chan", "https://t.me/addlist/AbCd-EfGh_1",
        "https://t.me/c/1234567890/8",
    };
    /* service paths name no channel: a plain link */
    static const char *const service[] = {
        "https://t.me/share/url?url=https://example.com",
        "https://t.me/proxy?server=1.2.3.4&port=443&secret=abc",
        "https://t.me/setlanguage/ru", "https://t.me/iv?url=x&rhash=y",
    };
    vigil_triage *t;
    const vigil_triage_result *r;
    size_t i;

    CHECK_OK(vigil_triage_new(&t, NULL));
    for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        CHECK_OK(vigil_triage_scan(&r, t, in[i], strlen(in[i]),
                                   VIGIL_TRIAGE_INDICATORS));
        CHECK_EQ_INT(r->n_indicators, 1);
        if (r->n_indicators != 1)
            continue;
        CHECK_EQ_STR(r->indicators[0].value, want[i]);
        CHECK_EQ_INT(r->indicators[0].end, (long)strlen(in[i]));
        CHECK_EQ_INT(r->indicators[0].valid,
                     i == 4 ? VIGIL_VALID_NO : VIGIL_VALID_YES);
    }
    for (i = 0; i < sizeof(service) / sizeof(service[0]); i++) {
        CHECK_OK(vigil_triage_scan(&r, t, service[i], strlen(service[i]),
                                   VIGIL_TRIAGE_INDICATORS));
        CHECK_EQ_INT(r->n_indicators, 1);
        if (r->n_indicators == 1)
            CHECK_EQ_INT(r->indicators[0].type, VIGIL_IND_URL);
    }
    /* an archived copy of a channel names the channel too */
    {
        static const char *const arch[] = {
            "https://web.archive.org/web/20240101000000/https://t.me/Some_Chan",
            "see https://web.archive.org/web/2024*/t.me/s/some_chan ok",
            "https://archive.ph/2024.01.01-000000/https://t.me/some_chan",
        };
        const vigil_indicator *d;

        for (i = 0; i < sizeof(arch) / sizeof(arch[0]); i++) {
            const char *at = strstr(arch[i], i == 1 ? "t.me/s/" : "https://t.me");

            CHECK_OK(vigil_triage_scan(&r, t, arch[i], strlen(arch[i]),
                                       VIGIL_TRIAGE_INDICATORS));
            CHECK(find(r, VIGIL_IND_URL) != NULL);
            d = find(r, VIGIL_IND_TELEGRAM_LINK);
            CHECK(d != NULL);
            if (!d)
                continue;
            CHECK_EQ_STR(d->value, "https://t.me/some_chan");
            CHECK_EQ_INT(d->start, at - arch[i]);
        }
        expect_no(t, "https://web.archive.org/web/2024/https://t.me/share/url",
                  VIGIL_IND_TELEGRAM_LINK);
    }
    /* ... but a channel whose name starts with one is a channel */
    expect_one(t, "https://t.me/shareit_channel", "https://t.me/shareit_channel",
               "https://t.me/shareit_channel", VIGIL_IND_TELEGRAM_LINK);
    vigil_triage_free(t);
}

static void test_text_indicators__limit(void)
{
    static char big[5000 * 12 + 1];
    vigil_triage *t;
    const vigil_triage_result *r;
    size_t i;

    for (i = 0; i < 5000; i++)
        snprintf(big + 12 * i, 13, "@handle%04zu ", i);
    CHECK_OK(vigil_triage_new(&t, NULL));
    CHECK_OK(vigil_triage_scan(&r, t, big, sizeof(big) - 1,
                               VIGIL_TRIAGE_INDICATORS));
    CHECK_EQ_INT(r->n_indicators, VIGIL_TEXT_MAX_INDICATORS);
    CHECK_EQ_STR(r->indicators[0].value, "@handle0000");
    vigil_triage_free(t);
}

/* The next token start after a word is taken from the word's own 16-byte
 * window when it is there: a handle right after a word, one beyond the
 * window, '@' glued to a word (an e-mail, not a handle), a word longer
 * than the window. */
static void test_text_indicators__next_start(void)
{
    static const struct {
        const char *text, *want;
        size_t start;
    } cases[] = {
        { "ab @chan_one cd", "@chan_one", 3 },
        { "word,,,,,,,,,,,,,,,,,,,,,,@chan_two end", "@chan_two", 26 },
        { "wordwordwordwordwordword @chan_three, x", "@chan_three", 25 },
        { "x.. @chan_six", "@chan_six", 4 },
        { "abc@chan_five and more words here", NULL, 0 },
    };
    static vigil_text__inds l;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CHECK_OK(vigil_text__inds_extract(&l, cases[i].text, strlen(cases[i].text)));
        if (!cases[i].want) {
            CHECK_EQ_INT(l.n, 0);
            continue;
        }
        CHECK_EQ_INT(l.n, 1);
        if (l.n == 1) {
            CHECK_EQ_STR(l.v[0].value, cases[i].want);
            CHECK_EQ_INT(l.v[0].start, cases[i].start);
        }
    }
    vigil_text__inds_dispose(&l);
}

/* The address-check memo must give the checks' own answers: 96 addresses
 * of every kind (valid, and each with one character changed) through one
 * long-lived list, three passes in different orders (so slots are reused
 * and replaced), each indicator compared with a direct vigil_check_* call. */
static void test_text_indicators__check_memo(void)
{
    enum { NADDR = 96 };
    static char addr[NADDR][110];
    static vigil_text__inds warm, cold;
    uint8_t payload[20];
    size_t i, pass;
    int bad = 0, seen = 0;

    for (i = 0; i < NADDR; i += 2) {
        char *a = addr[i];

        switch (i / 2 % 6) {
        case 0: make_monero(a, 110, (uint8_t)(i % 4 ? 42 : 18), 0); break;
        case 1: make_monero(a, 110, 19, 1); break;
        case 2: make_segwit(a, 110, 0, i % 4 ? 20 : 32, VIGIL_BECH32); break;
        case 3: make_eth(a); break;
        case 4:
            rand_bytes(payload, sizeof(payload));
            make_b58check(a, 110, 0x41, payload);   /* TRON */
            break;
        default:
            rand_bytes(payload, sizeof(payload));
            make_b58check(a, 110, i % 4 ? 0x00 : 0x05, payload);
            break;
        }
        memcpy(addr[i + 1], a, 110);
        /* the same address with one base58/bech32/hex character changed */
        addr[i + 1][9] = addr[i + 1][9] == 'a' ? 'c' : 'a';
    }
    for (pass = 0; pass < 3; pass++) {
        for (i = 0; i < NADDR; i++) {
            size_t k = pass == 1 ? NADDR - 1 - i : (i * 37 + pass) % NADDR;
            const char *a = addr[k];
            size_t n = strlen(a), j;
            char text[160];
            int tn = snprintf(text, sizeof(text), "send to %s now", a);

            CHECK_OK(vigil_text__inds_extract(&warm, text, (size_t)tn));
            CHECK_OK(vigil_text__inds_extract(&cold, text, (size_t)tn));
            memset(cold.memo, 0, sizeof(cold.memo));
            if (warm.n != cold.n) {
                bad++;
                continue;
            }
            for (j = 0; j < warm.n; j++) {
                const vigil_indicator *d = &warm.v[j];
                const char *sub = NULL;
                int v;

                seen++;
                switch (d->type) {
                case VIGIL_IND_MONERO: v = vigil_check_monero(a, n, &sub); break;
                case VIGIL_IND_BITCOIN: v = vigil_check_bitcoin(a, n, &sub); break;
                case VIGIL_IND_ETHEREUM: v = vigil_check_ethereum(a, n); break;
                case VIGIL_IND_TRON: v = vigil_check_tron(a, n); break;
                default: v = -1; break;
                }
                if (d->valid != v || d->valid != cold.v[j].valid ||
                    (sub == NULL) != (d->subtype == NULL) ||
                    (sub && strcmp(sub, d->subtype) != 0) ||
                    (k % 2 == 0 && v != VIGIL_VALID_YES))
                    bad++;
            }
        }
    }
    printf("  %d address indicators checked through the memo, %d wrong\n",
           seen, bad);
    CHECK(seen >= 3 * NADDR * 3 / 4);
    CHECK_EQ_INT(bad, 0);
    vigil_text__inds_dispose(&warm);
    vigil_text__inds_dispose(&cold);
}

/* The scanner skips plain words 64 bytes at a time and reads the last
 * bytes of a text by one overlapping 16-byte window: every kind of
 * indicator (links, handles, wallets whole and split by blanks, words that
 * start like a split address, defanged and spaced links) at every place
 * relative to those 64 bytes and to the end of the text, in running text,
 * is found as the byte-by-byte scanner finds it. */
static void test_text_indicators__plain_skip(void)
{
    static const char filler[] = "the quick brown fox jumps over a lazy dog, then "
                                 "Tom went back: by bus. ";
    static vigil_text__inds fast, steps;
    char needle[14][160], text[640];
    uint8_t h[20];
    size_t k, pad, nf = strlen(filler);
    int diff = 0, found = 0, tried = 0;

    make_monero(needle[0], sizeof(needle[0]), 18, 0);
    rand_bytes(h, sizeof(h));
    make_b58check(needle[1], sizeof(needle[1]), 0x41, h);   /* TRON */
    make_segwit(needle[2], sizeof(needle[2]), 0, 20, VIGIL_BECH32);
    make_eth(needle[3]);
    memcpy(needle[4], "http://", 7);
    make_onion(needle[4] + 7);
    strcat(needle[4], ".onion/");
    strcpy(needle[5], "@chan_alpha");
    strcpy(needle[6], "https://t.me/chan_beta");
    strcpy(needle[7], "https://www.example.org/page");
    strcpy(needle[8], "https://archive.org/details/item_one");
    make_b58check(needle[9], sizeof(needle[9]), 0x00, h);   /* 1... */
    strcpy(needle[10], needle[2]);          /* bc1q... split below */
    strcpy(needle[11], needle[1]);          /* T... split below */
    strcpy(needle[12], "https://example.com/v");    /* defanged below */
    strcpy(needle[13], "https://t.me/chan_gamma");  /* written apart below */
    for (k = 0; k < 14; k++) {
        for (pad = 0; pad < 90; pad++) {
            size_t o = 0, i, n = strlen(needle[k]), j;
            const char *want = needle[k];

            for (i = 0; i < pad; i++)
                text[o++] = filler[i % nf];
            for (i = 0; i < (pad % 3 ? 1u : 17u); i++)  /* a long gap: no word ahead */
                text[o++] = ' ';
            if (k == 7 || k == 8)           /* links without a scheme */
                want += 8;
            if (k == 12)
                want = "hxxps://example[.]com/v";
            if (k == 13)
                want = "t . me/chan_gamma";
            n = strlen(want);
            for (i = 0; i < n; i++) {
                if (k >= 9 && k <= 11 && i && i % 4 == 0)
                    text[o++] = ' ';
                text[o++] = want[i];
            }
            text[o++] = ' ';
            for (i = 0; i < (pad % 2 ? 100 : pad % 23); i++)   /* or near the end */
                text[o++] = filler[(pad + i) % nf];
            text[o] = '\0';
            steps.step_by_step = 1;
            CHECK_OK(vigil_text__inds_extract(&fast, text, o));
            CHECK_OK(vigil_text__inds_extract(&steps, text, o));
            tried++;
            if (fast.n != steps.n) {
                diff++;
                continue;
            }
            for (j = 0; j < fast.n; j++)
                if (fast.v[j].type != steps.v[j].type ||
                    fast.v[j].start != steps.v[j].start ||
                    fast.v[j].end != steps.v[j].end ||
                    fast.v[j].valid != steps.v[j].valid ||
                    strcmp(fast.v[j].value, steps.v[j].value) != 0)
                    diff++;
            for (j = 0; j < fast.n; j++)
                if (fast.v[j].start == pad + (pad % 3 ? 1u : 17u) &&
                    strcmp(fast.v[j].value, needle[k]) == 0)
                    break;
            if (j < fast.n)
                found++;
            else
                fprintf(stderr, "    not found at %zu: %s\n", pad, text);
        }
    }
    printf("  %d texts, %d found where placed, %d differ step by step\n",
           tried, found, diff);
    CHECK_EQ_INT(diff, 0);
    CHECK_EQ_INT(found, tried);
    vigil_text__inds_dispose(&fast);
    vigil_text__inds_dispose(&steps);
}

int main(int argc, char **argv)
{
    static const test_case cases[] = {
        { "test_text_codec__sha256_vs_libcrypto", test_text_codec__sha256_vs_libcrypto },
        { "test_text_codec__hash_vectors", test_text_codec__hash_vectors },
        { "test_text_codec__base58_roundtrip",
          test_text_codec__base58_roundtrip },
        { "test_text_indicators__monero", test_text_indicators__monero },
        { "test_text_indicators__bitcoin_base58",
          test_text_indicators__bitcoin_base58 },
        { "test_text_indicators__bitcoin_bech32",
          test_text_indicators__bitcoin_bech32 },
        { "test_text_indicators__ethereum", test_text_indicators__ethereum },
        { "test_text_indicators__tron", test_text_indicators__tron },
        { "test_text_indicators__onion", test_text_indicators__onion },
        { "test_text_indicators__onion_forms", test_text_indicators__onion_forms },
        { "test_text_indicators__extract", test_text_indicators__extract },
        { "test_text_indicators__urls", test_text_indicators__urls },
        { "test_text_indicators__addresses_in_links",
          test_text_indicators__addresses_in_links },
        { "test_text_indicators__defanged", test_text_indicators__defanged },
        { "test_text_indicators__bare_and_fullwidth",
          test_text_indicators__bare_and_fullwidth },
        { "test_text_indicators__split_wallets",
          test_text_indicators__split_wallets },
        { "test_text_indicators__spaced_host",
          test_text_indicators__spaced_host },
        { "test_text_indicators__hidden_wallets",
          test_text_indicators__hidden_wallets },
        { "test_text_indicators__links_in_text",
          test_text_indicators__links_in_text },
        { "test_text_indicators__archive_hosts",
          test_text_indicators__archive_hosts },
        { "test_text_indicators__telegram_forms",
          test_text_indicators__telegram_forms },
        { "test_text_indicators__limit", test_text_indicators__limit },
        { "test_text_indicators__next_start",
          test_text_indicators__next_start },
        { "test_text_indicators__check_memo",
          test_text_indicators__check_memo },
        { "test_text_indicators__plain_skip",
          test_text_indicators__plain_skip },
        { NULL, NULL }
    };
    return test_main(argc, argv, cases);
}
