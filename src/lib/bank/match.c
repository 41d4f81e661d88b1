/*
 * bank/match.c - the matcher: bank settings plus a PDQ index over every
 * PDQ entry (a saved file brought up to date from the bank change log,
 * bank_pdq_log, or rebuilt from the store), exact digest lookups through
 * the store's (signal_type, value) index, and vigil_match_items() which
 * records matches of stored items.
 */
#define VIGIL_MODULE "match"
#include <string.h>
#include <time.h>

#include "bank/bank_internal.h"
#include "common/alloc.h"
#include "common/error.h"
#include "store/store_internal.h"
#include "vigil/digest.h"
#include "vigil/index.h"
#include "vigil/match.h"

struct mbank {
    int64_t id;
    char *name;
    int threshold;
    int active;                 /* enabled and selected (or suppression) */
    int suppression;
};

struct vigil_matcher {
    vigil_store *st;
    vigil_match_options opts;
    struct mbank *banks;
    size_t nb;
    unsigned radius;            /* largest threshold among active banks */
    int any_active;
    vigil_index *idx;           /* NULL when no active bank */
    vigil__stmt *entry_q;
    vigil__stmt *digest_q;
    vigil_index_results res;
    vigil_match_index_info info;
};

static const char *const variant_names[8] = {
    "original", "rot90", "rot180", "rot270", "flipx", "flipy",
    "flip_plus1", "flip_minus1"
};

const char *vigil_match_variant_name(int variant)
{
    return variant >= 0 && variant < 8 ? variant_names[variant] : NULL;
}

void vigil_match_list_clear(vigil_match_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        vigil__free(l->v[i].bank);
        vigil__free(l->v[i].label);
    }
    l->n = 0;
    l->suppressed = 0;
}

void vigil_match_list_dispose(vigil_match_list *l)
{
    if (!l)
        return;
    vigil_match_list_clear(l);
    vigil__free(l->v);
    l->v = NULL;
    l->cap = 0;
}

void vigil_matcher_free(vigil_matcher *m)
{
    size_t i;

    if (!m)
        return;
    for (i = 0; i < m->nb; i++)
        vigil__free(m->banks[i].name);
    vigil__free(m->banks);
    vigil_index_free(m->idx);
    vigil__stmt_free(m->entry_q);
    vigil__stmt_free(m->digest_q);
    vigil_index_results_dispose(&m->res);
    vigil__free(m);
}

static int load_banks(vigil_matcher *m)
{
    vigil_bank *v;
    size_t n, i, j;
    int rc;

    if ((rc = vigil_bank__list(&v, &n, m->st, 0)) < 0)
        return rc;
    if ((m->banks = vigil__calloc(n ? n : 1, sizeof(*m->banks))) == NULL) {
        vigil_bank_list_dispose(v, n);
        return VIGIL_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        struct mbank *b = &m->banks[m->nb++];
        int selected = m->opts.banks == NULL;

        b->id = v[i].id;
        b->name = v[i].name;
        v[i].name = NULL;
        b->suppression = v[i].is_suppression;
        b->threshold = m->opts.threshold >= 0 ? m->opts.threshold
                                              : v[i].threshold;
        for (j = 0; m->opts.banks && j < m->opts.n_banks; j++)
            selected |= strcmp(m->opts.banks[j], b->name) == 0;
        b->active = v[i].enabled && (selected || b->suppression);
        if (b->active && (unsigned)b->threshold > m->radius)
            m->radius = (unsigned)b->threshold;
        m->any_active |= b->active;
    }
    vigil_bank_list_dispose(v, n);
    for (j = 0; m->opts.banks && j < m->opts.n_banks; j++) {
        for (i = 0; i < m->nb && strcmp(m->banks[i].name, m->opts.banks[j]);
             i++)
            ;
        if (i == m->nb)
            return vigil_error_set(VIGIL_ENOTFOUND, "no bank named '%s'",
                                   m->opts.banks[j]);
    }
    return VIGIL_OK;
}

/* The 32 stored bytes of a PDQ value as a hash (big-endian words). */
static int pdq_from_bytes(vigil_pdq *h, const unsigned char *v, size_t len)
{
    size_t i;

    if (!v || len != VIGIL_PDQ_BITS / 8)
        return -1;              /* validated on insert; skip defensively */
    memset(h, 0, sizeof(*h));
    for (i = 0; i < VIGIL_PDQ_BITS / 8; i++)
        h->w[i / 8] = h->w[i / 8] << 8 | v[i];
    return 0;
}

static vigil_index_options index_opts(void)
{
    vigil_index_options o = VIGIL_INDEX_OPTIONS_INIT;

    o.delta_max = SIZE_MAX;     /* the matcher decides when to compact */
    return o;
}

/*
 * Build from every PDQ entry. The generation comes from the same statement
 * (one snapshot on both backends), so the index holds exactly the changes
 * up to it and the log rows above it are exactly the ones it lacks.
 */
static int build_index(vigil_matcher *m, int64_t *gen_out, int64_t *count_out)
{
    vigil_index_options io = index_opts();
    vigil__stmt *s;
    vigil_pdq *h = NULL, *nh;
    int64_t *ids = NULL, *ni;
    size_t n = 0, cap = 0;
    int rc;

    *gen_out = *count_out = -1;
    if ((rc = vigil__stmt_new(&s, m->st, "SELECT 0, (SELECT value FROM "
                              "bank_state WHERE key = 'pdq_generation'), NULL, "
                              "(SELECT value FROM bank_state WHERE key = "
                              "'pdq_count') UNION ALL SELECT 1, id, value, 0 "
                              "FROM bank_entries WHERE signal_type = 'pdq'"))
        < 0)
        return rc;
    while ((rc = vigil__step(s)) == VIGIL_ROW) {
        size_t len = 0;
        const unsigned char *v = vigil__col_blob(s, 2, &len);

        if (vigil__col_int64(s, 0) == 0) {
            *gen_out = vigil__col_int64(s, 1);
            *count_out = vigil__col_int64(s, 3);
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            nh = vigil__realloc(h, cap * sizeof(*h));
            if (nh)
                h = nh;
            ni = nh ? vigil__realloc(ids, cap * sizeof(*ids)) : NULL;
            if (!ni) {
                rc = VIGIL_ENOMEM;
                break;
            }
            ids = ni;
        }
        if (pdq_from_bytes(&h[n], v, len) == 0)
            ids[n++] = vigil__col_int64(s, 1);
    }
    vigil__stmt_free(s);
    if (rc >= 0)
        rc = vigil_index_build(&m->idx, h, ids, n, &io);
    vigil__free(h);
    vigil__free(ids);
    m->info.rebuilt = rc >= 0;
    return rc < 0 ? rc : VIGIL_OK;
}

/* What the change log says, read in one statement with its tail. */
struct log_view {
    int64_t gen, count, floor;
    size_t applied;
    int missing;                /* a removal found nothing: not our file */
};

/*
 * Apply the log rows above generation @p since to @p idx, in order. One
 * statement: the state row (generation, live count, floor) and the tail
 * come from the same snapshot.
 */
static int apply_tail(vigil_matcher *m, vigil_index *idx, int64_t since,
                      struct log_view *lv)
{
    vigil__stmt *s;
    vigil_pdq h;
    int rc;

    memset(lv, 0, sizeof(*lv));
    lv->gen = -1;
    if ((rc = vigil__stmt_new(&s, m->st, "SELECT 0, (SELECT value FROM "
                              "bank_state WHERE key = 'pdq_generation'), "
                              "(SELECT value FROM bank_state WHERE key = "
                              "'pdq_count'), (SELECT value FROM bank_state "
                              "WHERE key = 'pdq_log_floor'), NULL, 0 UNION ALL "
                              "SELECT 1, gen, op, entry_id, value, id FROM "
                              "bank_pdq_log WHERE gen > ? ORDER BY 1, 2, 6"))
        < 0)
        return rc;
    vigil__bind_int64(s, 1, since);
    while ((rc = vigil__step(s)) == VIGIL_ROW) {
        size_t len = 0;
        const unsigned char *v = vigil__col_blob(s, 4, &len);
        int64_t id = vigil__col_int64(s, 3);

        if (vigil__col_int64(s, 0) == 0) {
            lv->gen = vigil__col_int64(s, 1);
            lv->count = vigil__col_int64(s, 2);
            lv->floor = vigil__col_int64(s, 3);
            if (lv->floor > since || lv->gen < since)
                break;          /* pruned past the file, or a newer file */
            continue;
        }
        if (pdq_from_bytes(&h, v, len) < 0)
            continue;
        lv->applied++;
        if (vigil__col_int64(s, 2) > 0) {
            rc = vigil_index_add(idx, &h, id);
        } else if ((rc = vigil_index_remove(idx, &h, id)) == VIGIL_ENOTFOUND) {
            vigil_error_clear();
            lv->missing = 1;
            break;
        }
        if (rc < 0)
            break;
    }
    vigil__stmt_free(s);
    return rc < 0 ? rc : VIGIL_OK;
}

/* Tail length past which the delta is merged and the file rewritten: the
 * delta is scanned linearly by every search (n/1024 keeps that cost near
 * a tenth of a search). */
static size_t tail_bound(const vigil_matcher *m, size_t n)
{
    size_t b = n / 1024;

    if (m->opts.index_tail_max)
        return m->opts.index_tail_max;
    return b < 4096 ? 4096 : b > 65536 ? 65536 : b;
}

/* Drop log rows the saved file covers (best effort: a read-only store or
 * a caller's open transaction just keeps them). Other index files older
 * than the new floor are rebuilt when opened. */
static void prune_log(vigil_matcher *m, int64_t gen)
{
    vigil__stmt *s = NULL;
    int rc;

    if (vigil_store_begin(m->st) < 0) {
        vigil_error_clear();
        return;
    }
    rc = vigil__stmt_new(&s, m->st, "DELETE FROM bank_pdq_log WHERE gen <= ?");
    if (rc == VIGIL_OK) {
        vigil__bind_int64(s, 1, gen);
        rc = vigil__step(s);
        vigil__stmt_free(s);
    }
    if (rc >= 0 &&
        (rc = vigil__stmt_new(&s, m->st, "UPDATE bank_state SET value = ? "
                              "WHERE key = 'pdq_log_floor' AND value < ?"))
        == VIGIL_OK) {
        vigil__bind_int64(s, 1, gen);
        vigil__bind_int64(s, 2, gen);
        rc = vigil__step(s);
        vigil__stmt_free(s);
    }
    if (rc >= 0)
        rc = vigil_store_commit(m->st);
    else
        vigil_store_rollback(m->st);
    if (rc < 0)
        vigil_error_clear();
}

static void save_index(vigil_matcher *m, int64_t gen)
{
    if (!m->opts.index_path)
        return;
    if (vigil_index_save(m->idx, m->opts.index_path, (uint64_t)gen) < 0) {
        vigil_error_clear();    /* a cache only: matching goes on */
        return;
    }
    m->info.saved = 1;
    if (!m->opts.index_keep_log)
        prune_log(m, gen);
}

/*
 * The saved file plus the log tail, when the file is current enough;
 * @return VIGIL_OK with m->idx set, VIGIL_ENOTFOUND when a rebuild is
 * needed, or a store error.
 */
static int open_saved(vigil_matcher *m)
{
    vigil_index_options io = index_opts();
    struct log_view lv;
    uint64_t tag = 0;
    int rc;

    if (!m->opts.index_path || m->opts.index_rebuild ||
        vigil_index_open(&m->idx, m->opts.index_path, &tag, &io) < 0 ||
        tag > (uint64_t)INT64_MAX) {   /* e.g. a file of the old scheme */
        vigil_index_free(m->idx);
        m->idx = NULL;
        vigil_error_clear();
        return VIGIL_ENOTFOUND;
    }
    if ((rc = apply_tail(m, m->idx, (int64_t)tag, &lv)) < 0)
        return rc;
    m->info.tail = lv.applied;
    if (lv.gen < 0 || lv.floor > (int64_t)tag || lv.gen < (int64_t)tag ||
        lv.missing || vigil_index_count(m->idx) != (size_t)lv.count) {
        vigil_index_free(m->idx);
        m->idx = NULL;
        return VIGIL_ENOTFOUND;
    }
    m->info.gen = lv.gen;
    if (lv.applied > tail_bound(m, vigil_index_count(m->idx)) ||
        (m->opts.index_compact && lv.applied > 0)) {
        if ((rc = vigil_index_compact(m->idx)) < 0)
            return rc;
        m->info.compacted = 1;
        save_index(m, lv.gen);
    }
    return VIGIL_OK;
}

/*
 * bank_state.pdq_count disagreed with the entries themselves (rows changed
 * behind the library's back): recount, as a writer (the generation bump
 * queues other writers), so that the next open can use the file again.
 * Best effort, like pruning.
 */
static void repair_count(vigil_matcher *m)
{
    int64_t gen;
    int rc;

    if (vigil_store_begin(m->st) < 0) {
        vigil_error_clear();
        return;
    }
    if ((rc = vigil_bank__log_begin(m->st, &gen)) == VIGIL_OK)
        rc = vigil__store_exec(m->st, "UPDATE bank_state SET value = (SELECT "
                               "COUNT(*) FROM bank_entries WHERE signal_type = "
                               "'pdq') WHERE key = 'pdq_count'");
    if (rc == VIGIL_OK)
        rc = vigil_store_commit(m->st);
    else
        vigil_store_rollback(m->st);
    if (rc < 0)
        vigil_error_clear();
}

static int load_index(vigil_matcher *m)
{
    int64_t gen, count;
    int rc;

    if ((rc = open_saved(m)) != VIGIL_ENOTFOUND)
        return rc;
    m->info.tail = 0;
    if ((rc = build_index(m, &gen, &count)) < 0)
        return rc;
    m->info.gen = gen;
    save_index(m, gen);
    if (count != (int64_t)vigil_index_count(m->idx))
        repair_count(m);
    return VIGIL_OK;
}

int vigil_matcher_index_info(const vigil_matcher *m,
                             vigil_match_index_info *out)
{
    VIGIL_ASSERT_ARG(m != NULL && out != NULL);
    *out = m->info;
    out->entries = m->idx ? vigil_index_count(m->idx) : 0;
    return VIGIL_OK;
}

int vigil_matcher_open(vigil_matcher **out, vigil_store *st,
                       const vigil_match_options *opts)
{
    vigil_match_options def = VIGIL_MATCH_OPTIONS_INIT;
    vigil_matcher *m;
    int rc;

    VIGIL_ASSERT_ARG(out != NULL && st != NULL);
    *out = NULL;
    if ((m = vigil__calloc(1, sizeof(*m))) == NULL)
        return VIGIL_ENOMEM;
    m->st = st;
    m->opts = opts ? *opts : def;
    if (m->opts.threshold > VIGIL_PDQ_BITS)
        m->opts.threshold = VIGIL_PDQ_BITS;
    if ((rc = load_banks(m)) < 0 ||
        ((m->any_active || m->opts.index_rebuild || m->opts.index_compact) &&
         (rc = load_index(m)) < 0) ||
        (rc = vigil__stmt_new(&m->entry_q, st, "SELECT bank_id, label FROM "
                              "bank_entries WHERE id = ?")) < 0 ||
        (rc = vigil__stmt_new(&m->digest_q, st, "SELECT id, bank_id, label "
                              "FROM bank_entries WHERE signal_type = ? AND "
                              "value = ?")) < 0) {
        vigil_matcher_free(m);
        return rc;
    }
    *out = m;
    return VIGIL_OK;
}

static const struct mbank *bank_by_id(const vigil_matcher *m, int64_t id)
{
    size_t i;

    for (i = 0; i < m->nb; i++)
        if (m->banks[i].id == id)
            return &m->banks[i];
    return NULL;
}

static int list_add(vigil_match_list *l, const struct mbank *b,
                    const char *label, vigil_signal_type t, int dist,
                    int variant, int64_t entry)
{
    vigil_match *x;

    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        vigil_match *nv = vigil__realloc(l->v, nc * sizeof(*nv));

        if (!nv)
            return VIGIL_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    x = &l->v[l->n];
    x->bank = vigil__strdup(b->name);
    x->label = label ? vigil__strdup(label) : NULL;
    if (!x->bank || (label && !x->label)) {
        vigil__free(x->bank);
        vigil__free(x->label);
        return VIGIL_ENOMEM;
    }
    x->type = t;
    x->distance = dist;
    x->variant = variant;
    x->entry_id = entry;
    x->suppression = b->suppression;
    l->suppressed |= b->suppression;
    l->n++;
    return VIGIL_OK;
}

int vigil_matcher_pdq(vigil_matcher *m, const vigil_pdq *q, unsigned n_q,
                      vigil_match_list *out)
{
    size_t i;
    int rc;

    VIGIL_ASSERT_ARG(m != NULL && q != NULL && out != NULL);
    if (!m->idx)
        return VIGIL_OK;
    if ((rc = vigil_index_search(m->idx, &m->res, q, n_q, m->radius)) < 0)
        return rc;
    for (i = 0; i < m->res.n; i++) {
        const vigil_index_hit *h = &m->res.v[i];
        const struct mbank *b;

        vigil__bind_int64(m->entry_q, 1, h->id);
        rc = vigil__step(m->entry_q);
        if (rc == VIGIL_ROW &&
            (b = bank_by_id(m, vigil__col_int64(m->entry_q, 0))) != NULL &&
            b->active && h->distance <= b->threshold)
            rc = list_add(out, b, vigil__col_text(m->entry_q, 1, NULL),
                          VIGIL_SIGNAL_PDQ, h->distance,
                          n_q > 1 ? h->variant : -1, h->id);
        vigil__reset(m->entry_q);
        if (rc < 0)
            return rc;
    }
    return VIGIL_OK;
}

int vigil_matcher_digest(vigil_matcher *m, vigil_signal_type type,
                         const char *hex, vigil_match_list *out)
{
    unsigned char raw[VIGIL_BANK__DIGEST_MAX];
    vigil__stmt *s;
    size_t len;
    int rc;

    VIGIL_ASSERT_ARG(m != NULL && hex != NULL && out != NULL);
    if (vigil_bank__value_bytes(raw, &len, type, hex, strlen(hex)) < 0)
        return VIGIL_OK;        /* not a digest of this type: no match */
    s = m->digest_q;
    vigil__bind_str(s, 1, vigil_signal_type_name(type));
    vigil__bind_blob(s, 2, raw, len);
    while ((rc = vigil__step(s)) == VIGIL_ROW) {
        const struct mbank *b = bank_by_id(m, vigil__col_int64(s, 1));

        if (b && b->active &&
            (rc = list_add(out, b, vigil__col_text(s, 2, NULL), type, 0, -1,
                           vigil__col_int64(s, 0))) < 0)
            break;
    }
    vigil__reset(s);
    return rc < 0 ? rc : VIGIL_OK;
}

static int file_pdq(vigil_matcher *m, const char *path, vigil_match_list *out)
{
    vigil_pdq q[8];
    int quality = 0, rc;

    if (m->opts.dihedral)
        rc = vigil_pdq_hash_file_dihedral(q, &quality, path, NULL);
    else
        rc = vigil_pdq_hash_file(q, &quality, path, NULL);
    if (rc < 0)
        return rc;
    if (quality < VIGIL_PDQ_MIN_QUALITY)
        return vigil_error_set(VIGIL_ELIMIT, "%s: PDQ quality %d is below %d "
                               "(too flat to match)", path, quality,
                               VIGIL_PDQ_MIN_QUALITY);
    return vigil_matcher_pdq(m, q, m->opts.dihedral ? 8 : 1, out);
}

int vigil_matcher_file(vigil_matcher *m, const char *path,
                       vigil_match_list *out, int *pdq_status_out)
{
    vigil_digests d;
    char hex[2 * VIGIL_SHA256_LEN + 1];
    int rc;

    VIGIL_ASSERT_ARG(m != NULL && path != NULL && out != NULL);
    if ((rc = vigil_digest_file(&d, path)) < 0)
        return rc;
    vigil_hex_encode(hex, d.md5, VIGIL_MD5_LEN);
    if ((rc = vigil_matcher_digest(m, VIGIL_SIGNAL_MD5, hex, out)) < 0)
        return rc;
    vigil_hex_encode(hex, d.sha256, VIGIL_SHA256_LEN);
    if ((rc = vigil_matcher_digest(m, VIGIL_SIGNAL_SHA256, hex, out)) < 0)
        return rc;
    rc = file_pdq(m, path, out);
    if (pdq_status_out)
        *pdq_status_out = rc;
    if (rc == VIGIL_ESTORE || rc == VIGIL_ENOMEM)
        return rc;
    if (rc < 0)
        vigil_error_clear();
    return VIGIL_OK;
}

/* ---- stored items ------------------------------------------------------ */

static int record(vigil_store *st, vigil__stmt *ins, int64_t item,
                  const vigil_match *x, int64_t now, uint64_t *n)
{
    const char *var = vigil_match_variant_name(x->variant);
    int rc;

    vigil__bind_int64(ins, 1, item);
    vigil__bind_str(ins, 2, x->bank);
    vigil__bind_int64(ins, 3, x->entry_id);
    vigil__bind_str(ins, 4, vigil_signal_type_name(x->type));
    vigil__bind_int64(ins, 5, x->distance);
    vigil__bind_str(ins, 6, var);
    vigil__bind_str(ins, 7, x->label);
    vigil__bind_int64(ins, 8, now);
    vigil__bind_int64(ins, 9, item);
    vigil__bind_str(ins, 10, x->bank);
    vigil__bind_int64(ins, 11, x->entry_id);
    vigil__bind_str(ins, 12, var);
    vigil__bind_str(ins, 13, var);
    rc = vigil__step(ins);
    vigil__reset(ins);
    if (rc < 0)
        return rc;
    *n += (uint64_t)vigil__store_changes(st);
    return VIGIL_OK;
}

struct item_row {
    int64_t id;
    char *kind, *path, *sha256, *md5;
};

static void item_row_dispose(struct item_row *r)
{
    vigil__free(r->kind);
    vigil__free(r->path);
    vigil__free(r->sha256);
    vigil__free(r->md5);
}

static char *dup_col(vigil__stmt *s, int c)
{
    const char *t = vigil__col_text(s, c, NULL);

    return t ? vigil__strdup(t) : NULL;
}

static int match_item(vigil_matcher *m, const struct item_row *r,
                      vigil_match_list *l)
{
    int rc = VIGIL_OK, ps;

    vigil_match_list_clear(l);
    if (r->sha256)
        rc = vigil_matcher_digest(m, VIGIL_SIGNAL_SHA256, r->sha256, l);
    if (rc == VIGIL_OK && r->md5)
        rc = vigil_matcher_digest(m, VIGIL_SIGNAL_MD5, r->md5, l);
    if (rc == VIGIL_OK && r->path && r->kind &&
        (strcmp(r->kind, "photo") == 0 || strcmp(r->kind, "sticker") == 0 ||
         strcmp(r->kind, "file") == 0)) {
        rc = file_pdq(m, r->path, l);
        ps = rc;
        if (ps < 0 && ps != VIGIL_ESTORE && ps != VIGIL_ENOMEM) {
            vigil_error_clear();    /* not an image, unreadable: skip PDQ */
            rc = VIGIL_OK;
        }
    }
    return rc;
}

/* Match the items with id >= @p min_id, and with @p updated_since > 0
 * also those updated at or after it (ids below @p min_id: media that a
 * later export brought). */
static int match_items_run(vigil_matcher *m, vigil_store *st,
                           int64_t min_id, int64_t updated_since, uint64_t *n)
{
    vigil__stmt *sel = NULL, *ins = NULL;
    vigil_match_list l = VIGIL_MATCH_LIST_INIT;
    int64_t now = (int64_t)time(NULL);
    int rc;
    size_t i;

    if ((rc = vigil__stmt_new(&sel, st, updated_since > 0
                              ? "SELECT id, kind, media_path, sha256, md5 FROM "
                                "items WHERE media_state = 'present' AND (id >= ? "
                                "OR updated_at >= ?) ORDER BY id"
                              : "SELECT id, kind, media_path, sha256, "
                                "md5 FROM items WHERE id >= ? AND media_state = "
                                "'present' ORDER BY id")) < 0 ||
        (rc = vigil__stmt_new(&ins, st, "INSERT INTO matches (item_id, bank, "
                              "entry_id, signal_type, distance, variant, "
                              "label, matched_at) SELECT CAST(? AS BIGINT), "
                              "CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS "
                              "TEXT), CAST(? AS BIGINT), CAST(? AS TEXT), "
                              "CAST(? AS TEXT), CAST(? AS BIGINT) WHERE NOT "
                              "EXISTS (SELECT 1 FROM matches WHERE item_id = "
                              "? AND bank = ? AND entry_id = ? AND (variant = "
                              "? OR (variant IS NULL AND CAST(? AS TEXT) IS "
                              "NULL)))")) < 0)
        goto out;
    vigil__bind_int64(sel, 1, min_id);
    if (updated_since > 0)
        vigil__bind_int64(sel, 2, updated_since);
    while ((rc = vigil__step(sel)) == VIGIL_ROW) {
        struct item_row r;

        r.id = vigil__col_int64(sel, 0);
        r.kind = dup_col(sel, 1);
        r.path = dup_col(sel, 2);
        r.sha256 = dup_col(sel, 3);
        r.md5 = dup_col(sel, 4);
        rc = match_item(m, &r, &l);
        for (i = 0; rc == VIGIL_OK && !l.suppressed && i < l.n; i++)
            rc = record(st, ins, r.id, &l.v[i], now, n);
        item_row_dispose(&r);
        if (rc < 0)
            break;
    }
out:
    vigil_match_list_dispose(&l);
    vigil__stmt_free(sel);
    vigil__stmt_free(ins);
    return rc < 0 ? rc : VIGIL_OK;
}

int vigil_match_items(vigil_store *st, int64_t min_item_id,
                      const vigil_match_options *opts, uint64_t *matches_out)
{
    return vigil__match_items_since(st, min_item_id, 0, opts, matches_out);
}

int vigil__match_items_since(vigil_store *st, int64_t min_item_id,
                             int64_t updated_since,
                             const vigil_match_options *opts,
                             uint64_t *matches_out)
{
    vigil_matcher *m;
    uint64_t n = 0;
    int rc;

    VIGIL_ASSERT_ARG(st != NULL);
    if (matches_out)
        *matches_out = 0;
    if ((rc = vigil_matcher_open(&m, st, opts)) < 0)
        return rc;
    if ((rc = vigil_store_begin(st)) == VIGIL_OK) {
        rc = match_items_run(m, st, min_item_id, updated_since, &n);
        if (rc == VIGIL_OK)
            rc = vigil_store_commit(st);
        else
            vigil_store_rollback(st);
    }
    vigil_matcher_free(m);
    if (rc == VIGIL_OK && matches_out)
        *matches_out = n;
    return rc;
}
