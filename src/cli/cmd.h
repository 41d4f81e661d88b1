/*
 * cli/cmd.h - the subcommand table, table-driven option parsing and the
 * small helpers every cmd_<sub>.c shares. The CLI uses only the public
 * headers in include/vigil and src/util.
 */
#ifndef VIGIL_CLI_CMD_H
#define VIGIL_CLI_CMD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;                /* shown by `vigil help` */
} cli_cmd;

typedef enum {
    CLI_OPT_FLAG,       /* int *, set to 1 */
    CLI_OPT_STRING,     /* const char **, last one wins */
    CLI_OPT_INT,        /* long *, decimal, range-checked by the command */
    CLI_OPT_LIST        /* cli_strlist *, every occurrence appended */
} cli_opt_type;

typedef struct {
    const char **v;
    int n;
} cli_strlist;

typedef struct {
    const char *long_name;  /* without the leading "--" */
    char short_name;        /* 0 when none */
    cli_opt_type type;
    void *value;
    const char *arg_name;   /* e.g. "PATH"; NULL for flags */
    const char *help;
} cli_opt;

typedef struct {
    const char *name;       /* "ingest" */
    const char *usage;      /* "[--db PATH] PATH..." */
    const char *summary;    /* one paragraph shown by --help */
    const cli_opt *opts;    /* terminated by an entry with long_name NULL */
    int min_args, max_args; /* positional bounds; max -1 = unbounded */
} cli_spec;

/**
 * Parse argv (argv[0] is the subcommand name) against @p spec. Positional
 * arguments are gathered into *pos / *npos (pointers into argv).
 * Returns 0 to go on, -1 when --help was printed (exit 0), or 2 after
 * printing a usage error.
 */
int cli_parse(const cli_spec *spec, int argc, char **argv,
              char ***pos, int *npos);
void cli_usage(const cli_spec *spec, FILE *out);

/** Print "vigil <sub>: <message>" with the library's last error. */
void cli_error(const char *sub, int code, const char *what);
/** The same with the message @p msg kept from another thread (NULL or ""
 *  for none: the error code's text). */
void cli_error_text(const char *sub, int code, const char *what, const char *msg);

struct vigil_triage;
/** A triage handle with the bundled outlets and/or the terms of
 *  @p wl_path (--watchlist, --only-watchlist); 0, or 1 after an error
 *  naming "--watchlist" or "setting up triage" was printed for @p sub. */
int cli_triage_open(const char *sub, const char *wl_path, int only,
                    struct vigil_triage **out);
void cli_errorf(const char *sub, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** Default database path when --db is not given. */
#define CLI_DEFAULT_DB "vigil.db"
const char *cli_db_path(const char *opt);   /* --db, $VIGIL_DB, default */
/** "<db>.pdqidx" for a file database, NULL for a server URI; malloc'd. */
char *cli_index_cache_path(const char *db);

extern const cli_cmd cli_commands[];
extern const size_t cli_ncommands;

int cmd_init(int argc, char **argv);
int cmd_hash(int argc, char **argv);
int cmd_bank(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_rematch(int argc, char **argv);
int cmd_retriage(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_langid(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_incidents(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);

#endif
