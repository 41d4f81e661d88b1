/*
 * fuzz/incidents_import_fuzzer.c - libFuzzer target for the incident
 * importers (ACLED, UCDP GED, vigil CSV row mapping, dates, HXL row) on an
 * in-memory SQLite store. The first byte picks the format (auto, acled,
 * ucdp-ged, vigil). Properties: every data row is counted exactly once as
 * added, updated, unchanged or rejected; re-importing the same bytes adds
 * nothing; a report over the table sums to what was added.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vigil/incidents.h"

static int import_twice(vigil_store *st, const char *path,
                        vigil_incident_format fmt)
{
    vigil_incident_import_stats a, b;
    vigil_incident_query q;
    vigil_incident_report *r = NULL;

    if (vigil_incidents_import(st, path, fmt, &a, NULL, NULL) < 0)
        return 0;                           /* refusing a header is fine */
    if (a.added + a.updated + a.unchanged + a.rejected != a.rows)
        abort();
    if (vigil_incidents_import(st, path, fmt, &b, NULL, NULL) < 0 ||
        b.added != 0 || b.updated != 0 || b.rows != a.rows ||
        b.rejected != a.rejected)
        abort();
    memset(&q, 0, sizeof(q));
    q.by = VIGIL_BY_MONTH_OF_YEAR;
    if (vigil_incidents_report(&r, st, &q) < 0)
        abort();
    if ((uint64_t)r->total.events != a.added)
        abort();
    vigil_incident_report_free(r);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const vigil_incident_format fmts[4] = {
        VIGIL_INCIDENTS_AUTO, VIGIL_INCIDENTS_ACLED, VIGIL_INCIDENTS_UCDP_GED,
        VIGIL_INCIDENTS_VIGIL
    };
    char path[] = "/tmp/vigil-fuzz-incidents-XXXXXX";
    vigil_store *st = NULL;
    FILE *f;
    int fd;

    if (size == 0 || size > 1 << 20)
        return 0;
    if ((fd = mkstemp(path)) < 0)
        return 0;
    f = fdopen(fd, "wb");
    if (!f || fwrite(data + 1, 1, size - 1, f) != size - 1) {
        if (f)
            fclose(f);
        unlink(path);
        return 0;
    }
    fclose(f);
    if (vigil_store_open(&st, ":memory:", VIGIL_STORE_OPEN_CREATE) == 0)
        import_twice(st, path, fmts[data[0] % 4]);
    vigil_store_close(st);
    unlink(path);
    return 0;
}
