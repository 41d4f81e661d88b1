/*
 * cli/main.c - entry point of the vigil command-line tool: dispatches
 * git-style subcommands from one table.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "vigil/common.h"

const cli_cmd cli_commands[] = {
    { "init",    cmd_init,    "create or upgrade a vigil database" },
    { "bank",    cmd_bank,    "manage hash banks; import and export hash lists" },
    { "match",   cmd_match,   "match files or hashes against the hash banks" },
    { "rematch", cmd_rematch, "match stored items against the banks again" },
    { "retriage", cmd_retriage, "triage stored items again (language, outlet names, indicators)" },
    { "hash",    cmd_hash,    "perceptual (PDQ) or exact hashes of image files" },
    { "incidents", cmd_incidents, "import, report and chart incidents (ACLED, UCDP GED)" },
    { "ingest",  cmd_ingest,  "ingest Telegram exports and JSON Lines feeds into the database" },
    { "langid",  cmd_langid,  "identify the language and script of each input line" },
    { "scan",    cmd_scan,    "triage texts: language, outlet watchlist hits, wallets and links" },
    { "stats",   cmd_stats,   "count stored items by source, kind, language and month" },
    { "version", cmd_version, "print the vigil version" },
    { "help",    cmd_help,    "list commands, or show one command's help" },
};
const size_t cli_ncommands = sizeof(cli_commands) / sizeof(cli_commands[0]);

static const cli_cmd *cmd_find(const char *name)
{
    size_t i;

    for (i = 0; i < cli_ncommands; i++)
        if (strcmp(cli_commands[i].name, name) == 0)
            return &cli_commands[i];
    return NULL;
}

static void print_commands(FILE *out)
{
    size_t i;

    fputs("usage: vigil [--version] [--help] COMMAND [ARGS]\n\n"
          "Find, track and measure violent-extremist propaganda.\n\n"
          "commands:\n", out);
    for (i = 0; i < cli_ncommands; i++)
        fprintf(out, "  %-10s %s\n", cli_commands[i].name,
                cli_commands[i].summary);
    fputs("\nRun 'vigil COMMAND --help' for a command's options.\n", out);
}

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("vigil %s\n", vigil_version());
    return 0;
}

int cmd_help(int argc, char **argv)
{
    const cli_cmd *c;
    char *sub[] = { NULL, "--help", NULL };

    if (argc < 2) {
        print_commands(stdout);
        return 0;
    }
    if ((c = cmd_find(argv[1])) == NULL) {
        fprintf(stderr, "vigil help: no command '%s'\n", argv[1]);
        return 2;
    }
    sub[0] = argv[1];
    return c->run(2, sub);
}

int main(int argc, char **argv)
{
    const cli_cmd *c;

    if (argc < 2) {
        print_commands(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
        return cmd_version(1, argv + 1);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(1, argv + 1);
    if ((c = cmd_find(argv[1])) == NULL) {
        fprintf(stderr, "vigil: '%s' is not a vigil command; see 'vigil help'\n",
                argv[1]);
        return 2;
    }
    return c->run(argc - 1, argv + 1);
}
