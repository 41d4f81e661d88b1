/*
 * tests/integration/test_bank_incr.c - the saved PDQ index brought up to
 * date from the bank change log on a real SQLite file (cases in
 * bank_incr_cases.h), and `rematch` finding items once a bank gains
 * entries, through the log.
 */
#include "bank_incr_cases.h"

#include "vigil/pdq.h"
#include "vigil/store.h"

static char db_path[1024];

static vigil_store *incr_open(const char *dir)
{
    vigil_store *st = NULL;

    if (dir)
        snprintf(db_path, sizeof(db_path), "%s", test_path(dir, "v.db"));
    CHECK_OK(vigil_store_open(&st, db_path, VIGIL_STORE_OPEN_CREATE));
    return st;
}

static void write_pgm(const char *path)
{
    enum { W = 64 };
    unsigned char px[W * W];
    FILE *f;
    int x, y;

    for (y = 0; y < W; y++)
        for (x = 0; x < W; x++)
            px[y * W + x] = (unsigned char)(((x * 5 + y * 11) % 64) * 3 +
                                            (x > 30 && y > 10 ? 50 : 0));
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    fprintf(f, "P5\n%d %d\n255\n", W, W);
    fwrite(px, 1, sizeof(px), f);
    fclose(f);
}

/* An item stored before its hash reached a bank is matched by the next
 * rematch; the saved index learns the entry from the log, no rebuild. */
static void incr_rematch_after_add(void)
{
    const char *dir = test_tmpdir();
    char img[512], ipath[512];
    vigil_store *st = incr_open(dir);
    static vigil_pdq base[NBASE];
    vigil_match_options mo = VIGIL_MATCH_OPTIONS_INIT;
    vigil_source src = { "telegram", "-100", NULL, "chan", NULL, NULL };
    vigil_match_index_info info;
    vigil_item it;
    vigil_pdq h;
    int64_t sid, iid;
    uint64_t nm = 99;
    struct fstamp before;
    int q = 0;

    if (!st)
        return;
    snprintf(img, sizeof(img), "%s", test_path(dir, "a.pgm"));
    snprintf(ipath, sizeof(ipath), "%s", test_path(dir, "i.pdqidx"));
    write_pgm(img);
    CHECK_OK(vigil_pdq_hash_file(&h, &q, img, NULL));
    seed(st, ipath, base);
    CHECK_OK(vigil_store_source_upsert(st, &src, &sid));
    memset(&it, 0, sizeof(it));
    it.source_id = sid;
    it.external_id = "1";
    it.posted_at = it.edited_at = VIGIL_TIME_UNKNOWN;
    it.kind = VIGIL_KIND_PHOTO;
    it.media_state = VIGIL_MEDIA_PRESENT;
    it.media_path = img;
    it.media_size = -1;
    CHECK_OK(vigil_store_item_upsert(st, &it, NULL, &iid));
    mo.index_path = ipath;
    CHECK_OK(vigil_match_items(st, 0, &mo, &nm));
    CHECK_EQ_INT(nm, 0);
    before = stamp(ipath);
    h = near_pdq(&h, 9);
    change(st, "g", &h, 1, 0);
    CHECK_OK(vigil_match_items(st, 0, &mo, &nm));
    CHECK_EQ_INT(nm, 1);
    CHECK(same_file(before, stamp(ipath)));
    vigil_matcher_free(matcher(st, ipath, 0, &info));
    CHECK_EQ_INT(info.rebuilt, 0);
    CHECK_EQ_INT(info.tail, 1);
    vigil_store_close(st);
}

int main(int argc, char **argv)
{
    static test_case all[16];
    size_t i;

    for (i = 0; incr_cases[i].name; i++)
        all[i] = incr_cases[i];
    all[i].name = "rematch_after_add";
    all[i].fn = incr_rematch_after_add;
    return test_main(argc, argv, all);
}
