/*
 * tests/integration/test_ingest_jsonl.c - vigil.feed/1 JSON Lines ingest on
 * real files and a real SQLite database: sources per platform and account,
 * attachments, refused lines, idempotence and edits, folder dispatch.
 */
#include <sys/stat.h>

#include "test.h"
#include "vigil/vigil.h"

static const char *tmp;

static int ingest(const char *db, const char *path, vigil_ingest_format f,
                  vigil_run_counts *c)
{
    vigil_store *st;
    int rc;

    if ((rc = vigil_store_open(&st, db, VIGIL_STORE_OPEN_CREATE)) < 0)
        return rc;
    rc = vigil_ingest_path(st, path, f, NULL, c);
    vigil_store_close(st);
    return rc;
}

#define REC(extra) "{\"schema\":\"vigil.feed/1\",\"platform\":\"x\"," \
    "\"account\":\"acct\",\"account_name\":\"Acct\"," extra "}\n"

static void feed_records(void)
{
    char dir[1024], path[1100], media[1100];
    const char *db = test_path(tmp, "feed.db");
    const char *feed =
        REC("\"id\":\"1\",\"posted_at\":\"2023-01-06T06:18:00Z\",\"text\":\"hello\","
            "\"media\":[{\"type\":\"photo\",\"path\":\"m/a.jpg\",\"size\":3},"
            "{\"type\":\"video\",\"url\":\"https://v.example/1\"}]")
        REC("\"id\":\"2\",\"posted_at\":\"2023-02-06T06:18:00+01:00\",\"text\":\"\","
            "\"urls\":[\"https://example.org/a\"],\"forwarded_from\":\"Other\"")
        "\n"
        "{broken json\n"
        REC("\"id\":\"3\",\"posted_at\":\"2023-02-30\",\"text\":\"bad date\"")
        "{\"schema\":\"vigil.feed/2\",\"platform\":\"x\",\"account\":\"a\",\"id\":\"4\","
        "\"posted_at\":\"2023-01-01T00:00:00Z\",\"text\":\"future schema\"}\n"
        "{\"schema\":\"vigil.feed/1\",\"platform\":\"tiktok\",\"account\":\"clips\","
        "\"id\":\"5\",\"posted_at\":\"2023-03-01T00:00:00Z\",\"text\":42}\n"
        "{\"schema\":\"vigil.feed/1\",\"platform\":\"tiktok\",\"account\":\"clips\","
        "\"id\":\"6\",\"posted_at\":\"2023-03-01T00:00:00Z\",\"text\":\"ok\"}\r\n";
    vigil_run_counts c;

    snprintf(dir, sizeof(dir), "%s/feeds", tmp);
    mkdir(dir, 0755);
    snprintf(media, sizeof(media), "%s/m", dir);
    mkdir(media, 0755);
    test_write_file(test_path(media, "a.jpg"), "abc", 3);
    snprintf(path, sizeof(path), "%s/posts.jsonl", dir);
    test_write_file(path, feed, strlen(feed));

    CHECK_EQ_INT(ingest(db, dir, VIGIL_INGEST_AUTO, &c), VIGIL_EFORMAT);
    CHECK_EQ_INT(c.messages, 7);
    CHECK_EQ_INT(c.rejected, 4);
    CHECK_EQ_INT(c.added, 4);             /* 1, 1#2, 2, 6 */
    CHECK_EQ_INT(c.media_present, 1);
    CHECK_EQ_INT(c.media_skipped, 1);
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM sources"), 2);
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM items WHERE external_id='1#2'"
                       " AND kind='video' AND media_state='skipped'"), 1);
    CHECK_EQ_INT(test_sql_int(db, "SELECT posted_at FROM items WHERE external_id='2'"),
                 1675660680);
    CHECK_EQ_INT(test_sql_int(db, "SELECT is_forward FROM items WHERE external_id='2'"), 1);
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM items WHERE md5 ="
                       " '900150983cd24fb0d6963f7d28e17f72'"), 1);
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM sources WHERE platform='tiktok'"
                       " AND handle='@clips'"), 1);

    /* same file again (named directly): nothing new */
    CHECK_EQ_INT(ingest(db, path, VIGIL_INGEST_AUTO, &c), VIGIL_EFORMAT);
    CHECK_EQ_INT(c.added, 0);
    CHECK_EQ_INT(c.unchanged, 4);

    /* an edit replaces the text */
    snprintf(path, sizeof(path), "%s/edit.jsonl", tmp);
    {
        const char *e = REC("\"id\":\"2\",\"posted_at\":\"2023-02-06T05:18:00Z\","
                            "\"edited_at\":\"2023-02-07T00:00:00Z\",\"text\":\"fixed\"");
        test_write_file(path, e, strlen(e));
    }
    CHECK_OK(ingest(db, path, VIGIL_INGEST_JSONL, &c));
    CHECK_EQ_INT(c.updated, 1);
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM items WHERE external_id='2'"
                       " AND text='fixed'"), 1);
}

static void empty_folder_is_not_found(void)
{
    char dir[1024];
    vigil_run_counts c;

    snprintf(dir, sizeof(dir), "%s/nothing", tmp);
    mkdir(dir, 0755);
    CHECK_EQ_INT(ingest(test_path(tmp, "e.db"), dir, VIGIL_INGEST_AUTO, &c),
                 VIGIL_ENOTFOUND);
}

static const test_case cases[] = {
    { "feed_records", feed_records },
    { "empty_folder_is_not_found", empty_folder_is_not_found },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    tmp = test_tmpdir();
    return test_main(argc, argv, cases);
}
