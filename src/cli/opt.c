/*
 * cli/opt.c - table-driven option parsing for every subcommand, plus
 * the shared diagnostics helpers.
 */
#include "cli/cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/common.h"

void cli_usage(const cli_spec *spec, FILE *out)
{
    const cli_opt *o;

    fprintf(out, "usage: vigil %s %s\n\n%s\n", spec->name, spec->usage,
            spec->summary);
    if (spec->opts && spec->opts[0].long_name)
        fputs("\noptions:\n", out);
    for (o = spec->opts; o && o->long_name; o++) {
        char left[64];

        if (o->short_name)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name,
                     o->long_name, o->arg_name ? " " : "",
                     o->arg_name ? o->arg_name : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", o->long_name,
                     o->arg_name ? " " : "", o->arg_name ? o->arg_name : "");
        fprintf(out, "  %-26s %s\n", left, o->help);
    }
    fprintf(out, "  %-26s %s\n", "-h, --help", "show this help");
}

static const cli_opt *opt_find(const cli_spec *spec, const char *name,
                               size_t name_len, char short_name)
{
    const cli_opt *o;

    for (o = spec->opts; o && o->long_name; o++) {
        if (short_name && o->short_name == short_name)
            return o;
        if (!short_name && strlen(o->long_name) == name_len &&
            strncmp(o->long_name, name, name_len) == 0)
            return o;
    }
    return NULL;
}

static int opt_store(const cli_spec *spec, const cli_opt *o, const char *arg)
{
    char *end;
    long v;
    cli_strlist *l;
    const char **nv;

    switch (o->type) {
    case CLI_OPT_FLAG:
        *(int *)o->value = 1;
        return 0;
    case CLI_OPT_STRING:
        *(const char **)o->value = arg;
        return 0;
    case CLI_OPT_INT:
        errno = 0;
        v = strtol(arg, &end, 10);
        if (errno || end == arg || *end) {
            fprintf(stderr, "vigil %s: --%s needs a whole number, not '%s'\n",
                    spec->name, o->long_name, arg);
            return 2;
        }
        *(long *)o->value = v;
        return 0;
    case CLI_OPT_LIST:
        l = o->value;
        if ((nv = realloc(l->v, sizeof(*nv) * (size_t)(l->n + 1))) == NULL) {
            fprintf(stderr, "vigil %s: out of memory\n", spec->name);
            return 2;
        }
        nv[l->n++] = arg;
        l->v = nv;
        return 0;
    }
    return 2;
}

static int opt_bad(const cli_spec *spec, const char *fmt, const char *what)
{
    fprintf(stderr, "vigil %s: ", spec->name);
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\nTry 'vigil %s --help'.\n", spec->name);
    return 2;
}

int cli_parse(const cli_spec *spec, int argc, char **argv,
              char ***pos, int *npos)
{
    int i, n = 0, only_pos = 0, rc;

    *pos = argv + 1;        /* positional args are compacted in place */
    for (i = 1; i < argc; i++) {
        char *a = argv[i];
        const cli_opt *o;
        const char *val = NULL;

        if (only_pos || a[0] != '-' || a[1] == '\0') {
            argv[1 + n++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            cli_usage(spec, stdout);
            return -1;
        }
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);

            o = opt_find(spec, a + 2, len, 0);
            if (eq)
                val = eq + 1;
        } else {
            o = opt_find(spec, NULL, 0, a[1]);
            if (o && a[2])
                val = a + 2;
        }
        if (!o)
            return opt_bad(spec, "unknown option '%s'", a);
        if (o->type == CLI_OPT_FLAG) {
            if (val)
                return opt_bad(spec, "option '%s' takes no value", a);
        } else if (!val) {
            if (i + 1 >= argc)
                return opt_bad(spec, "option '%s' needs a value", a);
            val = argv[++i];
        }
        if ((rc = opt_store(spec, o, val)) != 0)
            return rc;
    }
    if (n < spec->min_args)
        return opt_bad(spec, "%s", "missing argument");
    if (spec->max_args >= 0 && n > spec->max_args)
        return opt_bad(spec, "%s", "too many arguments");
    *npos = n;
    return 0;
}

void cli_error(const char *sub, int code, const char *what)
{
    const vigil_error *e = vigil_error_last();

    cli_error_text(sub, code, what, e ? e->message : NULL);
}

void cli_error_text(const char *sub, int code, const char *what, const char *msg)
{
    size_t wl = what ? strlen(what) : 0;

    /* the library's message often starts with the file it names: name it
     * once ("bad.tsv:1: ...", not "bad.tsv: bad.tsv:1: ...") */
    if (msg && msg[0] && wl && strncmp(msg, what, wl) == 0 && msg[wl] == ':')
        fprintf(stderr, "vigil %s: %s\n", sub, msg);
    else if (msg && msg[0])
        fprintf(stderr, "vigil %s: %s: %s\n", sub, what, msg);
    else
        fprintf(stderr, "vigil %s: %s: %s\n", sub, what, vigil_strerror(code));
}

void cli_errorf(const char *sub, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "vigil %s: ", sub);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

const char *cli_db_path(const char *opt)
{
    const char *env;

    if (opt)
        return opt;
    if ((env = getenv("VIGIL_DB")) != NULL && *env)
        return env;
    return CLI_DEFAULT_DB;
}

char *cli_index_cache_path(const char *db)
{
    size_t n = strlen(db) + sizeof(".pdqidx");
    char *p;

    if (strstr(db, "://"))
        return NULL;
    if ((p = malloc(n)) != NULL)
        snprintf(p, n, "%s.pdqidx", db);
    return p;
}
