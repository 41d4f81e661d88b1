/*
 * cli/cmd_match.c - `vigil match` (files or PDQ hashes against the banks)
 * and `vigil rematch` (stored items, results into the matches table);
 * see docs/cli/match.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "util/buf.h"
#include "util/json_out.h"
#include "vigil/match.h"

struct mopts {
    const char *db, *format, *index, *hashes;
    cli_strlist banks;
    long threshold;
    int dihedral, no_cache;
};

/* The PDQ index cache: --index, else <db>.pdqidx for a file database. */
static char *index_path(const struct mopts *o, const char *db)
{
    if (o->no_cache)
        return NULL;
    if (o->index)
        return strdup(o->index);
    return cli_index_cache_path(db);
}

static int open_matcher(const char *sub, const struct mopts *o,
                        vigil_store **st, vigil_matcher **m, char **ipath)
{
    vigil_match_options mo = VIGIL_MATCH_OPTIONS_INIT;
    const char *db = cli_db_path(o->db);
    int rc;

    *ipath = index_path(o, db);
    mo.banks = o->banks.n ? o->banks.v : NULL;
    mo.n_banks = (size_t)o->banks.n;
    mo.threshold = (int)o->threshold;
    mo.dihedral = o->dihedral;
    mo.index_path = *ipath;
    if ((rc = vigil_store_open(st, db, VIGIL_STORE_OPEN_CREATE)) < 0) {
        cli_error(sub, rc, db);
        return rc;
    }
    if ((rc = vigil_matcher_open(m, *st, &mo)) < 0) {
        cli_error(sub, rc, db);
        vigil_store_close(*st);
    }
    return rc;
}

static void print_text(const char *path, const vigil_match_list *l)
{
    size_t i;
    int alerts = 0;

    for (i = 0; i < l->n; i++) {
        const vigil_match *x = &l->v[i];

        if (!x->suppression && l->suppressed)
            continue;
        alerts++;
        printf("%s: %s%s \"%s\" %s distance %d", path,
               x->suppression ? "suppressed by " : "", x->bank,
               x->label ? x->label : "", vigil_signal_type_name(x->type),
               x->distance);
        if (x->variant >= 0)
            printf(" variant %s", vigil_match_variant_name(x->variant));
        putchar('\n');
    }
    if (!alerts)
        printf("%s: no match\n", path);
}

static void print_json(const char *path, const vigil_match_list *l,
                       int pdq_status)
{
    vgu_buf b = VGU_BUF_INIT;
    size_t i;

    vgu_buf_puts(&b, "{\"file\":");
    vgu_json_cstr(&b, path);
    vgu_buf_printf(&b, ",\"suppressed\":%s,\"pdq_hashed\":%s,\"matches\":[",
                   l->suppressed ? "true" : "false",
                   pdq_status == 0 ? "true" : "false");
    for (i = 0; i < l->n; i++) {
        const vigil_match *x = &l->v[i];

        vgu_buf_puts(&b, i ? ",{\"bank\":" : "{\"bank\":");
        vgu_json_cstr(&b, x->bank);
        vgu_buf_puts(&b, ",\"label\":");
        vgu_json_cstr(&b, x->label);
        vgu_buf_printf(&b, ",\"type\":\"%s\",\"distance\":%d,\"variant\":",
                       vigil_signal_type_name(x->type), x->distance);
        vgu_json_cstr(&b, vigil_match_variant_name(x->variant));
        vgu_buf_printf(&b, ",\"entry_id\":%lld,\"suppression\":%s}",
                       (long long)x->entry_id,
                       x->suppression ? "true" : "false");
    }
    vgu_buf_puts(&b, "]}\n");
    fputs(b.ptr, stdout);
    vgu_buf_dispose(&b);
}

/* Returns 1 when the file has an alerting match, 0 when not, -1 on error. */
static int match_one(vigil_matcher *m, const char *path, int json,
                     vigil_match_list *l)
{
    int ps = 0, rc;
    size_t i;

    vigil_match_list_clear(l);
    if ((rc = vigil_matcher_file(m, path, l, &ps)) < 0) {
        cli_error("match", rc, path);
        return -1;
    }
    if (json)
        print_json(path, l, ps);
    else
        print_text(path, l);
    for (i = 0; i < l->n; i++)
        if (!l->suppressed)
            return 1;
    return 0;
}

static int match_files(vigil_matcher *m, char **pos, int npos, int json)
{
    vigil_match_list l = VIGIL_MATCH_LIST_INIT;
    char line[4096];
    int i, any = 0, err = 0, r;

    for (i = 0; i < npos; i++) {
        if (strcmp(pos[i], "-") != 0) {
            r = match_one(m, pos[i], json, &l);
            any |= r > 0;
            err |= r < 0;
            continue;
        }
        while (fgets(line, sizeof(line), stdin)) {  /* paths, one a line */
            line[strcspn(line, "\r\n")] = '\0';
            if (!line[0])
                continue;
            r = match_one(m, line, json, &l);
            any |= r > 0;
            err |= r < 0;
        }
    }
    vigil_match_list_dispose(&l);
    return err ? 1 : any ? 0 : 3;
}

/* --hashes: one PDQ hex per line (first CSV field), CSV out. */
static int match_hashes(vigil_matcher *m, const char *path)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    vigil_match_list l = VIGIL_MATCH_LIST_INIT;
    vgu_buf b = VGU_BUF_INIT;
    char line[1024];
    size_t ln = 0, i;
    int any = 0, err = 0, rc;

    if (!f) {
        cli_errorf("match", "%s: cannot open", path);
        return 1;
    }
    while (fgets(line, sizeof(line), f)) {
        size_t n = strcspn(line, ",\r\n \t");
        vigil_pdq q;
        char hex[VIGIL_PDQ_HEX_LEN + 1];

        ln++;
        if (n == 0 || line[0] == '#')
            continue;
        if (vigil_pdq_from_hex(&q, line, n) < 0) {
            fprintf(stderr, "vigil match: %s:%zu: %s\n", path, ln,
                    vigil_error_last()->message);
            err = 1;
            continue;
        }
        vigil_pdq_to_hex(hex, &q);
        vigil_match_list_clear(&l);
        if ((rc = vigil_matcher_pdq(m, &q, 1, &l)) < 0) {
            cli_error("match", rc, path);
            err = 1;
            break;
        }
        for (i = 0; i < l.n; i++) {
            if (l.suppressed && !l.v[i].suppression)
                continue;
            vgu_buf_clear(&b);
            vgu_buf_printf(&b, "%s,", hex);
            vgu_csv_field(&b, l.v[i].bank);
            vgu_buf_putc(&b, ',');
            vgu_csv_field(&b, l.v[i].label ? l.v[i].label : "");
            vgu_buf_printf(&b, ",%d\n", l.v[i].distance);
            fputs(b.ptr, stdout);
            any |= !l.suppressed;
        }
    }
    if (f != stdin)
        fclose(f);
    vgu_buf_dispose(&b);
    vigil_match_list_dispose(&l);
    return err ? 1 : any ? 0 : 3;
}

#define MATCH_COMMON_OPTS(o) \
    { "db", 0, CLI_OPT_STRING, &(o).db, "PATH", \
      "database (default ./vigil.db, $VIGIL_DB)" }, \
    { "bank", 'b', CLI_OPT_LIST, &(o).banks, "NAME", \
      "match only this bank (repeatable; default all enabled)" }, \
    { "threshold", 't', CLI_OPT_INT, &(o).threshold, "N", \
      "PDQ radius for every bank (default: each bank's own)" }, \
    { "dihedral", 0, CLI_OPT_FLAG, &(o).dihedral, NULL, \
      "also match the 8 rotations/flips of each image" }, \
    { "index", 0, CLI_OPT_STRING, &(o).index, "PATH", \
      "PDQ index cache file (default DB.pdqidx)" }, \
    { "no-index-cache", 0, CLI_OPT_FLAG, &(o).no_cache, NULL, \
      "build the PDQ index in memory only" }

int cmd_match(int argc, char **argv)
{
    struct mopts o = { NULL, "text", NULL, NULL, { NULL, 0 }, -1, 0, 0 };
    const cli_opt opts[] = {
        MATCH_COMMON_OPTS(o),
        { "format", 'f', CLI_OPT_STRING, &o.format, "FMT", "text or json" },
        { "hashes", 0, CLI_OPT_STRING, &o.hashes, "FILE",
          "query PDQ hashes (one hex a line, - for stdin); prints "
          "query_hex,bank,label,distance" },
        { NULL, 0, 0, NULL, NULL, NULL }
    };
    const cli_spec spec = { "match", "[options] FILE...|-  or  --hashes FILE",
        "Match files (MD5, SHA-256, PDQ) against the enabled banks; '-' reads "
        "file paths from stdin. Exit 0 with a match, 3 without, 1 on error.",
        opts, 0, -1 };
    vigil_matcher *m;
    vigil_store *st;
    char **pos, *ipath;
    int npos, rc;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0) {
        free(o.banks.v);
        return rc < 0 ? 0 : rc;
    }
    if ((npos == 0) == (o.hashes == NULL) || o.threshold > 256 ||
        (strcmp(o.format, "text") && strcmp(o.format, "json"))) {
        cli_usage(&spec, stderr);
        free(o.banks.v);
        return 2;
    }
    if (open_matcher("match", &o, &st, &m, &ipath) < 0) {
        free(o.banks.v);
        free(ipath);
        return 1;
    }
    if (o.hashes)
        rc = match_hashes(m, o.hashes);
    else
        rc = match_files(m, pos, npos, strcmp(o.format, "json") == 0);
    vigil_matcher_free(m);
    vigil_store_close(st);
    free(o.banks.v);
    free(ipath);
    return rc;
}

int cmd_rematch(int argc, char **argv)
{
    struct mopts o = { NULL, "text", NULL, NULL, { NULL, 0 }, -1, 0, 0 };
    long since = 0;
    const cli_opt opts[] = {
        MATCH_COMMON_OPTS(o),
        { "since-item", 0, CLI_OPT_INT, &since, "ID",
          "only items with this row id or later" },
        { NULL, 0, 0, NULL, NULL, NULL }
    };
    const cli_spec spec = { "rematch", "[options]",
        "Match every stored item whose media is present against the banks "
        "and record new matches (after banks gained entries).", opts, 0, 0 };
    vigil_match_options mo = VIGIL_MATCH_OPTIONS_INIT;
    const char *db;
    vigil_store *st;
    uint64_t n = 0;
    char **pos, *ipath;
    int npos, rc;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0) {
        free(o.banks.v);
        return rc < 0 ? 0 : rc;
    }
    db = cli_db_path(o.db);
    ipath = index_path(&o, db);
    mo.banks = o.banks.n ? o.banks.v : NULL;
    mo.n_banks = (size_t)o.banks.n;
    mo.threshold = (int)o.threshold;
    mo.dihedral = o.dihedral;
    mo.index_path = ipath;
    mo.index_compact = 1;       /* leave a current index file behind */
    if ((rc = vigil_store_open(&st, db, VIGIL_STORE_OPEN_CREATE)) < 0) {
        cli_error("rematch", rc, db);
    } else {
        if ((rc = vigil_match_items(st, since, &mo, &n)) < 0)
            cli_error("rematch", rc, db);
        else
            printf("%llu new matches recorded\n", (unsigned long long)n);
        vigil_store_close(st);
    }
    free(o.banks.v);
    free(ipath);
    return rc < 0 ? 1 : 0;
}
