/*
 * tools/gensample/textonly.c - benchmark data: one large single-channel
 * Telegram export of text messages (strings and entity arrays, 150-400
 * bytes each), streamed to disk in 1 MiB chunks, plus summary.json.
 */
#include "post.h"

#include <errno.h>
#include <string.h>

/* 2023-07-01T00:00:00Z .. 2024-07-01T00:00:00Z */
#define TO_START 1688169600LL
#define TO_END   1719792000LL

static const gs_source bench_source = {
    "telegram", "Sample Bench Channel", "sample_bench", 1700009999,
    "public_channel", "", "", 0, { NULL }, 1000,
};

static void seg(gs_post *p, const char *type, const char *text, const char *href)
{
    gs_seg *s = &p->seg[p->nseg++];

    s->type = type;
    s->text = gs_xstrdup(text);
    s->href = href ? gs_xstrdup(href) : NULL;
}

static void bench_post(gs_rng *r, const gs_lang *langs, size_t nlang, long i,
                       long n, gs_post *p)
{
    int64_t slot = (TO_END - TO_START) / n;
    vgu_buf ex = VGU_BUF_INIT;
    char url[96];

    memset(p, 0, sizeof(*p));
    p->id = i + 1;
    p->lang = -1;
    p->group = -1;
    p->t = TO_START + slot * i + (slot > 1 ? gs_rng_range(r, 0, slot - 1) : 0);
    if (i == 0) {
        p->kind = "service";
        p->action = "create_channel";
        return;
    }
    p->kind = "text";
    p->lang = (int)gs_rng_below(r, (uint32_t)nlang);
    gs_lang_excerpt(r, &langs[p->lang], 24, 110, &ex);
    seg(p, NULL, ex.ptr ? ex.ptr : "", NULL);
    if (gs_rng_chance(r, 300)) {
        snprintf(url, sizeof(url), "https://example.org/bench/%ld", i);
        seg(p, NULL, " ", NULL);
        seg(p, "link", url, NULL);
        if (gs_rng_chance(r, 500)) {
            seg(p, NULL, " ", NULL);
            seg(p, "hashtag", "#sample", NULL);
        }
        p->as_array = true;
    }
    if (gs_rng_chance(r, 50)) {
        p->forwarded = true;
        p->fwd = gs_rng_chance(r, 200) ? NULL : "Sample Partner Library";
    }
    if (gs_rng_chance(r, 30))
        p->edited_t = p->t + 600;
    vgu_buf_dispose(&ex);
}

int gs_textonly_write(const gs_options *opt, const gs_lang *langs)
{
    char path[4096], month[16];
    vgu_buf b = VGU_BUF_INIT, s = VGU_BUF_INIT;
    gs_json j;
    gs_rng r;
    gs_post p;
    FILE *f;
    long i, n = opt->messages > 0 ? opt->messages : 1000000;
    long items = 0;

    gs_rng_seed(&r, opt->seed);
    gs_mkdirs(opt->out_dir);
    snprintf(path, sizeof(path), "%s/result.json", opt->out_dir);
    if (!(f = fopen(path, "wb")))
        gs_die("%s: cannot create: %s", path, strerror(errno));
    gs_json_init(&j, &b, true);
    gs_json_open(&j, NULL, '{');
    gs_json_str(&j, "name", bench_source.title);
    gs_json_str(&j, "type", bench_source.type);
    gs_json_int(&j, "id", bench_source.chat_id);
    gs_json_open(&j, "messages", '[');
    for (i = 0; i < n; i++) {
        bench_post(&r, langs, gs_lang_count(), i, n, &p);
        gs_tg_message(&j, &bench_source, &p);
        items += p.action == NULL;
        gs_post_dispose(&p);
        if (b.len >= (1u << 20))
            gs_buf_flush(&b, f, path);
    }
    gs_json_close(&j, ']');
    gs_json_close(&j, '}');
    vgu_buf_putc(&b, '\n');
    gs_buf_flush(&b, f, path);
    if (fclose(f) != 0)
        gs_die("%s: close failed: %s", path, strerror(errno));

    gs_fmt_month(month, TO_START);
    vgu_buf_printf(&s, "{\n \"generator\": \"vigil-gensample 1\",\n \"seed\": %llu,\n"
                   " \"items\": %ld,\n \"service_messages\": %ld,\n"
                   " \"by_kind\": {\n  \"text\": %ld\n },\n \"first_month\": \"%s\",\n"
                   " \"source\": \"telegram:%lld\"\n}\n",
                   (unsigned long long)opt->seed, items, n - items, items, month,
                   bench_source.chat_id);
    snprintf(path, sizeof(path), "%s/summary.json", opt->out_dir);
    gs_write_file(path, s.ptr, s.len);
    if (!opt->quiet)
        fprintf(stderr, "vigil-gensample: %ld text messages in %s/result.json\n",
                items, opt->out_dir);
    vgu_buf_dispose(&b);
    vgu_buf_dispose(&s);
    return 0;
}
