/*
 * incidents/incident_report.c - grouped counts over the incident table:
 * rows are streamed from the store once, filtered by actor key and type
 * (aliases resolved here, at query time), and summed per group in a hash
 * table. Event counts and fatality sums are exact integers.
 */
#define VIGIL_MODULE "incidents"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/error.h"
#include "incidents/incidents_internal.h"

#define KEY_MAX 512

static const char *const group_names[VIGIL_BY__COUNT] = {
    "year", "month", "month-of-year", "country", "admin1", "event-type",
    "actor", "attribution", "kind"
};

int vigil_incident_group_parse(vigil_incident_group *out, const char *name)
{
    int i;

    for (i = 0; i < VIGIL_BY__COUNT; i++)
        if (strcasecmp(name, group_names[i]) == 0) {
            *out = (vigil_incident_group)i;
            return VIGIL_OK;
        }
    return vigil_error_set(VIGIL_EINVAL, "cannot group by '%s' (year, month, "
        "month-of-year, country, admin1, event-type, actor, attribution, "
        "kind)", name);
}

/* Columns read for each incident, in this order. */
enum {
    R_DATE, R_KIND, R_TYPE, R_SUB, R_RAW, R_ACTOR1, R_ASSOC1, R_ACTOR2,
    R_ASSOC2, R_ATTR, R_COUNTRY, R_ADMIN1, R_FAT, R_LOW, R_HIGH, R_DATASET,
    R_ID, R_PREC, R_LOCATION
};

static const char select_sql[] =
    "SELECT event_date, kind, event_type, sub_event_type, raw_type, actor1,"
    " assoc_actor1, actor2, assoc_actor2, attribution, country, admin1,"
    " fatalities, fatalities_low, fatalities_high, dataset, source_id,"
    " time_precision, location FROM incidents"
    " WHERE event_date >= ? AND event_date <= ? AND (? = '' OR dataset = ?)";

typedef struct {
    vigil_incident_report *r;
    const vigil_incident_query *q;
    size_t cap, list_cap;
    int *slot;                  /* hash slots: row index or -1 */
    size_t nslot;
} agg;

/* ---- hash of group keys ---------------------------------------------------- */

static size_t key_hash(const char *k)
{
    size_t h = 1469598103934665603u;

    if (!k)
        return 7;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211u;
    return h;
}

static int key_eq(const char *a, const char *b)
{
    return (!a || !b) ? a == b : strcmp(a, b) == 0;
}

static int grow_slots(agg *g)
{
    size_t n = g->nslot ? g->nslot * 2 : 256, i;
    int *s = vigil__mallocarray(n, sizeof(int));

    if (!s)
        return VIGIL_ENOMEM;
    memset(s, 0xff, n * sizeof(int));
    for (i = 0; i < g->r->n_rows; i++) {
        size_t h = key_hash(g->r->rows[i].key) & (n - 1);
        while (s[h] >= 0)
            h = (h + 1) & (n - 1);
        s[h] = (int)i;
    }
    vigil__free(g->slot);
    g->slot = s;
    g->nslot = n;
    return VIGIL_OK;
}

static int row_for(agg *g, const char *key, vigil_incident_row **out)
{
    vigil_incident_report *r = g->r;
    size_t h;

    if ((r->n_rows + 1) * 2 > g->nslot && grow_slots(g) < 0)
        return VIGIL_ENOMEM;
    for (h = key_hash(key) & (g->nslot - 1); g->slot[h] >= 0;
         h = (h + 1) & (g->nslot - 1))
        if (key_eq(r->rows[g->slot[h]].key, key)) {
            *out = &r->rows[g->slot[h]];
            return VIGIL_OK;
        }
    if (r->n_rows == g->cap) {
        size_t ncap = g->cap ? g->cap * 2 : 32;
        vigil_incident_row *nv = vigil__realloc(r->rows, ncap * sizeof(*nv));

        if (!nv)
            return VIGIL_ENOMEM;
        r->rows = nv;
        g->cap = ncap;
    }
    memset(&r->rows[r->n_rows], 0, sizeof(r->rows[0]));
    if (key && !(r->rows[r->n_rows].key = vigil__strdup(key)))
        return VIGIL_ENOMEM;
    g->slot[h] = (int)r->n_rows;
    *out = &r->rows[r->n_rows++];
    return VIGIL_OK;
}

/* ---- filters ---------------------------------------------------------------- */

static const char *col(vigil__stmt *s, int c)
{
    const char *t = vigil__col_type(s, c) == VIGIL_COL_NULL ? NULL
                    : vigil__col_text(s, c, NULL);
    return t && *t ? t : NULL;
}

static int64_t col_int(vigil__stmt *s, int c)
{
    return vigil__col_type(s, c) == VIGIL_COL_NULL ? VIGIL_NO_VALUE
                                                   : vigil__col_int64(s, c);
}

/* 1 when @p want (comma list) contains @p key, case-insensitively. */
static int list_has(const char *want, const char *key)
{
    size_t klen = strlen(key);

    while (*want) {
        const char *e = strchr(want, ',');
        size_t len = e ? (size_t)(e - want) : strlen(want);

        while (len && want[0] == ' ')
            want++, len--;
        while (len && want[len - 1] == ' ')
            len--;
        if (len == klen && strncasecmp(want, key, len) == 0)
            return 1;
        if (!e)
            break;
        want = e + 1;
    }
    return 0;
}

/* Does any actor named in @p field (ACLED joins several with "; ")
 * resolve to a wanted key? */
static int actor_field_matches(const vigil_incident_query *q,
                               const char *field, const char *dataset,
                               const char *country)
{
    char part[KEY_MAX], key[KEY_MAX];

    while (field && *field) {
        const char *e = strchr(field, ';');
        size_t len = e ? (size_t)(e - field) : strlen(field);
        const char *k;

        if (len >= sizeof(part))
            len = sizeof(part) - 1;
        memcpy(part, field, len);
        part[len] = '\0';
        k = vigil_aliases_resolve(q->aliases, VIGIL_ALIAS_ACTOR, part,
                                  dataset, country, key, sizeof(key));
        if (k && list_has(q->actor, k))
            return 1;
        field = e ? e + 1 : NULL;
    }
    return 0;
}

int vigil__incident_matches(const vigil_incident_query *q,
                            const char *const types[4],
                            const char *const actors[4], const char *dataset,
                            const char *country)
{
    size_t i;

    if (q->type && *q->type) {
        int hit = 0;

        for (i = 0; i < 4 && !hit; i++)
            hit = types[i] && list_has(q->type, types[i]);
        if (!hit)
            return 0;
    }
    if (q->country && *q->country) {
        char key[KEY_MAX];
        const char *k = vigil_aliases_resolve(q->aliases, VIGIL_ALIAS_PLACE,
                                              country, dataset, NULL, key,
                                              sizeof(key));
        if (!k || !list_has(q->country, k))
            return 0;
    }
    if (q->actor && *q->actor) {
        for (i = 0; i < 4; i++)
            if (actor_field_matches(q, actors[i], dataset, country))
                return 1;
        return 0;
    }
    return 1;
}

static int row_matches(const vigil_incident_query *q, vigil__stmt *s)
{
    const char *types[4] = { col(s, R_KIND), col(s, R_TYPE), col(s, R_SUB),
                             col(s, R_RAW) };
    const char *actors[4] = { col(s, R_ACTOR1), col(s, R_ASSOC1),
                              col(s, R_ACTOR2), col(s, R_ASSOC2) };

    return vigil__incident_matches(q, types, actors, col(s, R_DATASET),
                                   col(s, R_COUNTRY));
}

/* ---- grouping ------------------------------------------------------------- */

static const char *group_key(const vigil_incident_query *q, vigil__stmt *s,
                             char *buf)
{
    const char *d = col(s, R_DATE), *v;
    int attr;

    switch (q->by) {
    case VIGIL_BY_YEAR:
        return memcpy(buf, d, 4), buf[4] = '\0', buf;
    case VIGIL_BY_MONTH:
        return memcpy(buf, d, 7), buf[7] = '\0', buf;
    case VIGIL_BY_MONTH_OF_YEAR:
        return memcpy(buf, d + 5, 2), buf[2] = '\0', buf;
    case VIGIL_BY_COUNTRY:
        return vigil_aliases_resolve(q->aliases, VIGIL_ALIAS_PLACE,
                                     col(s, R_COUNTRY), col(s, R_DATASET),
                                     NULL, buf, KEY_MAX);
    case VIGIL_BY_ADMIN1:
        return vigil_aliases_resolve(q->aliases, VIGIL_ALIAS_PLACE,
                                     col(s, R_ADMIN1), col(s, R_DATASET),
                                     col(s, R_COUNTRY), buf, KEY_MAX);
    case VIGIL_BY_EVENT_TYPE:
        return col(s, R_TYPE) ? col(s, R_TYPE) : col(s, R_RAW);
    case VIGIL_BY_ACTOR:
        return vigil_aliases_resolve(q->aliases, VIGIL_ALIAS_ACTOR,
                                     col(s, R_ACTOR1), col(s, R_DATASET),
                                     col(s, R_COUNTRY), buf, KEY_MAX);
    case VIGIL_BY_ATTRIBUTION:
        v = col(s, R_ATTR);
        attr = v ? vigil__attribution_from(v) : VIGIL_ATTR_UNSPECIFIED;
        return vigil_attribution_name((vigil_attribution)attr);
    default:
        v = col(s, R_KIND);
        return v ? v : "other";
    }
}

static void add_to(vigil_incident_row *row, vigil__stmt *s, int kind,
                   int attr)
{
    int64_t f = col_int(s, R_FAT), lo = col_int(s, R_LOW),
            hi = col_int(s, R_HIGH);

    row->events++;
    if (f != VIGIL_NO_VALUE)
        row->fatalities += f;
    else
        row->fatalities_unstated++;
    if (lo != VIGIL_NO_VALUE || hi != VIGIL_NO_VALUE)
        row->has_range = 1;
    row->fatalities_low += lo != VIGIL_NO_VALUE ? lo
                           : f != VIGIL_NO_VALUE ? f : 0;
    row->fatalities_high += hi != VIGIL_NO_VALUE ? hi
                            : f != VIGIL_NO_VALUE ? f : 0;
    row->by_attribution[attr]++;
    row->by_kind[kind]++;
}

static char *dup_or_null(const char *s)
{
    return s ? vigil__strdup(s) : NULL;
}

static int list_add(agg *g, vigil__stmt *s, size_t row, int kind, int attr)
{
    vigil_incident_report *r = g->r;
    vigil_incident_brief *b;
    int64_t prec = col_int(s, R_PREC);

    if (r->n_list == g->list_cap) {
        size_t ncap = g->list_cap ? g->list_cap * 2 : 64;
        vigil_incident_brief *nv = vigil__realloc(r->list,
                                                  ncap * sizeof(*nv));
        if (!nv)
            return VIGIL_ENOMEM;
        r->list = nv;
        g->list_cap = ncap;
    }
    b = &r->list[r->n_list++];
    memset(b, 0, sizeof(*b));
    b->row = row;
    b->kind = (vigil_incident_kind)kind;
    b->attribution = (vigil_attribution)attr;
    b->fatalities = col_int(s, R_FAT);
    b->time_precision = prec == VIGIL_NO_VALUE ? 0 : (int)prec;
    if (!(b->dataset = dup_or_null(col(s, R_DATASET))) ||
        !(b->source_id = dup_or_null(col(s, R_ID))) ||
        !(b->event_date = dup_or_null(col(s, R_DATE))) ||
        (col(s, R_TYPE) && !(b->event_type = vigil__strdup(col(s, R_TYPE)))) ||
        (col(s, R_RAW) && !(b->raw_type = vigil__strdup(col(s, R_RAW)))) ||
        (col(s, R_ACTOR1) && !(b->actor1 = vigil__strdup(col(s, R_ACTOR1)))) ||
        (col(s, R_ACTOR2) && !(b->actor2 = vigil__strdup(col(s, R_ACTOR2)))) ||
        (col(s, R_COUNTRY) &&
         !(b->country = vigil__strdup(col(s, R_COUNTRY)))) ||
        (col(s, R_ADMIN1) && !(b->admin1 = vigil__strdup(col(s, R_ADMIN1)))) ||
        (col(s, R_LOCATION) &&
         !(b->location = vigil__strdup(col(s, R_LOCATION)))))
        return VIGIL_ENOMEM;
    return VIGIL_OK;
}

static void brief_dispose(vigil_incident_brief *b)
{
    vigil__free(b->dataset);
    vigil__free(b->source_id);
    vigil__free(b->event_date);
    vigil__free(b->event_type);
    vigil__free(b->raw_type);
    vigil__free(b->actor1);
    vigil__free(b->actor2);
    vigil__free(b->country);
    vigil__free(b->admin1);
    vigil__free(b->location);
}

static void drop_list(vigil_incident_report *r)
{
    size_t i;

    for (i = 0; i < r->n_list; i++)
        brief_dispose(&r->list[i]);
    vigil__free(r->list);
    r->list = NULL;
    r->n_list = 0;
    r->list_dropped = 1;
}

static int consume(agg *g, vigil__stmt *s)
{
    char buf[KEY_MAX];
    const char *key, *v;
    vigil_incident_row *row;
    int kind, attr, rc;

    if (!col(s, R_DATE) || strlen(col(s, R_DATE)) != 10 ||
        !row_matches(g->q, s))
        return VIGIL_OK;
    v = col(s, R_KIND);
    kind = v ? vigil__incident_kind_from(v) : -1;
    if (kind < 0)
        kind = VIGIL_INCIDENT_OTHER;
    v = col(s, R_ATTR);
    attr = v ? vigil__attribution_from(v) : -1;
    if (attr < 0)
        attr = VIGIL_ATTR_UNSPECIFIED;
    key = group_key(g->q, s, buf);
    if ((rc = row_for(g, key, &row)) < 0)
        return rc;
    add_to(row, s, kind, attr);
    add_to(&g->r->total, s, kind, attr);
    if (g->q->list && !g->r->list_dropped) {
        if (g->r->n_list == g->q->list) {   /* over the limit: no list */
            drop_list(g->r);
            return VIGIL_OK;
        }
        return list_add(g, s, (size_t)(row - g->r->rows), kind, attr);
    }
    return VIGIL_OK;
}

/* ---- ordering ------------------------------------------------------------- */

static int by_key(const void *a, const void *b)
{
    const vigil_incident_row *x = a, *y = b;

    if (!x->key || !y->key)
        return (!x->key) - (!y->key);       /* empty key last */
    return strcmp(x->key, y->key);
}

static int by_events(const void *a, const void *b)
{
    const vigil_incident_row *x = a, *y = b;

    if (x->events != y->events)
        return x->events < y->events ? 1 : -1;
    return by_key(a, b);
}

static int by_list(const void *a, const void *b)
{
    const vigil_incident_brief *x = a, *y = b;
    int c;

    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if ((c = strcmp(x->event_date, y->event_date)) != 0 ||
        (c = strcmp(x->dataset, y->dataset)) != 0)
        return c;
    return strcmp(x->source_id, y->source_id);
}

typedef struct {
    vigil_incident_row row;
    size_t orig;                /* index before sorting */
} tagged_row;

static int tagged_by_key(const void *a, const void *b)
{
    return by_key(&((const tagged_row *)a)->row, &((const tagged_row *)b)->row);
}

static int tagged_by_events(const void *a, const void *b)
{
    return by_events(&((const tagged_row *)a)->row,
                     &((const tagged_row *)b)->row);
}

/* Sort rows (time keys ascending, others by events), then re-point the
 * listed incidents at their rows' new places and sort them too. */
static int order(vigil_incident_report *r)
{
    int time = r->by <= VIGIL_BY_MONTH_OF_YEAR;
    tagged_row *t;
    size_t i, *newpos;

    if (r->n_rows == 0)
        return VIGIL_OK;
    t = vigil__mallocarray(r->n_rows, sizeof(*t));
    newpos = vigil__mallocarray(r->n_rows, sizeof(size_t));
    if (!t || !newpos) {
        vigil__free(t);
        vigil__free(newpos);
        return VIGIL_ENOMEM;
    }
    for (i = 0; i < r->n_rows; i++) {
        t[i].row = r->rows[i];
        t[i].orig = i;
    }
    qsort(t, r->n_rows, sizeof(*t), time ? tagged_by_key : tagged_by_events);
    for (i = 0; i < r->n_rows; i++) {
        r->rows[i] = t[i].row;
        newpos[t[i].orig] = i;
    }
    for (i = 0; i < r->n_list; i++)
        r->list[i].row = newpos[r->list[i].row];
    vigil__free(t);
    vigil__free(newpos);
    if (r->n_list)
        qsort(r->list, r->n_list, sizeof(r->list[0]), by_list);
    return VIGIL_OK;
}

int vigil_incidents_report(vigil_incident_report **out, vigil_store *st,
                           const vigil_incident_query *q)
{
    char from[11], to[11];
    vigil__stmt *s = NULL;
    agg g;
    int rc;

    VIGIL_ASSERT_ARG(out && st && q && (unsigned)q->by < VIGIL_BY__COUNT);
    *out = NULL;
    memset(&g, 0, sizeof(g));
    g.q = q;
    if ((rc = vigil__incident_bounds(q, from, to)) < 0)
        return rc;
    if (!(g.r = vigil__calloc(1, sizeof(*g.r))))
        return VIGIL_ENOMEM;
    g.r->by = q->by;
    if ((rc = grow_slots(&g)) < 0 ||
        (rc = vigil__stmt_new(&s, st, select_sql)) < 0 ||
        (rc = vigil__bind_str(s, 1, from)) < 0 ||
        (rc = vigil__bind_str(s, 2, to)) < 0 ||
        (rc = vigil__bind_str(s, 3, q->dataset ? q->dataset : "")) < 0 ||
        (rc = vigil__bind_str(s, 4, q->dataset ? q->dataset : "")) < 0)
        goto out;
    while ((rc = vigil__step(s)) == VIGIL_ROW)
        if ((rc = consume(&g, s)) < 0)
            break;
    if (rc >= 0)
        rc = order(g.r);
out:
    vigil__stmt_free(s);
    vigil__free(g.slot);
    if (rc < 0) {
        vigil_incident_report_free(g.r);
        return rc;
    }
    *out = g.r;
    return VIGIL_OK;
}

void vigil_incident_report_free(vigil_incident_report *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->n_rows; i++)
        vigil__free(r->rows[i].key);
    for (i = 0; i < r->n_list; i++)
        brief_dispose(&r->list[i]);
    vigil__free(r->rows);
    vigil__free(r->list);
    vigil__free(r);
}
