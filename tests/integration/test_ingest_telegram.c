/*
 * tests/integration/test_ingest_telegram.c - Telegram Desktop export ingest
 * end to end on real files and a real SQLite database: every field variant
 * of FORMATS.md section 1, idempotence, edits, malformed exports.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/telegram.h"
#include "test.h"
#include "vigil/vigil.h"

static const char *tmp;

static void write_str(const char *path, const char *s)
{
    test_write_file(path, s, strlen(s));
}

static const char *mkexport(const char *name, const char *json)
{
    static char dir[1024];

    snprintf(dir, sizeof(dir), "%s/%s", tmp, name);
    mkdir(dir, 0755);
    write_str(test_path(dir, "result.json"), json);
    return dir;
}

static int ingest(const char *db, const char *path, vigil_run_counts *c)
{
    vigil_store *st;
    vigil_ingest_options o = VIGIL_INGEST_OPTIONS_INIT;
    int rc;

    o.batch_size = 2;       /* many commits even on small fixtures */
    if ((rc = vigil_store_open(&st, db, VIGIL_STORE_OPEN_CREATE)) < 0)
        return rc;
    rc = vigil_ingest_telegram(st, path, &o, c);
    vigil_store_close(st);
    return rc;
}

static const char SINGLE[] =
    "{\n \"name\": \"Example Weather Bulletins\",\n \"type\": \"public_channel\",\n"
    " \"id\": 9876543210123,\n \"messages\": [\n"
    "  {\"id\": 1, \"type\": \"service\", \"date\": \"2025-01-05T09:00:00\","
    "   \"date_unixtime\": \"1736064000\", \"actor\": \"Example\","
    "   \"action\": \"create_channel\", \"title\": \"Example Weather Bulletins\"},\n"
    "  {\"id\": 101, \"type\": \"message\", \"date\": \"2025-01-05T10:00:00\","
    "   \"date_unixtime\": \"1736067600\", \"from\": \"Example\","
    "   \"text\": \"Morning update\\x09rain\", \"text_entities\": "
    "   [{\"type\": \"plain\", \"text\": \"Morning update\\x09rain\"}]},\n"
    "  {\"id\": 102, \"type\": \"message\", \"date\": \"2025-01-05T10:05:00\","
    "   \"date_unixtime\": \"1736067900\", \"photo\": \"photos/p1.jpg\","
    "   \"photo_file_size\": 5, \"width\": 2, \"height\": 2, \"text\": \"\","
    "   \"text_entities\": []},\n"
    "  {\"id\": 103, \"type\": \"message\", \"date\": \"2025-03-05T10:10:00\","
    "   \"text\": [{\"type\": \"bold\", \"text\": \"Storm\"}, \" see \","
    "    {\"type\": \"text_link\", \"text\": \"report\", \"href\": \"https://example.org/r\"},"
    "    \" or \", {\"type\": \"link\", \"text\": \"https://example.net/x\"}, \"\"],"
    "   \"forwarded_from\": null},\n"
    "  {\"id\": 104, \"type\": \"message\", \"date_unixtime\": 1736068500,"
    "   \"forwarded_from\": \"Partner\", \"text_entities\": [{\"type\": \"plain\","
    "   \"text\": \"only entities \"}, {\"type\": \"mention\", \"text\": \"@obs\"}],"
    "   \"inline_bot_buttons\": [[{\"type\": \"url\", \"text\": \"Open\","
    "   \"data\": \"https://example.com/b\"}]]},\n"
    "  {\"id\": -999999899, \"type\": \"message\", \"date_unixtime\": \"1736068600\","
    "   \"file\": \"(File exceeds maximum size. Change data exporting settings to download.)\","
    "   \"media_type\": \"video_file\", \"text\": \"big\"},\n"
    "  {\"id\": 106, \"type\": \"unsupported\"},\n"
    "  {\"id\": 107, \"type\": \"message\", \"date_unixtime\": \"1736068700\","
    "   \"file\": \"voice_messages/a.ogg\", \"media_type\": \"voice_message\","
    "   \"mime_type\": \"audio/ogg\", \"text\": \"\"},\n"
    "  {\"id\": 108, \"type\": \"message\", \"date_unixtime\": \"1736068800\","
    "   \"file\": \"stickers/s.webp\", \"media_type\": \"sticker\", \"text\": \"\"}\n"
    " ]\n}\n";

static void single_chat_fields(void)
{
    const char *dir = mkexport("single", SINGLE), *db;
    vigil_run_counts c;
    char sub[1100];

    snprintf(sub, sizeof(sub), "%s/photos", dir);
    mkdir(sub, 0755);
    write_str(test_path(sub, "p1.jpg"), "hello");
    snprintf(sub, sizeof(sub), "%s/voice_messages", dir);
    mkdir(sub, 0755);
    write_str(test_path(sub, "a.ogg"), "ogg");
    snprintf(sub, sizeof(sub), "%s/stickers", dir);
    mkdir(sub, 0755);
    write_str(test_path(sub, "s.webp"), "webp");
    db = test_path(tmp, "single.db");
    CHECK_OK(ingest(db, dir, &c));
    CHECK_EQ_INT(c.messages, 9);
    CHECK_EQ_INT(c.added, 7);
    CHECK_EQ_INT(c.events, 1);
    CHECK_EQ_INT(c.media_present, 3);
    CHECK_EQ_INT(c.media_skipped, 1);
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM items"), 7);
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM events WHERE action='create_channel'"), 1);
    CHECK_EQ_STR(test_sql_text(db, "SELECT external_id FROM sources"), "9876543210123");
    CHECK_EQ_STR(test_sql_text(db, "SELECT title FROM sources"), "Example Weather Bulletins");
    /* \x09 became a tab */
    CHECK_EQ_STR(test_sql_text(db, "SELECT text FROM items WHERE external_id='101'"),
                 "Morning update\train");
    CHECK_EQ_INT(test_sql_int(db, "SELECT posted_at FROM items WHERE external_id='101'"),
                 1736067600);
    CHECK_EQ_STR(test_sql_text(db, "SELECT sha256 FROM items WHERE external_id='102'"),
                 "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    CHECK_EQ_STR(test_sql_text(db, "SELECT md5 FROM items WHERE external_id='102'"),
                 "5d41402abc4b2a76b9719d911017c592");
    CHECK_EQ_STR(test_sql_text(db, "SELECT kind FROM items WHERE external_id='102'"), "photo");
    /* local date only: read as UTC, original kept */
    CHECK_EQ_INT(test_sql_int(db, "SELECT posted_at FROM items WHERE external_id='103'"),
                 1741169400);
    CHECK_EQ_STR(test_sql_text(db, "SELECT posted_local FROM items WHERE external_id='103'"),
                 "2025-03-05T10:10:00");
    CHECK_EQ_STR(test_sql_text(db, "SELECT posted_month FROM items WHERE external_id='103'"),
                 "2025-03");
    CHECK_EQ_STR(test_sql_text(db, "SELECT text FROM items WHERE external_id='103'"),
                 "Storm see report or https://example.net/x");
    CHECK_EQ_STR(test_sql_text(db, "SELECT urls FROM items WHERE external_id='103'"),
                 "[\"https://example.org/r\",\"https://example.net/x\"]");
    CHECK_EQ_INT(test_sql_int(db, "SELECT is_forward FROM items WHERE external_id='103'"), 1);
    CHECK_EQ_INT(test_sql_int(db, "SELECT forwarded_from IS NULL FROM items WHERE external_id='103'"), 1);
    CHECK_EQ_STR(test_sql_text(db, "SELECT text FROM items WHERE external_id='104'"),
                 "only entities @obs");
    CHECK_EQ_STR(test_sql_text(db, "SELECT forwarded_from FROM items WHERE external_id='104'"),
                 "Partner");
    CHECK_EQ_STR(test_sql_text(db, "SELECT urls FROM items WHERE external_id='104'"),
                 "[\"https://example.com/b\"]");
    CHECK_EQ_STR(test_sql_text(db, "SELECT media_state || ':' || kind FROM items"
                        " WHERE external_id='-999999899'"), "skipped:video");
    CHECK_EQ_STR(test_sql_text(db, "SELECT kind || ':' || mime_type FROM items"
                        " WHERE external_id='107'"), "audio:audio/ogg");
    CHECK_EQ_STR(test_sql_text(db, "SELECT kind FROM items WHERE external_id='108'"), "sticker");
    CHECK_EQ_STR(test_sql_text(db, "SELECT status FROM ingest_runs"), "ok");

    /* Re-ingest the same export: nothing added, nothing changed. */
    CHECK_OK(ingest(db, test_path(dir, "result.json"), &c));
    CHECK_EQ_INT(c.added, 0);
    CHECK_EQ_INT(c.updated, 0);
    CHECK_EQ_INT(c.unchanged, 7);
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM items"), 7);
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM events"), 1);
}

static void edited_message_replaces(void)
{
    const char *db = test_path(tmp, "edit.db"), *dir;
    vigil_run_counts c;

    dir = mkexport("edit1", "{\"name\":\"E\",\"type\":\"public_channel\",\"id\":5,"
        "\"messages\":[{\"id\":1,\"type\":\"message\",\"date_unixtime\":\"100\","
        "\"text\":\"first\"},{\"id\":2,\"type\":\"message\",\"date_unixtime\":\"200\","
        "\"text\":\"two\"}]}");
    CHECK_OK(ingest(db, dir, &c));
    CHECK_EQ_INT(c.added, 2);
    /* overlapping export: message 1 edited, message 3 new */
    dir = mkexport("edit2", "{\"name\":\"E\",\"type\":\"public_channel\",\"id\":5,"
        "\"messages\":[{\"id\":1,\"type\":\"message\",\"date_unixtime\":\"100\","
        "\"edited_unixtime\":\"150\",\"text\":\"first, corrected\"},"
        "{\"id\":2,\"type\":\"message\",\"date_unixtime\":\"200\",\"text\":\"two\"},"
        "{\"id\":3,\"type\":\"message\",\"date_unixtime\":\"300\",\"text\":\"3\"}]}");
    CHECK_OK(ingest(db, dir, &c));
    CHECK_EQ_INT(c.added, 1);
    CHECK_EQ_INT(c.updated, 1);
    CHECK_EQ_INT(c.unchanged, 1);
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM items"), 3);
    CHECK_EQ_STR(test_sql_text(db, "SELECT text FROM items WHERE external_id='1'"),
                 "first, corrected");
    CHECK_EQ_INT(test_sql_int(db, "SELECT edited_at FROM items WHERE external_id='1'"), 150);
    /* an older copy of the export does not roll the edit back */
    dir = mkexport("edit1", "{\"name\":\"E\",\"type\":\"public_channel\",\"id\":5,"
        "\"messages\":[{\"id\":1,\"type\":\"message\",\"date_unixtime\":\"100\","
        "\"text\":\"first\"}]}");
    CHECK_OK(ingest(db, dir, &c));
    CHECK_EQ_INT(c.unchanged, 1);
    CHECK_EQ_STR(test_sql_text(db, "SELECT text FROM items WHERE external_id='1'"),
                 "first, corrected");
}

/* `text` as a string with text_entities beside it: the text is taken once,
 * links still come from the entities (type before or after text). */
static void string_text_with_entities(void)
{
    const char *db = test_path(tmp, "ents.db"), *dir;
    vigil_run_counts c;

    dir = mkexport("ents", "{\"name\":\"N\",\"type\":\"public_channel\",\"id\":6,"
        "\"messages\":[{\"id\":1,\"type\":\"message\",\"date_unixtime\":\"1\","
        "\"text\":\"read https://a.example/x and more\",\"text_entities\":["
        "{\"type\":\"plain\",\"text\":\"read \"},"
        "{\"type\":\"link\",\"text\":\"https://a.example/x\"},"
        "{\"text\":\" and \",\"type\":\"plain\"},"
        "{\"text\":\"more\",\"type\":\"text_link\",\"href\":\"https://b.example/y\"}]}]}");
    CHECK_OK(ingest(db, dir, &c));
    CHECK_EQ_STR(test_sql_text(db, "SELECT text FROM items"),
                 "read https://a.example/x and more");
    CHECK_EQ_STR(test_sql_text(db, "SELECT urls FROM items"),
                 "[\"https://a.example/x\",\"https://b.example/y\"]");
}

static void full_account_export(void)
{
    const char *db = test_path(tmp, "account.db"), *dir;
    char sub[1200];
    vigil_run_counts c;

    dir = mkexport("account",
        "{\"about\":\"Here is the data you requested.\","
        "\"personal_information\":{\"user_id\":1,\"first_name\":\"A\"},"
        "\"contacts\":{\"about\":\"x\",\"list\":[{\"first_name\":\"B\"}]},"
        "\"chats\":{\"about\":\"chats\",\"list\":["
        " {\"name\":\"Chan A\",\"type\":\"public_channel\",\"id\":11,\"messages\":["
        "  {\"id\":1,\"type\":\"message\",\"date_unixtime\":\"1700000000\","
        "   \"photo\":\"chats/chat_001/photos/a.jpg\",\"text\":\"a1\"},"
        "  {\"id\":2,\"type\":\"message\",\"date_unixtime\":\"1700000100\",\"text\":\"a2\"}]},"
        " {\"name\":\"Group B\",\"type\":\"private_supergroup\",\"id\":22,\"messages\":["
        "  {\"id\":1,\"type\":\"message\",\"date_unixtime\":\"1700000200\",\"text\":\"b1\"}]}"
        "]},"
        "\"left_chats\":{\"about\":\"left\",\"list\":["
        " {\"name\":\"Old C\",\"type\":\"public_channel\",\"id\":33,\"messages\":["
        "  {\"id\":7,\"type\":\"message\",\"date_unixtime\":\"1700000300\",\"text\":\"c7\"}]}]},"
        "\"other_data\":{\"x\":[1,2,3]}}");
    snprintf(sub, sizeof(sub), "%s/chats", dir);
    mkdir(sub, 0755);
    snprintf(sub, sizeof(sub), "%s/chats/chat_001", dir);
    mkdir(sub, 0755);
    snprintf(sub, sizeof(sub), "%s/chats/chat_001/photos", dir);
    mkdir(sub, 0755);
    write_str(test_path(sub, "a.jpg"), "jpeg");
    CHECK_OK(ingest(db, dir, &c));
    CHECK_EQ_INT(c.added, 4);
    CHECK_EQ_INT(c.media_present, 1);
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM sources"), 3);
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM items i JOIN sources s ON"
                       " s.id = i.source_id WHERE s.external_id = '11'"), 2);
    CHECK_EQ_STR(test_sql_text(db, "SELECT s.title FROM items i JOIN sources s ON"
                        " s.id = i.source_id WHERE i.text = 'c7'"), "Old C");
    CHECK_EQ_STR(test_sql_text(db, "SELECT kind FROM sources WHERE external_id='22'"),
                 "private_supergroup");
}

static void malformed_messages_keep_the_rest(void)
{
    const char *db = test_path(tmp, "bad.db"), *dir;
    char json[2048], sub[1200];
    vigil_run_counts c;
    int rc;

    /* wrong types, invalid UTF-8, missing media, escaping paths */
    snprintf(json, sizeof(json),
        "{\"name\":\"Bad\",\"type\":\"public_channel\",\"id\":77,\"messages\":["
        "{\"id\":1,\"type\":\"message\",\"date_unixtime\":\"10\",\"text\":\"ok one\"},"
        "{\"id\":2,\"type\":\"message\",\"date_unixtime\":\"20\",\"text\":42},"
        "{\"id\":\"x3\",\"type\":\"message\",\"text\":\"bad id\"},"
        "{\"id\":4,\"type\":\"message\",\"date_unixtime\":\"40\",\"text\":\"bad \xff\xfe utf8\"},"
        "{\"id\":5,\"type\":\"message\",\"date_unixtime\":\"50\",\"photo\":\"photos/none.jpg\",\"text\":\"\"},"
        "{\"id\":6,\"type\":\"message\",\"date_unixtime\":\"60\",\"file\":\"/etc/passwd\",\"text\":\"\"},"
        "{\"id\":7,\"type\":\"message\",\"date_unixtime\":\"70\",\"file\":\"files/../../x\",\"text\":\"\"},"
        "{\"id\":8,\"type\":\"message\",\"date_unixtime\":\"80\",\"file\":\"files/link\",\"text\":\"\"},"
        "{\"id\":9,\"type\":\"message\",\"date_unixtime\":\"nine\",\"text\":\"bad date\"},"
        "{\"id\":10,\"type\":\"message\",\"date_unixtime\":\"100\",\"text\":\"ok ten\"}]}");
    dir = mkexport("bad", json);
    snprintf(sub, sizeof(sub), "%s/files", dir);
    mkdir(sub, 0755);
    CHECK(symlink("/etc/passwd", test_path(sub, "link")) == 0);
    rc = ingest(db, dir, &c);
    CHECK_EQ_INT(rc, VIGIL_EFORMAT);
    CHECK_EQ_INT(c.rejected, 4);          /* 2, x3, 4 (utf-8), 9 */
    CHECK_EQ_INT(c.media_missing, 1);     /* 5 */
    CHECK_EQ_INT(c.media_refused, 3);     /* 6, 7, 8 */
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM items"), 6);
    CHECK_EQ_STR(test_sql_text(db, "SELECT text FROM items WHERE external_id='10'"), "ok ten");
    CHECK_EQ_STR(test_sql_text(db, "SELECT media_state FROM items WHERE external_id='5'"), "missing");
    CHECK_EQ_STR(test_sql_text(db, "SELECT media_state FROM items WHERE external_id='8'"), "refused");
    CHECK_EQ_STR(test_sql_text(db, "SELECT status FROM ingest_runs"), "partial");
}

static void truncated_export_keeps_earlier_items(void)
{
    const char *db = test_path(tmp, "trunc.db"), *dir;
    vigil_run_counts c;
    const vigil_error *e;
    int rc;

    dir = mkexport("ok", "{\"name\":\"T\",\"type\":\"public_channel\",\"id\":8,"
        "\"messages\":[{\"id\":1,\"type\":\"message\",\"date_unixtime\":\"1\","
        "\"text\":\"earlier\"}]}");
    CHECK_OK(ingest(db, dir, &c));
    dir = mkexport("trunc", "{\"name\":\"T2\",\"type\":\"public_channel\",\"id\":9,"
        "\"messages\":[{\"id\":1,\"type\":\"message\",\"date_unixtime\":\"1\","
        "\"text\":\"a\"},{\"id\":2,\"type\":\"message\",\"date_unixtime\":\"2\","
        "\"text\":\"b\"},{\"id\":3,\"type\":\"mess");
    rc = ingest(db, dir, &c);
    CHECK_EQ_INT(rc, VIGIL_EFORMAT);
    e = vigil_error_last();
    CHECK(e && strstr(e->message, "result.json") && strstr(e->message, "byte"));
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM items"), 3);
    CHECK_EQ_STR(test_sql_text(db, "SELECT status FROM ingest_runs ORDER BY id DESC"), "partial");
}

/* Chunk boundaries: big messages and \x escapes straddling reads. */
struct seen {
    int count, big, esc;
};

static int on_msg(const vigil_tg_msg *m, const vigil_tg_dialog *d, void *pl)
{
    struct seen *s = pl;

    (void)d;
    s->count++;
    if (m->text_len == (2u << 20))
        s->big = 1;
    if (m->text_len > 10 && m->text[m->text_len - 1] == 'A')
        s->esc = 1;
    return 0;
}

static void reader_chunk_boundaries(void)
{
    size_t n = 3u << 20, i, len;
    char *big = malloc(n + 4096);
    struct seen s = { 0, 0, 0 };
    vigil_tg_handler h = { on_msg, NULL, &s };
    size_t pad;

    /* the \x41 escape starts 1 byte before the 256 KiB read boundary */
    len = (size_t)sprintf(big, "{\"id\":1,\"messages\":[{\"id\":1,\"text\":\"");
    for (pad = (256u << 10) - 1; len < pad;)
        big[len++] = 'a';
    len += (size_t)sprintf(big + len, "\\x41\"},{\"id\":2,\"text\":\"");
    for (i = 0; i < (2u << 20); i++)
        big[len++] = 'b';
    len += (size_t)sprintf(big + len, "\"},{\"id\":3,\"text\":\"end\"}]}");
    CHECK_OK(vigil_tg_read_mem(big, len, "big", 0, &h));
    CHECK_EQ_INT(s.count, 3);
    CHECK(s.big);
    CHECK(s.esc);
    /* the same with a 1 MiB per-message limit: refused, named as a limit */
    memset(&s, 0, sizeof(s));
    CHECK_EQ_INT(vigil_tg_read_mem(big, len, "big", 1u << 20, &h), VIGIL_ELIMIT);
    CHECK_EQ_INT(s.count, 1);
    free(big);
}

static void not_an_export(void)
{
    const char *db = test_path(tmp, "none.db");
    vigil_run_counts c;
    char dir[1100];

    snprintf(dir, sizeof(dir), "%s/empty", tmp);
    mkdir(dir, 0755);
    CHECK_EQ_INT(ingest(db, dir, &c), VIGIL_ENOTFOUND);
    CHECK_EQ_INT(ingest(db, test_path(tmp, "nope"), &c), VIGIL_EIO);
    write_str(test_path(dir, "result.json"), "[1,2,3]");
    CHECK_EQ_INT(ingest(db, dir, &c), VIGIL_EFORMAT);
}

static const test_case cases[] = {
    { "single_chat_fields", single_chat_fields },
    { "edited_message_replaces", edited_message_replaces },
    { "string_text_with_entities", string_text_with_entities },
    { "full_account_export", full_account_export },
    { "malformed_messages_keep_the_rest", malformed_messages_keep_the_rest },
    { "truncated_export_keeps_earlier_items", truncated_export_keeps_earlier_items },
    { "reader_chunk_boundaries", reader_chunk_boundaries },
    { "not_an_export", not_an_export },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    tmp = test_tmpdir();
    return test_main(argc, argv, cases);
}
