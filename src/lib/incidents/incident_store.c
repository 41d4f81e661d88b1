/*
 * incidents/incident_store.c - incident rows in the store: the insert /
 * newer-timestamp update pair keyed by (dataset, source_id), names of
 * kinds, attributions and formats, and the date parser the importers share.
 */
#define VIGIL_MODULE "incidents"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/alloc.h"
#include "common/error.h"
#include "incidents/incidents_internal.h"

const char vigil__incident_columns[] =
    "dataset, source_id, event_date, date_end, time_precision, kind,"
    " event_type, sub_event_type, raw_type, disorder_type, actor1,"
    " assoc_actor1, inter1, actor2, assoc_actor2, inter2, interaction,"
    " civilian_targeting, attribution, iso, region, country, admin1, admin2,"
    " admin3, location, latitude, longitude, geo_precision, fatalities,"
    " fatalities_low, fatalities_high, injured, target, nationalities, notes,"
    " sources, source_titles, source_scale, tags, source_timestamp";

static const char *const kind_names[VIGIL_INCIDENT__KINDS] = {
    "attack", "counter-operation", "foiled-plot", "arrest", "other"
};

static const char *const attr_names[VIGIL_ATTR__COUNT] = {
    "claimed", "attributed", "alleged", "linked", "inspired", "unspecified"
};

const char *vigil_incident_kind_name(vigil_incident_kind k)
{
    return (unsigned)k < VIGIL_INCIDENT__KINDS ? kind_names[k] : "other";
}

const char *vigil_attribution_name(vigil_attribution a)
{
    return (unsigned)a < VIGIL_ATTR__COUNT ? attr_names[a] : "unspecified";
}

int vigil__incident_kind_from(const char *s)
{
    int i;

    for (i = 0; i < VIGIL_INCIDENT__KINDS; i++)
        if (strcasecmp(s, kind_names[i]) == 0)
            return i;
    return -1;
}

int vigil__attribution_from(const char *s)
{
    int i;

    for (i = 0; i < VIGIL_ATTR__COUNT; i++)
        if (strcasecmp(s, attr_names[i]) == 0)
            return i;
    return -1;
}

const char *vigil_incident_format_name(vigil_incident_format f)
{
    switch (f) {
    case VIGIL_INCIDENTS_ACLED:    return "acled";
    case VIGIL_INCIDENTS_UCDP_GED: return "ucdp-ged";
    case VIGIL_INCIDENTS_VIGIL:    return "vigil";
    default:                       return "auto";
    }
}

int vigil_incident_format_parse(vigil_incident_format *out, const char *name)
{
    static const vigil_incident_format all[] = {
        VIGIL_INCIDENTS_AUTO, VIGIL_INCIDENTS_ACLED, VIGIL_INCIDENTS_UCDP_GED,
        VIGIL_INCIDENTS_VIGIL
    };
    size_t i;

    for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (strcasecmp(name, vigil_incident_format_name(all[i])) == 0) {
            *out = all[i];
            return VIGIL_OK;
        }
    if (strcasecmp(name, "ucdp") == 0 || strcasecmp(name, "ged") == 0) {
        *out = VIGIL_INCIDENTS_UCDP_GED;
        return VIGIL_OK;
    }
    return vigil_error_set(VIGIL_EINVAL, "unknown incident format '%s' "
                           "(acled, ucdp-ged or vigil)", name);
}

void vigil_incident_init(vigil_incident *inc)
{
    memset(inc, 0, sizeof(*inc));
    inc->kind = VIGIL_INCIDENT_OTHER;
    inc->attribution = VIGIL_ATTR_UNSPECIFIED;
    inc->fatalities = inc->fatalities_low = inc->fatalities_high =
        inc->injured = inc->source_timestamp = VIGIL_NO_VALUE;
}

/* ---- dates --------------------------------------------------------------- */

static int days_in_month(int y, int m)
{
    static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static int put_date(char out[11], int y, int m, int d)
{
    if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 ||
        d > days_in_month(y, m))
        return -1;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = out[7] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    return 0;
}

/* Read exactly @p n digits. */
static int digits(const char *s, size_t n, int *v)
{
    size_t i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

static int month_from_name(const char *s, size_t n)
{
    static const char *const names[12] = {
        "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december"
    };
    int i;

    if (n < 3)
        return -1;
    for (i = 0; i < 12; i++)
        if ((n == 3 || n == strlen(names[i])) &&
            strncasecmp(s, names[i], n) == 0)
            return i + 1;
    if (n == 4 && strncasecmp(s, "sept", 4) == 0)
        return 9;
    return -1;
}

/* "DD Month YYYY" or "DD-Mon-YYYY" (day 1 or 2 digits). */
static int date_named(char out[11], const char *s, size_t len)
{
    size_t i = 0, ms;
    int d = 0, m, y;

    while (i < len && i < 2 && isdigit((unsigned char)s[i]))
        d = d * 10 + (s[i++] - '0');
    if (i == 0 || i >= len || (s[i] != ' ' && s[i] != '-'))
        return -1;
    ms = ++i;
    while (i < len && isalpha((unsigned char)s[i]))
        i++;
    if ((m = month_from_name(s + ms, i - ms)) < 0)
        return -1;
    if (i < len && s[i] == ',')
        i++;
    if (i >= len || (s[i] != ' ' && s[i] != '-'))
        return -1;
    i++;
    if (len - i != 4 || digits(s + i, 4, &y) < 0)
        return -1;
    return put_date(out, y, m, d);
}

int vigil__date_parse(char out[11], const char *s, size_t len)
{
    int y, m, d;

    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len >= 10 && s[4] == '-' && s[7] == '-' &&
        (len == 10 || s[10] == ' ' || s[10] == 'T')) {
        if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
            return -1;
        return put_date(out, y, m, d);
    }
    if (len == 10 && (s[2] == '-' || s[2] == '/') && s[5] == s[2]) {
        if (digits(s, 2, &d) || digits(s + 3, 2, &m) || digits(s + 6, 4, &y))
            return -1;
        return put_date(out, y, m, d);
    }
    return date_named(out, s, len);
}

int vigil__date_valid(const char *s)
{
    char tmp[11];

    return s && strlen(s) == 10 && vigil__date_parse(tmp, s, 10) == 0 &&
           memcmp(tmp, s, 10) == 0;
}

/* Turn "YYYY", "YYYY-MM" or "YYYY-MM-DD" into an inclusive bound. */
static int bound(char out[11], const char *s, int upper)
{
    size_t n = strlen(s);
    int y, m, d;

    if (n == 4 && digits(s, 4, &y) == 0)
        return put_date(out, y, upper ? 12 : 1, upper ? 31 : 1);
    if (n == 7 && s[4] == '-' && digits(s, 4, &y) == 0 &&
        digits(s + 5, 2, &m) == 0 && m >= 1 && m <= 12)
        return put_date(out, y, m, upper ? days_in_month(y, m) : 1);
    if (n == 10 && s[4] == '-' && s[7] == '-' && digits(s, 4, &y) == 0 &&
        digits(s + 5, 2, &m) == 0 && digits(s + 8, 2, &d) == 0)
        return put_date(out, y, m, d);
    return -1;
}

int vigil__incident_bounds(const vigil_incident_query *q, char from[11],
                           char to[11])
{
    memcpy(from, "0000-00-00", 11);
    memcpy(to, "9999-99-99", 11);
    if (q && q->from && bound(from, q->from, 0) < 0)
        return vigil_error_set(VIGIL_EINVAL, "--from '%s' is not YYYY, "
                               "YYYY-MM or YYYY-MM-DD", q->from);
    if (q && q->to && bound(to, q->to, 1) < 0)
        return vigil_error_set(VIGIL_EINVAL, "--to '%s' is not YYYY, "
                               "YYYY-MM or YYYY-MM-DD", q->to);
    return VIGIL_OK;
}

/* ---- writing --------------------------------------------------------------- */

typedef struct {
    int type;                   /* 0 null, 1 text, 2 int, 3 real */
    const char *s;
    int64_t i;
    double d;
} icol;

static void col_s(icol *c, const char *s)
{
    c->type = s && *s ? 1 : 0;
    c->s = s;
}

static void col_i(icol *c, int64_t v)
{
    c->type = v == VIGIL_NO_VALUE ? 0 : 2;
    c->i = v;
}

static void inc_values(icol v[VIGIL__INCIDENT_NCOLS], const vigil_incident *x)
{
    const char *const texts[] = {
        x->dataset, x->source_id, x->event_date, x->date_end
    };
    const char *const mid[] = {
        x->event_type, x->sub_event_type, x->raw_type, x->disorder_type,
        x->actor1, x->assoc_actor1, x->inter1, x->actor2, x->assoc_actor2,
        x->inter2, x->interaction, x->civilian_targeting
    };
    const char *const place[] = {
        x->iso, x->region, x->country, x->admin1, x->admin2, x->admin3,
        x->location
    };
    const char *const tail[] = {
        x->target, x->nationalities, x->notes, x->sources, x->source_titles,
        x->source_scale, x->tags
    };
    int n = 0;
    size_t i;

    for (i = 0; i < 4; i++)
        col_s(&v[n++], texts[i]);
    col_i(&v[n++], x->time_precision > 0 ? x->time_precision : VIGIL_NO_VALUE);
    col_s(&v[n++], vigil_incident_kind_name(x->kind));
    for (i = 0; i < sizeof(mid) / sizeof(mid[0]); i++)
        col_s(&v[n++], mid[i]);
    col_s(&v[n++], x->attribution == VIGIL_ATTR_UNSPECIFIED ? NULL
                   : vigil_attribution_name(x->attribution));
    for (i = 0; i < sizeof(place) / sizeof(place[0]); i++)
        col_s(&v[n++], place[i]);
    v[n].type = x->has_coords ? 3 : 0;
    v[n++].d = x->latitude;
    v[n].type = x->has_coords ? 3 : 0;
    v[n++].d = x->longitude;
    col_i(&v[n++], x->geo_precision > 0 ? x->geo_precision : VIGIL_NO_VALUE);
    col_i(&v[n++], x->fatalities);
    col_i(&v[n++], x->fatalities_low);
    col_i(&v[n++], x->fatalities_high);
    col_i(&v[n++], x->injured);
    for (i = 0; i < sizeof(tail) / sizeof(tail[0]); i++)
        col_s(&v[n++], tail[i]);
    col_i(&v[n++], x->source_timestamp);
}

static int bind_cols(vigil__stmt *s, int first_param, const icol *v, int n)
{
    int i, rc = 0;

    for (i = 0; i < n && rc == 0; i++) {
        int p = first_param + i;

        switch (v[i].type) {
        case 1:  rc = vigil__bind_str(s, p, v[i].s); break;
        case 2:  rc = vigil__bind_int64(s, p, v[i].i); break;
        case 3:  rc = vigil__bind_double(s, p, v[i].d); break;
        default: rc = vigil__bind_null(s, p); break;
        }
    }
    return rc;
}

int vigil__incident_writer_init(vigil__incident_writer *w, vigil_store *st)
{
    char ins[1024], upd[1200];
    int rc;

    memset(w, 0, sizeof(*w));
    w->st = st;
    w->now = (int64_t)time(NULL);
    snprintf(ins, sizeof(ins), "INSERT INTO incidents(%s, ingested_at) VALUES"
             " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
             "?,?,?,?,?,?,?,?,?,?,?)"
             " ON CONFLICT(dataset, source_id) DO NOTHING",
             vigil__incident_columns);
    snprintf(upd, sizeof(upd), "UPDATE incidents SET event_date = ?,"
             " date_end = ?, time_precision = ?, kind = ?, event_type = ?,"
             " sub_event_type = ?, raw_type = ?, disorder_type = ?, actor1 = ?,"
             " assoc_actor1 = ?, inter1 = ?, actor2 = ?, assoc_actor2 = ?,"
             " inter2 = ?, interaction = ?, civilian_targeting = ?,"
             " attribution = ?, iso = ?, region = ?, country = ?, admin1 = ?,"
             " admin2 = ?, admin3 = ?, location = ?, latitude = ?,"
             " longitude = ?, geo_precision = ?, fatalities = ?,"
             " fatalities_low = ?, fatalities_high = ?, injured = ?,"
             " target = ?, nationalities = ?, notes = ?, sources = ?,"
             " source_titles = ?, source_scale = ?, tags = ?,"
             " source_timestamp = ?, updated_at = ?"
             " WHERE dataset = ? AND source_id = ? AND"
             " (source_timestamp IS NULL OR source_timestamp < ?)");
    if ((rc = vigil__stmt_new(&w->ins, st, ins)) < 0 ||
        (rc = vigil__stmt_new(&w->upd, st, upd)) < 0) {
        vigil__incident_writer_dispose(w);
        return rc;
    }
    return VIGIL_OK;
}

void vigil__incident_writer_dispose(vigil__incident_writer *w)
{
    vigil__stmt_free(w->ins);
    vigil__stmt_free(w->upd);
    w->ins = w->upd = NULL;
}

static int run(vigil__stmt *s, int64_t *changes, vigil_store *st)
{
    int rc = vigil__step(s);

    while (rc == VIGIL_ROW)
        rc = vigil__step(s);
    *changes = vigil__store_changes(st);
    vigil__reset(s);
    return rc < 0 ? rc : VIGIL_OK;
}

int vigil__incident_writer_put(vigil__incident_writer *w,
                               const vigil_incident *inc,
                               vigil_upsert_result *result_out)
{
    icol v[VIGIL__INCIDENT_NCOLS];
    int64_t changed;
    int rc, n = VIGIL__INCIDENT_NCOLS;

    if (!inc->dataset || !*inc->dataset || !inc->source_id ||
        !*inc->source_id)
        return vigil_error_set(VIGIL_EINVAL, "incident without dataset or id");
    if (!vigil__date_valid(inc->event_date))
        return vigil_error_set(VIGIL_EINVAL, "incident %s: bad date '%s'",
                               inc->source_id,
                               inc->event_date ? inc->event_date : "");
    inc_values(v, inc);
    if ((rc = bind_cols(w->ins, 1, v, n)) < 0 ||
        (rc = vigil__bind_int64(w->ins, n + 1, w->now)) < 0 ||
        (rc = run(w->ins, &changed, w->st)) < 0)
        return rc;
    if (changed) {
        if (result_out)
            *result_out = VIGIL_UPSERT_ADDED;
        return VIGIL_OK;
    }
    /* Existing row: replace it only with a newer source timestamp (a row
     * without one never replaces anything). */
    changed = 0;
    if (inc->source_timestamp != VIGIL_NO_VALUE &&
        ((rc = bind_cols(w->upd, 1, v + 2, n - 2)) < 0 ||
         (rc = vigil__bind_int64(w->upd, n - 1, w->now)) < 0 ||
         (rc = vigil__bind_str(w->upd, n, inc->dataset)) < 0 ||
         (rc = vigil__bind_str(w->upd, n + 1, inc->source_id)) < 0 ||
         (rc = vigil__bind_int64(w->upd, n + 2, inc->source_timestamp)) < 0 ||
         (rc = run(w->upd, &changed, w->st)) < 0))
        return rc;
    if (result_out)
        *result_out = changed ? VIGIL_UPSERT_UPDATED : VIGIL_UPSERT_UNCHANGED;
    return VIGIL_OK;
}

int vigil_incident_upsert(vigil_store *st, const vigil_incident *inc,
                          vigil_upsert_result *result_out)
{
    vigil__incident_writer w;
    int rc;

    VIGIL_ASSERT_ARG(st && inc);
    if ((rc = vigil__incident_writer_init(&w, st)) < 0)
        return rc;
    rc = vigil__incident_writer_put(&w, inc, result_out);
    vigil__incident_writer_dispose(&w);
    return rc;
}

void vigil_incidents_free(void *p)
{
    vigil__free(p);
}
