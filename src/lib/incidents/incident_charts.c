/*
 * incidents/incident_charts.c - the report charts: events per period
 * (stacked by kind), fatalities per group, monthly attacks against
 * counter-operations, month-of-year seasonality, and monthly incidents
 * over stored propaganda items. Data from vigil_incidents_report(); the
 * drawing is report/chart_svg.c.
 */
#define VIGIL_MODULE "incidents"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/error.h"
#include "incidents/incidents_internal.h"
#include "report/chart.h"

#define MAX_CATS 1200
#define MAX_BAR_GROUPS 30

int vigil_incident_chart_parse(vigil_incident_chart *out, const char *name)
{
    static const char *const names[] = {
        "auto", "events", "fatalities", "attacks-vs-ops", "seasonality",
        "overlay"
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcasecmp(name, names[i]) == 0) {
            *out = (vigil_incident_chart)i;
            return VIGIL_OK;
        }
    return vigil_error_set(VIGIL_EINVAL, "unknown chart '%s' (events, "
        "fatalities, attacks-vs-ops, seasonality or overlay)", name);
}

/* Categories and one value array per series, all owned here. */
typedef struct {
    char **cats;
    size_t n;
    double *v[VIGIL_INCIDENT__KINDS + 2];
    int nv;
} table;

static void table_free(table *t)
{
    size_t i;
    int k;

    for (i = 0; i < t->n; i++)
        vigil__free(t->cats[i]);
    vigil__free(t->cats);
    for (k = 0; k < t->nv; k++)
        vigil__free(t->v[k]);
}

static int table_init(table *t, size_t n, int nv)
{
    int k;

    memset(t, 0, sizeof(*t));
    if (n > MAX_CATS)
        return vigil_error_set(VIGIL_ELIMIT, "chart would have %zu bars or "
                               "points, limit %d: narrow --from/--to", n,
                               MAX_CATS);
    if (!(t->cats = vigil__calloc(n ? n : 1, sizeof(char *))))
        return VIGIL_ENOMEM;
    t->nv = nv;
    for (k = 0; k < nv; k++)
        if (!(t->v[k] = vigil__calloc(n ? n : 1, sizeof(double))))
            return VIGIL_ENOMEM;
    t->n = n;
    return VIGIL_OK;
}

/* Leading decimal number of a key ("2023", "07"); 0 when none. */
static int key_num(const char *s)
{
    long v = strtol(s, NULL, 10);

    return v > 0 && v < 100000 ? (int)v : 0;
}

static int parse_ym(const char *s, int *y, int *m)
{
    return s && sscanf(s, "%4d-%2d", y, m) == 2 ? 0 : -1;
}

/* Continuous time axis from the first to the last key of @p r (NULL: none)
 * widened to @p also_lo..also_hi (years, months or the twelve months of the
 * year). Keys outside map to nothing. */
static int time_axis(table *t, const vigil_incident_report *r,
                     vigil_incident_group by, const char *also_lo,
                     const char *also_hi, int nv)
{
    static const char *const mon[12] = { "Jan", "Feb", "Mar", "Apr", "May",
        "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    const char *lo = r && r->n_rows ? r->rows[0].key : also_lo;
    const char *hi = r && r->n_rows ? r->rows[r->n_rows - 1].key : also_hi;
    int y0 = 0, m0 = 1, y1 = 0, m1 = 1, rc;
    size_t i, n;

    if (also_lo && (!lo || strcmp(also_lo, lo) < 0))
        lo = also_lo;
    if (also_hi && (!hi || strcmp(also_hi, hi) > 0))
        hi = also_hi;
    if (by == VIGIL_BY_MONTH_OF_YEAR)
        n = 12;
    else if (!lo || !hi)
        n = 0;
    else if (by == VIGIL_BY_YEAR)
        n = (size_t)(key_num(hi) - key_num(lo) + 1);
    else if (parse_ym(lo, &y0, &m0) == 0 && parse_ym(hi, &y1, &m1) == 0)
        n = (size_t)((y1 - y0) * 12 + (m1 - m0) + 1);
    else
        n = 0;
    if ((rc = table_init(t, n, nv)) < 0)
        return rc;
    for (i = 0; i < n; i++) {
        char k[16];

        if (by == VIGIL_BY_MONTH_OF_YEAR)
            snprintf(k, sizeof(k), "%s", mon[i]);
        else if (by == VIGIL_BY_YEAR)
            snprintf(k, sizeof(k), "%d", key_num(lo) + (int)i);
        else
            snprintf(k, sizeof(k), "%04d-%02d",
                     y0 + (int)((m0 - 1 + (int)i) / 12),
                     (m0 - 1 + (int)i) % 12 + 1);
        if (!(t->cats[i] = vigil__strdup(k)))
            return VIGIL_ENOMEM;
    }
    return VIGIL_OK;
}

/* Index of time key @p key on the axis of time_axis(). */
static long time_index(const table *t, vigil_incident_group by,
                       const char *key)
{
    int y, m, y0, m0;

    if (!key || t->n == 0)
        return -1;
    if (by == VIGIL_BY_MONTH_OF_YEAR)
        return key_num(key) - 1;
    if (by == VIGIL_BY_YEAR)
        return key_num(key) - key_num(t->cats[0]);
    if (parse_ym(key, &y, &m) < 0 || parse_ym(t->cats[0], &y0, &m0) < 0)
        return -1;
    return (long)((y - y0) * 12 + (m - m0));
}

static int is_time(vigil_incident_group by)
{
    return by <= VIGIL_BY_MONTH_OF_YEAR;
}

/* Append to a fixed buffer, truncating. */
static void cat(char *buf, size_t len, const char *a, const char *b)
{
    size_t n = strlen(buf);

    if (b)
        snprintf(buf + n, len - n, "%s%s", a, b);
}

static void subtitle(char *buf, size_t len, const vigil_incident_query *q,
                     const vigil_incident_report *r, const char *extra)
{
    snprintf(buf, len, "%lld incidents", (long long)r->total.events);
    cat(buf, len, ", actor ", q->actor);
    cat(buf, len, ", type ", q->type);
    cat(buf, len, ", from ", q->from);
    cat(buf, len, ", to ", q->to);
    cat(buf, len, "; ", extra);
    cat(buf, len, "; source: ", "vigil incident table");
}

static const char *const group_label[VIGIL_BY__COUNT] = {
    "year", "month (YYYY-MM)", "month of year", "country",
    "admin1 (province / region)", "event type", "actor (alias key)",
    "attribution", "kind"
};

static int emit(char **out, const vigil__chart *c)
{
    vgu_buf b = VGU_BUF_INIT;

    b.max = (size_t)64 << 20;
    if (vigil__chart_svg(&b, c) < 0) {
        vgu_buf_dispose(&b);
        return vigil_error_set(VIGIL_ENOMEM, "chart too large");
    }
    /* Hand over in library-allocated memory (vigil_incidents_free). */
    if (!(*out = vigil__malloc(b.len + 1))) {
        vgu_buf_dispose(&b);
        return VIGIL_ENOMEM;
    }
    memcpy(*out, b.ptr, b.len + 1);
    vgu_buf_dispose(&b);
    return VIGIL_OK;
}

static int by_fatalities(const void *a, const void *b)
{
    const vigil_incident_row *x = *(const vigil_incident_row *const *)a;
    const vigil_incident_row *y = *(const vigil_incident_row *const *)b;

    if (x->fatalities != y->fatalities)
        return x->fatalities < y->fatalities ? 1 : -1;
    if (x->events != y->events)
        return x->events < y->events ? 1 : -1;
    return (x->key && y->key) ? strcmp(x->key, y->key) : (!x->key) - (!y->key);
}

/* Events stacked by kind, or fatalities, per group. */
static int chart_groups(char **out, const vigil_incident_query *q,
                        const vigil_incident_report *r, int fatalities)
{
    vigil__chart_series series[VIGIL_INCIDENT__KINDS];
    char title[160], sub[512], note[96];
    const vigil_incident_row **order = NULL;
    table t;
    size_t i, n, ns = 0;
    int k, rc;

    /* Non-time groups: the largest first (by fatalities on that chart). */
    if (r->n_rows &&
        !(order = vigil__mallocarray(r->n_rows, sizeof(*order))))
        return VIGIL_ENOMEM;
    for (i = 0; i < r->n_rows; i++)
        order[i] = &r->rows[i];
    if (fatalities && !is_time(q->by) && r->n_rows)
        qsort(order, r->n_rows, sizeof(*order), by_fatalities);
    if (is_time(q->by))
        rc = time_axis(&t, r, q->by, NULL, NULL, VIGIL_INCIDENT__KINDS);
    else
        rc = table_init(&t, n = r->n_rows < MAX_BAR_GROUPS ? r->n_rows
                        : MAX_BAR_GROUPS, VIGIL_INCIDENT__KINDS);
    for (i = 0; rc == 0 && i < r->n_rows; i++) {
        const vigil_incident_row *w = order[i];
        long at = is_time(q->by) ? time_index(&t, q->by, w->key) : (long)i;

        if (at < 0 || (size_t)at >= t.n)
            continue;
        if (!is_time(q->by) && !(t.cats[at] = vigil__strdup(
                w->key ? w->key : "(not stated)")))
            rc = VIGIL_ENOMEM;
        for (k = 0; rc == 0 && k < VIGIL_INCIDENT__KINDS; k++)
            t.v[k][at] = fatalities ? (k ? 0 : (double)w->fatalities)
                                    : (double)w->by_kind[k];
    }
    if (rc < 0)
        goto out;
    for (k = 0; k < (fatalities ? 1 : VIGIL_INCIDENT__KINDS); k++) {
        if (!fatalities && r->total.by_kind[k] == 0)
            continue;
        series[ns].name = fatalities ? "fatalities (best estimate)"
                                     : vigil_incident_kind_name(k);
        series[ns].values = t.v[k];
        series[ns].line = 0;
        series[ns++].right_axis = 0;
    }
    snprintf(title, sizeof(title), "Incident %s by %s",
             fatalities ? "fatalities" : "events", group_label[q->by]);
    snprintf(note, sizeof(note), "%lld without a fatality figure%s",
             (long long)r->total.fatalities_unstated,
             !is_time(q->by) && r->n_rows > MAX_BAR_GROUPS ? "; top 30 shown"
                                                          : "");
    subtitle(sub, sizeof(sub), q, r, fatalities ? note : NULL);
    {
        vigil__chart c = { title, sub, group_label[q->by],
                           fatalities ? "fatalities (people killed)"
                                      : "events (count)",
                           NULL, (const char *const *)t.cats, t.n, series,
                           ns, 1 };
        rc = emit(out, &c);
    }
out:
    vigil__free(order);
    table_free(&t);
    return rc;
}

/* Monthly attacks and counter-operations, one time axis. */
static int chart_vs(char **out, const vigil_incident_query *q,
                    const vigil_incident_report *r)
{
    vigil__chart_series series[2];
    char sub[512];
    table t;
    size_t i;
    int rc;

    if ((rc = time_axis(&t, r, VIGIL_BY_MONTH, NULL, NULL, 2)) < 0)
        goto out;
    for (i = 0; i < r->n_rows; i++) {
        long at = time_index(&t, VIGIL_BY_MONTH, r->rows[i].key);

        if (at >= 0 && (size_t)at < t.n) {
            t.v[0][at] = (double)r->rows[i].by_kind[VIGIL_INCIDENT_ATTACK];
            t.v[1][at] = (double)r->rows[i].by_kind[VIGIL_INCIDENT_COUNTER_OP];
        }
    }
    series[0] = (vigil__chart_series){ "attacks", t.v[0], 1, 0 };
    series[1] = (vigil__chart_series){ "counter-operations", t.v[1], 1, 0 };
    subtitle(sub, sizeof(sub), q, r, "kinds: attack vs counter-operation");
    {
        vigil__chart c = { "Monthly attacks and counter-operations", sub,
                           "month (YYYY-MM, event date)", "events per month "
                           "(count)", NULL, (const char *const *)t.cats, t.n,
                           series, 2, 0 };
        rc = emit(out, &c);
    }
out:
    table_free(&t);
    return rc;
}

/* Month-of-year seasonality: events by kind, stacked. */
static int chart_season(char **out, const vigil_incident_query *q,
                        const vigil_incident_report *r)
{
    vigil_incident_query q2 = *q;

    q2.by = VIGIL_BY_MONTH_OF_YEAR;
    return chart_groups(out, &q2, r, 0);
}

static int chart_overlay(char **out, vigil_store *st,
                         const vigil_incident_query *q,
                         const vigil_incident_report *r)
{
    vigil__chart_series series[2];
    vigil_stats *stats = NULL;
    const char *lo = NULL, *hi = NULL;
    char sub[512], note[160];
    long long in_range = 0;
    table t;
    size_t i;
    int rc;

    memset(&t, 0, sizeof(t));
    if ((rc = vigil_store_stats(&stats, st)) < 0)
        return rc;
    for (i = 0; i < stats->by_month.n; i++) {
        const char *k = stats->by_month.v[i].key;

        if (strlen(k) != 7 || (q->from && strncmp(k, q->from, 7) < 0) ||
            (q->to && strncmp(k, q->to, 7) > 0))
            continue;
        if (!lo || strcmp(k, lo) < 0)
            lo = k;
        if (!hi || strcmp(k, hi) > 0)
            hi = k;
    }
    if (!lo) {
        rc = vigil_error_set(VIGIL_ENOTFOUND, "the database holds no dated "
                             "items in range: nothing to overlay");
        goto out;
    }
    /* The axis is the items' months: incidents are drawn over the
     * propaganda volume, not the other way round. */
    if ((rc = time_axis(&t, NULL, VIGIL_BY_MONTH, lo, hi, 2)) < 0)
        goto out;
    for (i = 0; i < stats->by_month.n; i++) {
        long at = time_index(&t, VIGIL_BY_MONTH, stats->by_month.v[i].key);
        if (at >= 0 && (size_t)at < t.n)
            t.v[0][at] = (double)stats->by_month.v[i].count;
    }
    for (i = 0; i < r->n_rows; i++) {
        long at = time_index(&t, VIGIL_BY_MONTH, r->rows[i].key);
        if (at >= 0 && (size_t)at < t.n) {
            t.v[1][at] = (double)r->rows[i].events;
            in_range += r->rows[i].events;
        }
    }
    series[0] = (vigil__chart_series){ "propaganda items", t.v[0], 0, 0 };
    series[1] = (vigil__chart_series){ "incidents", t.v[1], 1, 1 };
    snprintf(note, sizeof(note), "items by posted month (UTC), %s to %s; "
             "%lld incidents in those months", lo, hi, (long long)in_range);
    subtitle(sub, sizeof(sub), q, r, note);
    {
        vigil__chart c = { "Incidents over propaganda volume", sub,
                           "month (YYYY-MM)", "items per month (count)",
                           "incidents per month (count)",
                           (const char *const *)t.cats, t.n, series, 2, 0 };
        rc = emit(out, &c);
    }
out:
    table_free(&t);
    vigil_stats_free(stats);
    return rc;
}

int vigil_incidents_chart_svg(char **out, vigil_store *st,
                              const vigil_incident_query *q,
                              vigil_incident_chart chart)
{
    vigil_incident_query q2 = *q;
    vigil_incident_report *r = NULL;
    int rc;

    VIGIL_ASSERT_ARG(out && st && q);
    *out = NULL;
    q2.list = 0;
    if (chart == VIGIL_CHART_AUTO)
        chart = q->by == VIGIL_BY_ADMIN1 ? VIGIL_CHART_FATALITIES
              : q->by == VIGIL_BY_MONTH_OF_YEAR ? VIGIL_CHART_SEASONALITY
              : q->by == VIGIL_BY_MONTH ? VIGIL_CHART_ATTACKS_VS_OPS
              : VIGIL_CHART_EVENTS;
    if (chart == VIGIL_CHART_ATTACKS_VS_OPS || chart == VIGIL_CHART_OVERLAY)
        q2.by = VIGIL_BY_MONTH;
    else if (chart == VIGIL_CHART_SEASONALITY)
        q2.by = VIGIL_BY_MONTH_OF_YEAR;
    if ((rc = vigil_incidents_report(&r, st, &q2)) < 0)
        return rc;
    switch (chart) {
    case VIGIL_CHART_FATALITIES:     rc = chart_groups(out, &q2, r, 1); break;
    case VIGIL_CHART_ATTACKS_VS_OPS: rc = chart_vs(out, &q2, r); break;
    case VIGIL_CHART_SEASONALITY:    rc = chart_season(out, &q2, r); break;
    case VIGIL_CHART_OVERLAY:        rc = chart_overlay(out, st, &q2, r); break;
    default:                         rc = chart_groups(out, &q2, r, 0); break;
    }
    vigil_incident_report_free(r);
    return rc;
}
