/*
 * cli/cmd_bank.c - `vigil bank create|list|show|set|rm|delete|add|import|
 * export|reindex`:
 * manage hash banks and move hash lists in and out (docs/cli/bank.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "util/buf.h"
#include "util/json_out.h"
#include "vigil/bank.h"
#include "vigil/digest.h"
#include "vigil/match.h"
#include "vigil/pdq.h"

static const char *db_opt;

#define DB_OPT { "db", 0, CLI_OPT_STRING, &db_opt, "PATH", \
                 "database (default ./vigil.db, $VIGIL_DB)" }
#define END_OPT { NULL, 0, 0, NULL, NULL, NULL }

static int open_db(vigil_store **st, const char *sub, unsigned flags)
{
    const char *db = cli_db_path(db_opt);
    int rc = vigil_store_open(st, db, flags);

    if (rc < 0)
        cli_error(sub, rc, db);
    return rc;
}

static int fail(const char *sub, int rc, const char *what, vigil_store *st)
{
    cli_error(sub, rc, what);
    vigil_store_close(st);
    return 1;
}

static void print_bank_json(vgu_buf *b, const vigil_bank *k)
{
    int t;

    vgu_buf_puts(b, "{\"name\":");
    vgu_json_cstr(b, k->name);
    vgu_buf_puts(b, ",\"signal_types\":");
    vgu_json_cstr(b, k->signal_types);
    vgu_buf_printf(b, ",\"threshold\":%d,\"enabled\":%s,\"is_suppression\":%s,"
                   "\"created_at\":%lld,\"description\":", k->threshold,
                   k->enabled ? "true" : "false",
                   k->is_suppression ? "true" : "false",
                   (long long)k->created_at);
    vgu_json_cstr(b, k->description);
    vgu_buf_puts(b, ",\"entries\":{");
    for (t = 0; t < VIGIL_SIGNAL__COUNT; t++)
        vgu_buf_printf(b, "%s\"%s\":%lld", t ? "," : "",
                       vigil_signal_type_name(t), (long long)k->n_entries[t]);
    vgu_buf_puts(b, "}}");
}

static void print_bank_line(const vigil_bank *k)
{
    printf("%-24s %-9s thr %-3d %s pdq %lld md5 %lld sha256 %lld vpdq %lld\n",
           k->name, k->enabled ? "enabled" : "disabled", k->threshold,
           k->is_suppression ? "suppression" : "alerting",
           (long long)k->n_entries[VIGIL_SIGNAL_PDQ],
           (long long)k->n_entries[VIGIL_SIGNAL_MD5],
           (long long)k->n_entries[VIGIL_SIGNAL_SHA256],
           (long long)k->n_entries[VIGIL_SIGNAL_VPDQ]);
}

static int bank_create(int argc, char **argv)
{
    long thr = VIGIL_PDQ_DEFAULT_THRESHOLD;
    int suppression = 0, disabled = 0;
    const char *types = NULL, *desc = NULL;
    const cli_opt opts[] = {
        DB_OPT,
        { "threshold", 't', CLI_OPT_INT, &thr, "N",
          "PDQ match radius, inclusive (default 31)" },
        { "types", 0, CLI_OPT_STRING, &types, "LIST",
          "signal types taken, e.g. pdq,md5 (default all)" },
        { "suppression", 0, CLI_OPT_FLAG, &suppression, NULL,
          "entries are known false positives: they silence other matches" },
        { "disabled", 0, CLI_OPT_FLAG, &disabled, NULL, "create disabled" },
        { "description", 0, CLI_OPT_STRING, &desc, "TEXT", "free text" },
        END_OPT
    };
    const cli_spec spec = { "bank create", "[options] NAME",
                            "Create an empty hash bank.", opts, 1, 1 };
    vigil_bank b = VIGIL_BANK_INIT;
    vigil_store *st;
    char **pos;
    int npos, rc;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (thr < 0 || thr > 256) {
        cli_errorf("bank", "--threshold %ld is outside 0..256", thr);
        return 2;
    }
    if (open_db(&st, "bank", VIGIL_STORE_OPEN_CREATE) < 0)
        return 1;
    b.name = pos[0];
    b.signal_types = (char *)types;
    b.threshold = (int)thr;
    b.enabled = !disabled;
    b.is_suppression = suppression;
    b.description = (char *)desc;
    if ((rc = vigil_bank_create(st, &b)) < 0)
        return fail("bank", rc, pos[0], st);
    vigil_store_close(st);
    return 0;
}

static int bank_list(int argc, char **argv)
{
    const char *format = "text";
    const cli_opt opts[] = {
        DB_OPT,
        { "format", 'f', CLI_OPT_STRING, &format, "FMT", "text or json" },
        END_OPT
    };
    const cli_spec spec = { "bank list", "[--format text|json]",
                            "List banks with their settings and entry counts.",
                            opts, 0, 0 };
    vgu_buf b = VGU_BUF_INIT;
    vigil_bank *v;
    vigil_store *st;
    size_t n, i;
    char **pos;
    int npos, rc;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (open_db(&st, "bank", VIGIL_STORE_OPEN_CREATE) < 0)
        return 1;
    if ((rc = vigil_bank_list(&v, &n, st)) < 0)
        return fail("bank", rc, "list", st);
    if (strcmp(format, "json") == 0) {
        vgu_buf_putc(&b, '[');
        for (i = 0; i < n; i++) {
            if (i)
                vgu_buf_putc(&b, ',');
            print_bank_json(&b, &v[i]);
        }
        vgu_buf_puts(&b, "]\n");
        fputs(b.ptr, stdout);
        vgu_buf_dispose(&b);
    } else {
        for (i = 0; i < n; i++)
            print_bank_line(&v[i]);
    }
    vigil_bank_list_dispose(v, n);
    vigil_store_close(st);
    return 0;
}

static int bank_show(int argc, char **argv)
{
    const char *format = "text";
    const cli_opt opts[] = {
        DB_OPT,
        { "format", 'f', CLI_OPT_STRING, &format, "FMT", "text or json" },
        END_OPT
    };
    const cli_spec spec = { "bank show", "[--format text|json] NAME",
                            "Show one bank's settings and entry counts.",
                            opts, 1, 1 };
    vgu_buf b = VGU_BUF_INIT;
    vigil_bank k;
    vigil_store *st;
    char **pos;
    int npos, rc;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (open_db(&st, "bank", VIGIL_STORE_OPEN_CREATE) < 0)
        return 1;
    if ((rc = vigil_bank_get(&k, st, pos[0])) < 0)
        return fail("bank", rc, pos[0], st);
    if (strcmp(format, "json") == 0) {
        print_bank_json(&b, &k);
        vgu_buf_putc(&b, '\n');
        fputs(b.ptr, stdout);
        vgu_buf_dispose(&b);
    } else {
        printf("name:         %s\nsignal types: %s\nthreshold:    %d\n"
               "enabled:      %s\nsuppression:  %s\ndescription:  %s\n"
               "entries:      pdq %lld, md5 %lld, sha256 %lld, vpdq %lld\n",
               k.name, k.signal_types, k.threshold, k.enabled ? "yes" : "no",
               k.is_suppression ? "yes" : "no",
               k.description ? k.description : "",
               (long long)k.n_entries[0], (long long)k.n_entries[1],
               (long long)k.n_entries[2], (long long)k.n_entries[3]);
    }
    vigil_bank_dispose(&k);
    vigil_store_close(st);
    return 0;
}

static int bank_set(int argc, char **argv)
{
    long thr = -1;
    int enable = 0, disable = 0;
    const char *suppression = NULL, *desc = NULL;
    const cli_opt opts[] = {
        DB_OPT,
        { "threshold", 't', CLI_OPT_INT, &thr, "N", "PDQ radius 0..256" },
        { "enable", 0, CLI_OPT_FLAG, &enable, NULL, "match against it" },
        { "disable", 0, CLI_OPT_FLAG, &disable, NULL, "stop matching" },
        { "suppression", 0, CLI_OPT_STRING, &suppression, "yes|no",
          "make it a suppression bank or an alerting one" },
        { "description", 0, CLI_OPT_STRING, &desc, "TEXT", "free text" },
        END_OPT
    };
    const cli_spec spec = { "bank set", "[options] NAME",
                            "Change a bank's threshold, state or kind.",
                            opts, 1, 1 };
    vigil_bank k;
    vigil_store *st;
    char **pos;
    int npos, rc;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if ((enable && disable) || thr > 256 || thr < -1 ||
        (suppression && strcmp(suppression, "yes") && strcmp(suppression, "no"))) {
        cli_errorf("bank", "set: conflicting or out-of-range options");
        return 2;
    }
    if (open_db(&st, "bank", VIGIL_STORE_OPEN_CREATE) < 0)
        return 1;
    if ((rc = vigil_bank_get(&k, st, pos[0])) < 0)
        return fail("bank", rc, pos[0], st);
    if (thr >= 0)
        k.threshold = (int)thr;
    if (enable || disable)
        k.enabled = enable;
    if (suppression)
        k.is_suppression = strcmp(suppression, "yes") == 0;
    if (desc) {
        free(k.description);
        k.description = strdup(desc);
    }
    rc = vigil_bank_update(st, &k);
    vigil_bank_dispose(&k);
    if (rc < 0)
        return fail("bank", rc, pos[0], st);
    vigil_store_close(st);
    return 0;
}

static int bank_rm(int argc, char **argv)
{
    const cli_opt opts[] = { DB_OPT, END_OPT };
    const cli_spec spec = { "bank rm", "NAME",
                            "Delete a bank and all its entries.", opts, 1, 1 };
    vigil_store *st;
    char **pos;
    int npos, rc;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (open_db(&st, "bank", VIGIL_STORE_OPEN_CREATE) < 0)
        return 1;
    if ((rc = vigil_bank_remove(st, pos[0])) < 0)
        return fail("bank", rc, pos[0], st);
    vigil_store_close(st);
    return 0;
}

struct file_entries {
    char md5[33], sha[65], pdq[65];
};

/* Digests and (when the file is an image of usable quality) PDQ. */
static int hash_one(struct file_entries *f, const char *path)
{
    vigil_digests d;
    vigil_pdq h;
    int q = 0, rc;

    if ((rc = vigil_digest_file(&d, path)) < 0) {
        cli_error("bank", rc, path);
        return -1;
    }
    vigil_hex_encode(f->md5, d.md5, VIGIL_MD5_LEN);
    vigil_hex_encode(f->sha, d.sha256, VIGIL_SHA256_LEN);
    f->pdq[0] = '\0';
    rc = vigil_pdq_hash_file(&h, &q, path, NULL);
    if (rc == 0 && q >= VIGIL_PDQ_MIN_QUALITY)
        vigil_pdq_to_hex(f->pdq, &h);
    else if (rc == 0)
        fprintf(stderr, "vigil bank: %s: PDQ quality %d below %d, PDQ not "
                "added\n", path, q, VIGIL_PDQ_MIN_QUALITY);
    return 0;
}

static int bank_add(int argc, char **argv)
{
    const char *label = NULL, *outlet = NULL, *category = NULL, *note = NULL;
    const cli_opt opts[] = {
        DB_OPT,
        { "label", 'l', CLI_OPT_STRING, &label, "TEXT", "entry label" },
        { "outlet", 0, CLI_OPT_STRING, &outlet, "NAME", "producing outlet" },
        { "category", 0, CLI_OPT_STRING, &category, "TEXT", "category" },
        { "note", 0, CLI_OPT_STRING, &note, "TEXT", "free text" },
        END_OPT
    };
    const cli_spec spec = { "bank add", "[options] NAME FILE...",
        "Hash files (MD5, SHA-256 and, for images, PDQ) and add the hashes "
        "the bank takes.", opts, 2, -1 };
    vigil_import_counts c;
    vigil_bank_entry *e;
    struct file_entries *f;
    vigil_store *st;
    char **pos;
    int npos, rc, i, bad = 0;
    size_t n = 0;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    e = calloc((size_t)npos * 3, sizeof(*e));
    f = calloc((size_t)npos, sizeof(*f));
    if (!e || !f) {
        cli_errorf("bank", "out of memory");
        return 1;
    }
    for (i = 1; i < npos; i++) {
        vigil_bank_entry base = { VIGIL_SIGNAL_MD5, NULL, label, outlet,
                                  category, NULL, NULL, note, 0 };

        if (hash_one(&f[i], pos[i]) < 0) {
            bad = 1;
            continue;
        }
        base.label = label ? label : pos[i];
        base.source_list = "vigil bank add";
        e[n] = base, e[n++].value = f[i].md5;
        e[n] = base, e[n].type = VIGIL_SIGNAL_SHA256, e[n++].value = f[i].sha;
        if (f[i].pdq[0])
            e[n] = base, e[n].type = VIGIL_SIGNAL_PDQ, e[n++].value = f[i].pdq;
    }
    if ((rc = open_db(&st, "bank", VIGIL_STORE_OPEN_CREATE)) == 0) {
        if ((rc = vigil_bank_add_entries(st, pos[0], e, n, &c)) < 0)
            cli_error("bank", rc, pos[0]);
        else
            printf("added %zu, already present %zu, not taken by the bank "
                   "%zu\n", c.added, c.duplicate, c.refused);
        vigil_store_close(st);
    }
    free(e);
    free(f);
    return rc < 0 || bad ? 1 : 0;
}

struct import_ctx {
    const char *path;
};

static void import_error(void *payload, size_t line, const char *reason)
{
    struct import_ctx *c = payload;

    fprintf(stderr, "vigil bank: %s:%zu: %s\n", c->path, line, reason);
}

static int bank_import(int argc, char **argv)
{
    const char *format = NULL, *type = NULL;
    const cli_opt opts[] = {
        DB_OPT,
        { "format", 'f', CLI_OPT_STRING, &format, "FMT",
          "plain, te, hma, vpdq or jsonl (default: guessed)" },
        { "type", 0, CLI_OPT_STRING, &type, "TYPE",
          "type of bare 64-hex values: pdq or sha256" },
        END_OPT
    };
    const cli_spec spec = { "bank import", "[options] NAME FILE",
        "Import a hash list into a bank (created when missing). Malformed "
        "lines are reported as FILE:LINE: reason and skipped; the rest go in "
        "one transaction. Exit 1 when some lines were malformed.",
        opts, 2, 2 };
    vigil_list_parse_options po = VIGIL_LIST_PARSE_OPTIONS_INIT;
    struct import_ctx ctx;
    vigil_import_counts c;
    vigil_signal_type t;
    vigil_store *st;
    char **pos, head[512];
    int npos, rc;
    size_t hn = 0;
    FILE *f;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (format && vigil_list_format_parse(&po.format, format) < 0) {
        cli_error("bank", VIGIL_EINVAL, format);
        return 2;
    }
    if (type) {
        if (vigil_signal_type_parse(&t, type, strlen(type)) < 0) {
            cli_error("bank", VIGIL_EINVAL, type);
            return 2;
        }
        po.default_type = (int)t;
    }
    if (!format) {
        if ((f = fopen(pos[1], "rb")) != NULL) {
            hn = fread(head, 1, sizeof(head), f);
            fclose(f);
        }
        po.format = vigil_list_format_guess(pos[1], head, hn);
    }
    ctx.path = pos[1];
    po.on_error = import_error;
    po.payload = &ctx;
    if (open_db(&st, "bank", VIGIL_STORE_OPEN_CREATE) < 0)
        return 1;
    if ((rc = vigil_bank_import(st, pos[0], pos[1], &po, &c)) < 0)
        return fail("bank", rc, pos[1], st);
    printf("%s: %zu added, %zu already present, %zu malformed, %zu not taken "
           "(format %s)\n", pos[0], c.added, c.duplicate, c.malformed,
           c.refused, vigil_list_format_name(po.format));
    vigil_store_close(st);
    return c.malformed ? 1 : 0;
}

static int write_out(void *payload, const char *data, size_t len)
{
    return fwrite(data, 1, len, payload) == len ? 0 : VIGIL_EIO;
}

static int bank_export(int argc, char **argv)
{
    const char *format = "jsonl", *type = NULL, *out = NULL;
    const cli_opt opts[] = {
        DB_OPT,
        { "format", 'f', CLI_OPT_STRING, &format, "FMT",
          "plain, te, hma, vpdq or jsonl (default jsonl)" },
        { "type", 0, CLI_OPT_STRING, &type, "TYPE", "only this signal type" },
        { "output", 'o', CLI_OPT_STRING, &out, "FILE", "default stdout" },
        END_OPT
    };
    const cli_spec spec = { "bank export", "[options] NAME",
                            "Write a bank's entries as a hash list.",
                            opts, 1, 1 };
    vigil_list_format fmt;
    vigil_signal_type t;
    vigil_store *st;
    char **pos;
    int npos, rc, tf = -1;
    FILE *f = stdout;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (vigil_list_format_parse(&fmt, format) < 0 ||
        (type && vigil_signal_type_parse(&t, type, strlen(type)) < 0)) {
        cli_error("bank", VIGIL_EINVAL, "export");
        return 2;
    }
    if (type)
        tf = (int)t;
    if (open_db(&st, "bank", VIGIL_STORE_OPEN_READONLY) < 0)
        return 1;
    if (out && (f = fopen(out, "wb")) == NULL) {
        cli_errorf("bank", "%s: cannot create", out);
        vigil_store_close(st);
        return 1;
    }
    rc = vigil_bank_export(st, pos[0], fmt, tf, write_out, f, NULL);
    if (out && fclose(f) != 0 && rc == 0)
        rc = VIGIL_EIO;
    if (rc < 0)
        return fail("bank", rc, pos[0], st);
    vigil_store_close(st);
    return 0;
}

static int bank_delete(int argc, char **argv)
{
    const char *type = NULL;
    const cli_opt opts[] = {
        DB_OPT,
        { "type", 0, CLI_OPT_STRING, &type, "TYPE",
          "type of 64-hex values: pdq (default) or sha256" },
        END_OPT
    };
    const cli_spec spec = { "bank delete", "[--type T] NAME HEX...",
        "Remove entries by value (32 hex = md5, 64 hex = --type). The PDQ "
        "index is updated from the change log, not rebuilt.", opts, 2, -1 };
    vigil_signal_type t = VIGIL_SIGNAL_PDQ;
    vigil_bank_entry *e;
    vigil_store *st;
    size_t removed = 0;
    char **pos;
    int npos, rc, i;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (type && vigil_signal_type_parse(&t, type, strlen(type)) < 0) {
        cli_error("bank", VIGIL_EINVAL, type);
        return 2;
    }
    if ((e = calloc((size_t)npos, sizeof(*e))) == NULL) {
        cli_errorf("bank", "out of memory");
        return 1;
    }
    for (i = 1; i < npos; i++) {
        e[i - 1].type = strlen(pos[i]) == 32 ? VIGIL_SIGNAL_MD5 : t;
        e[i - 1].value = pos[i];
        e[i - 1].line = (size_t)i;
    }
    if (open_db(&st, "bank", VIGIL_STORE_OPEN_CREATE) < 0) {
        free(e);
        return 1;
    }
    rc = vigil_bank_remove_entries(st, pos[0], e, (size_t)npos - 1, &removed);
    free(e);
    if (rc < 0)
        return fail("bank", rc, pos[0], st);
    printf("removed %zu, not in the bank %zu\n", removed,
           (size_t)npos - 1 - removed);
    vigil_store_close(st);
    return 0;
}

static int bank_reindex(int argc, char **argv)
{
    const char *index = NULL;
    int full = 0;
    const cli_opt opts[] = {
        DB_OPT,
        { "index", 0, CLI_OPT_STRING, &index, "PATH",
          "PDQ index file (default DB.pdqidx)" },
        { "full", 0, CLI_OPT_FLAG, &full, NULL,
          "rebuild from every stored entry instead of applying the log" },
        END_OPT
    };
    const cli_spec spec = { "bank reindex", "[--index PATH] [--full]",
        "Bring the saved PDQ index up to date: apply the change log, merge "
        "it into the tables and write the file atomically.", opts, 0, 0 };
    vigil_match_options mo = VIGIL_MATCH_OPTIONS_INIT;
    vigil_match_index_info info;
    vigil_matcher *m;
    vigil_store *st;
    const char *db;
    char **pos, *path;
    int npos, rc;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    db = cli_db_path(db_opt);
    path = index ? strdup(index) : cli_index_cache_path(db);
    if (!path) {
        cli_errorf("bank", "reindex: %s is not a file database; give --index",
                   db);
        return 2;
    }
    if (open_db(&st, "bank", VIGIL_STORE_OPEN_CREATE) < 0) {
        free(path);
        return 1;
    }
    mo.index_path = path;
    mo.index_rebuild = full;
    mo.index_compact = 1;
    if ((rc = vigil_matcher_open(&m, st, &mo)) < 0) {
        free(path);
        return fail("bank", rc, db, st);
    }
    vigil_matcher_index_info(m, &info);
    printf("%s: %zu PDQ entries, generation %lld, %s\n", path, info.entries,
           (long long)info.gen,
           info.rebuilt ? "rebuilt from the store"
           : info.compacted ? "change log applied and merged"
           : "already current");
    vigil_matcher_free(m);
    vigil_store_close(st);
    free(path);
    return 0;
}

static const cli_cmd bank_subs[] = {
    { "create", bank_create, "create a bank" },
    { "list", bank_list, "list banks" },
    { "show", bank_show, "show one bank" },
    { "set", bank_set, "change threshold, enable/disable, suppression" },
    { "rm", bank_rm, "delete a bank and its entries" },
    { "delete", bank_delete, "remove entries by value" },
    { "reindex", bank_reindex, "bring the saved PDQ index up to date" },
    { "add", bank_add, "hash files and add them" },
    { "import", bank_import, "import a hash list" },
    { "export", bank_export, "export a bank as a hash list" },
};

int cmd_bank(int argc, char **argv)
{
    size_t i, n = sizeof(bank_subs) / sizeof(bank_subs[0]);

    if (argc >= 2)
        for (i = 0; i < n; i++)
            if (strcmp(argv[1], bank_subs[i].name) == 0)
                return bank_subs[i].run(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "--help") && strcmp(argv[1], "-h"))
        fprintf(stderr, "vigil bank: no subcommand '%s'\n", argv[1]);
    fputs("usage: vigil bank SUBCOMMAND [ARGS]\n\nsubcommands:\n",
          argc >= 2 && strcmp(argv[1], "--help") && strcmp(argv[1], "-h")
          ? stderr : stdout);
    for (i = 0; i < n; i++)
        printf("  %-8s %s\n", bank_subs[i].name, bank_subs[i].summary);
    return argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
           ? 0 : 2;
}
