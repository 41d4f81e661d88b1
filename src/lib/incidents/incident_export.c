/*
 * incidents/incident_export.c - writes stored incidents as vigil CSV (all
 * 41 columns, re-importable with --format vigil), as ACLED's current
 * column set, or as a GeoJSON FeatureCollection. Output goes through the
 * caller's write callback in chunks of about 64 KiB.
 */
#define VIGIL_MODULE "incidents"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/error.h"
#include "incidents/incidents_internal.h"
#include "util/buf.h"
#include "util/json_out.h"

#define FLUSH_AT 65536

/* Positions in vigil__incident_columns. */
enum {
    X_DATASET, X_SOURCE_ID, X_EVENT_DATE, X_DATE_END, X_TIME_PRECISION,
    X_KIND, X_EVENT_TYPE, X_SUB_EVENT_TYPE, X_RAW_TYPE, X_DISORDER_TYPE,
    X_ACTOR1, X_ASSOC1, X_INTER1, X_ACTOR2, X_ASSOC2, X_INTER2,
    X_INTERACTION, X_CIVILIAN, X_ATTRIBUTION, X_ISO, X_REGION, X_COUNTRY,
    X_ADMIN1, X_ADMIN2, X_ADMIN3, X_LOCATION, X_LATITUDE, X_LONGITUDE,
    X_GEO_PRECISION, X_FATALITIES, X_FAT_LOW, X_FAT_HIGH, X_INJURED,
    X_TARGET, X_NATIONALITIES, X_NOTES, X_SOURCES, X_SOURCE_TITLES,
    X_SOURCE_SCALE, X_TAGS, X_SOURCE_TIMESTAMP
};

typedef struct {
    vigil_write_fn write;
    void *payload;
    vgu_buf b;
    int failed;
    size_t n;                   /* rows written */
} out_ctx;

static int flush(out_ctx *o, int force)
{
    if (o->b.len == 0 || (!force && o->b.len < FLUSH_AT))
        return VIGIL_OK;
    if (o->write(o->payload, o->b.ptr, o->b.len) != 0)
        return vigil_error_set(VIGIL_EIO, "export: the writer failed");
    vgu_buf_clear(&o->b);
    return VIGIL_OK;
}

static const char *cval(vigil__stmt *s, int c)
{
    const char *t;

    if (vigil__col_type(s, c) == VIGIL_COL_NULL)
        return NULL;
    t = vigil__col_text(s, c, NULL);
    return t && *t ? t : NULL;
}

/* ---- vigil CSV ---------------------------------------------------------- */

static void csv_header(out_ctx *o)
{
    const char *p;

    for (p = vigil__incident_columns; *p; p++)
        if (*p != ' ')
            vgu_buf_putc(&o->b, *p);
    vgu_buf_putc(&o->b, '\n');
}

static void csv_row(out_ctx *o, vigil__stmt *s)
{
    int i;

    for (i = 0; i < VIGIL__INCIDENT_NCOLS; i++) {
        const char *v = cval(s, i);

        if (i)
            vgu_buf_putc(&o->b, ',');
        if (v)
            vgu_csv_field(&o->b, v);
    }
    vgu_buf_putc(&o->b, '\n');
}

/* ---- ACLED ----------------------------------------------------------------- */

/* ACLED's current columns (codebook, Oct 2024) and where each comes from:
 * a stored column, or a negative code for the derived ones. */
#define A_ID (-1)
#define A_YEAR (-2)
#define A_EVENT_TYPE (-3)
#define A_SUB_TYPE (-4)
static const struct { const char *name; int col; } acled_cols[] = {
    { "event_id_cnty", A_ID }, { "event_date", X_EVENT_DATE },
    { "year", A_YEAR }, { "time_precision", X_TIME_PRECISION },
    { "disorder_type", X_DISORDER_TYPE }, { "event_type", A_EVENT_TYPE },
    { "sub_event_type", A_SUB_TYPE }, { "actor1", X_ACTOR1 },
    { "assoc_actor_1", X_ASSOC1 }, { "inter1", X_INTER1 },
    { "actor2", X_ACTOR2 }, { "assoc_actor_2", X_ASSOC2 },
    { "inter2", X_INTER2 }, { "interaction", X_INTERACTION },
    { "civilian_targeting", X_CIVILIAN }, { "iso", X_ISO },
    { "region", X_REGION }, { "country", X_COUNTRY }, { "admin1", X_ADMIN1 },
    { "admin2", X_ADMIN2 }, { "admin3", X_ADMIN3 },
    { "location", X_LOCATION }, { "latitude", X_LATITUDE },
    { "longitude", X_LONGITUDE }, { "geo_precision", X_GEO_PRECISION },
    { "source", X_SOURCES }, { "source_scale", X_SOURCE_SCALE },
    { "notes", X_NOTES }, { "fatalities", X_FATALITIES }, { "tags", X_TAGS },
    { "timestamp", X_SOURCE_TIMESTAMP },
};
#define N_ACLED (sizeof(acled_cols) / sizeof(acled_cols[0]))

static void acled_header(out_ctx *o)
{
    size_t i;

    for (i = 0; i < N_ACLED; i++)
        vgu_buf_printf(&o->b, "%s%s", i ? "," : "", acled_cols[i].name);
    vgu_buf_putc(&o->b, '\n');
}

/* Foiled plots and arrests are Strategic developments / Arrests in ACLED. */
static const char *acled_type(vigil__stmt *s, int sub)
{
    const char *t = cval(s, X_EVENT_TYPE);

    if (t && (strcmp(t, "Foiled plot") == 0 || strcmp(t, "Arrest") == 0))
        return sub ? "Arrests" : "Strategic developments";
    return cval(s, sub ? X_SUB_EVENT_TYPE : X_EVENT_TYPE);
}

static void acled_row(out_ctx *o, vigil__stmt *s)
{
    size_t i;

    for (i = 0; i < N_ACLED; i++) {
        const char *v;
        char tmp[160];

        if (i)
            vgu_buf_putc(&o->b, ',');
        switch (acled_cols[i].col) {
        case A_ID:
            if (strcmp(cval(s, X_DATASET), "acled") == 0)
                v = cval(s, X_SOURCE_ID);
            else {
                snprintf(tmp, sizeof(tmp), "%s:%s", cval(s, X_DATASET),
                         cval(s, X_SOURCE_ID));
                v = tmp;
            }
            break;
        case A_YEAR:
            snprintf(tmp, sizeof(tmp), "%.4s", cval(s, X_EVENT_DATE));
            v = tmp;
            break;
        case A_EVENT_TYPE:
            v = acled_type(s, 0);
            break;
        case A_SUB_TYPE:
            v = acled_type(s, 1);
            break;
        default:
            v = cval(s, acled_cols[i].col);
        }
        if (v)
            vgu_csv_field(&o->b, v);
    }
    vgu_buf_putc(&o->b, '\n');
}

/* ---- GeoJSON (RFC 7946) ---------------------------------------------------- */

static int is_number_col(int c)
{
    return c == X_TIME_PRECISION || c == X_GEO_PRECISION ||
           (c >= X_FATALITIES && c <= X_INJURED) || c == X_SOURCE_TIMESTAMP;
}

static void geojson_row(out_ctx *o, vigil__stmt *s)
{
    const char *name = vigil__incident_columns;
    int i;

    vgu_buf_puts(&o->b, o->n ? ",\n" : "\n");
    vgu_buf_puts(&o->b, "{\"type\":\"Feature\",\"geometry\":");
    if (cval(s, X_LATITUDE) && cval(s, X_LONGITUDE))
        vgu_buf_printf(&o->b, "{\"type\":\"Point\",\"coordinates\":"
                       "[%.6f,%.6f]}", vigil__col_double(s, X_LONGITUDE),
                       vigil__col_double(s, X_LATITUDE));
    else
        vgu_buf_puts(&o->b, "null");
    vgu_buf_puts(&o->b, ",\"properties\":{");
    for (i = 0; i < VIGIL__INCIDENT_NCOLS; i++) {
        size_t len = strcspn(name, ",");
        const char *v = cval(s, i);

        if (v && i != X_LATITUDE && i != X_LONGITUDE) {
            if (o->b.ptr[o->b.len - 1] != '{')
                vgu_buf_putc(&o->b, ',');
            vgu_json_str(&o->b, name, len);
            vgu_buf_putc(&o->b, ':');
            if (is_number_col(i))
                vgu_buf_puts(&o->b, v);
            else
                vgu_json_cstr(&o->b, v);
        }
        name += len;
        while (*name == ',' || *name == ' ')
            name++;
    }
    vgu_buf_puts(&o->b, "}}");
}

/* ---- driver ---------------------------------------------------------------- */

static int passes(const vigil_incident_query *q, vigil__stmt *s)
{
    const char *types[4] = { cval(s, X_KIND), cval(s, X_EVENT_TYPE),
                             cval(s, X_SUB_EVENT_TYPE), cval(s, X_RAW_TYPE) };
    const char *actors[4] = { cval(s, X_ACTOR1), cval(s, X_ASSOC1),
                              cval(s, X_ACTOR2), cval(s, X_ASSOC2) };

    return !q || vigil__incident_matches(q, types, actors,
                                         cval(s, X_DATASET),
                                         cval(s, X_COUNTRY));
}

static size_t row_bound(vigil__stmt *s)
{
    size_t n = 2048, len;
    int i;

    for (i = 0; i < VIGIL__INCIDENT_NCOLS; i++)
        if (vigil__col_type(s, i) != VIGIL_COL_NULL &&
            vigil__col_text(s, i, &len))
            n += 6 * len + 64;
    return n;
}

static int export_rows(out_ctx *o, vigil__stmt *s,
                       vigil_incident_export_format fmt,
                       const vigil_incident_query *q)
{
    int rc;

    while ((rc = vigil__step(s)) == VIGIL_ROW) {
        if (!passes(q, s))
            continue;
        /* Reserve the row's worst case (JSON escapes a byte as 6) so the
         * writers below never need to allocate, hence cannot fail. */
        if (vgu_buf_grow(&o->b, row_bound(s)) < 0)
            return vigil_error_set(VIGIL_ENOMEM, "export: row too large");
        if (fmt == VIGIL_EXPORT_ACLED)
            acled_row(o, s);
        else if (fmt == VIGIL_EXPORT_GEOJSON)
            geojson_row(o, s);
        else
            csv_row(o, s);
        o->n++;
        if ((rc = flush(o, 0)) < 0)
            return rc;
    }
    return rc < 0 ? rc : VIGIL_OK;
}

int vigil_incidents_export(vigil_store *st, vigil_incident_export_format fmt,
                           const vigil_incident_query *q,
                           vigil_write_fn write, void *payload)
{
    char sql[1024], from[11], to[11];
    vigil__stmt *s = NULL;
    out_ctx o;
    int rc;

    VIGIL_ASSERT_ARG(st && write);
    memset(&o, 0, sizeof(o));
    o.write = write;
    o.payload = payload;
    if ((rc = vigil__incident_bounds(q, from, to)) < 0)
        return rc;
    snprintf(sql, sizeof(sql), "SELECT %s FROM incidents WHERE event_date >= ?"
             " AND event_date <= ? AND (? = '' OR dataset = ?)"
             " ORDER BY event_date, dataset, source_id",
             vigil__incident_columns);
    if (fmt == VIGIL_EXPORT_ACLED)
        acled_header(&o);
    else if (fmt == VIGIL_EXPORT_GEOJSON)
        vgu_buf_puts(&o.b, "{\"type\":\"FeatureCollection\",\"features\":[");
    else
        csv_header(&o);
    if ((rc = vigil__stmt_new(&s, st, sql)) < 0 ||
        (rc = vigil__bind_str(s, 1, from)) < 0 ||
        (rc = vigil__bind_str(s, 2, to)) < 0 ||
        (rc = vigil__bind_str(s, 3, q && q->dataset ? q->dataset : "")) < 0 ||
        (rc = vigil__bind_str(s, 4, q && q->dataset ? q->dataset : "")) < 0 ||
        (rc = export_rows(&o, s, fmt, q)) < 0)
        goto out;
    if (fmt == VIGIL_EXPORT_GEOJSON)
        vgu_buf_puts(&o.b, "\n]}\n");
    rc = flush(&o, 1);
out:
    vigil__stmt_free(s);
    vgu_buf_dispose(&o.b);
    return rc;
}
