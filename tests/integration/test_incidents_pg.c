/*
 * tests/integration/test_incidents_pg.c - the incident table on the
 * PostgreSQL backend (needs:pg): the same fixtures, idempotence, newer
 * timestamps, reports and export as on SQLite. Runs in its own schema so it
 * can share the throwaway server with other pg tests. Skipped (exit 77)
 * when VIGIL_PG_URI is not set.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"
#include "test.h"
#include "vigil/incidents.h"

static const char *uri;
static char schema_uri[2048];

static const char *fixture(const char *name)
{
    static char path[1024];

    snprintf(path, sizeof(path), "%s/tests/resources/incidents/%s",
             test_source_dir(), name);
    return path;
}

static vigil_store *fresh_schema(void)
{
    vigil_store *st = NULL;

    CHECK_OK(vigil_store_open(&st, uri, VIGIL_STORE_OPEN_CREATE));
    if (!st)
        return NULL;
    CHECK_OK(vigil__store_exec(st, "DROP SCHEMA IF EXISTS vigil_incidents_test"
                                   " CASCADE; CREATE SCHEMA vigil_incidents_test"));
    vigil_store_close(st);
    snprintf(schema_uri, sizeof(schema_uri), "%s%coptions=-csearch_path%%3D"
             "vigil_incidents_test", uri, strchr(uri, '?') ? '&' : '?');
    st = NULL;
    CHECK_OK(vigil_store_open(&st, schema_uri, VIGIL_STORE_OPEN_CREATE));
    return st;
}

static vigil_incident_import_stats import(vigil_store *st, const char *path)
{
    vigil_incident_import_stats s;

    memset(&s, 0, sizeof(s));
    CHECK_OK(vigil_incidents_import(st, path, VIGIL_INCIDENTS_AUTO, &s, NULL,
                                    NULL));
    return s;
}

static void expect_row(const vigil_incident_report *r, const char *key,
                       long long events, long long fat)
{
    size_t i;

    for (i = 0; i < r->n_rows; i++)
        if (r->rows[i].key && strcmp(r->rows[i].key, key) == 0) {
            CHECK_EQ_INT(r->rows[i].events, events);
            CHECK_EQ_INT(r->rows[i].fatalities, fat);
            return;
        }
    CHECK(!"group key missing");
}

static int count_bytes(void *payload, const char *data, size_t len)
{
    (void)data;
    *(size_t *)payload += len;
    return 0;
}

static void pg_import_report_export(void)
{
    vigil_store *st = fresh_schema();
    vigil_incident_import_stats s;
    vigil_incident_report *r = NULL;
    vigil_incident_query q;
    size_t bytes = 0;

    if (!st)
        return;
    CHECK_EQ_INT(import(st, fixture("acled_current.csv")).added, 5);
    CHECK_EQ_INT(import(st, fixture("acled_legacy.csv")).added, 5);
    s = import(st, fixture("ucdp_ged_hxl.csv"));
    CHECK_EQ_INT(s.added, 5);
    CHECK_EQ_INT(s.hxl_rows, 1);
    s = import(st, fixture("acled_bad.csv"));
    CHECK_EQ_INT(s.added, 2);
    CHECK_EQ_INT(s.rejected, 5);
    s = import(st, fixture("acled_current.csv"));
    CHECK_EQ_INT(s.unchanged, 5);
    s = import(st, fixture("acled_update.csv"));
    CHECK_EQ_INT(s.updated, 1);
    CHECK_EQ_INT(s.unchanged, 1);
    memset(&q, 0, sizeof(q));
    q.by = VIGIL_BY_YEAR;
    CHECK_OK(vigil_incidents_report(&r, st, &q));
    if (r) {
        expect_row(r, "2019", 2, 19);
        expect_row(r, "2023", 5, 85);
        CHECK_EQ_INT(r->total.events, 17);
        CHECK_EQ_INT(r->total.fatalities, 410);
        CHECK_EQ_INT(r->total.fatalities_low, 406);
        vigil_incident_report_free(r);
    }
    q.from = "2020";
    q.to = "2021-06";
    q.dataset = "ucdp-ged";
    CHECK_OK(vigil_incidents_report(&r, st, &q));
    if (r) {
        CHECK_EQ_INT(r->total.events, 3);           /* 500003-500005 */
        vigil_incident_report_free(r);
    }
    CHECK_OK(vigil_incidents_export(st, VIGIL_EXPORT_GEOJSON, NULL,
                                    count_bytes, &bytes));
    CHECK(bytes > 1000);
    vigil_store_close(st);
}

static const test_case cases[] = {
    { "import_report_export", pg_import_report_export },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    uri = getenv("VIGIL_PG_URI");
    if (!uri || !*uri) {
        fprintf(stderr, "skipped: VIGIL_PG_URI is not set\n");
        return 77;
    }
    return test_main(argc, argv, cases);
}
