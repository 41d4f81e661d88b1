/*
 * vigil/incidents.h - the incident database: attacks, foiled plots, arrests
 * and counter-operations imported from ACLED, UCDP GED and vigil's own CSV,
 * the actor/place alias table applied at query time, grouped reports,
 * SVG charts and exports (ACLED CSV, GeoJSON, vigil CSV).
 */
#ifndef VIGIL_INCIDENTS_H
#define VIGIL_INCIDENTS_H

#include "common.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Marks an integer field the source leaves empty ("not stated", not 0). */
#define VIGIL_NO_VALUE INT64_MIN

/** Input formats of vigil_incidents_import(). */
typedef enum {
    VIGIL_INCIDENTS_AUTO = 0,   /* detect from the header row */
    VIGIL_INCIDENTS_ACLED,      /* current and pre-March-2023 column sets */
    VIGIL_INCIDENTS_UCDP_GED,   /* UCDP GED CSV, with or without HXL row */
    VIGIL_INCIDENTS_VIGIL       /* vigil's own CSV (docs/internals/incidents.md) */
} vigil_incident_format;

/** "acled", "ucdp-ged", "vigil" ("auto" for AUTO); static storage. */
const char *vigil_incident_format_name(vigil_incident_format f);
/** Parse a format name; VIGIL_EINVAL when unknown. */
int vigil_incident_format_parse(vigil_incident_format *out, const char *name);

/** What an incident is, independent of the source taxonomy. */
typedef enum {
    VIGIL_INCIDENT_ATTACK = 0,
    VIGIL_INCIDENT_COUNTER_OP,      /* raid or strike by state forces */
    VIGIL_INCIDENT_FOILED_PLOT,
    VIGIL_INCIDENT_ARREST,
    VIGIL_INCIDENT_OTHER,
    VIGIL_INCIDENT__KINDS
} vigil_incident_kind;

/** "attack", "counter-operation", "foiled-plot", "arrest", "other". */
const char *vigil_incident_kind_name(vigil_incident_kind k);

/** How firmly a source ties the event to the actor. Never merged. */
typedef enum {
    VIGIL_ATTR_CLAIMED = 0,
    VIGIL_ATTR_ATTRIBUTED,
    VIGIL_ATTR_ALLEGED,
    VIGIL_ATTR_LINKED,
    VIGIL_ATTR_INSPIRED,
    VIGIL_ATTR_UNSPECIFIED,         /* dataset codes the actor, no strength */
    VIGIL_ATTR__COUNT
} vigil_attribution;

/** "claimed" ... "inspired", "unspecified"; static storage. */
const char *vigil_attribution_name(vigil_attribution a);

/**
 * One incident. Strings are borrowed for the call, UTF-8, NULL when the
 * source leaves them empty. Integers use VIGIL_NO_VALUE for "not stated".
 */
typedef struct {
    const char *dataset;        /* required: "acled", "ucdp-ged", "vigil" */
    const char *source_id;      /* required: id within the dataset */
    const char *event_date;     /* required: "YYYY-MM-DD" */
    const char *date_end;       /* "YYYY-MM-DD" or NULL */
    int time_precision;         /* 1 day, 2 week/approx, 3 month+; 0 unknown */
    vigil_incident_kind kind;
    const char *event_type, *sub_event_type, *raw_type, *disorder_type;
    const char *actor1, *assoc_actor1, *inter1;
    const char *actor2, *assoc_actor2, *inter2, *interaction;
    const char *civilian_targeting;
    vigil_attribution attribution;
    const char *iso, *region, *country, *admin1, *admin2, *admin3, *location;
    int has_coords;             /* latitude/longitude valid */
    double latitude, longitude; /* WGS84 degrees */
    int geo_precision;          /* 1 exact, 2 near, 3 region; 0 unknown */
    int64_t fatalities;         /* best estimate */
    int64_t fatalities_low, fatalities_high, injured;
    const char *target, *nationalities, *notes, *sources, *source_titles;
    const char *source_scale, *tags;
    int64_t source_timestamp;   /* epoch seconds of the source's last update */
} vigil_incident;

/** Fill @p inc with empty values (VIGIL_NO_VALUE, NULL, unspecified). */
void vigil_incident_init(vigil_incident *inc);

/**
 * Insert @p inc keyed by (dataset, source_id); a stored row is replaced only
 * when @p inc carries a newer source_timestamp.
 * @param[out] result_out  ADDED, UPDATED or UNCHANGED (may be NULL)
 * @return VIGIL_OK, VIGIL_EINVAL (missing key or bad date), VIGIL_ESTORE
 */
int vigil_incident_upsert(vigil_store *st, const vigil_incident *inc,
                          vigil_upsert_result *result_out);

/** Called once per rejected row: @p line is the row's first line. */
typedef void (*vigil_incident_reject_fn)(void *payload, const char *path,
                                         unsigned long line,
                                         const char *reason);

typedef struct {
    vigil_incident_format format;   /* the format read (detected or given) */
    uint64_t rows;                  /* data rows read (HXL row excluded) */
    uint64_t added, updated, unchanged;
    uint64_t rejected;              /* malformed rows, reported one by one */
    uint64_t hxl_rows;              /* hashtag rows skipped */
} vigil_incident_import_stats;

/**
 * Import one CSV file. Bad rows are passed to @p on_reject (may be NULL)
 * and counted; the other rows are stored, in transactions of 50,000.
 * @param fmt      VIGIL_INCIDENTS_AUTO to detect from the header
 * @param[out] stats_out  counters (required)
 * @return VIGIL_OK (even with rejected rows), VIGIL_EIO, VIGIL_EFORMAT
 *         (header not recognised, or missing required columns),
 *         VIGIL_ESTORE, VIGIL_ENOMEM. Rows stored before an error stay.
 * Manages its own transactions: do not call inside vigil_store_begin().
 * Threads: one import per store handle at a time.
 */
int vigil_incidents_import(vigil_store *st, const char *path,
                           vigil_incident_format fmt,
                           vigil_incident_import_stats *stats_out,
                           vigil_incident_reject_fn on_reject, void *payload);

/* ---- aliases ------------------------------------------------------------ */

typedef struct vigil_aliases vigil_aliases;

typedef enum { VIGIL_ALIAS_ACTOR = 0, VIGIL_ALIAS_PLACE = 1 } vigil_alias_kind;

/** New empty table. @return VIGIL_OK or VIGIL_ENOMEM */
int vigil_aliases_new(vigil_aliases **out);
void vigil_aliases_free(vigil_aliases *a);              /* NULL is a no-op */

/**
 * Add the rows of an alias file (TSV: kind, key, variant[, dataset[,
 * countries]], or strip, kind, word[, dataset]; see
 * docs/internals/incidents.md). Later rows win.
 * @return VIGIL_OK, VIGIL_EIO, VIGIL_EFORMAT ("path:line: reason")
 */
int vigil_aliases_load(vigil_aliases *a, const char *path);

/**
 * Load the bundled table: $VIGIL_ALIASES when set, else
 * $VIGIL_DATA_DIR/incidents/aliases.tsv, else the build's data directory.
 * @return as vigil_aliases_load(); VIGIL_ENOTFOUND when no file exists
 */
int vigil_aliases_load_default(vigil_aliases *a);

/**
 * Resolve @p raw to its key: the alias key when a row matches (case and
 * spacing ignored; scoped rows only for their dataset/country); else, when
 * a "strip" row's word ends @p raw (e.g. "province" for UCDP GED), the key
 * of the shortened name or the shortened name; else @p raw trimmed.
 * @return @p buf, or NULL when @p raw is NULL or empty. Truncates to
 *         @p buf_len - 1 bytes.
 */
const char *vigil_aliases_resolve(const vigil_aliases *a, vigil_alias_kind k,
                                  const char *raw, const char *dataset,
                                  const char *country, char *buf,
                                  size_t buf_len);

/* ---- reports ------------------------------------------------------------ */

typedef enum {
    VIGIL_BY_YEAR = 0,
    VIGIL_BY_MONTH,             /* "YYYY-MM" */
    VIGIL_BY_MONTH_OF_YEAR,     /* "01".."12" */
    VIGIL_BY_COUNTRY,
    VIGIL_BY_ADMIN1,
    VIGIL_BY_EVENT_TYPE,
    VIGIL_BY_ACTOR,             /* actor1, resolved through the aliases */
    VIGIL_BY_ATTRIBUTION,
    VIGIL_BY_KIND,
    VIGIL_BY__COUNT
} vigil_incident_group;

/** Parse "year", "month-of-year", ...; VIGIL_EINVAL when unknown. */
int vigil_incident_group_parse(vigil_incident_group *out, const char *name);

typedef struct {
    vigil_incident_group by;
    const char *actor;          /* alias key(s), comma-separated; matches
                                   actor1/2 and associated actors; NULL all */
    const char *type;           /* kind, event type, sub-type or raw type */
    const char *from, *to;      /* inclusive "YYYY[-MM[-DD]]"; NULL open */
    const char *dataset;        /* NULL = every dataset */
    const char *country;        /* country name(s), comma-separated, matched
                                   after place aliases; NULL = all */
    const vigil_aliases *aliases; /* NULL = group on raw values */
    size_t list;                /* also return the matching incidents when
                                   there are at most this many; 0 = never */
} vigil_incident_query;

typedef struct {
    char *key;                  /* NULL when the field is empty */
    int64_t events;
    int64_t fatalities;         /* sum of best estimates stated */
    int64_t fatalities_low, fatalities_high; /* valid when has_range */
    int has_range;              /* some event carried low/high */
    int64_t fatalities_unstated;/* events with no figure */
    int64_t by_attribution[VIGIL_ATTR__COUNT];
    int64_t by_kind[VIGIL_INCIDENT__KINDS];
} vigil_incident_row;

/** One listed incident (owned by the report). */
typedef struct {
    size_t row;                 /* index into rows */
    char *dataset, *source_id, *event_date, *event_type, *raw_type;
    char *actor1, *actor2, *country, *admin1, *location;
    int time_precision;
    vigil_incident_kind kind;
    vigil_attribution attribution;
    int64_t fatalities;         /* VIGIL_NO_VALUE when not stated */
} vigil_incident_brief;

typedef struct {
    vigil_incident_group by;
    vigil_incident_row *rows;   /* time groups in key order, others by
                                   events descending then key */
    size_t n_rows;
    vigil_incident_row total;   /* key NULL */
    vigil_incident_brief *list; /* when query.list: by row, then date */
    size_t n_list;
    int list_dropped;           /* more than query.list matched: no list */
} vigil_incident_report;

/**
 * Count events and fatalities grouped by @p q->by.
 * @param[out] out  release with vigil_incident_report_free()
 * @return VIGIL_OK, VIGIL_EINVAL (bad date bound), VIGIL_ESTORE, VIGIL_ENOMEM
 */
int vigil_incidents_report(vigil_incident_report **out, vigil_store *st,
                           const vigil_incident_query *q);
void vigil_incident_report_free(vigil_incident_report *r);

/* ---- charts and exports ------------------------------------------------- */

typedef enum {
    VIGIL_CHART_AUTO = 0,       /* chosen from the query's grouping */
    VIGIL_CHART_EVENTS,         /* events per group (bars) */
    VIGIL_CHART_FATALITIES,     /* fatalities per group (bars) */
    VIGIL_CHART_ATTACKS_VS_OPS, /* monthly attacks and counter-operations */
    VIGIL_CHART_SEASONALITY,    /* events by month of year */
    VIGIL_CHART_OVERLAY         /* monthly incidents over stored items */
} vigil_incident_chart;

/** Parse "events", "fatalities", "attacks-vs-ops", "seasonality",
 *  "overlay", "auto"; VIGIL_EINVAL when unknown. */
int vigil_incident_chart_parse(vigil_incident_chart *out, const char *name);

/**
 * Draw a chart of @p q as a standalone SVG document (title, axis labels,
 * units, legend). ATTACKS_VS_OPS and OVERLAY group by month whatever
 * q->by says; SEASONALITY by month of year.
 * @param[out] out  NUL-terminated SVG; release with vigil_incidents_free()
 * @return VIGIL_OK, VIGIL_ENOTFOUND (OVERLAY with no stored items),
 *         VIGIL_ESTORE, VIGIL_ENOMEM
 */
int vigil_incidents_chart_svg(char **out, vigil_store *st,
                              const vigil_incident_query *q,
                              vigil_incident_chart chart);
void vigil_incidents_free(void *p);                     /* NULL is a no-op */

typedef enum {
    VIGIL_EXPORT_CSV = 0,       /* vigil CSV: re-importable, all fields */
    VIGIL_EXPORT_ACLED,         /* ACLED's current 31 columns */
    VIGIL_EXPORT_GEOJSON        /* FeatureCollection of points */
} vigil_incident_export_format;

/** Called with consecutive pieces of output; non-zero stops the export. */
typedef int (*vigil_write_fn)(void *payload, const char *data, size_t len);

/**
 * Write the incidents matching @p q (NULL = all; q->by and q->list are
 * ignored) ordered by date, dataset and id.
 * @return VIGIL_OK, VIGIL_EIO (writer failed), VIGIL_ESTORE, VIGIL_ENOMEM
 */
int vigil_incidents_export(vigil_store *st, vigil_incident_export_format fmt,
                           const vigil_incident_query *q,
                           vigil_write_fn write, void *payload);

#ifdef __cplusplus
}
#endif
#endif
