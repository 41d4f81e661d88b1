/*
 * bank/list_write.c - export a bank in the list formats of list_parse.c;
 * JSONL carries every field and the bank's settings, so it round-trips.
 */
#define VIGIL_MODULE "bank"
#include <string.h>

#include "bank/bank_internal.h"
#include "common/error.h"
#include "store/store_internal.h"
#include "util/buf.h"
#include "util/json_out.h"

#define FLUSH_AT (64 * 1024)

struct row {
    int type;
    const char *value, *label, *outlet, *category, *source_list, *date_added,
               *note;
    int64_t id;
};

static void json_kv(vgu_buf *b, const char *k, const char *v)
{
    if (!v)
        return;
    vgu_buf_printf(b, ",\"%s\":", k);
    vgu_json_cstr(b, v);
}

static void write_header(vgu_buf *b, const vigil_bank *bk)
{
    vgu_buf_puts(b, "{\"vigil_bank\":{\"name\":");
    vgu_json_cstr(b, bk->name);
    vgu_buf_puts(b, ",\"signal_types\":");
    vgu_json_cstr(b, bk->signal_types);
    vgu_buf_printf(b, ",\"threshold\":%d,\"enabled\":%s,\"is_suppression\":%s",
                   bk->threshold, bk->enabled ? "true" : "false",
                   bk->is_suppression ? "true" : "false");
    json_kv(b, "description", bk->description);
    vgu_buf_puts(b, "}}\n");
}

static void write_jsonl(vgu_buf *b, const struct row *r)
{
    vgu_buf_puts(b, "{\"type\":");
    vgu_json_cstr(b, vigil_signal_type_name(r->type));
    json_kv(b, "value", r->value);
    json_kv(b, "label", r->label);
    json_kv(b, "outlet", r->outlet);
    json_kv(b, "category", r->category);
    json_kv(b, "source_list", r->source_list);
    json_kv(b, "date_added", r->date_added);
    json_kv(b, "note", r->note);
    vgu_buf_puts(b, "}\n");
}

/* Append one entry in @p fmt; 0 when the format cannot carry it. */
static int write_row(vgu_buf *b, vigil_list_format fmt, const struct row *r)
{
    switch (fmt) {
    case VIGIL_LIST_PLAIN:
        if (r->type == VIGIL_SIGNAL_VPDQ)
            return 0;
        vgu_buf_puts(b, r->value);
        if (r->label)
            vgu_buf_printf(b, ",%s", r->label);
        vgu_buf_putc(b, '\n');
        return 1;
    case VIGIL_LIST_TE:
        vgu_buf_printf(b, "%s,", vigil_signal_type_name(r->type));
        vgu_csv_field(b, r->value);
        vgu_buf_putc(b, ',');
        vgu_csv_field(b, r->source_list ? r->source_list : "");
        vgu_buf_putc(b, ',');
        vgu_csv_field(b, r->category ? r->category : "");
        vgu_buf_putc(b, ',');
        vgu_csv_field(b, r->label ? r->label : "");
        vgu_buf_putc(b, '\n');
        return 1;
    case VIGIL_LIST_HMA:
        if (r->type == VIGIL_SIGNAL_VPDQ)
            return 0;
        vgu_buf_printf(b, "%s,%lld,0,", r->value, (long long)r->id);
        vgu_csv_field(b, r->date_added ? r->date_added : "");
        vgu_buf_putc(b, ',');
        vgu_csv_field(b, r->label ? r->label : "");
        vgu_buf_putc(b, '\n');
        return 1;
    case VIGIL_LIST_VPDQ:
        if (r->type != VIGIL_SIGNAL_VPDQ)
            return 0;
        vgu_buf_printf(b, "%s\n", r->value);
        return 1;
    case VIGIL_LIST_JSONL:
        write_jsonl(b, r);
        return 1;
    default:
        return 0;
    }
}

/* Plain and HMA lines cannot tell pdq from sha256: allow one of them. */
static int pick_type(const vigil_bank *bk, vigil_list_format fmt,
                     int *type_filter)
{
    if (fmt == VIGIL_LIST_TE)
        return VIGIL_OK;
    if (fmt == VIGIL_LIST_VPDQ) {
        *type_filter = VIGIL_SIGNAL_VPDQ;
        return VIGIL_OK;
    }
    if (*type_filter >= 0 || fmt == VIGIL_LIST_JSONL)
        return VIGIL_OK;
    if (fmt == VIGIL_LIST_HMA || (bk->n_entries[VIGIL_SIGNAL_PDQ] &&
                                  bk->n_entries[VIGIL_SIGNAL_SHA256])) {
        if (bk->n_entries[VIGIL_SIGNAL_PDQ] && bk->n_entries[VIGIL_SIGNAL_SHA256])
            return vigil_error_set(VIGIL_EINVAL, "bank '%s' holds pdq and "
                                   "sha256 entries; %s lines cannot tell them "
                                   "apart: choose one type", bk->name,
                                   vigil_list_format_name(fmt));
        *type_filter = bk->n_entries[VIGIL_SIGNAL_SHA256] ? VIGIL_SIGNAL_SHA256
                     : bk->n_entries[VIGIL_SIGNAL_MD5] &&
                       !bk->n_entries[VIGIL_SIGNAL_PDQ] ? VIGIL_SIGNAL_MD5
                     : VIGIL_SIGNAL_PDQ;
    }
    return VIGIL_OK;
}

static int flush(vgu_buf *b, vigil_list_write_cb write, void *payload)
{
    int rc = b->len ? write(payload, b->ptr, b->len) : 0;

    vgu_buf_clear(b);
    return rc < 0 ? rc : VIGIL_OK;
}

static const char *col(vigil__stmt *s, int c)
{
    return vigil__col_text(s, c, NULL);
}

/* The text form of a stored value (column 1): hex of a digest's bytes, a
 * vPDQ's JSON as stored. */
static int value_text(vgu_buf *out, vigil__stmt *s, int type)
{
    size_t n = 0;
    const unsigned char *v = vigil__col_blob(s, 1, &n);
    char hex[2 * VIGIL_BANK__DIGEST_MAX + 1];

    vgu_buf_clear(out);
    if (type != VIGIL_SIGNAL_VPDQ && n <= VIGIL_BANK__DIGEST_MAX) {
        vigil_bank__value_hex(hex, v ? v : (const unsigned char *)"", n);
        return vgu_buf_puts(out, hex) == 0 ? 0 : -1;
    }
    if (vgu_buf_append(out, v ? (const char *)v : "", n) != 0 ||
        vgu_buf_putc(out, '\0') != 0)
        return -1;
    return 0;
}

int vigil_bank_export(vigil_store *st, const char *name, vigil_list_format fmt,
                      int type_filter, vigil_list_write_cb write,
                      void *payload, size_t *n_out)
{
    vigil_bank bk;
    vigil__stmt *s = NULL;
    vgu_buf b = VGU_BUF_INIT, val = VGU_BUF_INIT;
    size_t n = 0;
    int rc;

    VIGIL_ASSERT_ARG(st != NULL && name != NULL && write != NULL);
    if (n_out)
        *n_out = 0;
    if ((unsigned)fmt >= VIGIL_LIST__COUNT)
        return vigil_error_set(VIGIL_EINVAL, "unknown list format %d", fmt);
    if ((rc = vigil_bank_get(&bk, st, name)) < 0)
        return rc;
    if ((rc = pick_type(&bk, fmt, &type_filter)) < 0)
        goto out;
    if (fmt == VIGIL_LIST_JSONL)
        write_header(&b, &bk);
    if (fmt == VIGIL_LIST_TE)
        vgu_buf_puts(&b, "signal_type,signal_str,collab,category,tags\n");
    if ((rc = vigil__stmt_new(&s, st, "SELECT signal_type, value, label, "
                              "outlet, category, source_list, date_added, "
                              "note, id FROM bank_entries WHERE bank_id = ? "
                              "ORDER BY id")) < 0)
        goto out;
    vigil__bind_int64(s, 1, bk.id);
    while ((rc = vigil__step(s)) == VIGIL_ROW) {
        struct row r;
        vigil_signal_type t;
        const char *tn = col(s, 0);

        if (!tn || vigil_signal_type_parse(&t, tn, strlen(tn)) < 0)
            continue;
        if (type_filter >= 0 && (int)t != type_filter)
            continue;
        r.type = (int)t;
        if (value_text(&val, s, r.type) < 0) {
            rc = VIGIL_ENOMEM;
            goto out;
        }
        r.value = val.ptr;
        r.label = col(s, 2);
        r.outlet = col(s, 3);
        r.category = col(s, 4);
        r.source_list = col(s, 5);
        r.date_added = col(s, 6);
        r.note = col(s, 7);
        r.id = vigil__col_int64(s, 8);
        n += (size_t)write_row(&b, fmt, &r);
        if (b.len >= FLUSH_AT && (rc = flush(&b, write, payload)) < 0)
            goto out;
    }
    if (rc >= 0)
        rc = flush(&b, write, payload);
out:
    vigil__stmt_free(s);
    vgu_buf_dispose(&b);
    vgu_buf_dispose(&val);
    vigil_bank_dispose(&bk);
    if (n_out)
        *n_out = n;
    return rc < 0 ? rc : VIGIL_OK;
}
