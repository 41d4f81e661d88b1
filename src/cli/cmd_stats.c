/*
 * cli/cmd_stats.c - `vigil stats`: counts of stored items by source, kind,
 * language and month, as a table, JSON or CSV.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "util/buf.h"
#include "util/json_out.h"
#include "vigil/store.h"

static void json_group(vgu_buf *b, const char *name, const vigil_counts *c)
{
    size_t i;

    vgu_buf_printf(b, ",\"%s\":{", name);
    for (i = 0; i < c->n; i++) {
        if (i)
            vgu_buf_putc(b, ',');
        vgu_json_cstr(b, c->v[i].key);
        vgu_buf_printf(b, ":%lld", (long long)c->v[i].count);
    }
    vgu_buf_putc(b, '}');
}

static void print_json(const vigil_stats *s)
{
    vgu_buf b = VGU_BUF_INIT;

    vgu_buf_printf(&b, "{\"items\":%lld", (long long)s->items);
    json_group(&b, "by_kind", &s->by_kind);
    json_group(&b, "by_source", &s->by_source);
    json_group(&b, "by_month", &s->by_month);
    json_group(&b, "by_lang", &s->by_lang);
    json_group(&b, "by_outlet", &s->by_outlet);
    json_group(&b, "by_indicator", &s->by_indicator);
    vgu_buf_printf(&b, ",\"sources\":%lld,\"events\":%lld}\n",
                   (long long)s->sources, (long long)s->events);
    fputs(b.ptr, stdout);
    vgu_buf_dispose(&b);
}

static void csv_group(vgu_buf *b, const char *name, const vigil_counts *c)
{
    size_t i;

    for (i = 0; i < c->n; i++) {
        vgu_buf_printf(b, "%s,", name);
        vgu_csv_field(b, c->v[i].key);
        vgu_buf_printf(b, ",%lld\n", (long long)c->v[i].count);
    }
}

static void print_csv(const vigil_stats *s)
{
    vgu_buf b = VGU_BUF_INIT;

    vgu_buf_printf(&b, "group,key,count\ntotal,items,%lld\n",
                   (long long)s->items);
    csv_group(&b, "kind", &s->by_kind);
    csv_group(&b, "source", &s->by_source);
    csv_group(&b, "month", &s->by_month);
    csv_group(&b, "lang", &s->by_lang);
    csv_group(&b, "outlet", &s->by_outlet);
    csv_group(&b, "indicator", &s->by_indicator);
    if (b.ptr)
        fputs(b.ptr, stdout);
    vgu_buf_dispose(&b);
}

static void table_group(const char *title, const vigil_counts *c,
                        int64_t total)
{
    size_t i, w = 8;

    printf("\n%s\n", title);
    for (i = 0; i < c->n; i++)
        if (strlen(c->v[i].key) > w)
            w = strlen(c->v[i].key);
    if (w > 60)
        w = 60;
    for (i = 0; i < c->n; i++)
        printf("  %-*.*s %8lld  %5.1f%%\n", (int)w, (int)w, c->v[i].key,
               (long long)c->v[i].count,
               total ? 100.0 * (double)c->v[i].count / (double)total : 0.0);
}

static void print_table(const vigil_stats *s)
{
    printf("%lld items from %lld sources (%lld channel events)\n",
           (long long)s->items, (long long)s->sources, (long long)s->events);
    table_group("by source:", &s->by_source, s->items);
    table_group("by kind:", &s->by_kind, s->items);
    table_group("by language:", &s->by_lang, s->items);
    table_group("by month (UTC):", &s->by_month, s->items);
    if (s->by_outlet.n)
        table_group("items naming an outlet:", &s->by_outlet, s->items);
    if (s->by_indicator.n)
        table_group("items holding an indicator (checksum not failed):",
                    &s->by_indicator, s->items);
}

int cmd_stats(int argc, char **argv)
{
    const char *db = NULL, *format = "table";
    const cli_opt opts[] = {
        { "db", 0, CLI_OPT_STRING, &db, "PATH",
          "database (default ./vigil.db, $VIGIL_DB)" },
        { "format", 'f', CLI_OPT_STRING, &format, "FMT",
          "table (default), json or csv" },
        { NULL, 0, 0, NULL, NULL, NULL }
    };
    const cli_spec spec = {
        "stats", "[--db PATH] [--format table|json|csv]",
        "Count stored items by source, kind, language and month.\n"
        "json: {\"items\":N,\"by_kind\":{..},\"by_source\":{..},"
        "\"by_month\":{..},\"by_lang\":{..},...}",
        opts, 0, 0
    };
    vigil_store *st;
    vigil_stats *s;
    char **pos;
    int npos, rc;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (strcmp(format, "table") && strcmp(format, "json") &&
        strcmp(format, "csv")) {
        cli_errorf("stats", "unknown format '%s' (table, json or csv)", format);
        return 2;
    }
    db = cli_db_path(db);
    if ((rc = vigil_store_open(&st, db, VIGIL_STORE_OPEN_READONLY)) < 0) {
        cli_error("stats", rc, db);
        return 1;
    }
    if ((rc = vigil_store_stats(&s, st)) < 0) {
        cli_error("stats", rc, db);
        vigil_store_close(st);
        return 1;
    }
    if (strcmp(format, "json") == 0)
        print_json(s);
    else if (strcmp(format, "csv") == 0)
        print_csv(s);
    else
        print_table(s);
    vigil_stats_free(s);
    vigil_store_close(st);
    return 0;
}
