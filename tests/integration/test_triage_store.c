/*
 * tests/integration/test_triage_store.c - vigil_triage_store_items on a real
 * SQLite file: hits, indicators and lang written per item, re-runs give the
 * same rows, min_item_id respected, items without text skipped.
 */
#include "test.h"

#include <string.h>

#include "store/store_internal.h"   /* vigil__store_exec */
#include "vigil/store.h"
#include "vigil/text.h"

/* Item @p ext of @p src with @p text, edited at @p edited (a later edit
 * replaces the stored text). */
static int64_t edit_item(vigil_store *st, int64_t src, const char *ext,
                         const char *text, int64_t edited)
{
    vigil_item it;
    int64_t id = 0;

    memset(&it, 0, sizeof(it));
    it.source_id = src;
    it.external_id = ext;
    it.posted_at = VIGIL_TIME_UNKNOWN;
    it.edited_at = edited;
    it.kind = VIGIL_KIND_TEXT;
    it.text = text;
    it.text_len = text ? strlen(text) : 0;
    it.media_size = -1;
    CHECK_OK(vigil_store_item_upsert(st, &it, NULL, &id));
    return id;
}

static int64_t add_item(vigil_store *st, int64_t src, const char *ext,
                        const char *text)
{
    return edit_item(st, src, ext, text, VIGIL_TIME_UNKNOWN);
}

static void test_triage_store__items(void)
{
    const char *db = test_path(test_tmpdir(), "triage.db");
    vigil_store *st;
    vigil_source src = { "telegram", "-100123", "@chan", "Chan", NULL, NULL };
    int64_t sid, a, b, c;
    uint64_t n;

    CHECK_OK(vigil_store_open(&st, db, VIGIL_STORE_OPEN_CREATE));
    CHECK_OK(vigil_store_source_upsert(st, &src, &sid));
    a = add_item(st, sid, "1", "New from Al-Azaim and V0ice of Khurasan, "
                 "see t.me/examplechan and 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
    b = add_item(st, sid, "2", "\xD0\xA1\xD0\xB0\xD0\xB4\xD0\xBE\xD0\xB8 "
                 "\xD0\xA5\xD1\x83\xD1\x80\xD0\xBE\xD1\x81\xD0\xBE\xD0\xBD "
                 "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb");
    c = add_item(st, sid, "3", NULL);
    CHECK(a > 0 && b > a && c > b);

    CHECK_OK(vigil_triage_store_items(st, 0, &n));
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM watchlist_hits"), 4);
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM indicators"), 3);
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM indicators WHERE "
                           "type = 'bitcoin' AND valid = 1"), 1);
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM indicators WHERE "
                           "type = 'bitcoin' AND valid = 0"), 1);
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM watchlist_hits WHERE "
                           "outlet = 'Voice of Khurasan' AND start_byte = 22 "
                           "AND end_byte = 39"), 1);
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM items WHERE lang IS NOT "
                           "NULL"), 2);
    /* labels come from langid: "eng-Latn"-style or "und" */
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM items WHERE lang = 'und' OR"
                           " lang LIKE '___-____'"), 2);

    /* idempotent */
    CHECK_OK(vigil_triage_store_items(st, 0, &n));
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM watchlist_hits"), 4);
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM indicators"), 3);

    /* an edit without names or wallets: its old rows go, b's stay; the
     * edit back brings them again */
    CHECK_EQ_INT(edit_item(st, sid, "1", "plain words only, edited", 1700000000), a);
    CHECK_OK(vigil_triage_store_items(st, 0, &n));
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM watchlist_hits WHERE "
                           "item_id = (SELECT MIN(id) FROM items)"), 0);
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM indicators WHERE "
                           "item_id = (SELECT MIN(id) FROM items)"), 0);
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM watchlist_hits"), 2);
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM indicators"), 1);
    CHECK_EQ_INT(edit_item(st, sid, "1", "New from Al-Azaim and V0ice of Khurasan, "
                           "see t.me/examplechan and 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                           1700000100), a);
    CHECK_OK(vigil_triage_store_items(st, 0, &n));
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM watchlist_hits"), 4);
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM indicators"), 3);

    /* only items from b on */
    CHECK_OK(vigil_store_begin(st));
    CHECK_OK(vigil__store_exec(st, "DELETE FROM watchlist_hits"));
    CHECK_OK(vigil_store_commit(st));
    CHECK_OK(vigil_triage_store_items(st, b, &n));
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM watchlist_hits"), 2);
    vigil_store_close(st);

    /* survives reopening */
    CHECK_OK(vigil_store_open(&st, db, 0));
    CHECK_EQ_INT(test_sql_int(db, "SELECT COUNT(*) FROM indicators"), 3);
    vigil_store_close(st);
}

int main(int argc, char **argv)
{
    static const test_case cases[] = {
        { "test_triage_store__items", test_triage_store__items },
        { NULL, NULL }
    };
    return test_main(argc, argv, cases);
}
