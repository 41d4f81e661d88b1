/*
 * incidents/incident_import.c - reads ACLED, UCDP GED and vigil CSV files
 * into the incident table: header detection, column mapping by name (so
 * both ACLED column generations work), row conversion with per-row
 * rejection (file:line + reason), batched transactions.
 */
#define VIGIL_MODULE "incidents"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/error.h"
#include "incidents/incidents_internal.h"
#include "util/csv.h"

#define IMPORT_BATCH 50000

/* Every column any importer reads; names as in the source headers. */
enum {
    C_EVENT_ID_CNTY, C_EVENT_DATE, C_TIME_PRECISION, C_DISORDER_TYPE,
    C_EVENT_TYPE, C_SUB_EVENT_TYPE, C_ACTOR1, C_ASSOC_ACTOR_1, C_INTER1,
    C_ACTOR2, C_ASSOC_ACTOR_2, C_INTER2, C_INTERACTION, C_CIVILIAN_TARGETING,
    C_ISO, C_REGION, C_COUNTRY, C_ADMIN1, C_ADMIN2, C_ADMIN3, C_LOCATION,
    C_LATITUDE, C_LONGITUDE, C_GEO_PRECISION, C_SOURCE, C_SOURCE_SCALE,
    C_NOTES, C_FATALITIES, C_TAGS, C_TIMESTAMP,
    /* UCDP GED */
    C_ID, C_TYPE_OF_VIOLENCE, C_SIDE_A, C_SIDE_B, C_SOURCE_ARTICLE,
    C_SOURCE_HEADLINE, C_WHERE_PREC, C_WHERE_COORDINATES, C_ADM_1, C_ADM_2,
    C_DATE_PREC, C_DATE_START, C_DATE_END, C_BEST, C_HIGH, C_LOW,
    C_DEATHS_A, C_DEATHS_B, C_DEATHS_CIVILIANS, C_DEATHS_UNKNOWN,
    C_WHERE_DESCRIPTION,
    /* vigil */
    C_DATASET, C_SOURCE_ID, C_INCIDENT_ID, C_DATE_END_V, C_KIND, C_RAW_TYPE,
    C_ASSOC_ACTOR1, C_ASSOC_ACTOR2, C_ACTOR, C_ATTRIBUTION,
    C_FATALITIES_LOW, C_FATALITIES_HIGH, C_INJURED, C_TARGET,
    C_NATIONALITIES, C_SOURCES, C_SOURCE_TITLES, C_SOURCE_TIMESTAMP,
    C__COUNT
};

static const char *const col_names[C__COUNT] = {
    "event_id_cnty", "event_date", "time_precision", "disorder_type",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1",
    "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
    "id", "type_of_violence", "side_a", "side_b", "source_article",
    "source_headline", "where_prec", "where_coordinates", "adm_1", "adm_2",
    "date_prec", "date_start", "date_end", "best", "high", "low",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "where_description",
    "dataset", "source_id", "incident_id", "date_end", "kind", "raw_type",
    "assoc_actor1", "assoc_actor2", "actor", "attribution",
    "fatalities_low", "fatalities_high", "injured", "target",
    "nationalities", "sources", "source_titles", "source_timestamp",
};

typedef struct {
    const char *path;
    vgu_csv *csv;
    int idx[C__COUNT];          /* column position, -1 when absent */
    vigil_incident_format fmt;
    char reason[256];
    char date[11], date_end[11];
    char interaction[96];
    char tags[160];
} import_ctx;

/* ---- field access ----------------------------------------------------- */

static const char *fld(const import_ctx *c, int col)
{
    const char *s;
    size_t len;

    if (c->idx[col] < 0)
        return NULL;
    s = vgu_csv_get(c->csv, (size_t)c->idx[col], &len);
    while (len && isspace((unsigned char)*s))
        s++, len--;
    return len ? s : NULL;
}

static int bad(import_ctx *c, const char *fmt, const char *col,
               const char *val)
{
    snprintf(c->reason, sizeof(c->reason), fmt, col, val ? val : "");
    return -1;
}

/* Whole number; "3.0" accepted (spreadsheet round trips). */
static int get_int(import_ctx *c, int col, int64_t *out, int64_t lo,
                   int64_t hi)
{
    const char *s = fld(c, col);
    char *end;
    long long v;

    *out = VIGIL_NO_VALUE;
    if (!s)
        return 0;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (end != s && *end == '.') {
        end++;
        while (*end == '0')
            end++;
    }
    while (isspace((unsigned char)*end))
        end++;
    if (errno || end == s || *end || v < lo || v > hi)
        return bad(c, "%s '%s' is not a whole number in range",
                   col_names[col], s);
    *out = v;
    return 0;
}

static int get_small(import_ctx *c, int col, int *out, int lo, int hi)
{
    int64_t v;

    if (get_int(c, col, &v, lo, hi) < 0)
        return -1;
    *out = v == VIGIL_NO_VALUE ? 0 : (int)v;
    return 0;
}

static int get_coords(import_ctx *c, vigil_incident *inc, int lat_col,
                      int lon_col)
{
    const char *la = fld(c, lat_col), *lo = fld(c, lon_col);
    char *e1, *e2;

    if (!la && !lo)
        return 0;
    if (!la || !lo)
        return bad(c, "%s%s: latitude and longitude must come together",
                   "coordinates", "");
    inc->latitude = strtod(la, &e1);
    inc->longitude = strtod(lo, &e2);
    if (*e1 || *e2 || !isfinite(inc->latitude) ||
        !isfinite(inc->longitude) || fabs(inc->latitude) > 90 ||
        fabs(inc->longitude) > 180)
        return bad(c, "%s '%s' is not a valid WGS84 pair", "latitude", la);
    inc->has_coords = 1;
    return 0;
}

static int get_date(import_ctx *c, int col, char out[11], int required)
{
    const char *s = fld(c, col);

    if (!s) {
        if (required)
            return bad(c, "%s is empty%s", col_names[col], "");
        out[0] = '\0';
        return 0;
    }
    if (vigil__date_parse(out, s, strlen(s)) < 0)
        return bad(c, "%s '%s' is not a date (yyyy-mm-dd, dd-mm-yyyy or "
                   "dd Month yyyy)", col_names[col], s);
    return 0;
}

/* ---- ACLED ------------------------------------------------------------ */

/* ACLED actor types, numeric codes 1..8 (codebook; acledR inter_numeric). */
static const char *const inter_labels[9] = {
    NULL, "State forces", "Rebel groups", "Political militias",
    "Identity militias", "Rioters", "Protesters", "Civilians",
    "External/Other forces"
};

static const char *inter_text(const char *s)
{
    if (s && s[0] >= '0' && s[0] <= '8' && s[1] == '\0')
        return inter_labels[s[0] - '0'];
    return s;
}

/* "13" -> "State forces-Political militias", "10" -> "State forces only". */
static const char *interaction_text(import_ctx *c, const char *s)
{
    if (!s || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1])
        || s[2] || s[0] < '1' || s[0] > '8' || s[1] > '8')
        return s;
    if (s[1] == '0')
        snprintf(c->interaction, sizeof(c->interaction), "%s only",
                 inter_labels[s[0] - '0']);
    else
        snprintf(c->interaction, sizeof(c->interaction), "%s-%s",
                 inter_labels[s[0] - '0'], inter_labels[s[1] - '0']);
    return c->interaction;
}

static int is_state_actor(const char *inter)
{
    return inter && (strcasecmp(inter, "State forces") == 0 ||
                     strcasecmp(inter, "External/Other forces") == 0);
}

static vigil_incident_kind acled_kind(const char *type, const char *sub,
                                      const char *inter1)
{
    if (sub && strcasecmp(sub, "Arrests") == 0)
        return VIGIL_INCIDENT_ARREST;
    if (!type || strcasecmp(type, "Strategic developments") == 0 ||
        strcasecmp(type, "Protests") == 0 || strcasecmp(type, "Riots") == 0)
        return VIGIL_INCIDENT_OTHER;
    return is_state_actor(inter1) ? VIGIL_INCIDENT_COUNTER_OP
                                  : VIGIL_INCIDENT_ATTACK;
}

static int acled_row(import_ctx *c, vigil_incident *inc)
{
    int64_t ts;

    inc->dataset = "acled";
    if (!(inc->source_id = fld(c, C_EVENT_ID_CNTY)))
        return bad(c, "%s is empty%s", "event_id_cnty", "");
    if (get_date(c, C_EVENT_DATE, c->date, 1) < 0 ||
        get_small(c, C_TIME_PRECISION, &inc->time_precision, 1, 3) < 0 ||
        get_small(c, C_GEO_PRECISION, &inc->geo_precision, 1, 3) < 0 ||
        get_int(c, C_FATALITIES, &inc->fatalities, 0, 1000000000) < 0 ||
        get_int(c, C_TIMESTAMP, &ts, 0, INT64_MAX) < 0 ||
        get_coords(c, inc, C_LATITUDE, C_LONGITUDE) < 0)
        return -1;
    inc->event_date = c->date;
    inc->source_timestamp = ts;
    inc->event_type = fld(c, C_EVENT_TYPE);
    inc->sub_event_type = fld(c, C_SUB_EVENT_TYPE);
    inc->disorder_type = fld(c, C_DISORDER_TYPE);
    inc->actor1 = fld(c, C_ACTOR1);
    inc->assoc_actor1 = fld(c, C_ASSOC_ACTOR_1);
    inc->inter1 = inter_text(fld(c, C_INTER1));
    inc->actor2 = fld(c, C_ACTOR2);
    inc->assoc_actor2 = fld(c, C_ASSOC_ACTOR_2);
    inc->inter2 = inter_text(fld(c, C_INTER2));
    inc->interaction = interaction_text(c, fld(c, C_INTERACTION));
    inc->civilian_targeting = fld(c, C_CIVILIAN_TARGETING);
    inc->iso = fld(c, C_ISO);
    inc->region = fld(c, C_REGION);
    inc->country = fld(c, C_COUNTRY);
    inc->admin1 = fld(c, C_ADMIN1);
    inc->admin2 = fld(c, C_ADMIN2);
    inc->admin3 = fld(c, C_ADMIN3);
    inc->location = fld(c, C_LOCATION);
    inc->sources = fld(c, C_SOURCE);
    inc->source_scale = fld(c, C_SOURCE_SCALE);
    inc->notes = fld(c, C_NOTES);
    inc->tags = fld(c, C_TAGS);
    inc->kind = acled_kind(inc->event_type, inc->sub_event_type, inc->inter1);
    return 0;
}

/* ---- UCDP GED ----------------------------------------------------------- */

static int ged_row(import_ctx *c, vigil_incident *inc)
{
    int64_t tv, da, db, dc, du;
    int prec = 0, wprec = 0;
    const char *side_a;

    inc->dataset = "ucdp-ged";
    if (!(inc->source_id = fld(c, C_ID)))
        return bad(c, "%s is empty%s", "id", "");
    if (get_date(c, C_DATE_START, c->date, 1) < 0 ||
        get_date(c, C_DATE_END, c->date_end, 0) < 0 ||
        get_int(c, C_TYPE_OF_VIOLENCE, &tv, 1, 3) < 0 ||
        get_small(c, C_DATE_PREC, &prec, 1, 5) < 0 ||
        get_small(c, C_WHERE_PREC, &wprec, 1, 7) < 0 ||
        get_int(c, C_BEST, &inc->fatalities, 0, 1000000000) < 0 ||
        get_int(c, C_LOW, &inc->fatalities_low, 0, 1000000000) < 0 ||
        get_int(c, C_HIGH, &inc->fatalities_high, 0, 1000000000) < 0 ||
        get_int(c, C_DEATHS_A, &da, 0, 1000000000) < 0 ||
        get_int(c, C_DEATHS_B, &db, 0, 1000000000) < 0 ||
        get_int(c, C_DEATHS_CIVILIANS, &dc, 0, 1000000000) < 0 ||
        get_int(c, C_DEATHS_UNKNOWN, &du, 0, 1000000000) < 0 ||
        get_coords(c, inc, C_LATITUDE, C_LONGITUDE) < 0)
        return -1;
    if (tv == VIGIL_NO_VALUE)
        return bad(c, "%s is empty%s", "type_of_violence", "");
    inc->event_date = c->date;
    inc->date_end = c->date_end[0] ? c->date_end : NULL;
    /* GED date_prec 1 day, 2-3 days-week, 4-5 month or more. */
    inc->time_precision = prec == 0 ? 0 : prec == 1 ? 1 : prec <= 3 ? 2 : 3;
    /* GED where_prec 1 exact, 2 within 25 km, 3-7 admin unit or wider. */
    inc->geo_precision = wprec == 0 ? 0 : wprec <= 2 ? wprec : 3;
    side_a = fld(c, C_SIDE_A);
    inc->actor1 = side_a;
    inc->actor2 = fld(c, C_SIDE_B);
    if (tv == 3) {
        inc->raw_type = "one-sided violence";
        inc->event_type = "Violence against civilians";
        inc->sub_event_type = "Attack";
    } else {
        inc->raw_type = tv == 1 ? "state-based conflict" : "non-state conflict";
        inc->event_type = "Battles";
        inc->sub_event_type = "Armed clash";
    }
    if (side_a && strncasecmp(side_a, "Government of", 13) == 0)
        inc->kind = tv == 1 ? VIGIL_INCIDENT_COUNTER_OP : VIGIL_INCIDENT_OTHER;
    else
        inc->kind = tv == 3 ? VIGIL_INCIDENT_ATTACK : VIGIL_INCIDENT_OTHER;
    inc->region = fld(c, C_REGION);
    inc->country = fld(c, C_COUNTRY);
    inc->admin1 = fld(c, C_ADM_1);
    inc->admin2 = fld(c, C_ADM_2);
    inc->location = fld(c, C_WHERE_COORDINATES);
    inc->notes = fld(c, C_WHERE_DESCRIPTION);
    inc->sources = fld(c, C_SOURCE_ARTICLE);
    inc->source_titles = fld(c, C_SOURCE_HEADLINE);
    if (da != VIGIL_NO_VALUE) {
        snprintf(c->tags, sizeof(c->tags), "deaths_a=%lld;deaths_b=%lld;"
                 "deaths_civilians=%lld;deaths_unknown=%lld", (long long)da,
                 (long long)(db == VIGIL_NO_VALUE ? 0 : db),
                 (long long)(dc == VIGIL_NO_VALUE ? 0 : dc),
                 (long long)(du == VIGIL_NO_VALUE ? 0 : du));
        inc->tags = c->tags;
    }
    return 0;
}

/* ---- vigil ---------------------------------------------------------------- */

static vigil_incident_kind vigil_kind_guess(const char *type, const char *sub,
                                            const char *inter1)
{
    if (type && strcasecmp(type, "Foiled plot") == 0)
        return VIGIL_INCIDENT_FOILED_PLOT;
    if (type && (strcasecmp(type, "Arrest") == 0 ||
                 strcasecmp(type, "Arrests") == 0))
        return VIGIL_INCIDENT_ARREST;
    return acled_kind(type, sub, inter1);
}

static int vigil_text_cols(import_ctx *c, vigil_incident *inc)
{
    inc->event_type = fld(c, C_EVENT_TYPE);
    inc->sub_event_type = fld(c, C_SUB_EVENT_TYPE);
    inc->raw_type = fld(c, C_RAW_TYPE);
    inc->disorder_type = fld(c, C_DISORDER_TYPE);
    inc->actor1 = fld(c, C_ACTOR1) ? fld(c, C_ACTOR1) : fld(c, C_ACTOR);
    inc->assoc_actor1 = fld(c, C_ASSOC_ACTOR1);
    inc->inter1 = inter_text(fld(c, C_INTER1));
    inc->actor2 = fld(c, C_ACTOR2);
    inc->assoc_actor2 = fld(c, C_ASSOC_ACTOR2);
    inc->inter2 = inter_text(fld(c, C_INTER2));
    inc->interaction = fld(c, C_INTERACTION);
    inc->civilian_targeting = fld(c, C_CIVILIAN_TARGETING);
    inc->iso = fld(c, C_ISO);
    inc->region = fld(c, C_REGION);
    inc->country = fld(c, C_COUNTRY);
    inc->admin1 = fld(c, C_ADMIN1);
    inc->admin2 = fld(c, C_ADMIN2);
    inc->admin3 = fld(c, C_ADMIN3);
    inc->location = fld(c, C_LOCATION);
    inc->target = fld(c, C_TARGET);
    inc->nationalities = fld(c, C_NATIONALITIES);
    inc->notes = fld(c, C_NOTES);
    inc->sources = fld(c, C_SOURCES);
    inc->source_titles = fld(c, C_SOURCE_TITLES);
    inc->source_scale = fld(c, C_SOURCE_SCALE);
    inc->tags = fld(c, C_TAGS);
    return 0;
}

static int vigil_row(import_ctx *c, vigil_incident *inc)
{
    const char *s;
    int v;

    inc->dataset = fld(c, C_DATASET) ? fld(c, C_DATASET) : "vigil";
    inc->source_id = fld(c, C_SOURCE_ID) ? fld(c, C_SOURCE_ID)
                                         : fld(c, C_INCIDENT_ID);
    if (!inc->source_id)
        return bad(c, "%s is empty%s", "source_id", "");
    if (get_date(c, C_EVENT_DATE, c->date, 1) < 0 ||
        get_date(c, C_DATE_END_V, c->date_end, 0) < 0 ||
        get_small(c, C_TIME_PRECISION, &inc->time_precision, 1, 3) < 0 ||
        get_small(c, C_GEO_PRECISION, &inc->geo_precision, 1, 3) < 0 ||
        get_int(c, C_FATALITIES, &inc->fatalities, 0, 1000000000) < 0 ||
        get_int(c, C_FATALITIES_LOW, &inc->fatalities_low, 0, 1000000000) < 0
        || get_int(c, C_FATALITIES_HIGH, &inc->fatalities_high, 0,
                   1000000000) < 0 ||
        get_int(c, C_INJURED, &inc->injured, 0, 1000000000) < 0 ||
        get_int(c, C_SOURCE_TIMESTAMP, &inc->source_timestamp, 0, INT64_MAX)
            < 0 ||
        get_coords(c, inc, C_LATITUDE, C_LONGITUDE) < 0)
        return -1;
    inc->event_date = c->date;
    inc->date_end = c->date_end[0] ? c->date_end : NULL;
    vigil_text_cols(c, inc);
    if ((s = fld(c, C_ATTRIBUTION)) != NULL) {
        if ((v = vigil__attribution_from(s)) < 0)
            return bad(c, "%s '%s' is not claimed, attributed, alleged, "
                       "linked, inspired or unspecified", "attribution", s);
        inc->attribution = (vigil_attribution)v;
    }
    if ((s = fld(c, C_KIND)) != NULL) {
        if ((v = vigil__incident_kind_from(s)) < 0)
            return bad(c, "%s '%s' is not attack, counter-operation, "
                       "foiled-plot, arrest or other", "kind", s);
        inc->kind = (vigil_incident_kind)v;
    } else {
        inc->kind = vigil_kind_guess(inc->event_type, inc->sub_event_type,
                                     inc->inter1);
    }
    return 0;
}

/* ---- header ------------------------------------------------------------ */

static int header_map(import_ctx *c)
{
    size_t i, n = vgu_csv_nfields(c->csv);
    int k;

    for (k = 0; k < C__COUNT; k++)
        c->idx[k] = -1;
    for (i = 0; i < n; i++) {
        const char *h = vgu_csv_get(c->csv, i, NULL);

        while (isspace((unsigned char)*h))
            h++;
        for (k = 0; k < C__COUNT; k++)
            if (c->idx[k] < 0 && strcasecmp(h, col_names[k]) == 0)
                c->idx[k] = (int)i;
    }
    /* GED's date_end and vigil's date_end share a name. */
    c->idx[C_DATE_END_V] = c->idx[C_DATE_END];
    return 0;
}

static int require(import_ctx *c, const int *cols, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (c->idx[cols[i]] < 0)
            return vigil_error_set(VIGIL_EFORMAT, "%s:%lu: %s file has no "
                                   "'%s' column", c->path, vgu_csv_line(c->csv),
                                   vigil_incident_format_name(c->fmt),
                                   col_names[cols[i]]);
    return VIGIL_OK;
}

static int header_check(import_ctx *c)
{
    static const int acled[] = { C_EVENT_ID_CNTY, C_EVENT_DATE };
    static const int ged[] = { C_ID, C_DATE_START, C_TYPE_OF_VIOLENCE, C_BEST };
    static const int vig[] = { C_EVENT_DATE };

    if (c->fmt == VIGIL_INCIDENTS_AUTO) {
        if (c->idx[C_EVENT_ID_CNTY] >= 0)
            c->fmt = VIGIL_INCIDENTS_ACLED;
        else if (c->idx[C_TYPE_OF_VIOLENCE] >= 0)
            c->fmt = VIGIL_INCIDENTS_UCDP_GED;
        else if ((c->idx[C_SOURCE_ID] >= 0 || c->idx[C_INCIDENT_ID] >= 0) &&
                 c->idx[C_EVENT_DATE] >= 0)
            c->fmt = VIGIL_INCIDENTS_VIGIL;
        else
            return vigil_error_set(VIGIL_EFORMAT, "%s:%lu: header not "
                "recognised: expected ACLED (event_id_cnty), UCDP GED "
                "(type_of_violence) or vigil (source_id) columns", c->path,
                vgu_csv_line(c->csv));
    }
    switch (c->fmt) {
    case VIGIL_INCIDENTS_ACLED:
        return require(c, acled, sizeof(acled) / sizeof(acled[0]));
    case VIGIL_INCIDENTS_UCDP_GED:
        return require(c, ged, sizeof(ged) / sizeof(ged[0]));
    default:
        if (c->idx[C_SOURCE_ID] < 0 && c->idx[C_INCIDENT_ID] < 0)
            return vigil_error_set(VIGIL_EFORMAT, "%s:%lu: vigil file has no "
                                   "'source_id' column", c->path,
                                   vgu_csv_line(c->csv));
        return require(c, vig, 1);
    }
}

/* HXL hashtag row (HDX republications): every non-empty field starts '#'. */
static int is_hxl_row(const import_ctx *c)
{
    size_t i, n = vgu_csv_nfields(c->csv), tags = 0;

    for (i = 0; i < n; i++) {
        const char *s = vgu_csv_get(c->csv, i, NULL);

        if (*s == '#')
            tags++;
        else if (*s)
            return 0;
    }
    return tags > 0;
}

/* ---- driver ---------------------------------------------------------------- */

static void reject(import_ctx *c, vigil_incident_import_stats *st,
                   vigil_incident_reject_fn fn, void *payload,
                   const char *reason)
{
    st->rejected++;
    if (fn)
        fn(payload, c->path, vgu_csv_line(c->csv), reason);
}

static int import_row(import_ctx *c, vigil__incident_writer *w,
                      vigil_incident_import_stats *st,
                      vigil_incident_reject_fn fn, void *payload)
{
    vigil_incident inc;
    vigil_upsert_result res;
    int rc;

    vigil_incident_init(&inc);
    c->reason[0] = '\0';
    if (c->fmt == VIGIL_INCIDENTS_ACLED)
        rc = acled_row(c, &inc);
    else if (c->fmt == VIGIL_INCIDENTS_UCDP_GED)
        rc = ged_row(c, &inc);
    else
        rc = vigil_row(c, &inc);
    if (rc < 0) {
        reject(c, st, fn, payload, c->reason);
        return VIGIL_OK;
    }
    if ((rc = vigil__incident_writer_put(w, &inc, &res)) < 0)
        return rc;
    if (res == VIGIL_UPSERT_ADDED)
        st->added++;
    else if (res == VIGIL_UPSERT_UPDATED)
        st->updated++;
    else
        st->unchanged++;
    return VIGIL_OK;
}

static int import_rows(import_ctx *c, vigil_store *store,
                       vigil_incident_import_stats *st,
                       vigil_incident_reject_fn fn, void *payload)
{
    vigil__incident_writer w;
    uint64_t in_batch = 0;
    int rc, r, first = 1;

    if ((rc = vigil__incident_writer_init(&w, store)) < 0)
        return rc;
    if ((rc = vigil_store_begin(store)) < 0)
        goto out;
    while ((r = vgu_csv_next(c->csv)) != VGU_CSV_END) {
        if (r == VGU_CSV_FATAL) {
            rc = vigil_error_set(VIGIL_EIO, "%s:%lu: %s", c->path,
                                 vgu_csv_line(c->csv), vgu_csv_error(c->csv));
            break;
        }
        if (first && r == VGU_CSV_RECORD && is_hxl_row(c)) {
            st->hxl_rows++;
            first = 0;
            continue;
        }
        first = 0;
        st->rows++;
        if (r == VGU_CSV_BAD)
            reject(c, st, fn, payload, vgu_csv_error(c->csv));
        else if ((rc = import_row(c, &w, st, fn, payload)) < 0)
            break;
        if (++in_batch == IMPORT_BATCH) {
            in_batch = 0;
            if ((rc = vigil_store_commit(store)) < 0 ||
                (rc = vigil_store_begin(store)) < 0)
                goto out;
        }
    }
    /* Keep what was stored before an error: commit either way. */
    if (r == VGU_CSV_END || rc == VIGIL_OK || rc == VIGIL_EIO) {
        int crc = vigil_store_commit(store);
        if (rc == VIGIL_OK)
            rc = crc;
    } else {
        vigil_store_rollback(store);
    }
out:
    vigil__incident_writer_dispose(&w);
    return rc;
}

int vigil_incidents_import(vigil_store *store, const char *path,
                           vigil_incident_format fmt,
                           vigil_incident_import_stats *stats_out,
                           vigil_incident_reject_fn on_reject, void *payload)
{
    import_ctx c;
    FILE *f;
    int rc, r;

    VIGIL_ASSERT_ARG(store && path && stats_out);
    memset(stats_out, 0, sizeof(*stats_out));
    memset(&c, 0, sizeof(c));
    c.path = path;
    c.fmt = fmt;
    if ((f = fopen(path, "rb")) == NULL)
        return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
    if ((c.csv = vgu_csv_new_file(f, NULL)) == NULL) {
        fclose(f);
        return VIGIL_ENOMEM;
    }
    r = vgu_csv_next(c.csv);
    if (r == VGU_CSV_END)
        rc = vigil_error_set(VIGIL_EFORMAT, "%s: empty file, no header row",
                             path);
    else if (r < 0)
        rc = vigil_error_set(VIGIL_EFORMAT, "%s:%lu: header row: %s", path,
                             vgu_csv_line(c.csv), vgu_csv_error(c.csv));
    else if ((rc = header_map(&c)) == 0 && (rc = header_check(&c)) == 0) {
        stats_out->format = c.fmt;
        rc = import_rows(&c, store, stats_out, on_reject, payload);
    }
    vgu_csv_free(c.csv);
    fclose(f);
    return rc;
}
