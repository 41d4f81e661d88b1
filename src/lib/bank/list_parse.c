/*
 * bank/list_parse.c - parsers for the hash-list formats of FORMATS.md
 * section 5: plain lines, python-threatexchange signal lists (local-file
 * and dataset CSV), HMA 1.x simple.<TYPE>.te CSV, vPDQ JSON, vigil JSONL.
 * Line-based; a bad line is reported with its number and skipped.
 */
#define VIGIL_MODULE "bank"
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bank/bank_internal.h"
#include "common/alloc.h"
#include "common/error.h"
#include "util/buf.h"

static const char *const type_names[VIGIL_SIGNAL__COUNT] = {
    "pdq", "md5", "sha256", "vpdq"
};

const char *vigil_signal_type_name(int type)
{
    return type >= 0 && type < VIGIL_SIGNAL__COUNT ? type_names[type] : NULL;
}

int vigil_signal_type_parse(vigil_signal_type *out, const char *name,
                            size_t len)
{
    static const struct { const char *name; vigil_signal_type t; } map[] = {
        { "pdq", VIGIL_SIGNAL_PDQ }, { "hash_pdq", VIGIL_SIGNAL_PDQ },
        { "md5", VIGIL_SIGNAL_MD5 }, { "video_md5", VIGIL_SIGNAL_MD5 },
        { "photo_md5", VIGIL_SIGNAL_MD5 }, { "hash_md5", VIGIL_SIGNAL_MD5 },
        { "hash_video_md5", VIGIL_SIGNAL_MD5 },
        { "sha256", VIGIL_SIGNAL_SHA256 }, { "video_sha256", VIGIL_SIGNAL_SHA256 },
        { "hash_sha256", VIGIL_SIGNAL_SHA256 },
        { "hash_video_sha256", VIGIL_SIGNAL_SHA256 },
        { "vpdq", VIGIL_SIGNAL_VPDQ }, { "hash_vpdq", VIGIL_SIGNAL_VPDQ },
    };
    size_t i;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strlen(map[i].name) == len &&
            strncasecmp(map[i].name, name, len) == 0) {
            *out = map[i].t;
            return VIGIL_OK;
        }
    return vigil_error_set(VIGIL_EFORMAT, "unsupported signal type '%.*s'",
                           (int)(len > 40 ? 40 : len), name);
}

static const char *const format_names[VIGIL_LIST__COUNT] = {
    "plain", "te", "hma", "vpdq", "jsonl"
};

const char *vigil_list_format_name(int fmt)
{
    return fmt >= 0 && fmt < VIGIL_LIST__COUNT ? format_names[fmt] : NULL;
}

int vigil_list_format_parse(vigil_list_format *out, const char *name)
{
    int i;

    for (i = 0; i < VIGIL_LIST__COUNT; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *out = (vigil_list_format)i;
            return VIGIL_OK;
        }
    return vigil_error_set(VIGIL_EINVAL, "unknown list format '%s' (plain, "
                           "te, hma, vpdq or jsonl)", name);
}

static const char *base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;

    return s ? s + 1 : path;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

vigil_list_format vigil_list_format_guess(const char *path, const char *data,
                                          size_t len)
{
    const char *b = base_name(path);
    size_t i = 0, j;
    vigil_signal_type t;

    if (b && strncmp(b, "simple.", 7) == 0 && ends_with(b, ".te"))
        return VIGIL_LIST_HMA;
    if (b && ends_with(b, ".jsonl"))
        return VIGIL_LIST_JSONL;
    if (b && ends_with(b, ".json"))
        return VIGIL_LIST_VPDQ;
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' ||
                       data[i] == '\t'))
        i++;
    if (i < len && data[i] == '{')
        return VIGIL_LIST_JSONL;
    if (i < len && data[i] == '[')
        return VIGIL_LIST_VPDQ;
    if (len - i >= 12 && strncmp(data + i, "signal_type,", 12) == 0)
        return VIGIL_LIST_TE;
    for (j = i; j < len && j - i < 32 && data[j] != ' ' && data[j] != '\n';
         j++)
        ;
    if (j < len && data[j] == ' ' &&
        vigil_signal_type_parse(&t, data + i, j - i) == VIGIL_OK) {
        vigil_error_clear();
        return VIGIL_LIST_TE;
    }
    vigil_error_clear();
    return VIGIL_LIST_PLAIN;
}

/* ---- parser state ------------------------------------------------------ */

struct lp {
    const vigil_list_parse_options *o;
    size_t line;
    size_t n_ok, n_bad;
    int header_seen;            /* te: dataset CSV; jsonl: past line 1 */
    int any_entry;
    int hma_type;               /* from simple.<TYPE>.te, or -1 */
    vgu_buf val;                /* canonical value */
    vgu_buf note;
    vgu_buf fast;               /* decoded strings of a JSONL line */
};

static void lp_bad(struct lp *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void lp_bad(struct lp *p, const char *fmt, ...)
{
    char msg[300];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    p->n_bad++;
    if (p->o->on_error)
        p->o->on_error(p->o->payload, p->line, msg);
}

static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return s;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Lower-case @p s in place; 0 when all @p want characters are hex.
 * Branch-free over the digits (1M-line lists spend their parse time here). */
static int norm_hex(struct lp *p, char *s, size_t want, const char *what)
{
    size_t n = strlen(s), i;
    unsigned bad = 0;

    if (n != want) {
        lp_bad(p, "%s must be %zu hex digits, got %zu characters", what,
               want, n);
        return -1;
    }
    for (i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];

        bad |= (c - '0' >= 10u) & ((c | 0x20) - 'a' >= 6u);
    }
    if (bad) {
        for (i = 0; hexval((unsigned char)s[i]) >= 0; i++)
            ;
        lp_bad(p, "%s: character %zu is not a hex digit", what, i + 1);
        return -1;
    }
    for (i = 0; i < n; i++)
        s[i] = (char)(s[i] | 0x20);     /* digits already have the bit */
    return 0;
}

/* One vPDQ frame "<pdq hex>,<quality 0-100>,<seconds>", re-written
 * canonically (lower-case hex, seconds with 3 decimals) into @p out. */
static int vpdq_frame(struct lp *p, const char *s, size_t idx, vgu_buf *out)
{
    char hex[65], *end;
    const char *c1 = strchr(s, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    long q;
    double ts;
    size_t i;

    if (!c1 || !c2 || c1 - s != 64) {
        lp_bad(p, "vPDQ frame %zu is not \"<64 hex>,<quality>,<seconds>\"",
               idx + 1);
        return -1;
    }
    for (i = 0; i < 64; i++) {
        if (hexval((unsigned char)s[i]) < 0) {
            lp_bad(p, "vPDQ frame %zu: character %zu is not hex", idx + 1,
                   i + 1);
            return -1;
        }
        hex[i] = (char)(s[i] | (s[i] >= 'A' && s[i] <= 'F' ? 0x20 : 0));
    }
    hex[64] = '\0';
    q = strtol(c1 + 1, &end, 10);
    if (end != c2 || end == c1 + 1 || q < 0 || q > 100) {
        lp_bad(p, "vPDQ frame %zu: quality must be 0..100", idx + 1);
        return -1;
    }
    ts = strtod(c2 + 1, &end);
    if (*end || end == c2 + 1 || !(ts >= 0 && ts < 1e9)) {
        lp_bad(p, "vPDQ frame %zu: timestamp must be seconds >= 0", idx + 1);
        return -1;
    }
    vgu_buf_printf(out, "%s\"%s,%ld,%.3f\"", idx ? "," : "[", hex, q, ts);
    return 0;
}

static int frame_key_cmp(const void *a, const void *b)
{
    long x = atol(*(const char *const *)a), y = atol(*(const char *const *)b);

    return x < y ? -1 : x > y;
}

/* Canonical compact array text of a vPDQ JSON value into p->val. */
static int vpdq_canon(struct lp *p, json_t *j)
{
    size_t i, n;

    vgu_buf_clear(&p->val);
    if (json_is_array(j)) {
        n = json_array_size(j);
        for (i = 0; i < n; i++) {
            json_t *f = json_array_get(j, i);

            if (!json_is_string(f)) {
                lp_bad(p, "vPDQ frame %zu is not a string", i + 1);
                return -1;
            }
            if (vpdq_frame(p, json_string_value(f), i, &p->val) < 0)
                return -1;
        }
    } else if (json_is_object(j)) {         /* old form: keyed by frame no. */
        const char *k, **keys;
        json_t *v;

        n = json_object_size(j);
        if ((keys = vigil__mallocarray(n ? n : 1, sizeof(*keys))) == NULL)
            return VIGIL_ENOMEM;
        i = 0;
        json_object_foreach(j, k, v)
            keys[i++] = k;
        qsort(keys, n, sizeof(*keys), frame_key_cmp);
        for (i = 0; i < n; i++) {
            v = json_object_get(j, keys[i]);
            if (!json_is_string(v) ||
                vpdq_frame(p, json_string_value(v), i, &p->val) < 0) {
                if (!json_is_string(v))
                    lp_bad(p, "vPDQ frame '%s' is not a string", keys[i]);
                vigil__free(keys);
                return -1;
            }
        }
        vigil__free(keys);
    } else {
        lp_bad(p, "vPDQ must be a JSON array of frame strings");
        return -1;
    }
    if (n == 0) {
        lp_bad(p, "vPDQ has no frames");
        return -1;
    }
    return vgu_buf_putc(&p->val, ']') == 0 ? 0 : VIGIL_ENOMEM;
}

/* Validate @p v as type @p t; *out = the canonical text. */
static int canon(struct lp *p, int t, char *v, const char **out)
{
    json_error_t je;
    json_t *j;
    int rc;

    switch (t) {
    case VIGIL_SIGNAL_PDQ:
    case VIGIL_SIGNAL_SHA256:
        rc = norm_hex(p, v, 64, type_names[t]);
        break;
    case VIGIL_SIGNAL_MD5:
        rc = norm_hex(p, v, 32, "md5");
        break;
    case VIGIL_SIGNAL_VPDQ:
        if ((j = json_loads(v, 0, &je)) == NULL) {
            lp_bad(p, "vPDQ is not JSON: %s", je.text);
            return -1;
        }
        rc = vpdq_canon(p, j);
        json_decref(j);
        if (rc == 0)
            v = p->val.ptr;
        break;
    default:
        lp_bad(p, "no signal type for this value");
        return -1;
    }
    *out = v;
    return rc;
}

/* Type of a bare value from its length (and the default for 64 hex). */
static int infer_type(struct lp *p, const char *v)
{
    size_t n = strlen(v);

    if (n == 32)
        return VIGIL_SIGNAL_MD5;
    if (n == 64 && (p->o->default_type == VIGIL_SIGNAL_PDQ ||
                    p->o->default_type == VIGIL_SIGNAL_SHA256))
        return p->o->default_type;
    if (n == 64)
        lp_bad(p, "64 hex digits could be pdq or sha256: give the type");
    else
        lp_bad(p, "a hash is 32 (md5) or 64 (pdq, sha256) hex digits, not "
               "%zu characters", n);
    return -1;
}

static int emit(struct lp *p, vigil_bank_entry *e)
{
    int rc;

    e->line = p->line;
    if ((rc = p->o->on_entry(p->o->payload, e)) < 0)
        return rc;
    p->n_ok++;
    p->any_entry = 1;
    return 0;
}

static int nonempty(const char *s)
{
    return s && *s;
}

/* Split one CSV line in place (RFC 4180 quoting, no embedded newlines).
 * Returns the field count, or -1 on bad quoting. */
static int csv_split(char *s, char **f, int max)
{
    int n = 0;
    char *r = s, *w;

    for (;;) {
        if (n == max)
            return n + 1;
        f[n++] = w = r;
        if (*r == '"') {
            r++;
            for (;;) {
                if (*r == '\0')
                    return -1;
                if (*r == '"' && r[1] == '"') {
                    *w++ = '"';
                    r += 2;
                } else if (*r == '"') {
                    r++;
                    break;
                } else {
                    *w++ = *r++;
                }
            }
            if (*r != ',' && *r != '\0')
                return -1;
        } else {
            while (*r && *r != ',')
                *w++ = *r++;
        }
        if (*r == '\0') {
            *w = '\0';
            return n;
        }
        r++;
        *w = '\0';
        f[n - 1] = trim(f[n - 1]);
    }
}

/* ---- per-format line handlers ------------------------------------------ */

static int plain_line(struct lp *p, char *s)
{
    vigil_bank_entry e;
    char *comma = strchr(s, ','), *label = NULL;
    int t;

    memset(&e, 0, sizeof(e));
    if (comma) {
        *comma = '\0';
        label = trim(comma + 1);
    }
    s = trim(s);
    if ((t = infer_type(p, s)) < 0 || canon(p, t, s, &e.value) != 0)
        return 0;
    e.type = (vigil_signal_type)t;
    e.label = nonempty(label) ? label : NULL;
    return emit(p, &e);
}

static int te_csv_line(struct lp *p, char *s)
{
    char *f[6];
    int n = csv_split(s, f, 5);
    vigil_signal_type t;
    vigil_bank_entry e;

    if (n < 2 || n > 5) {
        lp_bad(p, n < 0 ? "bad CSV quoting" :
               "expected signal_type,signal_str[,collab,category,tags]");
        return 0;
    }
    if (vigil_signal_type_parse(&t, f[0], strlen(f[0])) < 0) {
        lp_bad(p, "%s", vigil_error_last()->message);
        return 0;
    }
    memset(&e, 0, sizeof(e));
    if (canon(p, t, f[1], &e.value) != 0)
        return 0;
    e.type = t;
    e.source_list = n > 2 && *f[2] ? f[2] : NULL;
    e.category = n > 3 && *f[3] ? f[3] : NULL;
    e.label = n > 4 && *f[4] ? f[4] : NULL;
    return emit(p, &e);
}

static int te_line(struct lp *p, char *s)
{
    vigil_bank_entry e;
    vigil_signal_type t;
    char *sp;
    int ti;

    if (!p->header_seen && !p->any_entry &&
        strncmp(s, "signal_type,signal_str", 22) == 0) {
        p->header_seen = 1;
        return 0;
    }
    if (p->header_seen)
        return te_csv_line(p, s);
    memset(&e, 0, sizeof(e));
    s = trim(s);
    sp = strpbrk(s, " \t");
    if (sp) {
        *sp = '\0';
        if (vigil_signal_type_parse(&t, s, strlen(s)) < 0) {
            lp_bad(p, "%s", vigil_error_last()->message);
            return 0;
        }
        ti = (int)t;
        s = trim(sp + 1);
    } else if ((ti = infer_type(p, s)) < 0) {
        return 0;
    }
    if (canon(p, ti, s, &e.value) != 0)
        return 0;
    e.type = (vigil_signal_type)ti;
    return emit(p, &e);
}

static int hma_line(struct lp *p, char *s)
{
    char *f[6], *ind, *id = NULL, *desc = NULL, *added = NULL, *labels = NULL;
    int n = csv_split(s, f, 5), t;
    vigil_bank_entry e;

    switch (n) {
    case 1: ind = f[0]; break;
    case 4: ind = f[0]; desc = f[1]; added = f[2]; labels = f[3]; break;
    case 5: ind = f[0]; id = f[1]; desc = f[2]; added = f[3]; labels = f[4];
        break;
    default:
        lp_bad(p, n < 0 ? "bad CSV quoting" : "expected 4 or 5 columns "
               "(indicator,[indicator_id,]descriptor_id,added_on,labels), "
               "got %d", n);
        return 0;
    }
    memset(&e, 0, sizeof(e));
    t = p->hma_type >= 0 ? p->hma_type : infer_type(p, ind);
    if (t < 0 || canon(p, t, ind, &e.value) != 0)
        return 0;
    e.type = (vigil_signal_type)t;
    e.date_added = nonempty(added) ? added : NULL;
    e.label = nonempty(labels) ? labels : NULL;
    vgu_buf_clear(&p->note);
    if (nonempty(id))
        vgu_buf_printf(&p->note, "te_indicator_id=%s", id);
    if (nonempty(desc))
        vgu_buf_printf(&p->note, "%ste_descriptor_id=%s", p->note.len ? " " : "",
                       desc);
    e.note = p->note.len ? p->note.ptr : NULL;
    return emit(p, &e);
}

static int vpdq_value(struct lp *p, json_t *j, const char *label)
{
    vigil_bank_entry e;
    int rc;

    if ((rc = vpdq_canon(p, j)) != 0)
        return rc < 0 && rc != -1 ? rc : 0;
    memset(&e, 0, sizeof(e));
    e.type = VIGIL_SIGNAL_VPDQ;
    e.value = p->val.ptr;
    e.label = label;
    return emit(p, &e);
}

static int vpdq_line(struct lp *p, char *s)
{
    json_error_t je;
    json_t *j = json_loads(s, 0, &je);
    int rc;

    if (!j) {
        lp_bad(p, "invalid JSON: %s", je.text);
        return 0;
    }
    rc = vpdq_value(p, j, NULL);
    json_decref(j);
    return rc;
}

static const char *json_field(struct lp *p, json_t *o, const char *k, int *bad)
{
    json_t *v = json_object_get(o, k);

    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        lp_bad(p, "field '%s' must be a string", k);
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

static int jsonl_header(struct lp *p, json_t *h)
{
    vigil_bank b = VIGIL_BANK_INIT;
    json_t *v;
    int bad = 0;

    if (!json_is_object(h)) {
        lp_bad(p, "\"vigil_bank\" must be an object");
        return 0;
    }
    b.name = (char *)json_field(p, h, "name", &bad);
    b.signal_types = (char *)json_field(p, h, "signal_types", &bad);
    b.description = (char *)json_field(p, h, "description", &bad);
    if ((v = json_object_get(h, "threshold")) && json_is_integer(v))
        b.threshold = (int)json_integer_value(v);
    if ((v = json_object_get(h, "enabled")))
        b.enabled = json_is_true(v);
    if ((v = json_object_get(h, "is_suppression")))
        b.is_suppression = json_is_true(v);
    if (bad || !p->o->on_header)
        return 0;
    return p->o->on_header(p->o->payload, &b) < 0 ? VIGIL_ERROR : 0;
}

/* The fields of a JSONL entry, in the order they are checked. */
enum { JF_TYPE, JF_VALUE, JF_LABEL, JF_OUTLET, JF_CATEGORY, JF_SOURCE,
       JF_DATE, JF_NOTE, JF__N };
static const char *const jf_names[JF__N] = {
    "type", "value", "label", "outlet", "category", "source_list",
    "date_added", "note"
};

/* Emit the entry of fields @p f (NULL: absent); @p v is a writable copy of
 * f[JF_VALUE] that canon() may rewrite. */
static int jsonl_emit(struct lp *p, const char *const f[JF__N], char *v)
{
    vigil_bank_entry e;
    vigil_signal_type t;
    int rc;

    if (!f[JF_TYPE] || !f[JF_VALUE]) {
        lp_bad(p, "an entry needs \"type\" and \"value\" strings");
        return 0;
    }
    if (vigil_signal_type_parse(&t, f[JF_TYPE], strlen(f[JF_TYPE])) < 0) {
        lp_bad(p, "%s", vigil_error_last()->message);
        return 0;
    }
    memset(&e, 0, sizeof(e));
    e.label = f[JF_LABEL];
    e.outlet = f[JF_OUTLET];
    e.category = f[JF_CATEGORY];
    e.source_list = f[JF_SOURCE];
    e.date_added = f[JF_DATE];
    e.note = f[JF_NOTE];
    rc = canon(p, (int)t, v, &e.value);
    e.type = t;
    if (rc == 0)
        rc = emit(p, &e);
    else
        rc = rc == -1 ? 0 : rc;
    return rc;
}

static int jsonl_entry(struct lp *p, json_t *o)
{
    const char *f[JF__N];
    char *v;
    int bad = 0, rc, k;

    for (k = 0; k < JF__N && !bad; k++)
        f[k] = json_field(p, o, jf_names[k], &bad);
    if (bad)
        return 0;
    if (!f[JF_VALUE])
        return jsonl_emit(p, f, NULL);
    if ((v = vigil__strdup(f[JF_VALUE])) == NULL)
        return VIGIL_ENOMEM;
    rc = jsonl_emit(p, f, v);
    vigil__free(v);
    return rc;
}

static size_t skip_ws(const char *s, size_t i, size_t len)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
                       s[i] == '\n'))
        i++;
    return i;
}

/* Decode the JSON string at s[*i] (the opening quote) into @p out, NUL-
 * terminated. Plain ASCII and the simple escapes only: anything else
 * (bytes >= 0x80, \u0000, surrogates) returns -1 so jansson decides. */
static int fast_string(const char *s, size_t *i, size_t len, char **out)
{
    size_t j = *i + 1;
    char *w = *out;

    for (; j < len; j++) {
        unsigned char c = (unsigned char)s[j];

        if (c == '"') {
            *w++ = '\0';
            *out = w;
            *i = j + 1;
            return 0;
        }
        if (c < 0x20 || c >= 0x80)
            return -1;
        if (c != '\\') {
            *w++ = (char)c;
            continue;
        }
        if (++j >= len)
            return -1;
        switch (s[j]) {
        case '"': case '\\': case '/': *w++ = s[j]; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u': {
            unsigned u = 0;
            int k, h;

            for (k = 1; k <= 4; k++) {
                if (j + (size_t)k >= len || (h = hexval((unsigned char)s[j + k]))
                    < 0)
                    return -1;
                u = u << 4 | (unsigned)h;
            }
            j += 4;
            if (u == 0 || (u >= 0xd800 && u <= 0xdfff))
                return -1;
            if (u < 0x80) {
                *w++ = (char)u;
            } else if (u < 0x800) {
                *w++ = (char)(0xc0 | u >> 6);
                *w++ = (char)(0x80 | (u & 0x3f));
            } else {
                *w++ = (char)(0xe0 | u >> 12);
                *w++ = (char)(0x80 | ((u >> 6) & 0x3f));
                *w++ = (char)(0x80 | (u & 0x3f));
            }
            break;
        }
        default:
            return -1;
        }
    }
    return -1;
}

/* The common JSONL line without jansson: one flat object whose members are
 * strings or null, each key once, no "vigil_bank". @return 1 when handled
 * (*rc_out set), 0 to hand the line to jansson. */
static int jsonl_fast(struct lp *p, const char *s, size_t len, int *rc_out)
{
    const char *f[JF__N] = { NULL };
    char *w, *key, *val, *v = NULL;
    size_t i;
    int k, seen = 0, comma = 0;

    if (vgu_buf_grow(&p->fast, len + 1) != 0)
        return 0;
    w = p->fast.ptr;
    if ((i = skip_ws(s, 0, len)) >= len || s[i] != '{')
        return 0;
    i = skip_ws(s, i + 1, len);
    while (i < len && s[i] != '}') {
        key = w;
        comma = 0;
        if (s[i] != '"' || fast_string(s, &i, len, &w) < 0)
            return 0;
        if ((i = skip_ws(s, i, len)) >= len || s[i] != ':')
            return 0;
        i = skip_ws(s, i + 1, len);
        val = w;
        if (i + 4 <= len && memcmp(s + i, "null", 4) == 0) {
            val = NULL;
            i += 4;
        } else if (i >= len || s[i] != '"' ||
                   fast_string(s, &i, len, &w) < 0) {
            return 0;
        }
        for (k = 0; k < JF__N && strcmp(key, jf_names[k]) != 0; k++)
            ;
        if (strcmp(key, "vigil_bank") == 0 || (k < JF__N && seen >> k & 1))
            return 0;
        if (k < JF__N) {
            seen |= 1 << k;
            f[k] = val;
            if (k == JF_VALUE)
                v = val;
        }
        if ((i = skip_ws(s, i, len)) < len && s[i] == ',') {
            i = skip_ws(s, i + 1, len);
            comma = 1;
        } else if (i >= len || s[i] != '}') {
            return 0;
        }
    }
    if (i >= len || comma || skip_ws(s, i + 1, len) != len)
        return 0;
    *rc_out = jsonl_emit(p, f, v);
    return 1;
}

static int jsonl_line(struct lp *p, char *s, size_t len)
{
    json_error_t je;
    json_t *o, *h;
    int first = !p->header_seen, rc;

    p->header_seen = 1;
    if (jsonl_fast(p, s, len, &rc))
        return rc;
    if ((o = json_loadb(s, len, 0, &je)) == NULL) {
        lp_bad(p, "invalid JSON: %s", je.text);
        return 0;
    }
    if (!json_is_object(o)) {
        lp_bad(p, "each line must be a JSON object");
        rc = 0;
    } else if ((h = json_object_get(o, "vigil_bank")) != NULL) {
        if (first)
            rc = jsonl_header(p, h);
        else {
            lp_bad(p, "the \"vigil_bank\" header must be the first line");
            rc = 0;
        }
    } else {
        rc = jsonl_entry(p, o);
    }
    json_decref(o);
    return rc;
}

/* HMA: the indicator type from the file name simple.<TYPE>.te. */
static int hma_type_of(const char *name)
{
    const char *b = base_name(name), *dot;
    vigil_signal_type t;

    if (!b || strncmp(b, "simple.", 7) != 0)
        return -1;
    b += 7;
    if ((dot = strchr(b, '.')) == NULL)
        return -1;
    if (vigil_signal_type_parse(&t, b, (size_t)(dot - b)) < 0) {
        vigil_error_clear();
        return -1;
    }
    return (int)t;
}

static int one_line(struct lp *p, char *s, size_t len)
{
    char *t = s;

    while (*t == ' ' || *t == '\t')
        t++;
    if (*t == '\0')
        return 0;
    if (*t == '#' && p->o->format != VIGIL_LIST_JSONL &&
        p->o->format != VIGIL_LIST_VPDQ)
        return 0;
    switch (p->o->format) {
    case VIGIL_LIST_PLAIN: return plain_line(p, s);
    case VIGIL_LIST_TE: return te_line(p, s);
    case VIGIL_LIST_HMA: return hma_line(p, s);
    case VIGIL_LIST_VPDQ: return vpdq_line(p, s);
    case VIGIL_LIST_JSONL: return jsonl_line(p, s, len);
    default: return 0;
    }
}

/* vPDQ: a whole file holding one (possibly pretty-printed) JSON value. */
static int vpdq_whole(struct lp *p, const char *data, size_t len, int *done)
{
    json_error_t je;
    json_t *j = json_loadb(data, len, 0, &je);
    int rc;

    *done = 0;
    if (!j)
        return 0;
    *done = 1;
    p->line = 1;
    rc = vpdq_value(p, j, NULL);
    json_decref(j);
    return rc;
}

int vigil_list_parse(const vigil_list_parse_options *opts, const char *data,
                     size_t len, size_t *n_ok_out, size_t *n_bad_out)
{
    struct lp p;
    vgu_buf line = VGU_BUF_INIT;
    size_t at = 0;
    int rc = 0, done = 0;

    VIGIL_ASSERT_ARG(opts != NULL && opts->on_entry != NULL);
    VIGIL_ASSERT_ARG(data != NULL || len == 0);
    memset(&p, 0, sizeof(p));
    p.o = opts;
    p.hma_type = hma_type_of(opts->name);
    line.max = VIGIL_LIST_MAX_LINE + 1;
    if (opts->format == VIGIL_LIST_VPDQ && len)
        rc = vpdq_whole(&p, data, len, &done);
    while (!done && rc >= 0 && at < len) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (data + at)) : len - at;

        p.line++;
        if (n > VIGIL_LIST_MAX_LINE) {
            lp_bad(&p, "line is %zu bytes, limit %u", n, VIGIL_LIST_MAX_LINE);
        } else {
            size_t m = n;

            if (m && data[at + m - 1] == '\r')
                m--;
            vgu_buf_clear(&line);
            if (vgu_buf_append(&line, data + at, m) != 0 ||
                vgu_buf_putc(&line, '\0') != 0) {
                rc = VIGIL_ENOMEM;
                break;
            }
            if (memchr(line.ptr, '\0', m))
                lp_bad(&p, "line holds a NUL byte");
            else
                rc = one_line(&p, line.ptr, m);
        }
        at += n + 1;
    }
    vgu_buf_dispose(&line);
    vgu_buf_dispose(&p.val);
    vgu_buf_dispose(&p.note);
    vgu_buf_dispose(&p.fast);
    if (n_ok_out)
        *n_ok_out = p.n_ok;
    if (n_bad_out)
        *n_bad_out = p.n_bad;
    if (rc == VIGIL_ENOMEM)
        return vigil_error_set(rc, "out of memory parsing %s",
                               opts->name ? opts->name : "list");
    return rc < 0 ? rc : VIGIL_OK;
}
