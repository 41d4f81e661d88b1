/*
 * util/progress.h - a one-line progress meter for long jobs (items, rate,
 * ETA) drawn on stderr only when stderr is a terminal; silent when piped.
 */
#ifndef VGU_PROGRESS_H
#define VGU_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

typedef struct {
    FILE *out;            /* NULL when not a terminal: every call is a no-op */
    const char *label;    /* e.g. "ingest" */
    const char *unit;     /* e.g. "msgs" */
    double started;       /* monotonic seconds */
    double last_draw;     /* monotonic seconds */
    uint64_t total_bytes; /* 0 when unknown (no ETA) */
} vgu_progress;

/** Start a meter; @p force draws even when stderr is not a TTY (tests). */
void vgu_progress_start(vgu_progress *p, const char *label, const char *unit,
                        uint64_t total_bytes, int force);
/** Redraw at most 10 times a second. */
void vgu_progress_update(vgu_progress *p, uint64_t items, uint64_t bytes_done);
/** Draw the final line and a newline. */
void vgu_progress_finish(vgu_progress *p, uint64_t items, uint64_t bytes_done);
double vgu_now(void);     /* monotonic seconds */

#endif
