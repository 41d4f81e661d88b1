/*
 * tests/integration/test_store_pg.c - the PostgreSQL backend against a real
 * server (needs:pg): migrations, ingest of real export files through the
 * same library calls as SQLite, idempotence, edits, statistics. Skipped
 * (exit 77) when VIGIL_PG_URI is not set; `make check` and .ci/run start a
 * throwaway server (scripts/pg-test-server) and set it.
 */
#include <stdlib.h>
#include <sys/stat.h>

#include "store/store_internal.h"
#include "test.h"
#include "vigil/vigil.h"

static const char *uri, *tmp;

static void reset_schema(void)
{
    vigil_store *st;

    CHECK_OK(vigil_store_open(&st, uri, VIGIL_STORE_OPEN_CREATE));
    if (st) {
        CHECK_OK(vigil__store_exec(st, "DROP SCHEMA public CASCADE;"
                                       " CREATE SCHEMA public"));
        vigil_store_close(st);
    }
}

static int64_t count_of(const vigil_counts *c, const char *key)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        if (strcmp(c->v[i].key, key) == 0)
            return c->v[i].count;
    return -1;
}

static const char *export_dir(const char *name, const char *json)
{
    static char dir[1024];

    snprintf(dir, sizeof(dir), "%s/%s", tmp, name);
    mkdir(dir, 0755);
    test_write_file(test_path(dir, "result.json"), json, strlen(json));
    return dir;
}

static void migrate_ingest_stats(void)
{
    vigil_store *st = NULL;
    vigil_run_counts c;
    vigil_stats *s = NULL;
    const char *dir;
    int version = 0;

    reset_schema();
    dir = export_dir("pg1", "{\"name\":\"PG Chan\",\"type\":\"public_channel\","
        "\"id\":9000000000001,\"messages\":["
        "{\"id\":1,\"type\":\"service\",\"date_unixtime\":\"1700000000\","
        "\"action\":\"create_channel\",\"title\":\"PG Chan\"},"
        "{\"id\":2,\"type\":\"message\",\"date_unixtime\":\"1700000100\","
        "\"text\":[\"see \",{\"type\":\"link\",\"text\":\"https://e.org/x\"}]},"
        "{\"id\":3,\"type\":\"message\",\"date_unixtime\":\"1702600000\","
        "\"photo\":\"(File not included. Change data exporting settings to download.)\","
        "\"text\":\"photo\"}]}");
    CHECK_OK(vigil_store_open(&st, uri, VIGIL_STORE_OPEN_CREATE));
    if (!st)
        return;
    CHECK_EQ_STR(vigil_store_backend_name(st), "pg");
    CHECK_OK(vigil_store_schema_version(st, &version));
    CHECK(version >= 1);
    CHECK_OK(vigil_ingest_telegram(st, dir, NULL, &c));
    CHECK_EQ_INT(c.added, 2);
    CHECK_EQ_INT(c.events, 1);
    CHECK_EQ_INT(c.media_skipped, 1);
    /* again: nothing new */
    CHECK_OK(vigil_ingest_telegram(st, dir, NULL, &c));
    CHECK_EQ_INT(c.added, 0);
    CHECK_EQ_INT(c.unchanged, 2);
    /* an edit replaces message 2 */
    dir = export_dir("pg2", "{\"name\":\"PG Chan\",\"type\":\"public_channel\","
        "\"id\":9000000000001,\"messages\":["
        "{\"id\":2,\"type\":\"message\",\"date_unixtime\":\"1700000100\","
        "\"edited_unixtime\":\"1700000200\",\"text\":\"edited\"}]}");
    CHECK_OK(vigil_ingest_telegram(st, dir, NULL, &c));
    CHECK_EQ_INT(c.updated, 1);
    CHECK_OK(vigil_store_stats(&s, st));
    if (s) {
        CHECK_EQ_INT(s->items, 2);
        CHECK_EQ_INT(s->events, 1);
        CHECK_EQ_INT(count_of(&s->by_kind, "photo"), 1);
        CHECK_EQ_INT(count_of(&s->by_month, "2023-11"), 1);
        CHECK_EQ_INT(count_of(&s->by_month, "2023-12"), 1);
        CHECK_EQ_INT(count_of(&s->by_source, "telegram:PG Chan"), 2);
    }
    vigil_stats_free(s);
    vigil_store_close(st);
    /* reopening applies nothing new and keeps the data */
    CHECK_OK(vigil_store_open(&st, uri, VIGIL_STORE_OPEN_READONLY));
    if (st) {
        CHECK_OK(vigil_store_stats(&s, st));
        CHECK(s && s->items == 2);
        vigil_stats_free(s);
        vigil_store_close(st);
    }
}

/* An export of @p n messages from id @p first; every tenth one edited
 * (later edited_unixtime, new text) when @p edit. */
static const char *big_export(const char *name, int first, int n, int edit)
{
    static char json[65536];
    size_t len;
    int i;

    len = (size_t)snprintf(json, sizeof(json), "{\"name\":\"Big\",\"type\":"
                           "\"public_channel\",\"id\":77,\"messages\":[");
    for (i = first; i < first + n && len < sizeof(json) - 200; i++) {
        int ed = edit && i % 10 == 0;

        len += (size_t)snprintf(json + len, sizeof(json) - len,
            "%s{\"id\":%d,\"type\":\"message\",\"date_unixtime\":\"%d\","
            "%s\"text\":\"%s %d\"}", i > first ? "," : "", i,
            1700000000 + i, ed ? "\"edited_unixtime\":\"1800000000\"," : "",
            ed ? "edited" : "text", i);
    }
    snprintf(json + len, sizeof(json) - len, "]}");
    return export_dir(name, json);
}

/* More than one 64-row INSERT through the PostgreSQL backend: counts and
 * edits as with one upsert per item. */
static void batched_items(void)
{
    vigil_store *st = NULL;
    vigil__stmt *q = NULL;
    vigil_run_counts c;

    reset_schema();
    CHECK_OK(vigil_store_open(&st, uri, VIGIL_STORE_OPEN_CREATE));
    if (!st)
        return;
    CHECK_OK(vigil_ingest_telegram(st, big_export("pgbig1", 1, 150, 0), NULL,
                                   &c));
    CHECK_EQ_INT(c.added, 150);
    CHECK_OK(vigil_ingest_telegram(st, big_export("pgbig2", 1, 170, 1), NULL,
                                   &c));
    CHECK_EQ_INT(c.added, 20);
    CHECK_EQ_INT(c.updated, 15);
    CHECK_EQ_INT(c.unchanged, 135);
    CHECK_OK(vigil__stmt_new(&q, st, "SELECT count(*), max(text) FROM items"
                             " WHERE text LIKE 'edited %'"));
    if (q) {
        CHECK_EQ_INT(vigil__step(q), VIGIL_ROW);
        CHECK_EQ_INT(vigil__col_int64(q, 0), 17);
        CHECK_EQ_STR(vigil__col_text(q, 1, NULL), "edited 90");
        vigil__stmt_free(q);
    }
    vigil_store_close(st);
}

static void bad_uri_is_an_error(void)
{
    vigil_store *st = NULL;
    int rc = vigil_store_open(&st, "postgresql:///no_such_db_vigil?host=/nonexistent",
                              VIGIL_STORE_OPEN_CREATE);

    CHECK_EQ_INT(rc, VIGIL_ESTORE);
    CHECK(st == NULL);
    CHECK(vigil_error_last() && strstr(vigil_error_last()->message, "postgresql"));
}

static const test_case cases[] = {
    { "migrate_ingest_stats", migrate_ingest_stats },
    { "batched_items", batched_items },
    { "bad_uri_is_an_error", bad_uri_is_an_error },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    uri = getenv("VIGIL_PG_URI");
    if (!uri || !*uri) {
        fprintf(stderr, "skipped: VIGIL_PG_URI is not set\n");
        return 77;
    }
    tmp = test_tmpdir();
    return test_main(argc, argv, cases);
}
