/*
 * cli/cmd_ingest.c - `vigil ingest`: read Telegram Desktop exports into the
 * database, with a progress line on a terminal and problems on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "util/progress.h"
#include "vigil/ingest.h"
#include "vigil/store.h"

#define MAX_PROBLEMS_SHOWN 50

struct ingest_ui {
    vgu_progress bar;
    unsigned long problems;
    int quiet;
};

static void on_problem(const vigil_ingest_problem *p, void *payload)
{
    struct ingest_ui *ui = payload;

    if (++ui->problems > MAX_PROBLEMS_SHOWN)
        return;
    if (ui->bar.out)
        fputs("\r\033[K", stderr);
    if (p->message_id)
        fprintf(stderr, "vigil ingest: %s: byte %llu: message %s: %s\n",
                p->path, (unsigned long long)p->offset, p->message_id, p->text);
    else
        fprintf(stderr, "vigil ingest: %s: byte %llu: %s\n", p->path,
                (unsigned long long)p->offset, p->text);
}

static void on_progress(uint64_t msgs, uint64_t done, uint64_t total,
                        void *payload)
{
    struct ingest_ui *ui = payload;

    ui->bar.total_bytes = total;
    vgu_progress_update(&ui->bar, msgs, done);
}

static void print_counts(const char *path, const vigil_run_counts *c)
{
    printf("%s: %llu messages: %llu added, %llu updated, %llu unchanged, "
           "%llu channel events; media: %llu stored, %llu skipped by the "
           "export, %llu missing, %llu refused; %llu messages refused; "
           "%llu bank matches; %llu items triaged\n",
           path, (unsigned long long)c->messages, (unsigned long long)c->added,
           (unsigned long long)c->updated, (unsigned long long)c->unchanged,
           (unsigned long long)c->events,
           (unsigned long long)c->media_present,
           (unsigned long long)c->media_skipped,
           (unsigned long long)c->media_missing,
           (unsigned long long)c->media_refused,
           (unsigned long long)c->rejected, (unsigned long long)c->matched,
           (unsigned long long)c->triaged);
}

int cmd_ingest(int argc, char **argv)
{
    const char *db = NULL, *format = "auto";
    long batch = 0;
    int no_digests = 0, quiet = 0, progress = 0, no_match = 0, no_triage = 0;
    char *ipath;
    const cli_opt opts[] = {
        { "db", 0, CLI_OPT_STRING, &db, "PATH",
          "database (default ./vigil.db, $VIGIL_DB); created when missing" },
        { "format", 'f', CLI_OPT_STRING, &format, "FMT",
          "auto (default), telegram or jsonl" },
        { "batch", 0, CLI_OPT_INT, &batch, "N",
          "messages per transaction (default 10000)" },
        { "no-digests", 0, CLI_OPT_FLAG, &no_digests, NULL,
          "do not read media files (no SHA-256/MD5)" },
        { "no-match", 0, CLI_OPT_FLAG, &no_match, NULL,
          "do not match new items against hash banks" },
        { "no-triage", 0, CLI_OPT_FLAG, &no_triage, NULL,
          "no language, watchlist and indicator triage of new items" },
        { "progress", 0, CLI_OPT_FLAG, &progress, NULL,
          "draw progress even when stderr is not a terminal" },
        { "quiet", 'q', CLI_OPT_FLAG, &quiet, NULL,
          "no summary line per export" },
        { NULL, 0, 0, NULL, NULL, NULL }
    };
    const cli_spec spec = {
        "ingest", "[--db PATH] [--format auto|telegram|jsonl] PATH...",
        "Ingest collected material. PATH is a Telegram Desktop export (a folder\n"
        "holding result.json, or the file; single chat or full account), a\n"
        "vigil.feed/1 JSON Lines feed (*.jsonl, posts from any platform), or a\n"
        "folder of such feeds. Re-running adds nothing already stored and keeps\n"
        "the latest edit of each message.\n"
        "Exit status: 0 all read; 1 some messages or media were refused or\n"
        "missing (the rest is stored), or an export could not be read; 2 usage.",
        opts, 1, -1
    };
    vigil_ingest_options io = VIGIL_INGEST_OPTIONS_INIT;
    struct ingest_ui ui = { 0 };
    vigil_ingest_format fmt;
    vigil_store *st;
    char **pos;
    int npos, i, rc, status = 0;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (strcmp(format, "auto") == 0)
        fmt = VIGIL_INGEST_AUTO;
    else if (strcmp(format, "telegram") == 0)
        fmt = VIGIL_INGEST_TELEGRAM;
    else if (strcmp(format, "jsonl") == 0)
        fmt = VIGIL_INGEST_JSONL;
    else {
        cli_errorf("ingest", "unknown format '%s' (auto, telegram or jsonl)",
                   format);
        return 2;
    }
    if (batch < 0 || batch > 10000000) {
        cli_errorf("ingest", "--batch must be 1..10000000");
        return 2;
    }
    db = cli_db_path(db);
    if ((rc = vigil_store_open(&st, db, VIGIL_STORE_OPEN_CREATE)) < 0) {
        cli_error("ingest", rc, db);
        return 1;
    }
    ipath = cli_index_cache_path(db);
    io.batch_size = (size_t)batch;
    io.skip_match = no_match;
    io.skip_triage = no_triage;
    io.match_index = ipath;
    io.skip_media_digests = no_digests;
    io.problem = on_problem;
    io.progress = on_progress;
    io.payload = &ui;
    for (i = 0; i < npos; i++) {
        vigil_run_counts c;

        ui.problems = 0;
        vgu_progress_start(&ui.bar, "ingest", "msgs", 0, progress);
        rc = vigil_ingest_path(st, pos[i], fmt, &io, &c);
        vgu_progress_finish(&ui.bar, c.messages, 0);
        if (ui.problems > MAX_PROBLEMS_SHOWN)
            fprintf(stderr, "vigil ingest: ... and %lu more problems\n",
                    ui.problems - MAX_PROBLEMS_SHOWN);
        if (!quiet && (rc == 0 || c.messages))
            print_counts(pos[i], &c);
        if (rc < 0) {
            cli_error("ingest", rc, pos[i]);
            status = 1;
        }
    }
    vigil_store_close(st);
    free(ipath);
    return status;
}
