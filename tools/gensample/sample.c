/*
 * tools/gensample/sample.c - the default sample: six fictional sources on
 * two platforms (two single-channel Telegram exports, one full-account
 * Telegram export with two channels, one X-style JSON Lines feed with two
 * accounts), their media, truth.jsonl and summary.json.
 */
#include "post.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

/* 2023-01-01T00:00:00Z .. 2024-07-01T00:00:00Z: 18 months */
#define SPAN_START 1672531200LL
#define SPAN_END   1719792000LL

static const gs_source sources[] = {
    { "telegram", "Sample Reading Room", "sample_reading_room", 1700000101,
      "public_channel", "telegram_reading_room", "", 5 * 3600,
      { "tgk-Cyrl", "rus-Cyrl", "uzb-Cyrl", "uzb-Latn", "eng-Latn", NULL }, 210 },
    { "telegram", "Sample Civic Notes", "sample_civic_notes", 1700000202,
      "public_channel", "telegram_civic_notes", "", 4 * 3600 + 1800,
      { "pus-Arab", "prs-Arab", "pes-Arab", "urd-Arab", "arb-Arab", "uig-Arab", NULL }, 210 },
    { "telegram", "Sample Language Club", "sample_language_club", 1700000303,
      "public_channel", "telegram_account", "chats/chat_001/", 3 * 3600,
      { "hin-Deva", "mal-Mlym", "ben-Beng", "div-Thaa", "eng-Latn", NULL }, 160 },
    { "telegram", "Sample Translation Desk", "sample_translation_desk", 1700000404,
      "private_channel", "telegram_account", "chats/chat_002/", 3 * 3600,
      { "tur-Latn", "azj-Latn", "sqi-Latn", "fra-Latn", "spa-Latn", NULL }, 160 },
    { "x", "Sample Archive Feed", "sample_archive", 1800000505,
      "account", "x_feed/feed.jsonl", "", 0,
      { "swh-Latn", "som-Latn", "hau-Latn", "kmr-Latn", "eng-Latn", NULL }, 140 },
    { "x", "Sample Notes Feed", "sample_notes", 1800000606,
      "account", "x_feed/feed.jsonl", "", 0,
      { "spa-Latn", "fra-Latn", "arb-Arab", "rus-Cyrl", NULL }, 120 },
};
#define NSOURCE (sizeof(sources) / sizeof(sources[0]))

static const char *const outside_names[] = {
    "Sample Partner Library", "Example Study Circle", "Sample Weather Desk",
};
static const char *const hashtags[] = {
    "#udhr", "#human_rights", "#reading", "#translation", "#sample",
};

typedef struct {
    gs_jpeg img;
    int group;
    int source;               /* index of the source that posted it first */
} pool_photo;

typedef struct {
    const gs_options *opt;
    const gs_lang *langs;
    gs_rng rng;
    pool_photo *pool;
    size_t npool, cap;
    int next_group;
    vgu_buf truth;
    /* counters for summary.json */
    long items, services, photos, reposts, files, skipped, forwards, edits;
    long outlet_mentions, wallets, langs_seen[32];
    char months[64][8];
    long month_count[64];
    int nmonths;
    long by_kind[6];
    long by_source[NSOURCE];
} gen;

static const char *const kinds[6] = { "text", "photo", "file", "video", "audio", "service" };

static void seg_add(gs_post *p, const char *type, const char *text, size_t len,
                    const char *href)
{
    gs_seg *s;

    if (p->nseg == GS_MAX_SEG)
        gs_die("internal: too many text runs");
    if (!type && p->nseg > 0 && !p->seg[p->nseg - 1].type) {
        /* merge adjacent plain runs, as tdesktop does */
        s = &p->seg[p->nseg - 1];
        size_t old = strlen(s->text);
        s->text = gs_xrealloc(s->text, old + len + 1);
        memcpy(s->text + old, text, len);
        s->text[old + len] = '\0';
        return;
    }
    s = &p->seg[p->nseg++];
    s->type = type;
    s->text = gs_xmalloc(len + 1);
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->href = href ? gs_xstrdup(href) : NULL;
}

static void seg_puts(gs_post *p, const char *type, const char *text)
{
    seg_add(p, type, text, strlen(text), NULL);
}

static void url_add(gs_post *p, const char *url)
{
    if (p->nurl < 4)
        p->urls[p->nurl++] = gs_xstrdup(url);
}

static void add_entities(gen *g, const gs_source *src, gs_post *p)
{
    char buf[160];

    if (gs_rng_chance(&g->rng, 700)) {
        seg_puts(p, NULL, " ");
        seg_puts(p, "hashtag", hashtags[gs_rng_below(&g->rng, 5)]);
    }
    if (gs_rng_chance(&g->rng, 500)) {
        snprintf(buf, sizeof(buf), "https://example.org/%s/%lld", src->handle, p->id);
        seg_puts(p, NULL, " ");
        seg_puts(p, "link", buf);
        url_add(p, buf);
    }
    if (gs_rng_chance(&g->rng, 500)) {
        snprintf(buf, sizeof(buf), "https://example.net/ref/%s-%lld", src->handle, p->id);
        seg_puts(p, NULL, " ");
        seg_add(p, "text_link", "→ 1", strlen("→ 1"), buf);
        url_add(p, buf);
    }
    if (gs_rng_chance(&g->rng, 400)) {
        snprintf(buf, sizeof(buf), " @%s", sources[gs_rng_below(&g->rng, NSOURCE)].handle);
        seg_puts(p, NULL, " ");
        seg_puts(p, "mention", buf + 1);
    }
    p->as_array = p->nseg > 1;
    p->trailing_empty = p->as_array && gs_rng_chance(&g->rng, 150);
}

/* Text of a message: an excerpt in one of the source's languages, maybe an
 * outlet name, maybe a fake wallet address, maybe entities. */
static void make_text(gen *g, const gs_source *src, gs_post *p, bool caption)
{
    vgu_buf ex = VGU_BUF_INIT;
    int nl = 0, li;

    while (src->langs[nl])
        nl++;
    li = gs_lang_find(g->langs, src->langs[gs_rng_below(&g->rng, (uint32_t)nl)]);
    if (li < 0)
        gs_die("internal: unknown language label");
    p->lang = li;
    gs_lang_excerpt(&g->rng, &g->langs[li], caption ? 40 : 80, caption ? 200 : 360, &ex);
    if (gs_rng_chance(&g->rng, 140)) {
        gs_outlet_pick(&g->rng, &p->outl[p->noutl]);
        if (gs_rng_chance(&g->rng, 500)) {
            seg_puts(p, NULL, p->outl[p->noutl].term);
            seg_puts(p, NULL, ": ");
            seg_add(p, NULL, ex.ptr, ex.len, NULL);
        } else {
            seg_add(p, NULL, ex.ptr, ex.len, NULL);
            seg_puts(p, NULL, " — ");
            seg_puts(p, NULL, p->outl[p->noutl].term);
        }
        p->noutl++;
    } else {
        seg_add(p, NULL, ex.ptr, ex.len, NULL);
    }
    if (gs_rng_chance(&g->rng, 70)) {
        gs_wallet_make(&g->rng, &p->wal[0], !gs_rng_chance(&g->rng, 200));
        seg_puts(p, NULL, "\n");
        seg_puts(p, NULL, p->wal[0].address);
        p->nwal = 1;
    }
    if (gs_rng_chance(&g->rng, 450))
        add_entities(g, src, p);
    vgu_buf_dispose(&ex);
}

static void sha256_hex(char out[65], const void *data, size_t len)
{
    uint8_t d[32];
    unsigned int n = 0;
    int i;

    if (!EVP_Digest(data, len, d, &n, EVP_sha256(), NULL))
        gs_die("SHA-256 failed");
    for (i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void store_media(gen *g, const gs_source *src, gs_post *p, const char *rel,
                        const void *data, size_t len)
{
    char path[4096], dir[4096];
    const char *root = src->root;
    char *slash;

    snprintf(p->path, sizeof(p->path), "%s%s", src->media_prefix, rel);
    if (strcmp(src->platform, "x") == 0)
        root = "x_feed";
    snprintf(path, sizeof(path), "%s/%s/%s", g->opt->out_dir, root, p->path);
    snprintf(dir, sizeof(dir), "%s", path);
    if ((slash = strrchr(dir, '/')) != NULL)
        *slash = '\0';
    gs_mkdirs(dir);
    gs_write_file(path, data, len);
    p->size = len;
    sha256_hex(p->sha256, data, len);
}

static void make_photo(gen *g, int si, gs_post *p, int photo_no)
{
    const gs_source *src = &sources[si];
    gs_jpeg img = { NULL, 0, 0, 0 };
    char rel[128], when[32];
    size_t k, tries;

    p->mime = "image/jpeg";
    p->variant = "original";
    for (tries = 0, k = g->npool; g->npool > 0 && tries < 8; tries++) {
        k = gs_rng_below(&g->rng, (uint32_t)g->npool);
        if (g->pool[k].source != si)
            break;
        k = g->npool;
    }
    if (k < g->npool && gs_rng_chance(&g->rng, 350)) {
        unsigned v = gs_rng_below(&g->rng, 10);
        const gs_jpeg *orig = &g->pool[k].img;

        if (v < 4) {
            gs_image_variant(orig, 55 + (int)gs_rng_below(&g->rng, 20), 100, &img);
            p->variant = "requality";
        } else if (v < 8) {
            gs_image_variant(orig, 85, 60 + (int)gs_rng_below(&g->rng, 26), &img);
            p->variant = "resize";
        } else {
            img.data = gs_xmalloc(orig->len);
            memcpy(img.data, orig->data, orig->len);
            img.len = orig->len;
            img.width = orig->width;
            img.height = orig->height;
            p->variant = "exact";
        }
        p->group = g->pool[k].group;
        g->reposts++;
    } else {
        /* pixels draw from their own stream, so the corpus structure does
         * not depend on picture sizes */
        gs_rng pix;
        gs_rng_seed(&pix, gs_rng_next(&g->rng));
        gs_image_make(&pix, &img);
        p->group = g->next_group++;
    }
    p->width = img.width;
    p->height = img.height;
    if (gs_rng_chance(&g->rng, 50)) {
        p->placeholder = "(File not included. Change data exporting settings to download.)";
        g->skipped++;
    } else {
        if (strcmp(src->platform, "x") == 0)
            snprintf(rel, sizeof(rel), "media/%lld.jpg", p->id);
        else {
            gs_fmt_media(when, p->t, src->tz_offset);
            snprintf(rel, sizeof(rel), "photos/photo_%d@%s.jpg", photo_no, when);
        }
        store_media(g, src, p, rel, img.data, img.len);
    }
    if (strcmp(p->variant, "original") == 0) {
        if (g->npool == g->cap) {
            g->cap = g->cap ? g->cap * 2 : 64;
            g->pool = gs_xrealloc(g->pool, g->cap * sizeof(*g->pool));
        }
        g->pool[g->npool].img = img;
        g->pool[g->npool].group = p->group;
        g->pool[g->npool].source = si;
        g->npool++;
    } else {
        gs_jpeg_free(&img);
    }
    g->photos++;
}

static void make_file(gen *g, const gs_source *src, gs_post *p)
{
    vgu_buf body = VGU_BUF_INIT;
    char rel[160], line[96];

    if (gs_rng_chance(&g->rng, 600)) {
        snprintf(p->file_name, sizeof(p->file_name), "reading_list_%lld.pdf", p->id);
        snprintf(line, sizeof(line), "Sample reading list %lld (synthetic test document)", p->id);
        gs_pdf_make(line, &body);
        p->mime = "application/pdf";
    } else {
        snprintf(p->file_name, sizeof(p->file_name), "notes_%lld.txt", p->id);
        gs_lang_excerpt(&g->rng, &g->langs[p->lang >= 0 ? p->lang : 0], 200, 600, &body);
        vgu_buf_putc(&body, '\n');
        p->mime = "text/plain";
    }
    if (gs_rng_chance(&g->rng, 80)) {
        p->placeholder = "(File exceeds maximum size. Change data exporting settings to download.)";
        g->skipped++;
    } else {
        snprintf(rel, sizeof(rel), "files/%s", p->file_name);
        store_media(g, src, p, rel, body.ptr, body.len);
    }
    vgu_buf_dispose(&body);
    g->files++;
}

static void make_av(gen *g, gs_post *p, bool video)
{
    p->placeholder = "(File not included. Change data exporting settings to download.)";
    p->media_type = video ? "video_file" : "voice_message";
    p->mime = video ? "video/mp4" : "audio/ogg";
    p->duration = 5 + (int)gs_rng_below(&g->rng, 240);
    if (video) {
        snprintf(p->file_name, sizeof(p->file_name), "clip_%lld.mp4", p->id);
        p->width = 640;
        p->height = 360;
    }
    g->skipped++;
}

static const char *pick_forward(gen *g, int si)
{
    unsigned r = gs_rng_below(&g->rng, 10);

    if (r < 2)
        return NULL;                                  /* hidden origin */
    if (r < 8) {
        int o = (int)gs_rng_below(&g->rng, NSOURCE);
        return sources[o == si ? (o + 1) % (int)NSOURCE : o].title;
    }
    return outside_names[gs_rng_below(&g->rng, 3)];
}

/* Fill @p p as message number @p i of @p n of source @p si. */
static void make_post(gen *g, int si, long i, long n, long long id,
                      long long last_item, int *photo_no, gs_post *p)
{
    const gs_source *src = &sources[si];
    bool tg = strcmp(src->platform, "telegram") == 0;
    int64_t slot = (SPAN_END - SPAN_START) / n;
    unsigned r;

    memset(p, 0, sizeof(*p));
    p->id = id;
    p->lang = -1;
    p->group = -1;
    p->t = SPAN_START + slot * i + gs_rng_range(&g->rng, 0, slot - 1);
    if (tg && (i == 0 || (last_item > 0 && gs_rng_chance(&g->rng, 20)))) {
        p->kind = "service";
        p->action = i == 0 ? "create_channel" : "pin_message";
        p->pin_id = last_item;
        return;
    }
    r = gs_rng_below(&g->rng, 1000);
    if (!tg)
        r = r < 620 ? r : 500 + r % 280;              /* feeds: text and photos */
    if (r < 500) {
        p->kind = "text";
        make_text(g, src, p, false);
    } else if (r < 780) {
        p->kind = "photo";
        if (gs_rng_chance(&g->rng, 700))
            make_text(g, src, p, true);
        make_photo(g, si, p, ++*photo_no);
    } else if (r < 880) {
        p->kind = "file";
        make_text(g, src, p, true);
        make_file(g, src, p);
    } else {
        p->kind = r < 950 ? "video" : "audio";
        if (gs_rng_chance(&g->rng, 500))
            make_text(g, src, p, true);
        make_av(g, p, r < 950);
    }
    if (gs_rng_chance(&g->rng, 110)) {
        p->forwarded = true;
        p->fwd = pick_forward(g, si);
    }
    if (p->nseg > 0 && gs_rng_chance(&g->rng, 90))
        p->edited_t = p->t + gs_rng_range(&g->rng, 60, 172800);
}

static void count(gen *g, int si, const gs_post *p)
{
    char month[16];
    int k, m;

    for (k = 0; k < 6; k++)
        if (strcmp(kinds[k], p->kind) == 0)
            g->by_kind[k]++;
    if (p->action) {
        g->services++;
        return;
    }
    g->items++;
    g->by_source[si]++;
    g->forwards += p->forwarded;
    g->edits += p->edited_t != 0;
    g->outlet_mentions += p->noutl;
    g->wallets += p->nwal;
    if (p->lang >= 0)
        g->langs_seen[p->lang]++;
    gs_fmt_month(month, p->t);
    for (m = 0; m < g->nmonths && strcmp(g->months[m], month) != 0; m++)
        ;
    if (m == g->nmonths) {
        if (g->nmonths == 64)
            gs_die("internal: too many months");
        memcpy(g->months[g->nmonths++], month, 8);
    }
    g->month_count[m]++;
}

/* Messages of source @p si, written as Telegram objects into @p j or as
 * feed lines into @p feed; ground truth goes to g->truth. */
static void gen_source(gen *g, int si, long n, gs_json *j, vgu_buf *feed)
{
    long i;
    long long id = strcmp(sources[si].platform, "x") == 0
                      ? 1650000000000000000LL + si * 10000000000000000LL : 1;
    long long last_item = 0;
    int photo_no = 0;
    gs_post p;

    for (i = 0; i < n; i++) {
        make_post(g, si, i, n, id, last_item, &photo_no, &p);
        if (j)
            gs_tg_message(j, &sources[si], &p);
        else
            gs_feed_record(feed, &sources[si], &p);
        gs_truth_line(&g->truth, &sources[si], &p, g->langs);
        count(g, si, &p);
        if (!p.action)
            last_item = p.id;
        gs_post_dispose(&p);
        id += 1 + (gs_rng_chance(&g->rng, 100) ? gs_rng_below(&g->rng, 3) : 0);
        if (feed)
            id += gs_rng_below(&g->rng, 1u << 30);
    }
}

static long source_count(const gen *g, int si)
{
    long total = g->opt->messages > 0 ? g->opt->messages : 1000;
    long n = total * sources[si].share / 1000;

    return n < 4 ? 4 : n;
}

static void dialog(gen *g, int si, gs_json *j)
{
    gs_json_str(j, "name", sources[si].title);
    gs_json_str(j, "type", sources[si].type);
    gs_json_int(j, "id", sources[si].chat_id);
    gs_json_open(j, "messages", '[');
    gen_source(g, si, source_count(g, si), j, NULL);
    gs_json_close(j, ']');
}

static void write_text(const gen *g, const char *rel, vgu_buf *b)
{
    char path[4096], dir[4096], *slash;

    snprintf(path, sizeof(path), "%s/%s", g->opt->out_dir, rel);
    snprintf(dir, sizeof(dir), "%s", path);
    if ((slash = strrchr(dir, '/')) != NULL)
        *slash = '\0';
    gs_mkdirs(dir);
    gs_write_file(path, b->ptr, b->len);
}

static void write_single(gen *g, int si)
{
    vgu_buf b = VGU_BUF_INIT;
    gs_json j;
    char rel[256];

    gs_json_init(&j, &b, true);
    gs_json_open(&j, NULL, '{');
    dialog(g, si, &j);
    gs_json_close(&j, '}');
    vgu_buf_putc(&b, '\n');
    snprintf(rel, sizeof(rel), "%s/result.json", sources[si].root);
    write_text(g, rel, &b);
    vgu_buf_dispose(&b);
}

static void write_account(gen *g, int first, int n)
{
    vgu_buf b = VGU_BUF_INIT;
    gs_json j;
    int si;

    gs_json_init(&j, &b, true);
    gs_json_open(&j, NULL, '{');
    gs_json_str(&j, "about", "Here is the data you requested. Remember: Telegram is "
                "ad free, it doesn't use your data for ad targeting and doesn't sell it.");
    gs_json_open(&j, "personal_information", '{');
    gs_json_int(&j, "user_id", 5000000001LL);
    gs_json_str(&j, "first_name", "Sample");
    gs_json_str(&j, "last_name", "Researcher");
    gs_json_str(&j, "username", "@sample_researcher");
    gs_json_str(&j, "bio", "");
    gs_json_close(&j, '}');
    gs_json_open(&j, "contacts", '{');
    gs_json_str(&j, "about", "This is your contact list.");
    gs_json_open(&j, "list", '[');
    gs_json_close(&j, ']');
    gs_json_close(&j, '}');
    gs_json_open(&j, "chats", '{');
    gs_json_str(&j, "about", "This page lists all chats from this export.");
    gs_json_open(&j, "list", '[');
    for (si = first; si < first + n; si++) {
        gs_json_open(&j, NULL, '{');
        dialog(g, si, &j);
        gs_json_close(&j, '}');
    }
    gs_json_close(&j, ']');
    gs_json_close(&j, '}');
    gs_json_open(&j, "left_chats", '{');
    gs_json_str(&j, "about", "This page lists all supergroups and channels you left.");
    gs_json_open(&j, "list", '[');
    gs_json_close(&j, ']');
    gs_json_close(&j, '}');
    gs_json_close(&j, '}');
    vgu_buf_putc(&b, '\n');
    write_text(g, "telegram_account/result.json", &b);
    vgu_buf_dispose(&b);
}

static void write_summary(gen *g)
{
    vgu_buf b = VGU_BUF_INIT;
    gs_json j;
    char key[64];
    size_t i;
    int m, k, nl = 0;

    for (i = 0; i < gs_lang_count(); i++)
        nl += g->langs_seen[i] > 0;
    gs_json_init(&j, &b, true);
    gs_json_open(&j, NULL, '{');
    gs_json_str(&j, "generator", "vigil-gensample 1");
    gs_json_int(&j, "seed", (long long)g->opt->seed);
    gs_json_int(&j, "items", g->items);
    gs_json_int(&j, "service_messages", g->services);
    gs_json_open(&j, "by_kind", '{');
    for (k = 0; k < 5; k++)
        gs_json_int(&j, kinds[k], g->by_kind[k]);
    gs_json_close(&j, '}');
    gs_json_open(&j, "by_source", '{');
    for (i = 0; i < NSOURCE; i++) {
        snprintf(key, sizeof(key), "%s:%lld", sources[i].platform, sources[i].chat_id);
        gs_json_int(&j, key, g->by_source[i]);
    }
    gs_json_close(&j, '}');
    gs_json_open(&j, "by_month", '{');
    for (m = 0; m < g->nmonths; m++)
        gs_json_int(&j, g->months[m], g->month_count[m]);
    gs_json_close(&j, '}');
    gs_json_open(&j, "by_lang", '{');
    for (i = 0; i < gs_lang_count(); i++)
        if (g->langs_seen[i])
            gs_json_int(&j, g->langs[i].label, g->langs_seen[i]);
    gs_json_close(&j, '}');
    gs_json_int(&j, "languages", nl);
    gs_json_int(&j, "months", g->nmonths);
    gs_json_int(&j, "photos", g->photos);
    gs_json_int(&j, "photo_reposts", g->reposts);
    gs_json_int(&j, "files", g->files);
    gs_json_int(&j, "media_skipped", g->skipped);
    gs_json_int(&j, "forwarded", g->forwards);
    gs_json_int(&j, "edited", g->edits);
    gs_json_int(&j, "outlet_mentions", g->outlet_mentions);
    gs_json_int(&j, "wallets", g->wallets);
    gs_json_open(&j, "sources", '[');
    for (i = 0; i < NSOURCE; i++) {
        gs_json_open(&j, NULL, '{');
        snprintf(key, sizeof(key), "%s:%lld", sources[i].platform, sources[i].chat_id);
        gs_json_str(&j, "source", key);
        gs_json_str(&j, "platform", sources[i].platform);
        gs_json_str(&j, "title", sources[i].title);
        gs_json_str(&j, "handle", sources[i].handle);
        gs_json_str(&j, "export", sources[i].root);
        gs_json_int(&j, "items", g->by_source[i]);
        gs_json_close(&j, '}');
    }
    gs_json_close(&j, ']');
    gs_json_close(&j, '}');
    vgu_buf_putc(&b, '\n');
    write_text(g, "summary.json", &b);
    vgu_buf_dispose(&b);
}

int gs_sample_write(const gs_options *opt, const gs_lang *langs)
{
    gen g;
    vgu_buf feed = VGU_BUF_INIT;
    size_t i;

    memset(&g, 0, sizeof(g));
    g.opt = opt;
    g.langs = langs;
    gs_rng_seed(&g.rng, opt->seed);
    gs_mkdirs(opt->out_dir);
    write_single(&g, 0);
    write_single(&g, 1);
    write_account(&g, 2, 2);
    gen_source(&g, 4, source_count(&g, 4), NULL, &feed);
    gen_source(&g, 5, source_count(&g, 5), NULL, &feed);
    write_text(&g, "x_feed/feed.jsonl", &feed);
    write_text(&g, "truth.jsonl", &g.truth);
    write_summary(&g);
    if (!opt->quiet)
        fprintf(stderr, "vigil-gensample: %ld items (+%ld service messages), %ld photos "
                "(%ld re-posts), %ld files, in %s\n", g.items, g.services, g.photos,
                g.reposts, g.files, opt->out_dir);
    for (i = 0; i < g.npool; i++)
        gs_jpeg_free(&g.pool[i].img);
    free(g.pool);
    vgu_buf_dispose(&feed);
    vgu_buf_dispose(&g.truth);
    return 0;
}
