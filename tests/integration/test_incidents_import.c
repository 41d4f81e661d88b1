/*
 * tests/integration/test_incidents_import.c - the incident database end to
 * end on temporary SQLite files: ACLED (both column generations, every
 * date form), UCDP GED with its hashtag row, bad rows, idempotence, newer
 * timestamps, alias resolution, exports that re-import to the same counts,
 * the bundled seed incidents, charts. Expected counts come from the
 * fixtures' own facts or from sums the test computes while writing a
 * generated file, never from the code under test.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "test.h"
#include "vigil/incidents.h"

static const char *fixture(const char *name)
{
    static char path[1024];

    snprintf(path, sizeof(path), "%s/tests/resources/incidents/%s",
             test_source_dir(), name);
    return path;
}

static vigil_store *fresh_db(const char **dir_out)
{
    const char *dir = test_tmpdir();
    vigil_store *st = NULL;

    CHECK_OK(vigil_store_open(&st, test_path(dir, "t.db"),
                              VIGIL_STORE_OPEN_CREATE));
    if (dir_out)
        *dir_out = dir;
    return st;
}

typedef struct {
    unsigned long lines[16];
    char reasons[16][160];
    int n;
} rejects;

static void on_reject(void *payload, const char *path, unsigned long line,
                      const char *reason)
{
    rejects *r = payload;

    (void)path;
    if (r->n < 16) {
        r->lines[r->n] = line;
        snprintf(r->reasons[r->n], sizeof(r->reasons[0]), "%s", reason);
        r->n++;
    }
}

static vigil_incident_import_stats import(vigil_store *st, const char *path,
                                          rejects *rj)
{
    vigil_incident_import_stats s;

    CHECK_OK(vigil_incidents_import(st, path, VIGIL_INCIDENTS_AUTO, &s,
                                    rj ? on_reject : NULL, rj));
    return s;
}

static vigil_incident_report *report(vigil_store *st,
                                     vigil_incident_group by,
                                     const vigil_aliases *a,
                                     const char *actor)
{
    vigil_incident_query q;
    vigil_incident_report *r = NULL;

    memset(&q, 0, sizeof(q));
    q.by = by;
    q.aliases = a;
    q.actor = actor;
    q.list = 100000;
    CHECK_OK(vigil_incidents_report(&r, st, &q));
    return r;
}

static const vigil_incident_row *row(const vigil_incident_report *r,
                                     const char *key)
{
    size_t i;

    for (i = 0; r && i < r->n_rows; i++)
        if (r->rows[i].key && strcmp(r->rows[i].key, key) == 0)
            return &r->rows[i];
    return NULL;
}

static void expect_row(const vigil_incident_report *r, const char *key,
                       long long events, long long fat)
{
    const vigil_incident_row *w = row(r, key);

    CHECK(w != NULL);
    if (!w) {
        fprintf(stderr, "    missing key %s\n", key);
        return;
    }
    CHECK_EQ_INT(w->events, events);
    CHECK_EQ_INT(w->fatalities, fat);
}

static vigil_aliases *bundled_aliases(void)
{
    char path[1024];
    vigil_aliases *a = NULL;

    snprintf(path, sizeof(path), "%s/data/incidents/aliases.tsv",
             test_source_dir());
    CHECK_OK(vigil_aliases_new(&a));
    CHECK_OK(vigil_aliases_load(a, path));
    return a;
}

/* ---- fixtures ------------------------------------------------------------ */

static void load_all_fixtures(vigil_store *st)
{
    vigil_incident_import_stats s;
    rejects rj;

    memset(&rj, 0, sizeof(rj));
    s = import(st, fixture("acled_current.csv"), NULL);
    CHECK_EQ_INT(s.format, VIGIL_INCIDENTS_ACLED);
    CHECK_EQ_INT(s.added, 5);
    s = import(st, fixture("acled_legacy.csv"), NULL);
    CHECK_EQ_INT(s.format, VIGIL_INCIDENTS_ACLED);
    CHECK_EQ_INT(s.added, 5);
    CHECK_EQ_INT(s.rejected, 0);
    s = import(st, fixture("ucdp_ged_hxl.csv"), NULL);
    CHECK_EQ_INT(s.format, VIGIL_INCIDENTS_UCDP_GED);
    CHECK_EQ_INT(s.hxl_rows, 1);
    CHECK_EQ_INT(s.rows, 5);
    CHECK_EQ_INT(s.added, 5);
    s = import(st, fixture("acled_bad.csv"), &rj);
    CHECK_EQ_INT(s.rows, 7);
    CHECK_EQ_INT(s.added, 2);
    CHECK_EQ_INT(s.rejected, 5);
    CHECK_EQ_INT(rj.n, 5);
    CHECK_EQ_INT(rj.lines[0], 3);
    CHECK(strstr(rj.reasons[0], "31-02-2023") != NULL);
    CHECK_EQ_INT(rj.lines[1], 4);
    CHECK(strstr(rj.reasons[1], "fatalities 'two'") != NULL);
    CHECK_EQ_INT(rj.lines[2], 5);
    CHECK(strstr(rj.reasons[2], "event_id_cnty is empty") != NULL);
    CHECK_EQ_INT(rj.lines[3], 6);
    CHECK(strstr(rj.reasons[3], "closing quote") != NULL);
    CHECK_EQ_INT(rj.lines[4], 7);
    CHECK(strstr(rj.reasons[4], "latitude") != NULL);
}

/* Year sums from the fixture facts (see tests/resources/incidents). */
static void test_incidents_import__fixtures_by_year(void)
{
    vigil_store *st = fresh_db(NULL);
    vigil_incident_import_stats s;
    vigil_incident_report *r;
    const vigil_incident_row *w;

    load_all_fixtures(st);
    /* acled_update: AFG70001 newer timestamp (20 -> 23), PAK80001 older. */
    s = import(st, fixture("acled_update.csv"), NULL);
    CHECK_EQ_INT(s.updated, 1);
    CHECK_EQ_INT(s.unchanged, 1);
    r = report(st, VIGIL_BY_YEAR, NULL, NULL);
    CHECK_EQ_INT(r->n_rows, 6);
    expect_row(r, "2019", 2, 19);
    expect_row(r, "2020", 2, 30);
    expect_row(r, "2021", 3, 188);
    expect_row(r, "2022", 3, 67);
    expect_row(r, "2023", 5, 85);
    expect_row(r, "2024", 2, 21);
    w = row(r, "2019");
    CHECK(w && w->has_range && w->fatalities_low == 17 &&
          w->fatalities_high == 24);
    CHECK_EQ_INT(r->total.events, 17);
    CHECK_EQ_INT(r->total.fatalities, 410);
    CHECK_EQ_STR(r->rows[0].key, "2019");           /* time order */
    vigil_incident_report_free(r);
    vigil_store_close(st);
}

static void test_incidents_import__idempotent(void)
{
    vigil_store *st = fresh_db(NULL);
    vigil_incident_import_stats s;
    vigil_incident_report *r;

    load_all_fixtures(st);
    s = import(st, fixture("acled_current.csv"), NULL);
    CHECK_EQ_INT(s.added, 0);
    CHECK_EQ_INT(s.updated, 0);
    CHECK_EQ_INT(s.unchanged, 5);
    s = import(st, fixture("ucdp_ged_hxl.csv"), NULL);
    CHECK_EQ_INT(s.unchanged, 5);
    r = report(st, VIGIL_BY_YEAR, NULL, NULL);
    CHECK_EQ_INT(r->total.events, 17);
    CHECK_EQ_INT(r->total.fatalities, 407);     /* 20 not yet updated */
    vigil_incident_report_free(r);
    vigil_store_close(st);
}

/* Aliases at query time: admin1 spellings and actor names merge; --raw
 * keeps them apart; stored values stay as imported. */
static void test_incidents_import__aliases(void)
{
    vigil_store *st = fresh_db(NULL);
    vigil_aliases *a = bundled_aliases();
    vigil_incident_report *r;

    load_all_fixtures(st);
    r = report(st, VIGIL_BY_ADMIN1, a, NULL);
    expect_row(r, "Khyber Pakhtunkhwa", 3, 119);  /* 54 + 63 + 2 */
    expect_row(r, "Nangarhar", 4, 44);            /* 5 + 3 + 12 + 24 */
    CHECK(row(r, "Khyber Pakhtunkwa") == NULL);
    vigil_incident_report_free(r);
    r = report(st, VIGIL_BY_ADMIN1, NULL, NULL);
    expect_row(r, "Khyber Pakhtunkwa", 1, 63);    /* raw ACLED */
    expect_row(r, "Khyber Pakhtunkwa province", 1, 2);    /* raw GED */
    expect_row(r, "Khyber Pakhtunkhwa", 1, 54);
    expect_row(r, "Nangarhar province", 2, 36);  /* 12 + 24 */
    vigil_incident_report_free(r);
    r = report(st, VIGIL_BY_ACTOR, a, NULL);
    expect_row(r, "iskp", 12, 386);
    vigil_incident_report_free(r);
    /* --actor iskp also finds counter-operations against it (actor2). */
    r = report(st, VIGIL_BY_KIND, a, "iskp");
    expect_row(r, "attack", 11, 380);             /* ISKP as actor1 */
    expect_row(r, "other", 1, 6);                 /* GED non-state clash */
    expect_row(r, "counter-operation", 3, 21);    /* 5 + 4 + 12, as actor2 */
    expect_row(r, "arrest", 1, 0);
    CHECK_EQ_INT(r->total.events, 16);
    vigil_incident_report_free(r);
    vigil_aliases_free(a);
    vigil_store_close(st);
}

/* ---- generated file: sums computed here, independently ------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;           /* xorshift64 */
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

#define GEN_ROWS 3000
#define N_ADMIN 6

static const char *const admins[N_ADMIN] = {
    "Kabul", "Nangarhar", "Khyber Pakhtunkhwa", "Sar-e Pol",
    "Region, with comma", "Quoted \"name\""
};
static const char *const months[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"
};

typedef struct {
    long long year_ev[10], year_fat[10];
    long long adm_ev[N_ADMIN], adm_fat[N_ADMIN];
    long long moy_ev[12], moy_fat[12];
} gen_truth;

static void csv_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void write_generated(const char *path, gen_truth *t)
{
    FILE *f = fopen(path, "wb");
    int i;

    memset(t, 0, sizeof(*t));
    fputs("event_id_cnty,event_date,year,time_precision,event_type,"
          "sub_event_type,actor1,inter1,country,admin1,notes,fatalities,"
          "timestamp\r\n", f);
    for (i = 0; i < GEN_ROWS; i++) {
        int y = 2015 + (int)rnd(10), m = 1 + (int)rnd(12),
            d = 1 + (int)rnd(28), a = (int)rnd(N_ADMIN),
            fat = (int)rnd(40), form = (int)rnd(4);

        fprintf(f, "GEN%06d,", i);
        if (form == 0)
            fprintf(f, "%04d-%02d-%02d", y, m, d);
        else if (form == 1)
            fprintf(f, "%02d-%02d-%04d", d, m, y);
        else if (form == 2)
            fprintf(f, "%d %s %04d", d, months[m - 1], y);
        else
            fprintf(f, "%02d %.3s %04d", d, months[m - 1], y);
        fprintf(f, ",%d,1,Battles,Armed clash,%s,%s,Afghanistan,", y,
                rnd(2) ? "ISKP" : "Islamic State (Afghanistan)",
                rnd(2) ? "2" : "Rebel groups");
        csv_quoted(f, admins[a]);
        fputs(rnd(3) ? ",\"note, with comma\nand a second line\"," : ",,", f);
        fprintf(f, "%d,%d%s", fat, 1600000000 + i, rnd(2) ? "\r\n" : "\n");
        t->year_ev[y - 2015]++;
        t->year_fat[y - 2015] += fat;
        t->adm_ev[a]++;
        t->adm_fat[a] += fat;
        t->moy_ev[m - 1]++;
        t->moy_fat[m - 1] += fat;
    }
    fclose(f);
}

static void test_incidents_import__generated_sums(void)
{
    const char *dir;
    vigil_store *st = fresh_db(&dir);
    vigil_aliases *a = bundled_aliases();
    vigil_incident_import_stats s;
    vigil_incident_report *r;
    gen_truth t;
    char key[64];
    int i;

    write_generated(test_path(dir, "gen.csv"), &t);
    s = import(st, test_path(dir, "gen.csv"), NULL);
    CHECK_EQ_INT(s.added, GEN_ROWS);
    CHECK_EQ_INT(s.rejected, 0);
    r = report(st, VIGIL_BY_YEAR, a, NULL);
    for (i = 0; i < 10; i++) {
        snprintf(key, sizeof(key), "%d", 2015 + i);
        expect_row(r, key, t.year_ev[i], t.year_fat[i]);
    }
    vigil_incident_report_free(r);
    {
        vigil_incident_query q;

        memset(&q, 0, sizeof(q));
        q.by = VIGIL_BY_YEAR;
        q.list = 10;                /* 3000 match: the list is dropped */
        CHECK_OK(vigil_incidents_report(&r, st, &q));
        CHECK(r->list_dropped && r->n_list == 0 && r->list == NULL);
        CHECK_EQ_INT(r->total.events, GEN_ROWS);
        vigil_incident_report_free(r);
    }
    r = report(st, VIGIL_BY_ADMIN1, NULL, NULL);
    CHECK_EQ_INT(r->n_rows, N_ADMIN);
    for (i = 0; i < N_ADMIN; i++)
        expect_row(r, admins[i], t.adm_ev[i], t.adm_fat[i]);
    vigil_incident_report_free(r);
    r = report(st, VIGIL_BY_MONTH_OF_YEAR, a, "iskp");
    for (i = 0; i < 12; i++) {
        snprintf(key, sizeof(key), "%02d", i + 1);
        expect_row(r, key, t.moy_ev[i], t.moy_fat[i]);
    }
    vigil_incident_report_free(r);
    vigil_aliases_free(a);
    vigil_store_close(st);
}

/* ---- exports ------------------------------------------------------------- */

static int to_file(void *payload, const char *data, size_t len)
{
    return fwrite(data, 1, len, payload) == len ? 0 : -1;
}

static void export_to(vigil_store *st, vigil_incident_export_format fmt,
                      const char *path)
{
    FILE *f = fopen(path, "wb");

    CHECK(f != NULL);
    CHECK_OK(vigil_incidents_export(st, fmt, NULL, to_file, f));
    fclose(f);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
        n = 0;
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_incidents_import__export_round_trip(void)
{
    const char *dir;
    vigil_store *st = fresh_db(&dir), *st2 = NULL, *st3 = NULL;
    vigil_incident_import_stats s;
    vigil_incident_report *r;
    char *a, *b;

    load_all_fixtures(st);
    export_to(st, VIGIL_EXPORT_CSV, test_path(dir, "out1.csv"));
    CHECK_OK(vigil_store_open(&st2, test_path(dir, "t2.db"),
                              VIGIL_STORE_OPEN_CREATE));
    s = import(st2, test_path(dir, "out1.csv"), NULL);
    CHECK_EQ_INT(s.format, VIGIL_INCIDENTS_VIGIL);
    CHECK_EQ_INT(s.added, 17);
    export_to(st2, VIGIL_EXPORT_CSV, test_path(dir, "out2.csv"));
    a = slurp(test_path(dir, "out1.csv"));
    b = slurp(test_path(dir, "out2.csv"));
    CHECK(a && b && strcmp(a, b) == 0);         /* lossless */
    /* Legacy numeric actor types came in as ACLED's text labels. */
    CHECK(a && strstr(a, "acled,AFG60002,2021-08-26,,1,attack,"
                      "Explosions/Remote violence,Suicide bomb,,,"
                      "Islamic State (Afghanistan),,Rebel groups,"
                      "Military Forces of the United States,,"
                      "External/Other forces,"
                      "Rebel groups-External/Other forces,") != NULL);
    CHECK(a && strstr(a, ",Political militias,,,,Political militias only,")
          != NULL);
    /* GED: date range, precision and death counts kept. */
    CHECK(a && strstr(a, "ucdp-ged,500004,2020-06-02,2020-06-30,3,other,"
                      "Battles,Armed clash,non-state conflict,,IS,,,Taleban")
          != NULL);
    free(a);
    free(b);
    /* ACLED export re-imports as ACLED with the same year sums. */
    export_to(st, VIGIL_EXPORT_ACLED, test_path(dir, "acled.csv"));
    CHECK_OK(vigil_store_open(&st3, test_path(dir, "t3.db"),
                              VIGIL_STORE_OPEN_CREATE));
    s = import(st3, test_path(dir, "acled.csv"), NULL);
    CHECK_EQ_INT(s.format, VIGIL_INCIDENTS_ACLED);
    CHECK_EQ_INT(s.added, 17);
    r = report(st3, VIGIL_BY_YEAR, NULL, NULL);
    expect_row(r, "2019", 2, 19);
    expect_row(r, "2023", 5, 82);
    CHECK_EQ_INT(r->total.fatalities, 407);
    vigil_incident_report_free(r);
    vigil_store_close(st3);
    vigil_store_close(st2);
    vigil_store_close(st);
}

static void test_incidents_import__geojson(void)
{
    const char *dir;
    vigil_store *st = fresh_db(&dir);
    json_error_t err;
    json_t *doc, *feats, *f0, *coords;

    load_all_fixtures(st);
    export_to(st, VIGIL_EXPORT_GEOJSON, test_path(dir, "out.geojson"));
    doc = json_load_file(test_path(dir, "out.geojson"), 0, &err);
    CHECK(doc != NULL);
    if (!doc) {
        fprintf(stderr, "    %s:%d %s\n", err.source, err.line, err.text);
        vigil_store_close(st);
        return;
    }
    feats = json_object_get(doc, "features");
    CHECK_EQ_INT(json_array_size(feats), 17);
    f0 = json_array_get(feats, 0);              /* GED 500001, 2019-03-01 */
    coords = json_object_get(json_object_get(f0, "geometry"), "coordinates");
    CHECK(json_real_value(json_array_get(coords, 0)) == 70.7);
    CHECK(json_real_value(json_array_get(coords, 1)) == 34.08);
    CHECK_EQ_STR(json_string_value(json_object_get(
        json_object_get(f0, "properties"), "source_id")), "500001");
    CHECK_EQ_INT(json_integer_value(json_object_get(
        json_object_get(f0, "properties"), "fatalities_low")), 10);
    json_decref(doc);
    vigil_store_close(st);
}

/* ---- bundled data and charts ---------------------------------------------- */

static void test_incidents_import__bundled_seed(void)
{
    char path[1024];
    vigil_store *st = fresh_db(NULL);
    vigil_aliases *a = bundled_aliases();
    vigil_incident_import_stats s;
    vigil_incident_report *r;
    size_t i;

    snprintf(path, sizeof(path), "%s/data/incidents/incidents.csv",
             test_source_dir());
    s = import(st, path, NULL);
    CHECK_EQ_INT(s.added, 57);
    CHECK_EQ_INT(s.rejected, 0);
    r = report(st, VIGIL_BY_YEAR, a, "iskp");
    CHECK_EQ_INT(r->total.events, 49);
    CHECK_EQ_INT(r->total.by_attribution[VIGIL_ATTR_CLAIMED], 3);
    CHECK_EQ_INT(r->total.by_attribution[VIGIL_ATTR_ATTRIBUTED], 27);
    CHECK_EQ_INT(r->total.by_attribution[VIGIL_ATTR_ALLEGED], 13);
    CHECK_EQ_INT(r->total.by_attribution[VIGIL_ATTR_LINKED], 6);
    CHECK_EQ_INT(r->total.by_attribution[VIGIL_ATTR_UNSPECIFIED], 0);
    expect_row(r, "2021", 3, 183);
    expect_row(r, "2024", 14, 151);
    CHECK_EQ_INT(r->n_list, 49);
    for (i = 0; i < r->n_list; i++)             /* Crocus: attributed */
        if (strcmp(r->list[i].source_id, "SEED-0051") == 0)
            CHECK_EQ_INT(r->list[i].attribution, VIGIL_ATTR_ATTRIBUTED);
    vigil_incident_report_free(r);
    r = report(st, VIGIL_BY_KIND, a, NULL);
    expect_row(r, "attack", 36, 411);
    expect_row(r, "foiled-plot", 9, 0);
    expect_row(r, "counter-operation", 7, 13);
    vigil_incident_report_free(r);
    vigil_aliases_free(a);
    vigil_store_close(st);
}

static void check_svg(vigil_store *st, vigil_incident_group by,
                      vigil_incident_chart chart, const char *must)
{
    vigil_incident_query q;
    char *svg = NULL;

    memset(&q, 0, sizeof(q));
    q.by = by;
    CHECK_OK(vigil_incidents_chart_svg(&svg, st, &q, chart));
    CHECK(svg && strncmp(svg, "<?xml", 5) == 0);
    CHECK(svg && strstr(svg, "</svg>") != NULL);
    CHECK(svg && strstr(svg, must) != NULL);
    if (svg && !strstr(svg, must))
        fprintf(stderr, "    chart lacks '%s'\n", must);
    vigil_incidents_free(svg);
}

static void test_incidents_import__charts(void)
{
    vigil_store *st = fresh_db(NULL);
    vigil_incident_query q;
    vigil_source src = { "telegram", "-100123", NULL, "Synthetic channel",
                         NULL, "public_channel" };
    vigil_item it;
    int64_t sid;
    char *svg = NULL;

    load_all_fixtures(st);
    check_svg(st, VIGIL_BY_YEAR, VIGIL_CHART_AUTO, "events (count)");
    check_svg(st, VIGIL_BY_ADMIN1, VIGIL_CHART_AUTO, "fatalities (people");
    check_svg(st, VIGIL_BY_MONTH, VIGIL_CHART_AUTO, "counter-operations");
    check_svg(st, VIGIL_BY_YEAR, VIGIL_CHART_SEASONALITY, ">Jan<");
    memset(&q, 0, sizeof(q));
    CHECK_EQ_INT(vigil_incidents_chart_svg(&svg, st, &q, VIGIL_CHART_OVERLAY),
                 VIGIL_ENOTFOUND);
    CHECK_OK(vigil_store_source_upsert(st, &src, &sid));
    memset(&it, 0, sizeof(it));
    it.source_id = sid;
    it.external_id = "1";
    it.posted_at = 1584000000;                  /* 2020-03-12 */
    it.edited_at = VIGIL_TIME_UNKNOWN;
    it.kind = VIGIL_KIND_TEXT;
    it.text = "synthetic benign text";
    it.text_len = strlen(it.text);
    it.media_size = -1;
    CHECK_OK(vigil_store_item_upsert(st, &it, NULL, NULL));
    check_svg(st, VIGIL_BY_MONTH, VIGIL_CHART_OVERLAY, "propaganda items");
    vigil_store_close(st);
}

/* The public upsert: keys, newer timestamps, attribution kept verbatim. */
static void test_incidents_import__upsert_api(void)
{
    vigil_store *st = fresh_db(NULL);
    vigil_incident inc;
    vigil_upsert_result res;
    vigil_incident_report *r;

    vigil_incident_init(&inc);
    inc.dataset = "vigil";
    inc.source_id = "HAND-1";
    inc.event_date = "2024-02-29";
    inc.kind = VIGIL_INCIDENT_FOILED_PLOT;
    inc.attribution = VIGIL_ATTR_INSPIRED;
    inc.actor1 = "ISIS-K";
    inc.source_timestamp = 10;
    CHECK_OK(vigil_incident_upsert(st, &inc, &res));
    CHECK_EQ_INT(res, VIGIL_UPSERT_ADDED);
    inc.attribution = VIGIL_ATTR_CLAIMED;
    CHECK_OK(vigil_incident_upsert(st, &inc, &res));   /* same timestamp */
    CHECK_EQ_INT(res, VIGIL_UPSERT_UNCHANGED);
    inc.source_timestamp = VIGIL_NO_VALUE;
    CHECK_OK(vigil_incident_upsert(st, &inc, &res));   /* none: no update */
    CHECK_EQ_INT(res, VIGIL_UPSERT_UNCHANGED);
    r = report(st, VIGIL_BY_ATTRIBUTION, NULL, NULL);
    expect_row(r, "inspired", 1, 0);
    CHECK_EQ_INT(r->list[0].kind, VIGIL_INCIDENT_FOILED_PLOT);
    CHECK_EQ_INT(r->list[0].fatalities, VIGIL_NO_VALUE);
    vigil_incident_report_free(r);
    inc.source_timestamp = 11;
    CHECK_OK(vigil_incident_upsert(st, &inc, &res));   /* newer: replaces */
    CHECK_EQ_INT(res, VIGIL_UPSERT_UPDATED);
    r = report(st, VIGIL_BY_ATTRIBUTION, NULL, NULL);
    CHECK_EQ_INT(r->n_rows, 1);
    expect_row(r, "claimed", 1, 0);
    vigil_incident_report_free(r);
    inc.event_date = "2023-02-29";
    CHECK_EQ_INT(vigil_incident_upsert(st, &inc, &res), VIGIL_EINVAL);
    inc.event_date = "2023-02-28";
    inc.source_id = "";
    CHECK_EQ_INT(vigil_incident_upsert(st, &inc, &res), VIGIL_EINVAL);
    vigil_store_close(st);
}

int main(int argc, char **argv)
{
    static const test_case cases[] = {
        { "fixtures_by_year", test_incidents_import__fixtures_by_year },
        { "idempotent", test_incidents_import__idempotent },
        { "aliases", test_incidents_import__aliases },
        { "generated_sums", test_incidents_import__generated_sums },
        { "export_round_trip", test_incidents_import__export_round_trip },
        { "geojson", test_incidents_import__geojson },
        { "bundled_seed", test_incidents_import__bundled_seed },
        { "charts", test_incidents_import__charts },
        { "upsert_api", test_incidents_import__upsert_api },
        { NULL, NULL }
    };
    return test_main(argc, argv, cases);
}
