/*
 * tests/integration/test_store_item_queue.c - queued item writes (64 rows
 * per multi-row INSERT) against one upsert per item on real SQLite files:
 * same rows, ids and counts through new items, re-ingest, edits, keys
 * repeated inside one batch; a bad row keeps the rows before it.
 */
#include "test.h"

#include <stdio.h>
#include <string.h>

#include "store/store_internal.h"
#include "vigil/store.h"

#define N_KEYS 300

/* Item number @p k of pass @p pass: text and edit time depend on both. */
static void make_item(vigil_item *it, char *ext, char *text, int64_t src,
                      int k, int64_t edited, const char *what)
{
    memset(it, 0, sizeof(*it));
    snprintf(ext, 24, "%d", k);
    snprintf(text, 64, "%s %d", what, k);
    it->source_id = src;
    it->external_id = ext;
    it->posted_at = 1700000000 + (int64_t)k * 3600;
    it->edited_at = edited;
    it->kind = k % 5 == 0 ? VIGIL_KIND_PHOTO : VIGIL_KIND_TEXT;
    it->text = text;
    it->text_len = strlen(text);
    it->media_size = k % 5 == 0 ? k : -1;
    it->media_state = k % 5 == 0 ? VIGIL_MEDIA_SKIPPED : VIGIL_MEDIA_NONE;
    it->media_note = k % 5 == 0 ? "(File not included)" : NULL;
    it->reply_to = k % 3 == 0 ? k - 1 : 0;
}

/* The passes: every item once, the same again, then edits (every third
 * key later, some keys twice with an older and a newer copy in one batch)
 * and new keys. */
struct op { int k; int64_t edited; const char *what; };

static size_t build_ops(struct op *ops)
{
    size_t n = 0;
    int k, pass;

    for (pass = 0; pass < 2; pass++)
        for (k = 0; k < N_KEYS; k++)
            ops[n++] = (struct op){ k, VIGIL_TIME_UNKNOWN, "first" };
    for (k = 100; k < N_KEYS + 90; k++) {
        if (k % 3 == 0)
            ops[n++] = (struct op){ k, 1800000000 + k, "edited" };
        else
            ops[n++] = (struct op){ k, VIGIL_TIME_UNKNOWN, "first" };
        if (k % 17 == 0) {     /* newer then older copy, same batch */
            ops[n++] = (struct op){ k, 1900000000 + k, "newer" };
            ops[n++] = (struct op){ k, 1850000000 + k, "older" };
        }
        if (k % 23 == 0)       /* and older then newer */
            ops[n++] = (struct op){ k, 1950000000 + k, "newest" };
    }
    return n;
}

/* Apply @p ops with one upsert each (queued == 0) or queued; counts per
 * pass boundary are checked by the caller through @p c. */
static void apply(const char *db, const struct op *ops, size_t n, int queued,
                  vigil_run_counts *c)
{
    vigil_store *st;
    vigil_source src = { "telegram", "77", NULL, "Q", NULL, NULL };
    vigil_upsert_result res;
    vigil_item it;
    char ext[24], text[64];
    int64_t sid;
    size_t i;

    memset(c, 0, sizeof(*c));
    CHECK_OK(vigil_store_open(&st, db, VIGIL_STORE_OPEN_CREATE));
    CHECK_OK(vigil_store_source_upsert(st, &src, &sid));
    CHECK_OK(vigil_store_begin(st));
    for (i = 0; i < n; i++) {
        make_item(&it, ext, text, sid, ops[i].k, ops[i].edited, ops[i].what);
        if (queued) {
            CHECK_OK(vigil__store_item_queue(st, &it, c));
            continue;
        }
        CHECK_OK(vigil_store_item_upsert(st, &it, &res, NULL));
        *(res == VIGIL_UPSERT_ADDED ? &c->added
          : res == VIGIL_UPSERT_UPDATED ? &c->updated : &c->unchanged) += 1;
    }
    CHECK_OK(vigil_store_commit(st));       /* writes the queue's tail */
    vigil_store_close(st);
}

static void test_store_item_queue__same_as_upserts(void)
{
    static struct op ops[4 * N_KEYS];
    const char *dir = test_tmpdir();
    char one[1100], many[1100], q[256], a[400];
    vigil_run_counts c1, c2;
    size_t n = build_ops(ops);
    int k;

    snprintf(one, sizeof(one), "%s", test_path(dir, "one.db"));
    snprintf(many, sizeof(many), "%s", test_path(dir, "queued.db"));
    CHECK(n > 3 * 64);
    apply(one, ops, n, 0, &c1);
    apply(many, ops, n, 1, &c2);
    CHECK_EQ_INT(c2.added, c1.added);
    CHECK_EQ_INT(c2.updated, c1.updated);
    CHECK_EQ_INT(c2.unchanged, c1.unchanged);
    CHECK_EQ_INT(c1.added, N_KEYS + 90);
    CHECK(c1.updated > 40);
    CHECK_EQ_INT(c1.added + c1.updated + c1.unchanged, n);
    CHECK_EQ_INT(test_sql_int(many, "SELECT count(*) FROM items"), N_KEYS + 90);
    for (k = 0; k < N_KEYS + 90; k++) {
        snprintf(q, sizeof(q), "SELECT id || '|' || text || '|' || "
                 "coalesce(edited_at, '-') || '|' || posted_month || '|' || "
                 "media_state || '|' || coalesce(reply_to, '-') FROM items "
                 "WHERE external_id = '%d'", k);
        snprintf(a, sizeof(a), "%.300s", test_sql_text(one, q));
        CHECK_EQ_STR(test_sql_text(many, q), a);
    }
    /* the newest copy won where one batch held several */
    CHECK_EQ_STR(test_sql_text(many, "SELECT text FROM items WHERE "
                               "external_id = '153'"), "newer 153");
    CHECK_EQ_STR(test_sql_text(many, "SELECT text FROM items WHERE "
                               "external_id = '276'"), "newest 276");
}

/* A row the database refuses (unknown source: foreign key) in a full
 * batch: the rows before it are kept, the error is returned. */
static void test_store_item_queue__bad_row_keeps_earlier(void)
{
    const char *db = test_path(test_tmpdir(), "bad.db");
    vigil_store *st;
    vigil_source src = { "telegram", "78", NULL, "B", NULL, NULL };
    vigil_run_counts c = { 0 };
    vigil_item it;
    char ext[24], text[64];
    int64_t sid;
    int k, rc = VIGIL_OK;

    CHECK_OK(vigil_store_open(&st, db, VIGIL_STORE_OPEN_CREATE));
    CHECK_OK(vigil_store_source_upsert(st, &src, &sid));
    CHECK_OK(vigil_store_begin(st));
    for (k = 0; k < 64 && rc == VIGIL_OK; k++) {
        make_item(&it, ext, text, k == 40 ? sid + 1000 : sid, k,
                  VIGIL_TIME_UNKNOWN, "row");
        rc = vigil__store_item_queue(st, &it, &c);
    }
    CHECK_EQ_INT(rc, VIGIL_ESTORE);
    CHECK_EQ_INT(k, 64);                 /* raised by the 64th: the write */
    CHECK_EQ_INT(c.added, 40);
    CHECK_OK(vigil_store_commit(st));
    /* rollback drops what is queued */
    CHECK_OK(vigil_store_begin(st));
    make_item(&it, ext, text, sid, 500, VIGIL_TIME_UNKNOWN, "dropped");
    CHECK_OK(vigil__store_item_queue(st, &it, &c));
    CHECK_OK(vigil_store_rollback(st));
    CHECK_OK(vigil_store_begin(st));
    CHECK_OK(vigil__store_item_flush(st));
    CHECK_OK(vigil_store_commit(st));
    vigil_store_close(st);
    CHECK_EQ_INT(test_sql_int(db, "SELECT count(*) FROM items"), 40);
    CHECK_EQ_INT(test_sql_int(db, "SELECT max(CAST(external_id AS INT)) "
                           "FROM items"), 39);
}

static const test_case cases[] = {
    { "same_as_upserts", test_store_item_queue__same_as_upserts },
    { "bad_row_keeps_earlier", test_store_item_queue__bad_row_keeps_earlier },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, cases);
}
