/*
 * text/indicators.c - finds wallet addresses, Telegram links and handles,
 * archive.org items, onion addresses and other URLs in raw UTF-8 text, one
 * pass over the bytes, and validates each by its own checksum (checks.c).
 */
#define VIGIL_MODULE "text"
#include "text/ascii_simd.h"
#include "text/text_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/alloc.h"
#include "common/error.h"

/* 1 for ASCII letters and digits. */
static const unsigned char alnum_tab[256] = {
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    1,1,1,1,1,1,1,1,1,1,0,0,0,0,0,0,
    0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,0,0,0,0,0,
    0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
};
#define IS_ALNUM(c) (alnum_tab[(unsigned char)(c)])
#define LOWER(c) ((char)((c) >= 'A' && (c) <= 'Z' ? (c) - 'A' + 'a' : (c)))

/* Longest URL kept; longer runs are cut here and reported cut. */
#define URL_MAX 2048

/* strchr() that never matches the terminating NUL. */
static int in_set(const char *set, char c)
{
    return c != '\0' && strchr(set, c) != NULL;
}

/* End of the authority part of a URL ("/?#"), without a strchr per byte. */
static int is_auth_end(char c)
{
    return c == '/' || c == '?' || c == '#';
}

void vigil_text__inds_dispose(vigil_text__inds *l)
{
    if (!l)
        return;
    vigil__free(l->v);
    vigil__free(l->val_off);
    vigil__free(l->arena);
    vigil__free(l->fang);
    vigil__free(l->fang_from);
    vigil__free(l->fang_to);
    memset(l, 0, sizeof(*l));
}

static int inds_push(vigil_text__inds *l, vigil_indicator_type type,
                     const char *val, size_t vlen, const char *subtype,
                     size_t start, size_t end, int valid)
{
    size_t i;

    if (l->n == VIGIL_TEXT_MAX_INDICATORS)
        return VIGIL_OK;                /* enough; the rest is not reported */
    for (i = 0; i < l->n; i++)
        if (l->v[i].type == type &&
            strlen(l->arena + l->val_off[i]) == vlen &&
            memcmp(l->arena + l->val_off[i], val, vlen) == 0)
            return VIGIL_OK;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        vigil_indicator *nv = vigil__realloc(l->v, nc * sizeof(*nv));
        size_t *no;

        if (!nv)
            return VIGIL_ENOMEM;
        l->v = nv;
        if ((no = vigil__realloc(l->val_off, nc * sizeof(*no))) == NULL)
            return VIGIL_ENOMEM;
        l->val_off = no;
        l->cap = nc;
    }
    if (l->alen + vlen + 1 > l->acap) {
        size_t nc = (l->acap ? l->acap : 256);
        char *na;

        while (nc < l->alen + vlen + 1)
            nc *= 2;
        if ((na = vigil__realloc(l->arena, nc)) == NULL)
            return VIGIL_ENOMEM;
        l->arena = na;
        l->acap = nc;
    }
    memcpy(l->arena + l->alen, val, vlen);
    l->arena[l->alen + vlen] = '\0';
    l->val_off[l->n] = l->alen;
    l->alen += vlen + 1;
    l->v[l->n].type = type;
    l->v[l->n].value = NULL;
    l->v[l->n].subtype = subtype;
    l->v[l->n].start = start;
    l->v[l->n].end = end;
    l->v[l->n].valid = valid;
    l->n++;
    return VIGIL_OK;
}

/* ---- URLs --------------------------------------------------------------- */

static int url_char(unsigned char c)
{
    if (c <= 0x20 || c >= 0x7f)
        return 0;
    return alnum_tab[c] || !(c == '<' || c == '>' || c == '"' || c == '\'' ||
                             c == '`' || c == '{' || c == '}' || c == '|' ||
                             c == '\\' || c == '^');
}

/* End of a URL starting at @p i: allowed bytes, minus trailing punctuation
 * (a ')' stays when the URL holds a '(' ). */
static size_t url_end(const char *s, size_t n, size_t i)
{
    size_t j = i, open = 0, lim = i + URL_MAX < n ? i + URL_MAX : n;

    while (j < lim && url_char((unsigned char)s[j])) {
        open += s[j] == '(';
        j++;
    }
    while (j > i && in_set(".,;:!?)]*", s[j - 1])) {
        if (s[j - 1] == ')' && open) {
            size_t k, o = 0, c = 0;
            for (k = i; k < j; k++) {
                o += s[k] == '(';
                c += s[k] == ')';
            }
            if (c <= o)
                break;
        }
        j--;
    }
    return j;
}

/* Query parameters that only track who shared or clicked a link: dropped
 * everywhere, plus per-site share parameters dropped on that site only
 * (X's "s"/"t" and TikTok's "_r"/"_t" would be content elsewhere: YouTube's
 * "t" is a time in the video). */
static const char *const tracking_params[] = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid",
    "mc_eid", "igshid", "igsh", "si", "_ga", "_gl", "yclid", "ref_src",
    "ref_url", "feature", "ttclid", "twclid", "li_fat_id", "mkt_tok",
    "_hsenc", "_hsmi", "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid",
    "s_cid", "sc_cid", "srsltid", "wickedid", "mibextid", NULL
};

static const struct {
    const char *host;           /* the site, with any subdomain */
    const char *const *params;
} site_tracking[] = {
    { "x.com", (const char *const[]){ "s", "t", "ref_src", NULL } },
    { "twitter.com", (const char *const[]){ "s", "t", "ref_src", NULL } },
    { "tiktok.com", (const char *const[]){
        "_r", "_t", "is_from_webapp", "sender_device", "sender_web_id",
        "is_copy_url", "u_code", "web_id", "preview_pb", "share_app_id",
        "share_link_id", "share_item_id", "social_sharing", "tt_from",
        "source", "timestamp", "user_id", NULL } },
    { "facebook.com", (const char *const[]){
        "rdid", "sfnsn", "share_url", "__cft__[0]", "__tn__", "_rdr",
        "ref", NULL } },
    { "youtube.com", (const char *const[]){ "pp", "ab_channel", NULL } },
    { "youtu.be", (const char *const[]){ "pp", NULL } },
    { "instagram.com", (const char *const[]){ "img_index", NULL } },
};

static int in_list(const char *const *list, const char *k, size_t kl)
{
    size_t i;

    for (i = 0; list[i]; i++)
        if (strlen(list[i]) == kl && strncmp(list[i], k, kl) == 0)
            return 1;
    return 0;
}

/* @p h (@p hn bytes) is @p site or a subdomain of it (m.facebook.com). */
static int host_within(const char *h, size_t hn, const char *site)
{
    size_t sl = strlen(site);

    return hn >= sl && strncasecmp(h + hn - sl, site, sl) == 0 &&
           (hn == sl || h[hn - sl - 1] == '.');
}

static int is_tracking(const char *h, size_t hn, const char *k, size_t kl)
{
    size_t i;

    if ((kl >= 4 && strncmp(k, "utm_", 4) == 0) ||
        (kl >= 4 && strncmp(k, "hsa_", 4) == 0) ||
        in_list(tracking_params, k, kl))
        return 1;
    for (i = 0; i < sizeof(site_tracking) / sizeof(site_tracking[0]); i++)
        if (host_within(h, hn, site_tracking[i].host))
            return in_list(site_tracking[i].params, k, kl);
    return 0;
}

struct url_parts {
    size_t host, host_end;   /* offsets into the input */
    size_t path;             /* start of path/query/fragment */
    int https;
};

/* Split "scheme://[user@]host[:port]/..." or "host/..." (scheme-less). */
static int url_split(struct url_parts *u, const char *s, size_t len)
{
    size_t i = 0, k;

    u->https = 1;
    if (len > 7 && strncasecmp(s, "http://", 7) == 0) {
        i = 7;
        u->https = 0;
    } else if (len > 8 && strncasecmp(s, "https://", 8) == 0) {
        i = 8;
    }
    for (k = i; k < len && !is_auth_end(s[k]); k++)
        if (s[k] == '@')
            i = k + 1;
    u->host = i;
    for (k = i; k < len && !is_auth_end(s[k]) && s[k] != ':'; k++)
        if (!IS_ALNUM((unsigned char)s[k]) && s[k] != '.' && s[k] != '-')
            return -1;
    u->host_end = k;
    if (k == i || !memchr(s + i, '.', k - i) || s[k - 1] == '.' || s[i] == '.')
        return -1;
    if (k < len && s[k] == ':') {       /* port: keep unless default */
        size_t p = k + 1;
        while (p < len && s[p] >= '0' && s[p] <= '9')
            p++;
        if (p == k + 1 || p - k - 1 > 5 || (p < len && !in_set("/?#", s[p])))
            return -1;
        u->path = p;
        if (!((p - k - 1 == 2 && strncmp(s + k + 1, "80", 2) == 0) ||
              (p - k - 1 == 3 && strncmp(s + k + 1, "443", 3) == 0)))
            u->host_end = p;            /* non-default port stays */
    } else {
        u->path = k;
    }
    return 0;
}

int vigil_text__url_normalize(char *out, size_t cap, const char *s,
                              size_t len)
{
    struct url_parts u;
    size_t k = 0, i, q, e;
    int first = 1;

#define PUT(c) do { if (k + 1 >= cap) return -1; out[k++] = (c); } while (0)
    for (i = 0; i < len; i++)
        if (!url_char((unsigned char)s[i]))
            return -1;
    if (url_split(&u, s, len) < 0)
        return -1;
    for (i = 0; i < (u.https ? 8u : 7u); i++)
        PUT((u.https ? "https://" : "http://")[i]);
    for (i = u.host; i < u.host_end; i++)
        PUT(LOWER(s[i]));
    for (e = u.path; e < len && s[e] != '#'; e++)
        ;
    for (q = u.path; q < e && s[q] != '?'; q++)
        PUT(s[q]);
    if (q == u.path)
        PUT('/');
    while (q < e) {                     /* s[q] is '?' or '&' */
        size_t a = q + 1, b = a, eq;
        while (b < e && s[b] != '&')
            b++;
        for (eq = a; eq < b && s[eq] != '='; eq++)
            ;
        if (b > a && !is_tracking(s + u.host, u.host_end - u.host, s + a,
                                  eq - a)) {
            PUT(first ? '?' : '&');
            first = 0;
            for (i = a; i < b; i++)
                PUT(s[i]);
        }
        q = b;
    }
    /* a fragment is dropped, unless it is the route of a page that routes
     * by it ("tronscan.org/#/address/T...", "#!/..."): there it names
     * what the link shows */
    if ((e + 2 < len && s[e + 1] == '/') ||
        (e + 3 < len && s[e + 1] == '!' && s[e + 2] == '/'))
        for (i = e; i < len; i++)
            PUT(s[i]);
    out[k] = '\0';
    return (int)k;
#undef PUT
}

static int tg_name_ok(const char *p, size_t n)
{
    size_t i;

    if (n < 5 || n > 32 || !((p[0] >= 'a' && p[0] <= 'z') ||
                             (p[0] >= 'A' && p[0] <= 'Z')) || p[n - 1] == '_')
        return 0;
    for (i = 0; i < n; i++)
        if (!IS_ALNUM((unsigned char)p[i]) && p[i] != '_')
            return 0;
    return 1;
}

static size_t seg_len(const char *p, size_t n, const char *extra)
{
    size_t i = 0;

    while (i < n && (IS_ALNUM(p[i]) || in_set(extra, p[i])))
        i++;
    return i;
}

static size_t digits_len(const char *p, size_t n)
{
    size_t i = 0;

    while (i < n && p[i] >= '0' && p[i] <= '9')
        i++;
    return i;
}

/* Whether the path @p p (@p n bytes, after "t.me/") starts with a
 * Telegram service word, not a channel: a share button ("share/url?url="),
 * a proxy setting ("proxy?server=", "socks?"), a language or theme pack,
 * a login code, a payment or gift link, a contact token, an instant view. */
static int tg_service(const char *p, size_t n)
{
    static const char *const w[] = { "share", "proxy", "socks", "setlanguage",
                                     "addtheme", "login", "confirmphone", "bg",
                                     "invoice", "giftcode", "contact", "iv" };
    size_t i, a = 0;

    while (a < n && p[a] != '/' && p[a] != '?' && p[a] != '#')
        a++;
    for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
        if (strlen(w[i]) == a && strncasecmp(p, w[i], a) == 0)
            return 1;
    return 0;
}

/* Length of "addstickers/", "addemoji/", "boost/" or "addlist/" (a chat
 * folder's invite) at p, else 0. */
static size_t pack_prefix(const char *p, size_t n)
{
    static const char *const pre[] = { "addstickers/", "addemoji/", "boost/",
                                       "addlist/" };
    size_t i, l;

    for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
        l = strlen(pre[i]);
        if (n > l && strncmp(p, pre[i], l) == 0)
            return l;
    }
    return 0;
}

/* t.me/<name>[/<post>], t.me/s/<name>, t.me/+<invite>, t.me/joinchat/<x>,
 * t.me/c/<channel id>[/<post>] (a post of a private channel),
 * t.me/addstickers|addemoji|boost/<name>. */
static int add_telegram(vigil_text__inds *l, const char *p, size_t n,
                        size_t start, size_t end)
{
    char v[128];
    size_t k, a, b, i;
    int valid;

    if (n > 0 && p[0] == '/') {
        p++;
        n--;
    }
    k = (size_t)snprintf(v, sizeof(v), "https://t.me/");
    if (n >= 2 && strncmp(p, "s/", 2) == 0) {
        p += 2;
        n -= 2;
    }
    if (n > 0 && p[0] == '+') {
        a = 1 + seg_len(p + 1, n - 1, "_-");
        valid = a >= 17 && a <= 40;
    } else if (n > 2 && p[0] == 'c' && p[1] == '/' && p[2] >= '0' &&
               p[2] <= '9') {
        size_t id = digits_len(p + 2, n - 2);

        a = 2 + id;
        valid = id >= 5 && id <= 15 && (a == n || !IS_ALNUM(p[a]));
        if (a + 1 < n && p[a] == '/' &&
            (b = digits_len(p + a + 1, n - a - 1)) > 0 && b < 12)
            a += 1 + b;
    } else if (n > 9 && strncmp(p, "joinchat/", 9) == 0) {
        a = 9 + seg_len(p + 9, n - 9, "_-");
        valid = a - 9 >= 16 && a - 9 <= 40;
    } else if ((a = pack_prefix(p, n)) != 0) {
        /* a sticker or emoji set, a channel's boost page or a folder
         * invite: the name keeps its case (set names are 1-64 of
         * [A-Za-z0-9_], folder slugs also hold '-') */
        b = seg_len(p + a, n - a, a == 8 ? "_-" : "_");
        valid = a == 6 ? tg_name_ok(p + a, b) : b > 0 && b <= 64;
        a += b;
    } else {
        a = seg_len(p, n, "_");
        valid = tg_name_ok(p, a);
        if (a == 0)
            return VIGIL_OK;            /* bare "t.me/" */
        if (a > 64)
            a = 64;
        for (i = 0; i < a; i++)
            v[k++] = LOWER(p[i]);
        if (a < n && p[a] == '/') {
            b = seg_len(p + a + 1, n - a - 1, "");
            if (b > 0 && b < 20) {
                v[k++] = '/';
                memcpy(v + k, p + a + 1, b);
                k += b;
            }
        }
        return inds_push(l, VIGIL_IND_TELEGRAM_LINK, v, k, NULL, start, end,
                         valid ? VIGIL_VALID_YES : VIGIL_VALID_NO);
    }
    if (a > 64)
        a = 64;
    memcpy(v + k, p, a);                /* invite hashes keep their case */
    k += a;
    return inds_push(l, VIGIL_IND_TELEGRAM_LINK, v, k, NULL, start, end,
                     valid ? VIGIL_VALID_YES : VIGIL_VALID_NO);
}

/* archive.org/details|download|embed/<item>[/...], and the storage
 * servers' paths ia800100.us.archive.org/<n>/items/<item>/<file>. */
static int add_archive(vigil_text__inds *l, const char *p, size_t n,
                       size_t start, size_t end, int *taken)
{
    static const char *const pre[] = { "/details/", "/download/", "/embed/",
                                       "/items/", NULL };
    char v[160];
    size_t i, a;

    *taken = 0;
    if (n > 1 && p[0] == '/' && p[1] >= '0' && p[1] <= '9') {
        i = 1 + digits_len(p + 1, n - 1);
        if (n - i > 7 && strncmp(p + i, "/items/", 7) == 0) {
            p += i;                     /* "/<n>" of a storage server */
            n -= i;
        }
    }
    for (i = 0; pre[i]; i++) {
        size_t pl = strlen(pre[i]);
        if (n <= pl || strncmp(p, pre[i], pl) != 0)
            continue;
        a = seg_len(p + pl, n - pl, "._-");
        if (a == 0 || a > 100)
            return VIGIL_OK;
        *taken = 1;
        i = (size_t)snprintf(v, sizeof(v), "https://archive.org/details/%.*s",
                             (int)a, p + pl);
        return inds_push(l, VIGIL_IND_ARCHIVE_ORG, v, i, NULL, start, end,
                         VIGIL_VALID_YES);
    }
    return VIGIL_OK;
}

static int host_is(const char *h, size_t n, const char *name)
{
    size_t nl = strlen(name);

    if (n == nl + 4 && strncasecmp(h, "www.", 4) == 0) {
        h += 4;
        n -= 4;
    }
    return n == nl && strncasecmp(h, name, nl) == 0;
}

static int add_onion(vigil_text__inds *l, const char *h, size_t hn,
                     size_t start, size_t end)
{
    char v[64];
    size_t i, lab;

    if (hn < 22 || strncasecmp(h + hn - 6, ".onion", 6) != 0)
        return VIGIL_OK;
    lab = hn - 6;                       /* take the last label */
    for (i = lab; i > 0 && h[i - 1] != '.'; i--)
        ;
    if (lab - i == 16) {
        /* a version 2 address (retired in 2021, still in old posts and
         * archives): 80 bits of a key hash, no checksum to check */
        for (lab = 0; lab < 16; lab++) {
            v[lab] = LOWER(h[i + lab]);
            if (!((v[lab] >= 'a' && v[lab] <= 'z') || (v[lab] >= '2' && v[lab] <= '7')))
                return VIGIL_OK;
        }
        memcpy(v + 16, ".onion", 6);
        return inds_push(l, VIGIL_IND_ONION, v, 22, "v2", start + i, end,
                         VIGIL_VALID_UNCHECKED);
    }
    if (lab - i != 56)
        return VIGIL_OK;
    for (lab = 0; lab < 56; lab++)
        v[lab] = LOWER(h[i + lab]);
    memcpy(v + 56, ".onion", 6);
    return inds_push(l, VIGIL_IND_ONION, v, 62, NULL, start + i, end,
                     vigil_check_onion(v, 56));
}

/* A channel opened in Telegram's web client, "web.telegram.org/k/#@name"
 * (or "#name"), as the t.me link of the channel: 1 when pushed, 0 when the
 * fragment names none, or an error. */
static int web_telegram(vigil_text__inds *l, const char *p, size_t n,
                        size_t start, size_t end)
{
    const char *f = memchr(p, '#', n);
    char v[64];
    size_t a, k, i;
    int rc;

    if (!f)
        return 0;
    n -= (size_t)(f + 1 - p);
    p = f + 1;
    if (n > 0 && p[0] == '@') {
        p++;
        n--;
    }
    a = seg_len(p, n, "_");
    if (a != n || !tg_name_ok(p, a))
        return 0;
    k = (size_t)snprintf(v, sizeof(v), "https://t.me/");
    for (i = 0; i < a; i++)
        v[k++] = LOWER(p[i]);
    rc = inds_push(l, VIGIL_IND_TELEGRAM_LINK, v, k, NULL, start, end,
                   VIGIL_VALID_YES);
    return rc < 0 ? rc : 1;
}

static int try_address(vigil_text__inds *l, const char *s, size_t i,
                       size_t j);
static int ci_is(const char *p, const char *w, size_t n);

/* A Telegram link inside another link's path: an archived copy of a
 * channel ("web.archive.org/web/2024/https://t.me/name",
 * "archive.ph/<id>/https://t.me/s/name", "web.archive.org/web/2024*\/
 * t.me/name") is reported as that channel too, from its "t.me/" (or its
 * scheme) to the end of the link. */
static int archived_telegram(vigil_text__inds *l, const char *s, size_t from,
                             size_t to)
{
    size_t j, hl, st;

    for (j = from + 1; j + 5 < to; j++) {
        if (s[j - 1] != '/' || LOWER(s[j]) != 't')
            continue;
        if (ci_is(s + j, "t.me/", 5))
            hl = 4;
        else if (j + 12 < to && ci_is(s + j, "telegram.me/", 12))
            hl = 11;
        else
            continue;
        if (tg_service(s + j + hl + 1, to - j - hl - 1))
            return VIGIL_OK;
        st = j >= from + 8 && ci_is(s + j - 8, "https://", 8) ? j - 8
             : j >= from + 7 && ci_is(s + j - 7, "http://", 7) ? j - 7 : j;
        return add_telegram(l, s + j + hl, to - j - hl, st, to);
    }
    return VIGIL_OK;
}

/* Wallet addresses inside a link's path, query or fragment (a block
 * explorer's "tronscan.org/#/address/T...", "blockchair.com/bitcoin/
 * address/bc1...", "xmrchain.net/search?value=4..."): every run of letters
 * and digits of @p s[@p from, @p to) that is an address whose checksum
 * holds is reported besides the link (an Ethereum address also when it is
 * written in one case, which carries none). Not a failing one: paths hold
 * many IDs that look like base58. */
static int link_addresses(vigil_text__inds *l, const char *s, size_t from,
                          size_t to)
{
    size_t i = from, j;
    int err;

    while (i < to) {
        if (!IS_ALNUM((unsigned char)s[i])) {
            i++;
            continue;
        }
        for (j = i; j < to && IS_ALNUM((unsigned char)s[j]); j++)
            ;
        if (j - i >= 26 && (i == from || s[i - 1] != '.')) {
            size_t before = l->n;

            if ((err = try_address(l, s, i, j)) < 0)
                return err;
            if (l->n > before && l->v[l->n - 1].valid == VIGIL_VALID_NO) {
                l->n--;                 /* not an address after all */
                l->alen = l->val_off[l->n];
            }
        }
        i = j;
    }
    return VIGIL_OK;
}

/* Try a link at @p i; returns its end, or @p i when there is none. */
static size_t try_link(vigil_text__inds *l, const char *s, size_t n, size_t i,
                       int *err)
{
    struct url_parts u;
    size_t e = url_end(s, n, i), hn;
    const char *h;
    char norm[URL_MAX + 16];
    int has_scheme, nl, taken = 0, is_www, is_onion;

    has_scheme = (e - i > 7 && strncasecmp(s + i, "http://", 7) == 0) ||
                 (e - i > 8 && strncasecmp(s + i, "https://", 8) == 0);
    if (url_split(&u, s + i, e - i) < 0)
        return i;
    h = s + i + u.host;
    hn = u.host_end - u.host;
    if (memchr(h, ':', hn))
        hn = (size_t)((const char *)memchr(h, ':', hn) - h);
    if ((host_is(h, hn, "t.me") || host_is(h, hn, "telegram.me") ||
         host_is(h, hn, "telegram.dog")) &&
        !(e - i > u.path + 1 &&
          tg_service(s + i + u.path + 1, e - i - u.path - 1))) {
        *err = add_telegram(l, s + i + u.path, e - i - u.path, i, e);
        return e;
    }
    if (host_is(h, hn, "web.telegram.org") &&
        (nl = web_telegram(l, s + i + u.path, e - i - u.path, i, e)) != 0) {
        *err = nl < 0 ? nl : VIGIL_OK;
        return e;
    }
    if (host_within(h, hn, "archive.org")) {
        *err = add_archive(l, s + i + u.path, e - i - u.path, i, e, &taken);
        if (*err < 0 || taken)
            return e;
    }
    is_www = hn > 4 && strncasecmp(h, "www.", 4) == 0;
    is_onion = hn >= 6 && strncasecmp(h + hn - 6, ".onion", 6) == 0;
    if (!has_scheme && !is_www && !is_onion &&
        !host_within(h, hn, "archive.org"))
        return i;                       /* bare word.word: not a link */
    if (is_onion && (*err = add_onion(l, h, hn, i + u.host, i + u.host + hn)) < 0)
        return e;
    if (!has_scheme && is_onion)
        return e;                       /* a bare onion is reported as such */
    if ((nl = vigil_text__url_normalize(norm, sizeof(norm), s + i, e - i)) < 0)
        return e;
    *err = inds_push(l, VIGIL_IND_URL, norm, (size_t)nl, NULL, i, e,
                     VIGIL_VALID_YES);
    if (*err == VIGIL_OK && e > i + u.path)
        *err = link_addresses(l, s, i + u.path, e);
    if (*err == VIGIL_OK && e > i + u.path)
        *err = archived_telegram(l, s, i + u.path, e);
    return e;
}

/* Case-insensitive: the @p n bytes at @p p are the lower-case @p w. */
static int ci_is(const char *p, const char *w, size_t n)
{
    size_t k;

    for (k = 0; k < n; k++)
        if (LOWER(p[k]) != w[k])
            return 0;
    return 1;
}

/* 0 when a scheme-less candidate at @p i ("word.x...") cannot be a link:
 * try_link() takes one only when its host is (www.)t.me, telegram.me,
 * telegram.dog, (www.)archive.org, www.* or *.onion, and every such host
 * shows one of "t.me", "www.", "telegram.", "archive.", ".onion" around a
 * dot inside the URL bytes from @p i. 1 when try_link() must look. */
static int may_be_link(const char *s, size_t n, size_t i)
{
    size_t k, lim = i + URL_MAX < n ? i + URL_MAX : n;

    for (k = i; k < lim && url_char((unsigned char)s[k]); k++) {
        if (s[k] != '.')
            continue;
        if ((k >= i + 1 && k + 2 < n && LOWER(s[k - 1]) == 't' &&
             ci_is(s + k + 1, "me", 2)) ||
            (k >= i + 3 && ci_is(s + k - 3, "www", 3)) ||
            (k >= i + 8 && ci_is(s + k - 8, "telegram", 8)) ||
            (k >= i + 7 && ci_is(s + k - 7, "archive", 7)) ||
            (k + 5 < n && ci_is(s + k + 1, "onion", 5)))
            return 1;
    }
    return 0;
}

/* tg://resolve?domain=<name>[&post=<n>], tg://join?invite=<hash> and
 * tg://privatepost?channel=<id>&post=<n>: the t.me links they open */
static size_t try_tg_scheme(vigil_text__inds *l, const char *s, size_t n,
                            size_t i, int *err)
{
    static const char pre[] = "tg://resolve?domain=", inv[] = "tg://join?invite=",
                      priv[] = "tg://privatepost?channel=";
    size_t pl = sizeof(pre) - 1, il = sizeof(inv) - 1, ppl = sizeof(priv) - 1, a, e, b;
    char v[96];
    int k;

    if (n - i > il && strncasecmp(s + i, inv, il) == 0) {
        /* an invite: the hash keeps its case, as t.me/+<hash> */
        a = seg_len(s + i + il, n - i - il, "_-");
        if (a == 0 || a > 64)
            return i;
        k = snprintf(v, sizeof(v), "https://t.me/+%.*s", (int)a, s + i + il);
        *err = inds_push(l, VIGIL_IND_TELEGRAM_LINK, v, (size_t)k, NULL, i,
                         i + il + a, a >= 16 && a <= 40 ? VIGIL_VALID_YES
                                                        : VIGIL_VALID_NO);
        return i + il + a;
    }
    if (n - i > ppl && strncasecmp(s + i, priv, ppl) == 0) {
        /* a post of a private channel, as t.me/c/<id>/<post> */
        a = digits_len(s + i + ppl, n - i - ppl);
        e = i + ppl + a;
        if (a == 0 || a > 16 || n - e <= 6 || strncmp(s + e, "&post=", 6) != 0 ||
            (b = digits_len(s + e + 6, n - e - 6)) == 0 || b > 11)
            return i;
        k = snprintf(v, sizeof(v), "https://t.me/c/%.*s/%.*s", (int)a, s + i + ppl, (int)b,
                     s + e + 6);
        *err = inds_push(l, VIGIL_IND_TELEGRAM_LINK, v, (size_t)k, NULL, i, e + 6 + b,
                         VIGIL_VALID_YES);
        return e + 6 + b;
    }
    if (n - i <= pl || strncasecmp(s + i, pre, pl) != 0)
        return i;
    a = seg_len(s + i + pl, n - i - pl, "_");
    if (a == 0 || a > 32)
        return i;
    k = snprintf(v, sizeof(v), "https://t.me/%.*s", (int)a, s + i + pl);
    for (int j = 13; j < k; j++)
        v[j] = LOWER(v[j]);
    e = i + pl + a;
    /* "&post=<n>": the post, as t.me/<name>/<n> */
    if (n - e > 6 && strncmp(s + e, "&post=", 6) == 0 &&
        (b = digits_len(s + e + 6, n - e - 6)) > 0 && b < 12) {
        k += snprintf(v + k, sizeof(v) - (size_t)k, "/%.*s", (int)b, s + e + 6);
        e += 6 + b;
    }
    *err = inds_push(l, VIGIL_IND_TELEGRAM_LINK, v, (size_t)k, NULL, i, e,
                     tg_name_ok(s + i + pl, a) ? VIGIL_VALID_YES
                                               : VIGIL_VALID_NO);
    return e;
}

/* @handle: not after a word character or '.', not followed by ".tld". */
static size_t try_handle(vigil_text__inds *l, const char *s, size_t n,
                         size_t i, int *err)
{
    size_t a = seg_len(s + i + 1, n - i - 1, "_");
    char v[40];

    if (i > 0 && (IS_ALNUM((unsigned char)s[i - 1]) || s[i - 1] == '_' ||
                  s[i - 1] == '.'))
        return i + 1 + a;
    if (a < 5 || a > 32)
        return i + 1 + a;
    if (i + 1 + a + 1 < n && s[i + 1 + a] == '.' &&
        IS_ALNUM((unsigned char)s[i + 2 + a]))
        return i + 1 + a;               /* an e-mail domain or host */
    v[0] = '@';
    for (size_t j = 0; j < a; j++)
        v[1 + j] = LOWER(s[i + 1 + j]);
    *err = inds_push(l, VIGIL_IND_TELEGRAM_HANDLE, v, a + 1, NULL, i,
                     i + 1 + a, tg_name_ok(s + i + 1, a) ? VIGIL_VALID_YES
                                                        : VIGIL_VALID_NO);
    return i + 1 + a;
}

static int all_b58(const char *p, size_t n, int need_letter)
{
    size_t i;
    int letter = 0;

    for (i = 0; i < n; i++) {
        char c = p[i];
        if (c == '0' || c == 'O' || c == 'I' || c == 'l')
            return 0;
        letter |= !(c >= '0' && c <= '9');
    }
    return letter || !need_letter;
}

enum { CK_ETH, CK_XMR, CK_BTC, CK_TRX };

/* The address check @p kind of [p, p + n) (14 <= n <= 106), through the
 * memo of @p l: the same bytes always get the same check (try_address
 * picks it from the bytes), so a remembered answer is the check's. */
static int check_addr(vigil_text__inds *l, int kind, const char *p, size_t n,
                      const char **sub)
{
    uint64_t a, z;
    vigil_text__addr_memo *m;
    int v;

    memcpy(&a, p, 8);
    memcpy(&z, p + n - 8, 8);
    m = &l->memo[(((a * 0x9E3779B97F4A7C15ull) ^ ((z ^ n) * 0xC2B2AE3D27D4EB4Full)) >> 40) %
                 VIGIL_TEXT__ADDR_MEMO];
    if (m->len == n && memcmp(m->b, p, n) == 0) {
        *sub = m->sub;
        return m->valid;
    }
    *sub = NULL;
    switch (kind) {
    case CK_ETH: v = vigil_check_ethereum(p, n); break;
    case CK_XMR: v = vigil_check_monero(p, n, sub); break;
    case CK_BTC: v = vigil_check_bitcoin(p, n, sub); break;
    default: v = vigil_check_tron(p, n); break;
    }
    m->len = (uint8_t)n;
    m->valid = (int8_t)v;
    m->sub = *sub;
    memcpy(m->b, p, n);
    return v;
}

/* An alphanumeric run [i, j) that may be an address. */
static int try_address(vigil_text__inds *l, const char *s, size_t i, size_t j)
{
    const char *p = s + i, *sub = NULL;
    size_t n = j - i;
    int v;

    if (n == 42 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        char val[42];
        if ((v = check_addr(l, CK_ETH, p, n, &sub)) == VIGIL_VALID_NO) {
            size_t k;
            for (k = 2; k < 42; k++)
                if (!in_set("0123456789abcdefABCDEF", p[k]))
                    return VIGIL_OK;    /* not hex at all */
        }
        memcpy(val, p, 42);
        val[1] = 'x';
        return inds_push(l, VIGIL_IND_ETHEREUM, val, 42, NULL, i, j, v);
    }
    if ((n == 95 || n == 106) && all_b58(p, n, 1)) {
        v = check_addr(l, CK_XMR, p, n, &sub);
        return inds_push(l, VIGIL_IND_MONERO, p, n, sub, i, j, v);
    }
    if (n >= 14 && n <= 74 && (p[0] == 'b' || p[0] == 'B') &&
        (p[1] == 'c' || p[1] == 'C') && p[2] == '1') {
        char val[74];
        size_t k;
        v = check_addr(l, CK_BTC, p, n, &sub);
        for (k = 0; k < n; k++)
            val[k] = LOWER(p[k]);
        return inds_push(l, VIGIL_IND_BITCOIN, val, n, sub, i, j, v);
    }
    if (n == 34 && p[0] == 'T' && all_b58(p, n, 1))
        return inds_push(l, VIGIL_IND_TRON, p, n, NULL, i, j,
                         check_addr(l, CK_TRX, p, n, &sub));
    if (n >= 26 && n <= 35 && (p[0] == '1' || p[0] == '3') &&
        all_b58(p, n, 1)) {
        v = check_addr(l, CK_BTC, p, n, &sub);
        return inds_push(l, VIGIL_IND_BITCOIN, p, n, sub, i, j, v);
    }
    return VIGIL_OK;
}

/* White space that may separate the parts of an address or words. */
static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The kind of address a run [i, j) may begin when it is the first part of
 * an address split into groups ("44AF...QGv7 SqSs...", "bc1q ar0s rrr7
 * ...", "TJCn KsPa 7y5o ..."), or -1: Monero from 4 or 8; Bitcoin bech32
 * from bc1; Bitcoin base58 from 1 or 3 and TRON from T with four or more
 * characters of base58, Bitcoin with a letter among them (or four digits
 * before a group with one: "1378 6nv9 ..."), TRON not a capitalised word
 * ("There"); each shorter than a whole address of its kind (a whole one
 * followed by a word is no first part). A run of digits alone starts no
 * address ("1999 was"): joining is tried only where it can hold. */
static int split_kind(const char *s, size_t i, size_t j, size_t total)
{
    const char *p = s + i;
    size_t n = j - i, k;

    if (n < 3)
        return -1;
    switch (p[0]) {
    case '4': case '8':
        return n < 95 && all_b58(p, n, 0) ? CK_XMR : -1;
    case 'b': case 'B':
        return (p[1] | 0x20) == 'c' && p[2] == '1' && n < 14 ? CK_BTC : -1;
    case '1': case '3':         /* with a letter: not a year, "1999 was" */
        if (n >= 4 && n < 26 && all_b58(p, n, 1))
            return CK_BTC;
        if (n == 4 && all_b58(p, n, 0)) {
            size_t e = j, k;

            while (e < total && e - j < 3 && blank(s[e]))
                e++;
            if (e == j && e < total && s[e] == '-')
                e++;
            for (k = e; k < total && IS_ALNUM((unsigned char)s[k]); k++)
                ;
            if (e > j && k - e >= 3 && all_b58(s + e, k - e, 1))
                return CK_BTC;
        }
        return -1;
    case 'T':
        if (n < 4 || n >= 34 || !all_b58(p, n, 0))
            return -1;
        for (k = 1; k < n; k++)
            if (!(p[k] >= 'a' && p[k] <= 'z'))
                return CK_TRX;
        return -1;
    default:
        return -1;
    }
}

/* Whether a join of @p len characters may be a whole address of @p kind. */
static int split_len_ok(int kind, const char *buf, size_t len)
{
    switch (kind) {
    case CK_XMR: return (len == 95 || len == 106) && all_b58(buf, len, 1);
    case CK_TRX: return len == 34 && all_b58(buf, len, 1);
    case CK_BTC:
        return buf[0] == '1' || buf[0] == '3'
                   ? len >= 26 && len <= 35 && all_b58(buf, len, 1)
                   : len >= 14 && len <= 74;
    default: return 0;
    }
}

/* An address broken by white space or dashes ("44AF...QGv7 SqSs...P3A",
 * "bc1q ar0s rrr7 ...", "bc1q-ar0s-...": wrapped, or split into groups to
 * dodge scanners): the runs of letters and digits from [i, j) on, each
 * separated by one to three blanks or one dash, are joined while they fit
 * (up to 32 parts: groups of four); at each length an address of the kind may have
 * (split_kind) the join is checked. Only a valid join is reported
 * (spanning all its parts): the checksum decides (Keccak for Monero,
 * bech32's BCH code, base58check's double SHA-256), so a join of unrelated
 * words or of a corrupted address reports nothing. Returns the end of the
 * reported address, or @p i. */
static size_t try_split(vigil_text__inds *l, const char *s, size_t n,
                        size_t i, size_t j, int kind, int *err)
{
    static const vigil_indicator_type type[] = {
        [CK_XMR] = VIGIL_IND_MONERO, [CK_BTC] = VIGIL_IND_BITCOIN,
        [CK_TRX] = VIGIL_IND_TRON,
    };
    char buf[106];
    const char *sub;
    size_t len = j - i, k = j, e, parts = 1;

    memcpy(buf, s + i, len);
    while (parts < 32) {
        for (e = k; e < n && e - k < 3 && blank(s[e]); e++)
            ;
        if (e == k && e < n && s[e] == '-')
            e++;                        /* "bc1q-ar0s-..." */
        if (e == k || e == n || !IS_ALNUM((unsigned char)s[e]))
            return i;
        for (k = e; k < n && IS_ALNUM((unsigned char)s[k]); k++)
            ;
        if (len + (k - e) > sizeof(buf))
            return i;
        memcpy(buf + len, s + e, k - e);
        len += k - e;
        parts++;
        if (split_len_ok(kind, buf, len) &&
            check_addr(l, kind, buf, len, &sub) == VIGIL_VALID_YES) {
            if (kind == CK_BTC && buf[0] != '1' && buf[0] != '3')
                for (e = 0; e < len; e++)       /* bech32: lower case */
                    buf[e] = LOWER(buf[e]);
            *err = inds_push(l, type[kind], buf, len, sub, i, k,
                             VIGIL_VALID_YES);
            return k;
        }
    }
    return i;
}

#if defined(__SSE2__)
/* Bit k set when byte at + k is a letter, digit or '@'. */
static inline unsigned start_mask16(const char *s, size_t at)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + at));

    return vigil__alnum_mask16(s + at) |
           (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('@')));
}
#endif

/* First index >= @p i (< n) holding a letter, digit or '@', else n; with
 * @p tail, the last bytes by one overlapping 16-byte window too (the
 * fuzzer compares with the byte-by-byte loop). */
static size_t skip_to_start(const char *s, size_t i, size_t n, int tail)
{
#if defined(__SSE2__)
    unsigned m;

    for (; i + 16 <= n; i += 16)
        if ((m = start_mask16(s, i)) != 0)
            return i + (size_t)__builtin_ctz(m);
    if (tail && i < n && n >= 16) {
        /* the last 16 bytes, those before i (looked at) masked off */
        size_t j = n - 16;

        m = start_mask16(s, j) & (0xFFFFu << (i - j));
        return m ? j + (size_t)__builtin_ctz(m) : n;
    }
#endif
    for (; i < n && !IS_ALNUM(s[i]) && s[i] != '@'; i++)
        ;
    return i;
}

/* End of the run of letters and digits that continues at @p j (< n).
 * *next gets the first index >= the end holding a letter, digit or '@'
 * when the same 16 bytes show it (what skip_to_start would find from
 * there), else the end itself. */
static size_t run_end(const char *s, size_t j, size_t n, size_t *next)
{
#if defined(__SSE2__)
    for (; j + 16 <= n; j += 16) {
        unsigned a = vigil__alnum_mask16(s + j);
        unsigned m = ~a & 0xFFFFu;

        if (m) {
            unsigned b = (unsigned)__builtin_ctz(m);
            unsigned at = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
                _mm_loadu_si128((const __m128i *)(const void *)(s + j)),
                _mm_set1_epi8('@')));
            unsigned st = (a | at) >> b;

            *next = st ? j + b + (size_t)__builtin_ctz(st) : j + b;
            return j + b;
        }
    }
#endif
    for (; j < n && IS_ALNUM((unsigned char)s[j]); j++)
        ;
    *next = j;
    return j;
}

#if defined(__SSE2__)
/* The masks plain_runs() tests, of 64 bytes: bit k for byte k. */
struct masks64 {
    uint64_t alnum, spec, b, c, at, dot, colon;
};

/* Bit k set when byte k of the 16 in @p x is one of @p a .. @p e. */
static inline __m128i eq5(__m128i x, char a, char b, char c, char d, char e)
{
    return _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(a)),
                                     _mm_cmpeq_epi8(x, _mm_set1_epi8(b))),
                        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(c)),
                                                  _mm_cmpeq_epi8(x, _mm_set1_epi8(d))),
                                     _mm_cmpeq_epi8(x, _mm_set1_epi8(e))));
}

/* Bit k set when byte k of the 16 in @p x equals @p c (a 64-bit mask). */
static inline uint64_t eq16(__m128i x, char c)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(c)));
}

static inline void masks64(struct masks64 *m, const char *p)
{
    int k;

    memset(m, 0, sizeof(*m));
    for (k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i l = _mm_or_si128(x, _mm_set1_epi8(0x20));   /* ASCII letters folded */
        unsigned sh = 16u * (unsigned)k;

        m->alnum |= (uint64_t)vigil__alnum_mask16(p + 16 * k) << sh;
        m->spec |= (uint64_t)(unsigned)_mm_movemask_epi8(eq5(x, '1', '3', '4', '8', 'T')) << sh;
        m->b |= eq16(l, 'b') << sh;
        m->c |= eq16(l, 'c') << sh;
        m->at |= eq16(x, '@') << sh;
        m->dot |= eq16(x, '.') << sh;
        m->colon |= eq16(x, ':') << sh;
    }
}

/*
 * extract() at the run of letters and digits starting at @p i: the first
 * place in s[i, i + 64) (in s[i, n) near the end) where its loop may do
 * something other than step to the next run, found for the 64 bytes at
 * once. A run of plain words does nothing there: none starts with a
 * character of an address split by blanks (split_kind: 1 3 4 8 T, bc),
 * none is 14 bytes or longer (try_address), none ends in ".x" or ':' (a
 * link), and no '@' (a handle) lies between them. Returns the start of the first run that
 * may (i when it is the first), the first '@', or where the last run that
 * may go past the 64 bytes starts; i + 64 (or n) when all are plain.
 * Each test is one extract() would make as well or looser, so the loop
 * then finds what it would have found step by step.
 */
static size_t plain_runs(const char *s, size_t i, size_t n)
{
    char tail[80];
    const char *p = s + i;
    struct masks64 m;
    uint64_t a, next_alnum, next_c, starts, ends, spec, at, link, r, stop;

    if (n - i <= 64) {          /* the end of the text: NULs after it */
        memset(tail, 0, sizeof(tail));
        memcpy(tail, p, n - i);
        p = tail;
    }
    masks64(&m, p);
    a = m.alnum;
    next_alnum = a >> 1 | (uint64_t)IS_ALNUM(p[64]) << 63;
    next_c = m.c >> 1 | (uint64_t)((p[64] | 0x20) == 'c') << 63;
    starts = a & ~(a << 1);
    ends = ~a & a << 1;
    spec = m.spec | (m.b & next_c);
    at = m.at;
    link = ends & ((m.dot & next_alnum) | m.colon);
    r = a & a >> 1;
    r &= r >> 2;                        /* bit k: bytes k .. k + 3 alnum */
    r &= r >> 4;                        /* k .. k + 7 */
    r &= r >> 6;                        /* k .. k + 13: 14 bytes */
    stop = (starts & (spec | r)) | at;
    if (link) {                         /* the start of the first such run */
        uint64_t before = starts & ((link & -link) - 1);

        stop |= (uint64_t)1 << (63 - __builtin_clzll(before));
    }
    if (a >> 63)                        /* the last run may go on */
        stop |= (uint64_t)1 << (63 - __builtin_clzll(starts));
    if (!stop)
        return n - i > 64 ? i + 64 : n;
    return i + (size_t)__builtin_ctzll(stop);
}
#endif

static int extract(vigil_text__inds *l, const char *s, size_t n)
{
    size_t i = 0, j, k, next;
    int err = VIGIL_OK, kind;

    l->n = 0;
    l->alen = 0;
    while (i < n && err == VIGIL_OK) {
        unsigned char c = (unsigned char)s[i];

        if (!IS_ALNUM(c)) {
            if (c == '@') {
                i = try_handle(l, s, n, i, &err);
                continue;
            }
            /* nothing starts before the next letter, digit or '@': skip
             * 16 bytes at a time (most of an Arabic or Cyrillic text) */
            i = skip_to_start(s, i + 1, n, !l->step_by_step);
            continue;
        }
#if defined(__SSE2__)
        if (n - i >= 24 && !l->step_by_step) {
            /* the plain runs before the next one that may be something,
             * skipped; that one (a '@' or other byte: the loop) read
             * here step by step. Not for the last word or two of a text:
             * there the masks cost more than the steps (texts of 12
             * bytes: 477 -> 337 MB/s) */
            i = plain_runs(s, i, n);
            if (i == n || !IS_ALNUM(s[i]))
                continue;
            c = (unsigned char)s[i];
        }
#endif
        j = run_end(s, i + 1, n, &next);
        /* A link needs "word.x" or "http(s)/tg:"; "end. Next" is not one. */
        if (j + 1 < n && ((s[j] == '.' && IS_ALNUM((unsigned char)s[j + 1])) ||
                          (s[j] == ':' && s[j + 1] == '/'))) {
            if (s[j] == ':')
                k = c == 't' || c == 'T' ? try_tg_scheme(l, s, n, i, &err)
                                         : try_link(l, s, n, i, &err);
            else if (i > 0 && in_set(".-_", s[i - 1]))
                k = i;  /* inside a host: "ia8.us.archive.org" from "us" */
            else        /* "word.x": no scheme (the run at i has no ':') */
                k = may_be_link(s, n, i) ? try_link(l, s, n, i, &err) : i;
            if (k > i) {
                i = k;
                continue;
            }
        }
        if (j < n && (blank(s[j]) || s[j] == '-') &&
            (kind = split_kind(s, i, j, n)) >= 0 &&
            (k = try_split(l, s, n, i, j, kind, &err)) > i) {
            i = k;
            continue;
        }
        if (j - i >= 14 && (err = try_address(l, s, i, j)) < 0)
            break;
        i = next;       /* the next start, when run_end saw it */
    }
    return err;
}

/* ---- defanged links ------------------------------------------------------ */

/* Bytes of the invisible format character at s[i] (soft hyphen, ZWSP,
 * ZWNJ, ZWJ, LRM, RLM, the bidi embeddings and overrides, word joiner,
 * BOM), or 0. */
static size_t invisible_at(const unsigned char *s, size_t n, size_t i)
{
    if (s[i] == 0xC2 && i + 1 < n && s[i + 1] == 0xAD)
        return 2;
    if (i + 2 >= n)
        return 0;
    if (s[i] == 0xE2 && s[i + 1] == 0x80 &&
        ((s[i + 2] >= 0x8B && s[i + 2] <= 0x8F) ||
         (s[i + 2] >= 0xAA && s[i + 2] <= 0xAE)))
        return 3;
    if ((s[i] == 0xE2 && s[i + 1] == 0x81 && s[i + 2] == 0xA0) ||
        (s[i] == 0xEF && s[i + 1] == 0xBB && s[i + 2] == 0xBF))
        return 3;
    return 0;
}

/* Index past the spaces (ASCII blanks and tabs) from s[i]. */
static size_t skip_blanks(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* Length of a defanged dot at s[i]: "[.]" "(.)" "{.}" "[dot]" "(dot)"
 * "{dot}" (any case), or 0. */
static size_t bracket_dot_at(const char *s, size_t n, size_t i)
{
    static const char open[] = "[({", close[] = "])}";
    const char *o = memchr(open, s[i], 3);

    if (!o)
        return 0;
    if (i + 2 < n && s[i + 1] == '.' && s[i + 2] == close[o - open])
        return 3;
    if (i + 4 < n && ci_is(s + i + 1, "dot", 3) && s[i + 4] == close[o - open])
        return 5;
    return 0;
}

/* Length of a Telegram host written apart at s[i], which starts a word:
 * "t . me/", "t. me /", "telegram dot me/", "t [.] me/" (any case) through
 * the slash; 0 unless something in it is spaced or spelt, since a plain
 * "t.me/" needs no rewriting and "t[.]me/" is rewritten marker by marker. */
static size_t spaced_tme_at(const char *s, size_t n, size_t i)
{
    size_t j = i + 1, k, m;
    int apart = 0;

    if (i > 0 && (IS_ALNUM((unsigned char)s[i - 1]) || s[i - 1] == '.' ||
                  s[i - 1] == '@' ||
                  (s[i - 1] == '/' && (i < 2 || s[i - 2] != '/'))))
        return 0;
    if (j + 7 <= n && ci_is(s + i + 1, "elegram", 7))
        j += 7;
    k = skip_blanks(s, n, j);
    apart |= k > j;
    if (k < n && s[k] == '.') {
        k++;
    } else if (k < n && (m = bracket_dot_at(s, n, k)) > 0) {
        k += m;
    } else if (k > j && k + 3 < n && ci_is(s + k, "dot", 3) &&
               (s[k + 3] == ' ' || s[k + 3] == '\t')) {
        k += 3;
        apart = 1;
    } else {
        return 0;
    }
    j = skip_blanks(s, n, k);
    apart |= j > k;
    if (j + 2 > n || !ci_is(s + j, "me", 2))
        return 0;
    k = skip_blanks(s, n, j + 2);
    apart |= k > j + 2;
    if (k >= n || s[k] != '/' || k + 1 >= n ||
        !IS_ALNUM((unsigned char)s[k + 1]))
        return 0;
    return apart ? k + 1 - i : 0;
}

/* Whether s[i] is an ideographic full stop (U+3002) after an ASCII
 * letter or digit: "t。me/", "example。com" (IDNA reads it as a dot in a
 * host name, and browsers follow such a link). */
static int ideo_dot_at(const unsigned char *s, size_t n, size_t i)
{
    return i > 0 && i + 2 < n && s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x82 &&
           IS_ALNUM(s[i - 1]);
}

/* The letters styled alphabets are laid out in. */
static const char az52[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* The ASCII letter or digit a mathematical alphanumeric symbol at s[i]
 * (F0 9D ..; U+1D400..U+1D6A3 letters, U+1D7CE..U+1D7FF digits: bold,
 * italic, script, double-struck ... "𝐭.𝐦𝐞/", as text generators style
 * them) stands for, as NFKC reads it, in *to; 4, or 0. */
static size_t math_alnum_at(const unsigned char *s, size_t i, const char **to)
{
    static const char digits[] = "0123456789";
    unsigned long cp;

    if ((s[i + 2] & 0xC0) != 0x80 || (s[i + 3] & 0xC0) != 0x80)
        return 0;
    cp = 0x1D000ul | ((unsigned long)(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3Fu);
    if (cp >= 0x1D400 && cp <= 0x1D6A3)
        *to = az52 + (cp - 0x1D400) % 52;
    else if (cp >= 0x1D7CE && cp <= 0x1D7FF)
        *to = digits + (cp - 0x1D7CE) % 10;
    else
        return 0;
    return 4;
}

/* The ASCII character a fullwidth form (U+FF01..U+FF5E: "ｔ．ｍｅ／",
 * "ＢＣ１"), a mathematical letter or digit (math_alnum_at), a circled
 * letter (ⓣ), a small or leader dot (U+FE52, U+2024) or an ideographic
 * full stop after a letter or digit (U+3002, halfwidth U+FF61: the dots
 * IDNA maps to '.') at s[i] stands for, as NFKC or IDNA read them, in *to
 * (one byte); its length, or 0. */
static size_t fullwidth_at(const unsigned char *s, size_t n, size_t i,
                           const char **to)
{
    static const char ascii[] = "!\"#$%&'()*+,-./0123456789:;<=>?@"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
                                "abcdefghijklmnopqrstuvwxyz{|}~";
    unsigned cp;

    if (i + 2 >= n)
        return 0;
    if ((s[i] == 0xEF && s[i + 1] == 0xB9 && s[i + 2] == 0x92) ||
        (s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] == 0xA4) ||
        (s[i] == 0xEF && s[i + 1] == 0xBD && s[i + 2] == 0xA1) || ideo_dot_at(s, n, i)) {
        *to = ".";
        return 3;
    }
    if (s[i] == 0xF0 && s[i + 1] == 0x9D && i + 3 < n)
        return math_alnum_at(s, i, to);
    if (s[i] == 0xE2 && (s[i + 1] == 0x92 || s[i + 1] == 0x93) && (s[i + 2] & 0xC0) == 0x80) {
        /* circled letters, U+24B6..U+24E9 (Ⓐ..Ⓩ ⓐ..ⓩ) */
        cp = 0x2000u | ((unsigned)(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3Fu);
        if (cp < 0x24B6 || cp > 0x24E9)
            return 0;
        *to = az52 + (cp - 0x24B6);
        return 3;
    }
    if (s[i] != 0xEF || (s[i + 1] != 0xBC && s[i + 1] != 0xBD) ||
        (s[i + 2] & 0xC0) != 0x80)
        return 0;
    cp = 0xF000u | ((unsigned)(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3Fu);
    if (cp < 0xFF01 || cp > 0xFF5E)
        return 0;
    *to = ascii + (cp - 0xFF01);
    return 3;
}

/* Length of a dot written to defang or hide a link at s[i]: a bracketed
 * one (bracket_dot_at) or an ideographic full stop after a letter or
 * digit, or its halfwidth form ("example。com"); else 0. */
static size_t dot_marker_at(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s;

    if (i >= n)
        return 0;
    if (ideo_dot_at(u, n, i) ||
        (i + 2 < n && u[i] == 0xEF && u[i + 1] == 0xBD && u[i + 2] == 0xA1))
        return 3;
    return bracket_dot_at(s, n, i);
}

/* The ASCII letter a Cyrillic or Greek letter at s[i] looks like (а е о
 * р с у х і ј ѕ ԁ һ, А В Е К М Н О Р С Т Х У І Ј Ѕ; ο α ν ι κ ρ υ χ and
 * the Greek capitals that are Latin ones), or 0. */
static char homoglyph_at(const unsigned char *s, size_t n, size_t i)
{
    static const struct { uint16_t cp; char c; } map[] = {
        { 0x0391, 'A' }, { 0x0392, 'B' }, { 0x0395, 'E' }, { 0x0396, 'Z' }, { 0x0397, 'H' },
        { 0x0399, 'I' }, { 0x039A, 'K' }, { 0x039C, 'M' }, { 0x039D, 'N' }, { 0x039F, 'O' },
        { 0x03A1, 'P' }, { 0x03A4, 'T' }, { 0x03A5, 'Y' }, { 0x03A7, 'X' }, { 0x03B1, 'a' },
        { 0x03B9, 'i' }, { 0x03BA, 'k' }, { 0x03BD, 'v' }, { 0x03BF, 'o' }, { 0x03C1, 'p' },
        { 0x03C5, 'u' }, { 0x03C7, 'x' }, { 0x0405, 'S' }, { 0x0406, 'I' }, { 0x0408, 'J' },
        { 0x0410, 'A' }, { 0x0412, 'B' }, { 0x0415, 'E' }, { 0x041A, 'K' }, { 0x041C, 'M' },
        { 0x041D, 'H' }, { 0x041E, 'O' }, { 0x0420, 'P' }, { 0x0421, 'C' }, { 0x0422, 'T' },
        { 0x0423, 'Y' }, { 0x0425, 'X' }, { 0x0430, 'a' }, { 0x0435, 'e' }, { 0x043E, 'o' },
        { 0x0440, 'p' }, { 0x0441, 'c' }, { 0x0443, 'y' }, { 0x0445, 'x' }, { 0x0455, 's' },
        { 0x0456, 'i' }, { 0x0458, 'j' }, { 0x04BB, 'h' }, { 0x0501, 'd' },
    };
    size_t lo = 0, hi = sizeof(map) / sizeof(map[0]);
    unsigned cp;

    if (s[i] < 0xCE || s[i] > 0xD4 || i + 1 >= n || (s[i + 1] & 0xC0) != 0x80)
        return 0;
    cp = ((unsigned)(s[i] & 0x1F) << 6) | (s[i + 1] & 0x3Fu);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;

        if (map[mid].cp == cp)
            return map[mid].c;
        if (map[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Whether the word around the look-alike letter at s[i] mixes it with
 * ASCII letters and has no other non-ASCII letter: "t.mе/", "t.me/аmaq",
 * "@аmaq_news" (a name Telegram allows only in ASCII, written to slip past
 * a scanner). A Russian or Greek word has letters with no ASCII look-alike
 * and no ASCII letter, and stays as it is. Words are runs of letters,
 * digits and '_'; at most 64 bytes each way are looked at. */
static int mixed_word(const unsigned char *s, size_t n, size_t i)
{
    size_t k, lim;
    int ascii = 0;

    for (k = i, lim = i > 64 ? i - 64 : 0; k > lim;) {
        if (s[k - 1] < 0x80) {
            if (!IS_ALNUM(s[k - 1]) && s[k - 1] != '_')
                break;
            ascii |= (s[k - 1] | 0x20) >= 'a' && (s[k - 1] | 0x20) <= 'z';
            k--;
        } else if (k >= 2 && homoglyph_at(s, n, k - 2)) {
            k -= 2;
        } else if ((s[k - 1] & 0xC0) == 0x80 && k >= 2 && s[k - 2] >= 0xC2 && s[k - 2] < 0xE0) {
            return 0;           /* another letter of a two-byte script */
        } else {
            break;
        }
    }
    for (k = i + 2, lim = i + 66 < n ? i + 66 : n; k < lim;) {
        if (s[k] < 0x80) {
            if (!IS_ALNUM(s[k]) && s[k] != '_')
                break;
            ascii |= (s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z';
            k++;
        } else if (homoglyph_at(s, n, k)) {
            k += 2;
        } else if (s[k] >= 0xC2 && s[k] < 0xE0) {
            return 0;
        } else {
            break;
        }
    }
    return ascii;
}

/* defang_at() for the markers written as strings. */
static size_t defang_str(const char *s, size_t n, size_t i, const char **to)
{
    size_t m;

    if ((unsigned char)s[i] >= 0xC2) {
        const unsigned char *u = (const unsigned char *)s;
        char c;

        m = invisible_at(u, n, i);
        if (m && i > 0 && s[i - 1] > ' ' && s[i - 1] < 0x7F && i + m < n &&
            s[i + m] > ' ' && s[i + m] < 0x7F) {
            *to = "";
            return m;
        }
        if (!m && (c = homoglyph_at(u, n, i)) != 0 && mixed_word(u, n, i)) {
            /* each letter a string of its own (defang_at takes its length) */
            static const char one[] = "A\0B\0C\0D\0E\0F\0G\0H\0I\0J\0K\0L\0M\0N\0O\0P\0Q\0R\0S\0T\0"
                "U\0V\0W\0X\0Y\0Z\0a\0b\0c\0d\0e\0f\0g\0h\0i\0j\0k\0l\0m\0n\0"
                "o\0p\0q\0r\0s\0t\0u\0v\0w\0x\0y\0z\0";

            *to = one + 2 * (c >= 'a' ? 26 + (c - 'a') : c - 'A');
            return 2;
        }
        return 0;
    }

    if (s[i] == '[' || s[i] == '(' || s[i] == '{') {
        if ((m = bracket_dot_at(s, n, i)) > 0) {
            *to = ".";
            return m;
        }
        if (s[i] == '[' && i + 2 < n && s[i + 1] == ':' && s[i + 2] == ']') {
            *to = ":";
            return 3;
        }
        if (s[i] == '[' && i + 4 < n && memcmp(s + i + 1, "://]", 4) == 0) {
            *to = "://";
            return 5;
        }
        return 0;
    }
    if ((s[i] == 't' || s[i] == 'T') && (m = spaced_tme_at(s, n, i)) > 0) {
        *to = "t.me/";
        return m;
    }
    if ((s[i] == 'h' || s[i] == 'H') && i + 3 < n && ci_is(s + i + 1, "xxp", 3) &&
        (i == 0 || !IS_ALNUM((unsigned char)s[i - 1]))) {
        *to = "http";
        return 4;
    }
    return 0;
}

/* Length of the marker at s[i] and the bytes it stands for in *to (*tl
 * of them), or 0. A Telegram host written apart (spaced_tme_at) ->
 * "t.me/". Defanged links: "[.]" "(.)" "{.}" "[dot]" "(dot)" "{dot}" ->
 * ".", "[:]" -> ":", "[://]" -> "://", "hxxp" -> "http" (any case). A
 * fullwidth character -> its ASCII one (fullwidth_at). An invisible
 * character between two visible ASCII characters -> nothing: a zero-width
 * space inside a wallet address or a handle hides it from a plain
 * scanner, and nothing in natural text puts one there. */
static size_t defang_at(const char *s, size_t n, size_t i, const char **to,
                        size_t *tl)
{
    size_t m = defang_str(s, n, i, to);

    *tl = m ? strlen(*to) : 0;
    if (!m && (m = fullwidth_at((const unsigned char *)s, n, i, to)) > 0)
        *tl = 1;
    return m;
}

/* Whether a slash after @p c may end a spaced Telegram host ("me/",
 * "me /"). */
static int slash_lead(char c)
{
    return (c | 0x20) == 'e' || c == ' ' || c == '\t';
}

/* Start of a Telegram host written apart (spaced_tme_at) that begins
 * before s[i] and reaches past it (its slash, or a defanged dot), or @p n. */
static size_t spaced_tme_before(const char *s, size_t n, size_t i)
{
    size_t lo = i > 24 ? i - 24 : 0, t;

    for (t = i; t-- > lo;)
        if ((s[t] == 't' || s[t] == 'T') && spaced_tme_at(s, n, t) > i - t)
            return t;
    return n;
}

/* Whether the label at s[i], after an ideographic full stop, ends a host
 * name: a path follows, or it is a common top-level domain and the host
 * ends there. Text that mixes English into Chinese or Japanese puts the
 * full stop after an ASCII word ("Linux。Then"), so an ideographic dot
 * alone does not say "link" as a bracketed one does. */
static int ideo_host_end(const char *s, size_t n, size_t i)
{
    static const char *const tld[] = {
        "af", "app", "biz", "cc", "co", "com", "de", "info", "io", "ir", "me",
        "net", "online", "org", "pk", "ru", "site", "su", "tj", "to", "top", "tv",
        "uk", "us", "uz", "ws", "xyz", NULL
    };
    size_t j = i, k, m;

    for (;;) {
        while (j < n && (IS_ALNUM((unsigned char)s[j]) || s[j] == '-'))
            j++;
        if (j < n && (s[j] == '/' || s[j] == ':'))
            return 1;
        m = j < n && s[j] == '.' ? 1 : dot_marker_at(s, n, j);
        if (m == 0 || j + m >= n || !IS_ALNUM((unsigned char)s[j + m]))
            break;
        i = j += m;                     /* not the last label */
    }
    for (k = 0; tld[k]; k++)
        if (strlen(tld[k]) == j - i && ci_is(s + i, tld[k], j - i))
            return 1;
    return 0;
}

/* Whether a word starts at s[i] (after a blank, an opening bracket or
 * quote) that is a link without a scheme, defanged: a dot written "[.]",
 * "(.)", "{.}", "[dot]" or as an ideographic full stop between two letters
 * or digits ("amaq[.]net/x", "example(.)com", "example[dot]com",
 * "example。com"). Defanging says "this is a link",
 * so such a host is reported whatever it is, unlike plain scheme-less
 * text ("file.txt").
 * Not with a scheme ("hxxp[:]//" is refanged as it is), nor an "@" (an
 * e-mail address or handle). */
static int bare_defanged(const char *s, size_t n, size_t i)
{
    size_t j, m;
    int found = 0;

    if ((i > 0 && !blank(s[i - 1]) && !memchr("(\"'<", s[i - 1], 4)) ||
        !IS_ALNUM((unsigned char)s[i]))
        return 0;
    for (j = i; j < n && j - i < 256 && !blank(s[j]); j++) {
        if ((m = dot_marker_at(s, n, j)) > 0) {
            if (j > i && IS_ALNUM((unsigned char)s[j - 1]) && j + m < n &&
                IS_ALNUM((unsigned char)s[j + m]) &&
                ((unsigned char)s[j] < 0x80 || ideo_host_end(s, n, j + m)))
                found = 1;
            j += m - 1;                 /* "(.)" is no word start */
            continue;
        }
        if (memchr("(\"'<", s[j], 4))
            break;                      /* another word starts after it */
        if (s[j] == '@' || (s[j] == ':' && j + 2 < n && s[j + 1] == '/') ||
            (s[j] == '[' && j + 1 < n && s[j + 1] == ':'))
            return 0;
    }
    return found;
}

/* Start of the word holding the defanged dot at s[c] when it is a bare
 * defanged link (bare_defanged), or @p c. */
static size_t bare_start(const char *s, size_t n, size_t c)
{
    size_t t = c, lo = c > 256 ? c - 256 : 0;

    while (t > lo && !blank(s[t - 1]) && !memchr("(\"'<", s[t - 1], 4))
        t--;
    return t < c && bare_defanged(s, n, t) ? t : c;
}

/* Whether s[i] is the second byte of a character of U+1D000..U+1DFFF (F0
 * 9D: the mathematical letters, math_alnum_at), where first_marker()
 * stops; an emoji (F0 9F) is not. */
static inline int math_second(const char *s, size_t i)
{
    return i > 0 && (unsigned char)s[i] == 0x9D && (unsigned char)s[i - 1] == 0xF0;
}

/* Whether s[i] is the lead byte of a Cyrillic or Greek letter (CE..D4)
 * right after a visible ASCII character, where a look-alike of an ASCII
 * letter may hide a name (homoglyph_at, mixed_word): "t.mе/", "@аmaq". */
static inline int look_alike_lead(const char *s, size_t i)
{
    unsigned char c = (unsigned char)s[i];

    return c >= 0xCE && c <= 0xD4 && i > 0 && s[i - 1] > ' ' && s[i - 1] < 0x7F;
}

/* A byte first_marker() stops at (besides a slash after slash_lead()). */
static inline int marker_byte(unsigned char c)
{
    switch (c) {
    case '[': case '(': case '{': case 'x': case 'X': case 0xC2: case 0xE2: case 0xEF:
        return 1;
    default:
        return 0;
    }
}

#if defined(__SSE2__)
/* Bit k set when byte at + k may start a marker (what marker_byte() and
 * the slash, full-stop, mathematical-letter and look-alike tests of
 * first_marker() take: the lead bytes of U+3002 and of CE..D4 after any
 * visible ASCII byte); 16 bytes from @p at. */
static inline unsigned marker_mask16(const char *s, size_t at)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + at));
    __m128i m = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('[')),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('('))),
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('{')),
                     _mm_cmpeq_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)),
                                    _mm_set1_epi8('x'))));
    __m128i p = at ? _mm_loadu_si128((const __m128i *)(const void *)(s + at - 1))
                   : _mm_slli_si128(x, 1);
    __m128i sl = _mm_and_si128(
        _mm_cmpeq_epi8(x, _mm_set1_epi8('/')),
        _mm_or_si128(_mm_cmpeq_epi8(_mm_or_si128(p, _mm_set1_epi8(0x20)),
                                    _mm_set1_epi8('e')),
                     _mm_or_si128(_mm_cmpeq_epi8(p, _mm_set1_epi8(' ')),
                                  _mm_cmpeq_epi8(p, _mm_set1_epi8('\t')))));

    __m128i vis = _mm_cmpgt_epi8(p, _mm_set1_epi8(' '));   /* after visible ASCII */
    __m128i hg = _mm_sub_epi8(x, _mm_set1_epi8((char)0xCE));  /* CE..D4: 0..6 */
    __m128i id = _mm_and_si128(
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xE3)),
                     _mm_cmpeq_epi8(_mm_min_epu8(hg, _mm_set1_epi8(6)), hg)),
        vis);

    m = _mm_or_si128(m, _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xC2)),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xE2))),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xEF)), sl),
                     _mm_or_si128(id, _mm_and_si128(
                                          _mm_cmpeq_epi8(p, _mm_set1_epi8((char)0xF0)),
                                          _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0x9D)))))));
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* Index of the first marker (defang_at) in @p s, or @p n. Candidates are
 * the bytes [ ( { and the x of "hxx" (rare in text; 'h' is not), the lead
 * bytes of the invisible characters, the second byte of a mathematical
 * letter (math_second), an ideographic full stop or the lead byte of a
 * Cyrillic or Greek letter after an ASCII character (ideo_dot_at,
 * look_alike_lead) and a slash after e or a blank (a
 * spaced Telegram host ends in "me/" or "me /"), found 16 bytes at a
 * time (with @p tail, the last ones too, by one overlapping window). */
static size_t first_marker(const char *s, size_t n, int tail)
{
    size_t i = 0, c, tl;
    const char *to;

    for (;;) {
#if defined(__SSE2__)
        unsigned k;

        for (; i + 16 <= n; i += 16) {
            if ((k = marker_mask16(s, i)) != 0) {
                i += (size_t)__builtin_ctz(k);  /* the candidate the loop
                                                 * below would stop at */
                goto candidate;
            }
        }
        if (tail && i < n && n >= 16) {
            /* the last 16 bytes, those before i (looked at) masked off */
            size_t j = n - 16;

            k = marker_mask16(s, j) & (0xFFFFu << (i - j));
            i = k ? j + (size_t)__builtin_ctz(k) : n;
            goto candidate;
        }
#endif
        for (; i < n && !marker_byte((unsigned char)s[i]) &&
               !(s[i] == '/' && i > 0 && slash_lead(s[i - 1])) &&
               !ideo_dot_at((const unsigned char *)s, n, i) && !math_second(s, i) &&
               !look_alike_lead(s, i); i++)
            ;
#if defined(__SSE2__)
    candidate:
#endif
        if (i >= n)
            return n;
        if (s[i] == '/') {
            if ((c = spaced_tme_before(s, n, i)) < n)
                return c;
            i++;
            continue;
        }
        c = ((s[i] == 'x' || s[i] == 'X') && i > 0) || math_second(s, i) ? i - 1 : i;
        if (defang_at(s, n, c, &to, &tl)) {     /* or a spaced host */
            size_t t = spaced_tme_before(s, n, c);

            if (t > c && dot_marker_at(s, n, c))   /* a word before it */
                t = bare_start(s, n, c);
            return t < c ? t : c;
        }
        i++;
    }
}

/* Write @p s with its defang markers replaced into l->fang, with the
 * original span of each byte; returns the new length, 0 when @p s has no
 * marker (the usual case: one pass, nothing written), -1 on ENOMEM. */
static long refang(vigil_text__inds *l, const char *s, size_t n)
{
    size_t i, k = 0, m, first;
    const char *to;

    if ((first = first_marker(s, n, !l->step_by_step)) == n)
        return 0;
    /* markers shrink, except the scheme before a bare defanged link: a
     * word of >= 5 bytes ("a[.]b") gains 8 - 2 (the scheme-less links
     * vigil reports read https), so at most 2.2 times as long */
    if (l->fang_cap < 3 * n + 8) {
        size_t cap = 3 * n + 8;
        char *f = vigil__realloc(l->fang, cap);
        uint32_t *a, *b;

        if (f)
            l->fang = f;
        a = f ? vigil__realloc(l->fang_from, cap * sizeof(uint32_t)) : NULL;
        if (a)
            l->fang_from = a;
        b = a ? vigil__realloc(l->fang_to, cap * sizeof(uint32_t)) : NULL;
        if (!b)
            return -1;
        l->fang_to = b;
        l->fang_cap = cap;
    }
    for (i = 0; i < n; i += m) {        /* a marker, or one byte as it is */
        size_t t, tl;

        to = s + i;
        /* every other marker shrinks its bytes, so room for the rest of
         * the text at one byte each keeps every write in bounds whatever
         * the input (a bare defanged word gets one scheme: it ends at the
         * next word start, bare_defanged) */
        if (i >= first && k + 8 + (n - i) < l->fang_cap &&
            bare_defanged(s, n, i)) {
            for (t = 0; t < 8; t++) {   /* a scheme, over no bytes */
                l->fang[k] = "https://"[t];
                l->fang_from[k] = (uint32_t)i;
                l->fang_to[k++] = (uint32_t)i;
            }
        }
        if (i < first || (m = defang_at(s, n, i, &to, &tl)) == 0) {
            m = 1;
            to = s + i;
            tl = 1;
        }
        for (t = 0; t < tl; t++) {
            l->fang[k] = to[t];
            l->fang_from[k] = (uint32_t)i;
            l->fang_to[k++] = (uint32_t)(i + m);
        }
    }
    l->fang[k] = '\0';
    return (long)k;
}

int vigil_text__inds_extract(vigil_text__inds *l, const char *s, size_t n)
{
    size_t k;
    long fn = n <= UINT32_MAX ? refang(l, s, n) : 0;
    int err;

    if (fn < 0)
        return VIGIL_ENOMEM;
    err = fn > 0 ? extract(l, l->fang, (size_t)fn) : extract(l, s, n);
    for (k = 0; fn > 0 && k < l->n; k++) {  /* back to the defanged bytes */
        l->v[k].start = l->fang_from[l->v[k].start];
        l->v[k].end = l->fang_to[l->v[k].end - 1];
    }
    for (k = 0; k < l->n; k++)
        l->v[k].value = l->arena + l->val_off[k];
    return err;
}
