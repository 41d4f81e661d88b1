/*
 * cli/cmd_langid.c - `vigil langid`: one text per input line, one language
 * label per output line (`tgk-Cyrl`, `prs-Arab`, `und`); --top K adds scores.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "vigil/langid.h"

#define LANGID_MAX_LINE (1u << 20)   /* bytes per input line */
#define LANGID_MAX_TOP 26

static int print_line(vigil_langid_cache *wc, const char *line, size_t len,
                      long top, int spans)
{
    vigil_langid_guess g[LANGID_MAX_TOP];
    vigil_langid_span sp[64];
    size_t n, i;

    if (spans) {
        if (vigil_langid_spans(sp, 64, &n, line, len) < 0)
            return -1;
        for (i = 0; i < n; i++)
            printf("%s%zu-%zu:%s", i ? "\t" : "", sp[i].start, sp[i].end,
                   sp[i].best.label);
        putchar('\n');
        return 0;
    }
    if (vigil_langid_identify_cached(wc, g, (size_t)(top > 0 ? top : 1), &n,
                                     line, len) < 0)
        return -1;
    if (top <= 0) {
        puts(g[0].label);
        return 0;
    }
    for (i = 0; i < n; i++)
        printf("%s%s\t%.3f", i ? "\t" : "", g[i].label, (double)g[i].score);
    putchar('\n');
    return 0;
}

/* Read one line (without its newline, or "\r\n") into *buf (getline()'s
 * buffer, *cap bytes). Returns its length, -1 at end of input (or a read
 * error: ferror() tells), -2 when the line is longer than LANGID_MAX_LINE. */
static long read_line(FILE *in, char **buf, size_t *cap)
{
    ssize_t n = getline(buf, cap, in);

    if (n < 0)
        return -1;
    if (n > 0 && (*buf)[n - 1] == '\n')
        n--;
    if ((size_t)n > LANGID_MAX_LINE)
        return -2;
    if (n > 0 && (*buf)[n - 1] == '\r')
        n--;
    return (long)n;
}

static int run(FILE *in, const char *name, long top, int spans)
{
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    vigil_langid_cache *wc = NULL;
    long got;
    int rc = 0;

    if (vigil_langid_cache_new(&wc) < 0) {
        cli_errorf("langid", "out of memory");
        return 1;
    }
    while ((got = read_line(in, &line, &cap)) != -1) {
        lineno++;
        if (got == -2) {
            cli_errorf("langid", "%s:%zu: line longer than %u bytes", name,
                       lineno, LANGID_MAX_LINE);
            rc = 1;
            break;
        }
        if (print_line(wc, line, (size_t)got, top, spans) < 0) {
            cli_error("langid", -1, name);
            rc = 1;
            break;
        }
    }
    if (rc == 0 && ferror(in)) {
        cli_errorf("langid", "%s: read error: %s", name, strerror(errno));
        rc = 1;
    }
    free(line);
    vigil_langid_cache_free(wc);
    return rc;
}

int cmd_langid(int argc, char **argv)
{
    long top = 0;
    int spans = 0, rc;
    const cli_opt opts[] = {
        { "top", 'k', CLI_OPT_INT, &top, "K",
          "print the K best labels with scores (1..26), tab-separated" },
        { "spans", 0, CLI_OPT_FLAG, &spans, NULL,
          "mixed-script mode: START-END:LABEL per run of one script" },
        { NULL, 0, 0, NULL, NULL, NULL }
    };
    const cli_spec spec = {
        "langid", "[--top K] [--spans] [FILE|-]",
        "Identify the language and script of each input line (UTF-8): one\n"
        "label per line, e.g. tgk-Cyrl, prs-Arab, uzb-Latn, or und.\n"
        "Without --top, Persian without Dari evidence is pes-Arab; --top 2\n"
        "shows how close prs-Arab came.",
        opts, 0, 1
    };
    char **pos;
    int npos;
    FILE *in = stdin;
    const char *name = "-";

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (top < 0 || top > LANGID_MAX_TOP) {
        cli_errorf("langid", "--top must be between 1 and %d", LANGID_MAX_TOP);
        return 2;
    }
    if (npos == 1 && strcmp(pos[0], "-") != 0) {
        name = pos[0];
        if ((in = fopen(name, "rb")) == NULL) {
            cli_errorf("langid", "%s: %s", name, strerror(errno));
            return 1;
        }
    }
    rc = run(in, name, top, spans);
    if (in != stdin)
        fclose(in);
    return rc;
}
