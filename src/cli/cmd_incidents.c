/*
 * cli/cmd_incidents.c - `vigil incidents import|report|export`: load ACLED,
 * UCDP GED and vigil CSV files into the incident table, print grouped
 * counts (table, CSV, JSON) or SVG charts, and export incidents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "util/buf.h"
#include "util/json_out.h"
#include "vigil/incidents.h"

#define SUB "incidents"
#define MAX_REJECT_LINES 1000
#define CLI_LIST_DEFAULT 1000   /* incidents listed at most, unless --limit */

/* ---- import ------------------------------------------------------------- */

typedef struct {
    unsigned long shown, total;
} reject_log;

static void on_reject(void *payload, const char *path, unsigned long line,
                      const char *reason)
{
    reject_log *log = payload;

    log->total++;
    if (log->shown < MAX_REJECT_LINES) {
        log->shown++;
        fprintf(stderr, "vigil %s: %s:%lu: row rejected: %s\n", SUB, path,
                line, reason);
    }
}

static int import_one(vigil_store *st, const char *path,
                      vigil_incident_format fmt)
{
    vigil_incident_import_stats s;
    reject_log log = { 0, 0 };
    int rc;

    rc = vigil_incidents_import(st, path, fmt, &s, on_reject, &log);
    if (log.total > log.shown)
        fprintf(stderr, "vigil %s: %s: %lu more rejected rows not shown\n",
                SUB, path, log.total - log.shown);
    if (rc < 0) {
        cli_error(SUB, rc, "import failed");
        if (s.added || s.updated)
            fprintf(stderr, "vigil %s: %s: the %llu rows stored before the "
                    "error were kept\n", SUB, path,
                    (unsigned long long)(s.added + s.updated));
        return 1;
    }
    printf("%s: %s, %llu rows: %llu added, %llu updated, %llu unchanged, "
           "%llu rejected", path, vigil_incident_format_name(s.format),
           (unsigned long long)s.rows, (unsigned long long)s.added,
           (unsigned long long)s.updated, (unsigned long long)s.unchanged,
           (unsigned long long)s.rejected);
    if (s.hxl_rows)
        printf(" (%llu hashtag row skipped)", (unsigned long long)s.hxl_rows);
    putchar('\n');
    return s.rejected ? 3 : 0;
}

static int incidents_import(int argc, char **argv)
{
    const char *db = NULL, *format = "auto";
    const cli_opt opts[] = {
        { "db", 0, CLI_OPT_STRING, &db, "PATH",
          "database (default ./vigil.db, $VIGIL_DB)" },
        { "format", 'f', CLI_OPT_STRING, &format, "FMT",
          "acled, ucdp-ged or vigil (default: detect from the header)" },
        { NULL, 0, 0, NULL, NULL, NULL }
    };
    const cli_spec spec = {
        "incidents import", "[--db PATH] [--format acled|ucdp-ged|vigil] "
        "FILE...",
        "Import ACLED, UCDP GED or vigil CSV files into the incident table.\n"
        "Re-importing is idempotent on (dataset, source id); a newer "
        "timestamp updates the row.\nBad rows are reported as FILE:LINE: "
        "reason and skipped.\nExit status: 0 all rows stored, 3 some rows "
        "rejected, 1 a file could not be read, 2 usage.",
        opts, 1, -1
    };
    vigil_incident_format fmt;
    vigil_store *st;
    char **pos;
    int npos, rc, i, status = 0;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    if (vigil_incident_format_parse(&fmt, format) < 0) {
        cli_error(SUB, 2, "--format");
        return 2;
    }
    db = cli_db_path(db);
    if ((rc = vigil_store_open(&st, db, VIGIL_STORE_OPEN_CREATE)) < 0) {
        cli_error(SUB, rc, db);
        return 1;
    }
    for (i = 0; i < npos; i++) {
        int r = import_one(st, pos[i], fmt);

        if (r == 1 || (r == 3 && status == 0))
            status = r;
    }
    vigil_store_close(st);
    return status;
}

/* ---- shared query options ------------------------------------------------ */

typedef struct {
    const char *db, *by, *actor, *type, *from, *to, *dataset, *country;
    const char *format;
    const char *chart, *output;
    cli_strlist aliases;
    int raw, list, breakdown;
    long limit;
} query_opts;

static int load_aliases(vigil_aliases **out, const query_opts *o)
{
    int i, rc;

    *out = NULL;
    if (o->raw)
        return 0;
    if (vigil_aliases_new(out) < 0)
        return 1;
    rc = vigil_aliases_load_default(*out);
    if (rc < 0 && rc != VIGIL_ENOTFOUND) {
        cli_error(SUB, rc, "alias table");
        return 1;
    }
    for (i = 0; i < o->aliases.n; i++)
        if ((rc = vigil_aliases_load(*out, o->aliases.v[i])) < 0) {
            cli_error(SUB, rc, "alias table");
            return 1;
        }
    return 0;
}

static void fill_query(vigil_incident_query *q, const query_opts *o,
                       const vigil_aliases *a)
{
    memset(q, 0, sizeof(*q));
    q->actor = o->actor;
    q->type = o->type;
    q->from = o->from;
    q->to = o->to;
    q->dataset = o->dataset;
    q->country = o->country;
    q->aliases = a;
}

static FILE *open_output(const char *path)
{
    FILE *f;

    if (!path || strcmp(path, "-") == 0)
        return stdout;
    if ((f = fopen(path, "wb")) == NULL)
        cli_errorf(SUB, "%s: cannot write", path);
    return f;
}

/* ---- report output --------------------------------------------------------- */

static const char *prec_name(int p)
{
    return p == 1 ? "day" : p == 2 ? "week" : p == 3 ? "month" : "?";
}

static void print_list_row(const vigil_incident_brief *b)
{
    char fat[24], place[256], actors[128];

    if (b->fatalities == VIGIL_NO_VALUE)
        snprintf(fat, sizeof(fat), "-");
    else
        snprintf(fat, sizeof(fat), "%lld", (long long)b->fatalities);
    snprintf(place, sizeof(place), "%s%s%s%s%s",
             b->country ? b->country : "?",
             b->admin1 ? " / " : "", b->admin1 ? b->admin1 : "",
             b->location ? " / " : "", b->location ? b->location : "");
    snprintf(actors, sizeof(actors), "%s%s%s", b->actor1 ? b->actor1 : "-",
             b->actor2 ? " vs " : "", b->actor2 ? b->actor2 : "");
    printf("    %s %-5s %-10s %-17s %-10s %-32.32s %5s  %s\n", b->event_date,
           prec_name(b->time_precision), b->source_id,
           vigil_incident_kind_name(b->kind),
           vigil_attribution_name(b->attribution), actors, fat, place);
}

static void print_table(const vigil_incident_report *r, int list)
{
    size_t i, j = 0;
    int a;

    printf("%-24s %7s %16s %9s", "key", "events", "fatalities", "unstated");
    for (a = 0; a < VIGIL_ATTR__COUNT; a++)
        printf(" %11s", vigil_attribution_name((vigil_attribution)a));
    putchar('\n');
    for (i = 0; i <= r->n_rows; i++) {
        const vigil_incident_row *w = i < r->n_rows ? &r->rows[i] : &r->total;
        char fat[64];

        if (w->has_range)
            snprintf(fat, sizeof(fat), "%lld (%lld-%lld)",
                     (long long)w->fatalities, (long long)w->fatalities_low,
                     (long long)w->fatalities_high);
        else
            snprintf(fat, sizeof(fat), "%lld", (long long)w->fatalities);
        printf("%-24.24s %7lld %16s %9lld", i < r->n_rows
               ? (w->key ? w->key : "(not stated)") : "TOTAL",
               (long long)w->events, fat, (long long)w->fatalities_unstated);
        for (a = 0; a < VIGIL_ATTR__COUNT; a++)
            printf(" %11lld", (long long)w->by_attribution[a]);
        putchar('\n');
        for (; list && i < r->n_rows && j < r->n_list && r->list[j].row == i;
             j++)
            print_list_row(&r->list[j]);
    }
}

static void csv_out(const vigil_incident_report *r, int breakdown)
{
    vgu_buf b = VGU_BUF_INIT;
    size_t i;
    int a, range = r->total.has_range;

    vgu_buf_puts(&b, "key,events,fatalities");
    if (range)
        vgu_buf_puts(&b, ",fatalities_low,fatalities_high");
    if (breakdown) {
        vgu_buf_puts(&b, ",fatalities_unstated");
        for (a = 0; a < VIGIL_ATTR__COUNT; a++)
            vgu_buf_printf(&b, ",%s", vigil_attribution_name(a));
        for (a = 0; a < VIGIL_INCIDENT__KINDS; a++)
            vgu_buf_printf(&b, ",%s", vigil_incident_kind_name(a));
    }
    vgu_buf_putc(&b, '\n');
    for (i = 0; i < r->n_rows; i++) {
        const vigil_incident_row *w = &r->rows[i];

        vgu_csv_field(&b, w->key ? w->key : "");
        vgu_buf_printf(&b, ",%lld,%lld", (long long)w->events,
                       (long long)w->fatalities);
        if (range)
            vgu_buf_printf(&b, ",%lld,%lld", (long long)w->fatalities_low,
                           (long long)w->fatalities_high);
        if (breakdown) {
            vgu_buf_printf(&b, ",%lld", (long long)w->fatalities_unstated);
            for (a = 0; a < VIGIL_ATTR__COUNT; a++)
                vgu_buf_printf(&b, ",%lld", (long long)w->by_attribution[a]);
            for (a = 0; a < VIGIL_INCIDENT__KINDS; a++)
                vgu_buf_printf(&b, ",%lld", (long long)w->by_kind[a]);
        }
        vgu_buf_putc(&b, '\n');
    }
    fwrite(b.ptr, 1, b.len, stdout);
    vgu_buf_dispose(&b);
}

static void json_row(vgu_buf *b, const vigil_incident_row *w)
{
    int a;

    vgu_buf_puts(b, "{\"key\":");
    vgu_json_cstr(b, w->key);
    vgu_buf_printf(b, ",\"events\":%lld,\"fatalities\":%lld",
                   (long long)w->events, (long long)w->fatalities);
    if (w->has_range)
        vgu_buf_printf(b, ",\"fatalities_low\":%lld,\"fatalities_high\":%lld",
                       (long long)w->fatalities_low,
                       (long long)w->fatalities_high);
    vgu_buf_printf(b, ",\"fatalities_unstated\":%lld,\"attribution\":{",
                   (long long)w->fatalities_unstated);
    for (a = 0; a < VIGIL_ATTR__COUNT; a++)
        vgu_buf_printf(b, "%s\"%s\":%lld", a ? "," : "",
                       vigil_attribution_name(a),
                       (long long)w->by_attribution[a]);
    vgu_buf_puts(b, "},\"kind\":{");
    for (a = 0; a < VIGIL_INCIDENT__KINDS; a++)
        vgu_buf_printf(b, "%s\"%s\":%lld", a ? "," : "",
                       vigil_incident_kind_name(a), (long long)w->by_kind[a]);
    vgu_buf_puts(b, "}}");
}

static void json_brief(vgu_buf *b, const vigil_incident_report *r,
                       const vigil_incident_brief *x)
{
    vgu_buf_puts(b, "{\"group\":");
    vgu_json_cstr(b, r->rows[x->row].key);
    vgu_buf_puts(b, ",\"dataset\":");
    vgu_json_cstr(b, x->dataset);
    vgu_buf_puts(b, ",\"source_id\":");
    vgu_json_cstr(b, x->source_id);
    vgu_buf_puts(b, ",\"event_date\":");
    vgu_json_cstr(b, x->event_date);
    vgu_buf_printf(b, ",\"time_precision\":%d,\"kind\":\"%s\","
                   "\"attribution\":\"%s\",\"event_type\":",
                   x->time_precision, vigil_incident_kind_name(x->kind),
                   vigil_attribution_name(x->attribution));
    vgu_json_cstr(b, x->event_type);
    vgu_buf_puts(b, ",\"actor1\":");
    vgu_json_cstr(b, x->actor1);
    vgu_buf_puts(b, ",\"country\":");
    vgu_json_cstr(b, x->country);
    vgu_buf_puts(b, ",\"admin1\":");
    vgu_json_cstr(b, x->admin1);
    if (x->fatalities == VIGIL_NO_VALUE)
        vgu_buf_puts(b, ",\"fatalities\":null}");
    else
        vgu_buf_printf(b, ",\"fatalities\":%lld}", (long long)x->fatalities);
}

static void json_out(const vigil_incident_report *r, const char *by)
{
    vgu_buf b = VGU_BUF_INIT;
    size_t i;

    vgu_buf_printf(&b, "{\"by\":\"%s\",\"rows\":[", by);
    for (i = 0; i < r->n_rows; i++) {
        if (i)
            vgu_buf_putc(&b, ',');
        json_row(&b, &r->rows[i]);
    }
    vgu_buf_puts(&b, "],\"total\":");
    json_row(&b, &r->total);
    if (r->list) {
        vgu_buf_puts(&b, ",\"incidents\":[");
        for (i = 0; i < r->n_list; i++) {
            if (i)
                vgu_buf_putc(&b, ',');
            json_brief(&b, r, &r->list[i]);
        }
        vgu_buf_putc(&b, ']');
    }
    vgu_buf_puts(&b, "}\n");
    fwrite(b.ptr, 1, b.len, stdout);
    vgu_buf_dispose(&b);
}

static int report_svg(vigil_store *st, const vigil_incident_query *q,
                      const query_opts *o)
{
    vigil_incident_chart chart = VIGIL_CHART_AUTO;
    char *svg = NULL;
    FILE *f;
    int rc;

    if (o->chart && vigil_incident_chart_parse(&chart, o->chart) < 0) {
        cli_error(SUB, 2, "--chart");
        return 2;
    }
    if ((rc = vigil_incidents_chart_svg(&svg, st, q, chart)) < 0) {
        cli_error(SUB, rc, "chart");
        return 1;
    }
    if ((f = open_output(o->output)) == NULL) {
        vigil_incidents_free(svg);
        return 1;
    }
    fputs(svg, f);
    vigil_incidents_free(svg);
    if (f != stdout && fclose(f) != 0) {
        cli_errorf(SUB, "%s: write failed", o->output);
        return 1;
    }
    return 0;
}

static int report_run(vigil_store *st, const query_opts *o,
                      const vigil_aliases *a)
{
    vigil_incident_query q;
    vigil_incident_report *r;
    int rc;

    fill_query(&q, o, a);
    if (vigil_incident_group_parse(&q.by, o->by) < 0) {
        cli_error(SUB, 2, "--by");
        return 2;
    }
    if (strcmp(o->format, "svg") == 0)
        return report_svg(st, &q, o);
    if (o->list || (o->actor && strcmp(o->format, "table") == 0))
        q.list = o->limit > 0 ? (size_t)o->limit : CLI_LIST_DEFAULT;
    if ((rc = vigil_incidents_report(&r, st, &q)) < 0) {
        cli_error(SUB, rc, "report");
        return rc == VIGIL_EINVAL ? 2 : 1;
    }
    if (strcmp(o->format, "csv") == 0)
        csv_out(r, o->breakdown);
    else if (strcmp(o->format, "json") == 0)
        json_out(r, o->by);
    else
        print_table(r, q.list != 0);
    if (r->list_dropped)
        fprintf(stderr, "vigil %s: %lld incidents match: more than --limit "
                "%zu, so none are listed\n", SUB,
                (long long)r->total.events, q.list);
    vigil_incident_report_free(r);
    return 0;
}

#define QUERY_OPTS(o) \
    { "db", 0, CLI_OPT_STRING, &(o).db, "PATH", \
      "database (default ./vigil.db, $VIGIL_DB)" }, \
    { "actor", 'a', CLI_OPT_STRING, &(o).actor, "KEY[,KEY]", \
      "only incidents whose actors resolve to KEY (e.g. iskp)" }, \
    { "type", 't', CLI_OPT_STRING, &(o).type, "TYPE[,TYPE]", \
      "kind (attack, counter-operation, foiled-plot, arrest), event type, " \
      "sub-type or raw type" }, \
    { "from", 0, CLI_OPT_STRING, &(o).from, "DATE", \
      "first day, YYYY[-MM[-DD]] (inclusive)" }, \
    { "to", 0, CLI_OPT_STRING, &(o).to, "DATE", \
      "last day, YYYY[-MM[-DD]] (inclusive)" }, \
    { "dataset", 0, CLI_OPT_STRING, &(o).dataset, "NAME", \
      "only acled, ucdp-ged, vigil, ..." }, \
    { "country", 'c', CLI_OPT_STRING, &(o).country, "NAME[,NAME]", \
      "only incidents in these countries" }, \
    { "aliases", 0, CLI_OPT_LIST, &(o).aliases, "FILE", \
      "extra alias table (TSV), after the bundled one; repeatable" }, \
    { "raw", 0, CLI_OPT_FLAG, &(o).raw, NULL, \
      "no alias resolution: group on the values as imported" }, \
    { "output", 'o', CLI_OPT_STRING, &(o).output, "FILE", \
      "write to FILE instead of stdout" }

static int with_store(const query_opts *o, int (*fn)(vigil_store *,
                      const query_opts *, const vigil_aliases *))
{
    vigil_aliases *a = NULL;
    vigil_store *st;
    const char *db = cli_db_path(o->db);
    int rc;

    if (load_aliases(&a, o) != 0) {
        vigil_aliases_free(a);
        return 1;
    }
    if ((rc = vigil_store_open(&st, db, VIGIL_STORE_OPEN_READONLY)) < 0) {
        cli_error(SUB, rc, db);
        vigil_aliases_free(a);
        return 1;
    }
    rc = fn(st, o, a);
    vigil_store_close(st);
    vigil_aliases_free(a);
    return rc;
}

static int incidents_report(int argc, char **argv)
{
    query_opts o;
    char **pos;
    int npos, rc;

    memset(&o, 0, sizeof(o));
    o.format = "table";
    {
        const cli_opt opts[] = {
            QUERY_OPTS(o),
            { "by", 'b', CLI_OPT_STRING, &o.by, "GROUP",
              "year, month, month-of-year, country, admin1, event-type, "
              "actor, attribution or kind" },
            { "format", 'f', CLI_OPT_STRING, &o.format, "FMT",
              "table (default), csv, json or svg" },
            { "chart", 0, CLI_OPT_STRING, &o.chart, "NAME",
              "svg chart: events, fatalities, attacks-vs-ops, seasonality, "
              "overlay (default: chosen from --by)" },
            { "list", 'l', CLI_OPT_FLAG, &o.list, NULL,
              "list the incidents under each group (default with --actor)" },
            { "limit", 0, CLI_OPT_INT, &o.limit, "N",
              "list incidents only when at most N match (default 1000)" },
            { "breakdown", 0, CLI_OPT_FLAG, &o.breakdown, NULL,
              "csv: add attribution and kind columns" },
            { NULL, 0, 0, NULL, NULL, NULL }
        };
        const cli_spec spec = {
            "incidents report", "[--db PATH] --by GROUP [--actor KEY] "
            "[--type TYPE] [--from DATE] [--to DATE] "
            "[--format table|csv|json|svg]",
            "Count incidents and fatalities per group. Actor and place "
            "names are resolved\nthrough the alias table "
            "(data/incidents/aliases.tsv) unless --raw.\ncsv header: "
            "key,events,fatalities (+ fatalities_low,fatalities_high when "
            "a source gives them).",
            opts, 0, 0
        };

        if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
            return rc < 0 ? 0 : rc;
    }
    if (!o.by) {
        cli_errorf(SUB, "report needs --by (year, month, month-of-year, "
                   "country, admin1, event-type, actor, attribution, kind)");
        return 2;
    }
    if (strcmp(o.format, "table") && strcmp(o.format, "csv") &&
        strcmp(o.format, "json") && strcmp(o.format, "svg")) {
        cli_errorf(SUB, "unknown format '%s' (table, csv, json or svg)",
                   o.format);
        return 2;
    }
    rc = with_store(&o, report_run);
    free(o.aliases.v);
    return rc;
}

/* ---- export ------------------------------------------------------------------ */

static int write_file(void *payload, const char *data, size_t len)
{
    return fwrite(data, 1, len, payload) == len ? 0 : -1;
}

static int export_run(vigil_store *st, const query_opts *o,
                      const vigil_aliases *a)
{
    vigil_incident_export_format fmt;
    vigil_incident_query q;
    FILE *f;
    int rc;

    if (strcmp(o->format, "acled") == 0)
        fmt = VIGIL_EXPORT_ACLED;
    else if (strcmp(o->format, "geojson") == 0)
        fmt = VIGIL_EXPORT_GEOJSON;
    else if (strcmp(o->format, "csv") == 0 || strcmp(o->format, "vigil") == 0)
        fmt = VIGIL_EXPORT_CSV;
    else {
        cli_errorf(SUB, "unknown export format '%s' (acled, geojson or csv)",
                   o->format);
        return 2;
    }
    fill_query(&q, o, a);
    if ((f = open_output(o->output)) == NULL)
        return 1;
    rc = vigil_incidents_export(st, fmt, &q, write_file, f);
    if (f != stdout && fclose(f) != 0 && rc == 0)
        rc = VIGIL_EIO;
    if (rc < 0) {
        cli_error(SUB, rc, "export");
        return rc == VIGIL_EINVAL ? 2 : 1;
    }
    return 0;
}

static int incidents_export(int argc, char **argv)
{
    query_opts o;
    char **pos;
    int npos, rc;

    memset(&o, 0, sizeof(o));
    o.format = "csv";
    {
        const cli_opt opts[] = {
            QUERY_OPTS(o),
            { "format", 'f', CLI_OPT_STRING, &o.format, "FMT",
              "csv (vigil CSV, default), acled or geojson" },
            { NULL, 0, 0, NULL, NULL, NULL }
        };
        const cli_spec spec = {
            "incidents export", "[--db PATH] [--format acled|geojson|csv] "
            "[--actor KEY] [--type TYPE] [--from DATE] [--to DATE]",
            "Write stored incidents, ordered by date, as vigil CSV "
            "(re-importable with\n--format vigil), ACLED's current columns, "
            "or a GeoJSON FeatureCollection.",
            opts, 0, 0
        };

        if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
            return rc < 0 ? 0 : rc;
    }
    rc = with_store(&o, export_run);
    free(o.aliases.v);
    return rc;
}

/* ---- dispatch ------------------------------------------------------------- */

int cmd_incidents(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
        const char *summary;
    } subs[] = {
        { "import", incidents_import, "load ACLED, UCDP GED or vigil CSV files" },
        { "report", incidents_report, "counts, fatalities and SVG charts by group" },
        { "export", incidents_export, "write incidents as CSV, ACLED or GeoJSON" },
    };
    size_t i;

    if (argc >= 2)
        for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
            if (strcmp(argv[1], subs[i].name) == 0)
                return subs[i].run(argc - 1, argv + 1);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        FILE *out = argc < 2 ? stderr : stdout;

        fputs("usage: vigil incidents COMMAND [ARGS]\n\n"
              "The incident database: attacks, foiled plots, arrests and "
              "counter-operations.\n\ncommands:\n", out);
        for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
            fprintf(out, "  %-8s %s\n", subs[i].name, subs[i].summary);
        fputs("\nRun 'vigil incidents COMMAND --help' for its options.\n", out);
        return argc < 2 ? 2 : 0;
    }
    cli_errorf(SUB, "'%s' is not an incidents command (import, report, "
               "export)", argv[1]);
    return 2;
}
