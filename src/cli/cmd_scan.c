/*
 * cli/cmd_scan.c - `vigil scan [FILE...|-]`: text triage of one text per
 * input line, printed as JSON Lines (language, script, watchlist hits with
 * byte offsets into the line, validated indicators).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "util/buf.h"
#include "util/json_out.h"
#include "vigil/text.h"

/* Append ",\"start\":S,\"end\":E" without printf (it was a fifth of
 * the output cost). */
static void put_span(vgu_buf *b, size_t start, size_t end)
{
    char tmp[64];
    size_t v[2] = { start, end }, k = sizeof(tmp);
    int i;

    for (i = 1; i >= 0; i--) {
        size_t x = v[i];

        do {
            tmp[--k] = (char)('0' + x % 10);
            x /= 10;
        } while (x);
        if (i == 1) {
            k -= 7;
            memcpy(tmp + k, ",\"end\":", 7);
        } else {
            k -= 9;
            memcpy(tmp + k, ",\"start\":", 9);
        }
    }
    vgu_buf_append(b, tmp + k, sizeof(tmp) - k);
}

static void put_hits(vgu_buf *b, const vigil_triage_result *r)
{
    size_t i;

    vgu_buf_puts(b, ",\"hits\":[");
    for (i = 0; i < r->n_hits; i++) {
        const vigil_hit *h = &r->hits[i];
        if (i)
            vgu_buf_putc(b, ',');
        vgu_buf_puts(b, "{\"outlet\":");
        vgu_json_cstr(b, h->outlet);
        vgu_buf_puts(b, ",\"term\":");
        vgu_json_cstr(b, h->term);
        put_span(b, h->start, h->end);
        if (h->weak)
            vgu_buf_puts(b, ",\"weak\":true");
        vgu_buf_putc(b, '}');
    }
    vgu_buf_putc(b, ']');
}

static void put_indicators(vgu_buf *b, const vigil_triage_result *r)
{
    size_t i;

    vgu_buf_puts(b, ",\"indicators\":[");
    for (i = 0; i < r->n_indicators; i++) {
        const vigil_indicator *d = &r->indicators[i];
        if (i)
            vgu_buf_putc(b, ',');
        vgu_buf_puts(b, "{\"type\":");
        vgu_json_cstr(b, vigil_indicator_type_name(d->type));
        vgu_buf_puts(b, ",\"value\":");
        vgu_json_cstr(b, d->value);
        vgu_buf_puts(b, d->valid == VIGIL_VALID_YES ? ",\"valid\":true"
                        : d->valid == VIGIL_VALID_NO ? ",\"valid\":false"
                                                     : ",\"valid\":null");
        if (d->subtype) {
            vgu_buf_puts(b, ",\"subtype\":");
            vgu_json_cstr(b, d->subtype);
        }
        put_span(b, d->start, d->end);
        vgu_buf_putc(b, '}');
    }
    vgu_buf_putc(b, ']');
}

static void put_result(vgu_buf *b, const vigil_triage_result *r)
{
    vgu_buf_clear(b);
    vgu_buf_puts(b, "{\"lang\":");
    vgu_json_cstr(b, r->lang);
    vgu_buf_puts(b, ",\"script\":");
    vgu_json_cstr(b, r->script);
    put_hits(b, r);
    put_indicators(b, r);
    vgu_buf_puts(b, "}\n");
}

/* Triage every line of @p f; returns 0, or 1 after an error was printed. */
static int scan_stream(vigil_triage *t, FILE *f, const char *name)
{
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    vgu_buf b = VGU_BUF_INIT;
    int rc = 0;

    while ((n = getline(&line, &cap, f)) >= 0) {
        const vigil_triage_result *r;
        size_t len = (size_t)n;
        int err;

        lineno++;
        if (len && line[len - 1] == '\n')
            len--;
        if (len && line[len - 1] == '\r')
            len--;
        if ((err = vigil_triage_scan(&r, t, line, len, VIGIL_TRIAGE_ALL)) < 0) {
            char where[512];
            snprintf(where, sizeof(where), "%s:%zu", name, lineno);
            cli_error("scan", err, where);
            rc = 1;
            break;
        }
        put_result(&b, r);
        if (b.len != fwrite(b.ptr, 1, b.len, stdout)) {
            cli_errorf("scan", "writing output: %s", strerror(errno));
            rc = 1;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        cli_errorf("scan", "%s: read error after line %zu", name, lineno);
        rc = 1;
    }
    free(line);
    vgu_buf_dispose(&b);
    return rc;
}

int cmd_scan(int argc, char **argv)
{
    const char *wl_path = NULL;
    int only = 0;
    const cli_opt opts[] = {
        { "watchlist", 'w', CLI_OPT_STRING, &wl_path, "TSV",
          "extra watchlist terms (format: data/watchlist/README.md)" },
        { "only-watchlist", 0, CLI_OPT_FLAG, &only, NULL,
          "use only --watchlist, not the bundled outlet list" },
        { NULL, 0, 0, NULL, NULL, NULL }
    };
    const cli_spec spec = {
        "scan", "[--watchlist TSV [--only-watchlist]] [FILE...|-]",
        "Triage one text per input line; print one JSON object per line:\n"
        "{\"lang\":\"tgk-Cyrl\",\"script\":\"Cyrl\",\"hits\":[{\"outlet\":..,"
        "\"term\":..,\"start\":N,\"end\":N}],\n"
        "\"indicators\":[{\"type\":\"monero\",\"value\":..,\"valid\":true,..}]}"
        "\nOffsets are bytes into the line. Exit 0 ok, 1 error, 2 usage.",
        opts, 0, -1
    };
    vigil_watchlist *wl = NULL;
    vigil_triage *t;
    char **pos;
    int npos, rc, i;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (only && !wl_path) {
        cli_errorf("scan", "--only-watchlist needs --watchlist TSV");
        return 2;
    }
    if (wl_path && (rc = vigil_watchlist_load(&wl, wl_path, !only)) < 0) {
        cli_error("scan", rc, wl_path);
        return 1;
    }
    if ((rc = vigil_triage_new(&t, wl)) < 0) {
        cli_error("scan", rc, "setting up triage");
        return 1;
    }
    rc = 0;
    if (npos == 0)
        rc = scan_stream(t, stdin, "<stdin>");
    for (i = 0; i < npos && rc == 0; i++) {
        FILE *f;
        if (strcmp(pos[i], "-") == 0) {
            rc = scan_stream(t, stdin, "<stdin>");
            continue;
        }
        if ((f = fopen(pos[i], "rb")) == NULL) {
            cli_errorf("scan", "%s: %s", pos[i], strerror(errno));
            rc = 1;
            break;
        }
        rc = scan_stream(t, f, pos[i]);
        fclose(f);
    }
    vigil_triage_free(t);
    if (fflush(stdout) != 0) {
        cli_errorf("scan", "writing output: %s", strerror(errno));
        rc = 1;
    }
    return rc;
}
