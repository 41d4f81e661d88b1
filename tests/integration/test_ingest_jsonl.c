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

static void same_text(const char *got, const char *want)
{
    if (strcmp(got, want) != 0)
        fprintf(stderr, "    got:  %s\n    want: %s\n", got, want);
    CHECK(strcmp(got, want) == 0);
}

/* Ingest labels each item's language as it stores it, and the triage pass
 * after the read leaves the label alone: the rows must be those of an
 * ingest without triage followed by vigil_triage_store_items(). */
static void labels_at_insert(void)
{
    char path[1100], want[4096];
    const char *a = test_path(tmp, "lab_a.db"), *b = test_path(tmp, "lab_b.db");
    const char *q_lang = "SELECT group_concat(external_id || '=' || coalesce(lang, '-'), ' ')"
                         " FROM (SELECT external_id, lang FROM items ORDER BY external_id)";
    const char *q_rows = "SELECT (SELECT group_concat(item_id || outlet || start_byte, ' ')"
                         " FROM watchlist_hits) || '|' || (SELECT group_concat(item_id ||"
                         " type || value || coalesce(valid, '-'), ' ') FROM indicators)";
    const char *feed =
        REC("\"id\":\"1\",\"posted_at\":\"2023-01-06T06:18:00Z\",\"text\":"
            "\"\u0421\u0430\u0434\u043e\u0438 \u0425\u0443\u0440\u043e\u0441\u043e\u043d "
            "\u043d\u0430\u0432 \u0448\u0443\u0434 \u0432\u0430 \u043c\u0430\u0440\u0434\u0443\u043c "
            "\u0433\u0443\u0444\u0442\u0430\u043d\u0434\"")
        REC("\"id\":\"2\",\"posted_at\":\"2023-01-06T06:19:00Z\",\"text\":"
            "\"New issue from Al-Azaim, donate 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa via t.me/examplechan\"")
        REC("\"id\":\"3\",\"posted_at\":\"2023-01-06T06:20:00Z\",\"text\":\"12345 !!\"")
        REC("\"id\":\"4\",\"posted_at\":\"2023-01-06T06:21:00Z\",\"text\":\"\"")
        REC("\"id\":\"5\",\"posted_at\":\"2023-01-06T06:22:00Z\",\"text\":"
            "\"\u0645\u0624\u0633\u0633\u0629 \u0627\u0644\u0639\u0632\u0627\u0626\u0645 "
            "\u062a\u0646\u0634\u0631 \u0627\u0644\u064a\u0648\u0645 \u0628\u064a\u0627\u0646\u0627 "
            "\u062c\u062f\u064a\u062f\u0627\"")
        REC("\"id\":\"6\",\"posted_at\":\"2023-01-06T06:23:00Z\",\"text\":\"\","
            "\"media\":[{\"type\":\"video\",\"url\":\"https://v.example/6\"},"
            "{\"type\":\"photo\",\"url\":\"https://v.example/6.jpg\"}]");
    vigil_ingest_options o = VIGIL_INGEST_OPTIONS_INIT;
    vigil_run_counts c;
    vigil_store *st;
    uint64_t n = 0;

    snprintf(path, sizeof(path), "%s/labels.jsonl", tmp);
    test_write_file(path, feed, strlen(feed));
    CHECK_OK(ingest(a, path, VIGIL_INGEST_AUTO, &c));
    CHECK_EQ_INT(c.added, 7);             /* 1-5, 6 and its second medium */
    CHECK_EQ_INT(c.triaged, 7);

    o.skip_triage = 1;
    CHECK_OK(vigil_store_open(&st, b, VIGIL_STORE_OPEN_CREATE));
    CHECK_OK(vigil_ingest_path(st, path, VIGIL_INGEST_AUTO, &o, &c));
    CHECK_EQ_INT(test_sql_int(b, "SELECT count(*) FROM items WHERE lang IS NOT NULL"), 0);
    CHECK_OK(vigil_triage_store_items(st, 0, &n));
    vigil_store_close(st);
    CHECK_EQ_INT(n, 7);

    snprintf(want, sizeof(want), "%s", test_sql_text(b, q_lang));
    same_text(test_sql_text(a, q_lang), want);
    CHECK(strstr(want, "1=tgk-Cyrl") && strstr(want, "2=eng-Latn") &&
          strstr(want, "3=und") && strstr(want, "5=arb-Arab"));
    snprintf(want, sizeof(want), "%s", test_sql_text(b, q_rows));
    same_text(test_sql_text(a, q_rows), want);
    CHECK(strstr(want, "bitcoin") && strstr(want, "Al-Azaim"));

    /* an edit that adds a name and a wallet to post 3 (and one that
     * takes them out of post 2) is triaged again: its new label, hits and
     * indicators replace the old ones */
    {
        const char *e =
            REC("\"id\":\"3\",\"posted_at\":\"2023-01-06T06:20:00Z\","
                "\"edited_at\":\"2023-01-07T00:00:00Z\",\"text\":"
                "\"Amaq News posted the address 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa today\"")
            REC("\"id\":\"2\",\"posted_at\":\"2023-01-06T06:19:00Z\","
                "\"edited_at\":\"2023-01-07T00:00:00Z\",\"text\":\"removed\"");

        snprintf(path, sizeof(path), "%s/labels_edit.jsonl", tmp);
        test_write_file(path, e, strlen(e));
    }
    CHECK_OK(ingest(a, path, VIGIL_INGEST_AUTO, &c));
    CHECK_EQ_INT(c.added, 0);
    CHECK_EQ_INT(c.updated, 2);
    CHECK_EQ_INT(c.triaged, 2);
    CHECK_EQ_INT(test_sql_int(a, "SELECT count(*) FROM items WHERE external_id = '3'"
                              " AND lang = 'eng-Latn'"), 1);
    CHECK_EQ_INT(test_sql_int(a, "SELECT count(*) FROM watchlist_hits h JOIN items i"
                              " ON i.id = h.item_id WHERE i.external_id = '3'"
                              " AND h.outlet = 'Amaq News Agency'"), 1);
    CHECK_EQ_INT(test_sql_int(a, "SELECT count(*) FROM indicators d JOIN items i"
                              " ON i.id = d.item_id WHERE i.external_id = '3'"
                              " AND d.type = 'bitcoin' AND d.valid = 1"), 1);
    CHECK_EQ_INT(test_sql_int(a, "SELECT count(*) FROM indicators d JOIN items i"
                              " ON i.id = d.item_id WHERE i.external_id = '2'"), 0);
    CHECK_EQ_INT(test_sql_int(a, "SELECT count(*) FROM watchlist_hits h JOIN items i"
                              " ON i.id = h.item_id WHERE i.external_id = '2'"), 0);
    /* the other items' rows are untouched */
    CHECK_EQ_INT(test_sql_int(a, "SELECT count(*) FROM watchlist_hits h JOIN items i"
                              " ON i.id = h.item_id WHERE i.external_id = '5'"), 1);
}

static const test_case cases[] = {
    { "feed_records", feed_records },
    { "labels_at_insert", labels_at_insert },
    { "empty_folder_is_not_found", empty_folder_is_not_found },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    tmp = test_tmpdir();
    return test_main(argc, argv, cases);
}
