/*
 * report/chart_svg.c - writes bar/line charts as standalone SVG 1.1 (see
 * chart.h). Axis ticks use the 1-2-5 "nice number" steps of Heckbert,
 * "Nice numbers for graph labels" (Graphics Gems, 1990).
 */
#include "report/chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define W 960.0
#define H 540.0
#define LEFT 84.0
#define TOP 96.0
#define BOTTOM_PAD 124.0

static const char *const palette[] = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
    "#7f7f7f"
};
#define NPAL (sizeof(palette) / sizeof(palette[0]))

typedef struct {
    double top, step;           /* axis maximum and tick step */
} axis;

static void xml_text(vgu_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': vgu_buf_puts(b, "&lt;"); break;
        case '>': vgu_buf_puts(b, "&gt;"); break;
        case '&': vgu_buf_puts(b, "&amp;"); break;
        case '"': vgu_buf_puts(b, "&quot;"); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\t')
                vgu_buf_putc(b, *s);
        }
    }
}

/* Category label, cut to 18 characters (UTF-8 aware) with an ellipsis so
 * rotated labels stay clear of the axis title. */
static void label_text(vgu_buf *b, const char *s)
{
    char tmp[96];
    size_t n = 0, chars = 0;

    while (s[n] && n + 4 < sizeof(tmp)) {
        if (((unsigned char)s[n] & 0xC0) != 0x80 && ++chars > 18)
            break;
        tmp[n] = s[n];
        n++;
    }
    tmp[n] = '\0';
    xml_text(b, tmp);
    if (s[n])
        vgu_buf_puts(b, "\xe2\x80\xa6");
}

static axis nice_axis(double max)
{
    axis a;
    double raw, mag, norm;

    if (!(max > 0)) {
        a.top = 1;
        a.step = 1;
        return a;
    }
    raw = max / 5;
    mag = pow(10, floor(log10(raw)));
    norm = raw / mag;
    a.step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
    if (a.step < 1)
        a.step = 1;             /* counts: whole-number ticks */
    a.top = ceil(max / a.step) * a.step;
    return a;
}

/* Largest value drawn against one axis (stacked bars summed). */
static double axis_max(const vigil__chart *c, int right)
{
    double max = 0;
    size_t i, s;

    for (i = 0; i < c->n_cats; i++) {
        double stack = 0;

        for (s = 0; s < c->n_series; s++) {
            const vigil__chart_series *se = &c->series[s];

            if (se->right_axis != right)
                continue;
            if (c->stacked && !se->line)
                stack += se->values[i];
            else if (se->values[i] > max)
                max = se->values[i];
        }
        if (stack > max)
            max = stack;
    }
    return max;
}

static void draw_axis(vgu_buf *b, const axis *a, double x, double y_top,
                      double y_bot, int right, double grid_x1)
{
    double v;

    for (v = 0; v <= a->top + a->step / 2; v += a->step) {
        double y = y_bot - (y_bot - y_top) * v / a->top;

        if (!right)
            vgu_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                           "y2=\"%.1f\" stroke=\"#e0e0e0\"/>\n", x, y,
                           grid_x1, y);
        vgu_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
                       "font-size=\"11\">%.0f</text>\n",
                       right ? x + 6 : x - 6, y + 4, right ? "start" : "end",
                       v);
    }
    vgu_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                   "stroke=\"#333\"/>\n", x, y_top, x, y_bot);
}

static void draw_legend(vgu_buf *b, const vigil__chart *c)
{
    double x = LEFT;
    size_t s;

    for (s = 0; s < c->n_series; s++) {
        const vigil__chart_series *se = &c->series[s];
        const char *col = palette[s % NPAL];

        if (se->line)
            vgu_buf_printf(b, "<line x1=\"%.1f\" y1=\"74\" x2=\"%.1f\" "
                           "y2=\"74\" stroke=\"%s\" stroke-width=\"2.5\"/>"
                           "<circle cx=\"%.1f\" cy=\"74\" r=\"3\" fill=\"%s\"/>\n",
                           x, x + 18, col, x + 9, col);
        else
            vgu_buf_printf(b, "<rect x=\"%.1f\" y=\"68\" width=\"18\" "
                           "height=\"12\" fill=\"%s\"/>\n", x, col);
        vgu_buf_printf(b, "<text x=\"%.1f\" y=\"78\" font-size=\"12\">", x + 24);
        xml_text(b, se->name);
        if (se->right_axis)
            vgu_buf_puts(b, " (right axis)");
        vgu_buf_puts(b, "</text>\n");
        x += 24 + 7.0 * (double)(strlen(se->name) +
                                 (se->right_axis ? 13 : 0)) + 22;
    }
}

static void draw_x_labels(vgu_buf *b, const vigil__chart *c, double x0,
                          double band, double y_bot)
{
    size_t i, every = c->n_cats > 30 ? (c->n_cats + 29) / 30 : 1, longest = 0;
    int rotate;

    for (i = 0; i < c->n_cats; i++)
        if (strlen(c->cats[i]) > longest)
            longest = strlen(c->cats[i]);
    rotate = (double)longest * 6.5 * (double)every > band;
    for (i = 0; i < c->n_cats; i += every) {
        double x = x0 + band * ((double)i + 0.5);

        if (rotate)
            vgu_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                           "text-anchor=\"end\" transform=\"rotate(-45 %.1f "
                           "%.1f)\">", x, y_bot + 14, x, y_bot + 14);
        else
            vgu_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                           "text-anchor=\"middle\">", x, y_bot + 16);
        label_text(b, c->cats[i]);
        vgu_buf_puts(b, "</text>\n");
    }
}

static void draw_bars(vgu_buf *b, const vigil__chart *c, double x0,
                      double band, double y_top, double y_bot,
                      const axis *left, const axis *right)
{
    size_t nbars = 0, i, s;

    for (s = 0; s < c->n_series; s++)
        nbars += !c->series[s].line;
    if (nbars == 0)
        return;
    for (i = 0; i < c->n_cats; i++) {
        double gx = x0 + band * (double)i + band * 0.1, base = y_bot;
        double bw = band * 0.8 / (c->stacked ? 1.0 : (double)nbars);
        size_t k = 0;

        for (s = 0; s < c->n_series; s++) {
            const vigil__chart_series *se = &c->series[s];
            const axis *a = se->right_axis ? right : left;
            double h, x;

            if (se->line)
                continue;
            h = (y_bot - y_top) * se->values[i] / a->top;
            x = c->stacked ? gx : gx + bw * (double)k;
            if (h > 0)
                vgu_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                               " height=\"%.1f\" fill=\"%s\"><title>%.0f"
                               "</title></rect>\n", x, base - h,
                               bw > 1.5 ? bw - 0.5 : bw, h,
                               palette[s % NPAL], se->values[i]);
            if (c->stacked)
                base -= h;
            k++;
        }
    }
}

static void draw_lines(vgu_buf *b, const vigil__chart *c, double x0,
                       double band, double y_top, double y_bot,
                       const axis *left, const axis *right)
{
    size_t i, s;

    for (s = 0; s < c->n_series; s++) {
        const vigil__chart_series *se = &c->series[s];
        const axis *a = se->right_axis ? right : left;
        const char *col = palette[s % NPAL];

        if (!se->line)
            continue;
        vgu_buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" "
                       "stroke-width=\"2\" points=\"", col);
        for (i = 0; i < c->n_cats; i++)
            vgu_buf_printf(b, "%s%.1f,%.1f", i ? " " : "",
                           x0 + band * ((double)i + 0.5),
                           y_bot - (y_bot - y_top) * se->values[i] / a->top);
        vgu_buf_puts(b, "\"/>\n");
        if (c->n_cats <= 120)
            for (i = 0; i < c->n_cats; i++)
                vgu_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
                               "fill=\"%s\"><title>%.0f</title></circle>\n",
                               x0 + band * ((double)i + 0.5),
                               y_bot - (y_bot - y_top) * se->values[i] / a->top,
                               col, se->values[i]);
    }
}

static void draw_labels(vgu_buf *b, const vigil__chart *c, double x_right)
{
    vgu_buf_printf(b, "<text x=\"%.1f\" y=\"30\" font-size=\"18\" "
                   "font-weight=\"bold\">", LEFT);
    xml_text(b, c->title);
    vgu_buf_puts(b, "</text>\n");
    if (c->subtitle) {
        vgu_buf_printf(b, "<text x=\"%.1f\" y=\"52\" font-size=\"12\" "
                       "fill=\"#555\">", LEFT);
        xml_text(b, c->subtitle);
        vgu_buf_puts(b, "</text>\n");
    }
    vgu_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
                   "text-anchor=\"middle\">", (LEFT + x_right) / 2, H - 12);
    xml_text(b, c->x_label);
    vgu_buf_printf(b, "</text>\n<text x=\"20\" y=\"%.1f\" font-size=\"13\" "
                   "text-anchor=\"middle\" transform=\"rotate(-90 20 %.1f)\">",
                   (TOP + H - BOTTOM_PAD) / 2, (TOP + H - BOTTOM_PAD) / 2);
    xml_text(b, c->y_label);
    vgu_buf_puts(b, "</text>\n");
    if (c->y2_label) {
        vgu_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
                       "text-anchor=\"middle\" transform=\"rotate(90 %.1f "
                       "%.1f)\">", W - 16, (TOP + H - BOTTOM_PAD) / 2, W - 16,
                       (TOP + H - BOTTOM_PAD) / 2);
        xml_text(b, c->y2_label);
        vgu_buf_puts(b, "</text>\n");
    }
}

int vigil__chart_svg(vgu_buf *b, const vigil__chart *c)
{
    double x1 = W - (c->y2_label ? 84.0 : 36.0), y_bot = H - BOTTOM_PAD;
    double band = c->n_cats ? (x1 - LEFT) / (double)c->n_cats : 1;
    axis left = nice_axis(axis_max(c, 0)), right = nice_axis(axis_max(c, 1));
    size_t len0 = b->len, bound = 8192, i;

    /* Reserve the worst case up front (XML escapes a byte as 6) so no
     * write below allocates, hence none can fail half-way. */
    bound += 6 * (strlen(c->title) + (c->subtitle ? strlen(c->subtitle) : 0)
                  + strlen(c->x_label) + strlen(c->y_label) +
                  (c->y2_label ? strlen(c->y2_label) : 0));
    for (i = 0; i < c->n_series; i++)
        bound += 6 * strlen(c->series[i].name) + 256 +
                 (c->n_cats + 1) * 192;
    bound += c->n_cats * 320;
    if (vgu_buf_grow(b, bound) < 0)
        return -1;

    vgu_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
                   "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                   "font-family=\"DejaVu Sans, Arial, sans-serif\">\n<title>",
                   W, H, W, H);
    xml_text(b, c->title);
    vgu_buf_printf(b, "</title>\n<rect width=\"%.0f\" height=\"%.0f\" "
                   "fill=\"white\"/>\n", W, H);
    draw_labels(b, c, x1);
    draw_legend(b, c);
    draw_axis(b, &left, LEFT, TOP, y_bot, 0, x1);
    if (c->y2_label)
        draw_axis(b, &right, x1, TOP, y_bot, 1, x1);
    draw_bars(b, c, LEFT, band, TOP, y_bot, &left, &right);
    draw_lines(b, c, LEFT, band, TOP, y_bot, &left, &right);
    vgu_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                   "stroke=\"#333\"/>\n", LEFT, y_bot, x1, y_bot);
    draw_x_labels(b, c, LEFT, band, y_bot);
    vgu_buf_puts(b, "</svg>\n");
    return b->len - len0 <= bound ? 0 : -1;     /* reservation held */
}
