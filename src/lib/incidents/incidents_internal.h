/*
 * incidents/incidents_internal.h - shared between the incident store,
 * importers, reports and exports: the column list, a cached writer for
 * bulk imports, and date helpers.
 */
#ifndef VIGIL_INCIDENTS_INTERNAL_H
#define VIGIL_INCIDENTS_INTERNAL_H

#include "store/store_internal.h"
#include "vigil/incidents.h"

/** The 41 stored columns in table order, comma-separated (no id). */
extern const char vigil__incident_columns[];
#define VIGIL__INCIDENT_NCOLS 41

/** Prepared insert/update statements reused across rows of one import. */
typedef struct {
    vigil_store *st;
    vigil__stmt *ins, *upd;
    int64_t now;                /* ingested_at / updated_at, epoch s */
} vigil__incident_writer;

/** Prepare the statements. @return VIGIL_OK or the store's code. */
int vigil__incident_writer_init(vigil__incident_writer *w, vigil_store *st);
/** Upsert one incident (see vigil_incident_upsert). */
int vigil__incident_writer_put(vigil__incident_writer *w,
                               const vigil_incident *inc,
                               vigil_upsert_result *result_out);
void vigil__incident_writer_dispose(vigil__incident_writer *w);

/**
 * Parse a date as written by ACLED, GED or vigil: "YYYY-MM-DD" (optionally
 * followed by a time), "DD-MM-YYYY", "DD/MM/YYYY", "DD Month YYYY",
 * "DD-Mon-YYYY". Writes "YYYY-MM-DD" into @p out.
 * @return 0, or -1 when the text is not a valid calendar date
 */
int vigil__date_parse(char out[11], const char *s, size_t len);

/** 1 when @p s is a valid "YYYY-MM-DD". */
int vigil__date_valid(const char *s);

/** Kind and attribution from their names; -1 when unknown. */
int vigil__incident_kind_from(const char *s);
int vigil__attribution_from(const char *s);

/** Turn q->from / q->to ("YYYY[-MM[-DD]]") into inclusive "YYYY-MM-DD"
 *  bounds for string comparison; open ends give 0000-00-00 / 9999-99-99.
 *  @return VIGIL_OK or VIGIL_EINVAL */
int vigil__incident_bounds(const vigil_incident_query *q, char from[11],
                           char to[11]);

/**
 * The actor and type filters of @p q applied to one incident: @p types are
 * kind, event_type, sub_event_type, raw_type; @p actors are actor1,
 * assoc_actor1, actor2, assoc_actor2 (any may be NULL).
 * @return 1 when the incident passes
 */
int vigil__incident_matches(const vigil_incident_query *q,
                            const char *const types[4],
                            const char *const actors[4], const char *dataset,
                            const char *country);

#endif
