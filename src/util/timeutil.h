/*
 * util/timeutil.h - calendar arithmetic without the C library's time zone
 * state: civil dates <-> days since 1970-01-01 (proleptic Gregorian, after
 * Howard Hinnant's "chrono-compatible low-level date algorithms"), and an
 * RFC 3339 / ISO 8601 timestamp reader.
 */
#ifndef VGU_TIMEUTIL_H
#define VGU_TIMEUTIL_H

#include <stdint.h>

int64_t vgu_days_from_civil(int64_t y, unsigned m, unsigned d);
void vgu_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/**
 * Parse "YYYY-MM-DDTHH:MM:SS" with optional fractional seconds and an
 * optional "Z" or "+HH:MM"/"-HH:MM" offset (a space may stand for the T).
 * *has_offset says whether the text carried one; without it the time is
 * read as UTC. Returns 0 on success, -1 on malformed text.
 */
int vgu_parse_iso8601(const char *s, int64_t *epoch_out, int *has_offset);

#endif
