/*
 * report/chart.h - a small SVG chart writer for reports: categorical x
 * axis, bar series (grouped or stacked) and line series, an optional right
 * axis, title, subtitle, axis labels with units, and a legend.
 */
#ifndef VIGIL_REPORT_CHART_H
#define VIGIL_REPORT_CHART_H

#include <stddef.h>

#include "util/buf.h"

typedef struct {
    const char *name;           /* legend text */
    const double *values;       /* n_cats values, >= 0 */
    int line;                   /* 0 bars, 1 line with markers */
    int right_axis;             /* 1: scaled against the right axis */
} vigil__chart_series;

typedef struct {
    const char *title;
    const char *subtitle;       /* NULL for none */
    const char *x_label;        /* with unit, e.g. "month (UTC)" */
    const char *y_label;        /* e.g. "events (count)" */
    const char *y2_label;       /* right axis, NULL when none */
    const char *const *cats;    /* n_cats category labels */
    size_t n_cats;
    const vigil__chart_series *series;
    size_t n_series;
    int stacked;                /* stack bar series instead of grouping */
} vigil__chart;

/**
 * Append a standalone SVG 1.1 document for @p c to @p out.
 * @return 0, or -1 when @p out cannot grow (out of memory / over max)
 */
int vigil__chart_svg(vgu_buf *out, const vigil__chart *c);

#endif
