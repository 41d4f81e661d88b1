/*
 * cli/cmd_retriage.c - `vigil retriage`: text triage of the stored items
 * again (language label, outlet-watchlist hits, indicators), e.g. after
 * the watchlist gained terms; what triage stored before is replaced.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cmd.h"
#include "util/progress.h"
#include "vigil/store.h"
#include "vigil/text.h"

static void on_progress(uint64_t done, uint64_t total, void *payload)
{
    vgu_progress *bar = payload;

    bar->total_bytes = total;
    vgu_progress_update(bar, done, done);
}

int cmd_retriage(int argc, char **argv)
{
    const char *db_opt = NULL, *wl_path = NULL;
    int only = 0, progress = 0;
    long since = 0;
    const cli_opt opts[] = {
        { "db", 0, CLI_OPT_STRING, &db_opt, "PATH",
          "database (default ./vigil.db, $VIGIL_DB)" },
        { "watchlist", 'w', CLI_OPT_STRING, &wl_path, "TSV",
          "extra watchlist terms (format: data/watchlist/README.md)" },
        { "only-watchlist", 0, CLI_OPT_FLAG, &only, NULL,
          "use only --watchlist, not the bundled outlet list" },
        { "since-item", 0, CLI_OPT_INT, &since, "ID",
          "only items with this row id or later" },
        { "progress", 0, CLI_OPT_FLAG, &progress, NULL,
          "draw progress even when stderr is not a terminal" },
        { NULL, 0, 0, NULL, NULL, NULL }
    };
    const cli_spec spec = {
        "retriage",
        "[--db PATH] [--watchlist TSV [--only-watchlist]] [--since-item ID] [--progress]",
        "Triage every stored item with text again, as `vigil ingest` does for\n"
        "new items: its language label, outlet-watchlist hits and indicators\n"
        "replace what triage stored before (after the watchlist gained terms,\n"
        "or vigil was upgraded). Exit 0 ok, 1 error, 2 usage.",
        opts, 0, 0
    };
    vigil_triage *t;
    vigil_store *st;
    vgu_progress bar;
    const char *db;
    uint64_t n = 0;
    char **pos;
    int npos, rc;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (only && !wl_path) {
        cli_errorf("retriage", "--only-watchlist needs --watchlist TSV");
        return 2;
    }
    if (since < 0) {
        cli_errorf("retriage", "--since-item must be 0 or more");
        return 2;
    }
    if (cli_triage_open("retriage", wl_path, only, &t) != 0)
        return 1;
    db = cli_db_path(db_opt);
    if ((rc = vigil_store_open(&st, db, 0)) < 0) {
        cli_error("retriage", rc, db);
        vigil_triage_free(t);
        return 1;
    }
    vgu_progress_start(&bar, "retriage", "items", 0, progress);
    rc = vigil_triage_store_items_progress(t, st, since, on_progress, &bar, &n);
    vgu_progress_finish(&bar, n, n);
    if (rc < 0)
        cli_error("retriage", rc, db);
    else
        printf("%llu items triaged\n", (unsigned long long)n);
    vigil_store_close(st);
    vigil_triage_free(t);
    return rc < 0 ? 1 : 0;
}
