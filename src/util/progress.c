/*
 * util/progress.c - terminal progress meter (see progress.h).
 */
#include "util/progress.h"

#include <time.h>
#include <unistd.h>

double vgu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void vgu_progress_start(vgu_progress *p, const char *label, const char *unit,
                        uint64_t total_bytes, int force)
{
    p->out = (force || isatty(STDERR_FILENO)) ? stderr : NULL;
    p->label = label;
    p->unit = unit;
    p->started = vgu_now();
    p->last_draw = 0;
    p->total_bytes = total_bytes;
}

static void progress_draw(vgu_progress *p, uint64_t items, uint64_t done,
                          double now, int final)
{
    double el = now - p->started;
    double rate = el > 0 ? (double)items / el : 0;

    fprintf(p->out, "\r%s: %llu %s, %.0f %s/s", p->label,
            (unsigned long long)items, p->unit, rate, p->unit);
    if (p->total_bytes && done > 0 && !final) {
        double frac = (double)done / (double)p->total_bytes;
        double eta = frac > 0 ? el / frac - el : 0;
        fprintf(p->out, ", %.0f%%, ETA %.0fs", frac * 100.0, eta);
    } else if (final) {
        fprintf(p->out, ", %.1fs", el);
    }
    fputs("\033[K", p->out);
    if (final)
        fputc('\n', p->out);
    fflush(p->out);
}

void vgu_progress_update(vgu_progress *p, uint64_t items, uint64_t done)
{
    double now;

    if (!p->out)
        return;
    now = vgu_now();
    if (now - p->last_draw < 0.1)
        return;
    p->last_draw = now;
    progress_draw(p, items, done, now, 0);
}

void vgu_progress_finish(vgu_progress *p, uint64_t items, uint64_t done)
{
    if (p->out)
        progress_draw(p, items, done, vgu_now(), 1);
}
