/*
 * util/csv.h - a streaming RFC 4180 CSV reader with bounded memory: quoted
 * fields with embedded commas, quotes ("") and newlines, CRLF / LF / CR
 * line ends, a UTF-8 byte-order mark. Leaf helper: libc only.
 */
#ifndef VGU_CSV_H
#define VGU_CSV_H

#include <stddef.h>
#include <stdio.h>

/** Reads up to @p n bytes into @p buf; returns bytes read, 0 at end,
 *  (size_t)-1 on error. */
typedef size_t (*vgu_csv_read_fn)(void *payload, char *buf, size_t n);

typedef struct {
    size_t max_record;   /* bytes of field data in one record; 0 = 4 MiB */
    size_t max_fields;   /* fields in one record; 0 = 4096 */
} vgu_csv_limits;

typedef struct vgu_csv vgu_csv;

/** vgu_csv_next() results. */
#define VGU_CSV_RECORD 1     /* a record is ready */
#define VGU_CSV_END 0        /* no more input */
#define VGU_CSV_BAD (-1)     /* this record is malformed; see vgu_csv_error();
                                reading may go on with the next record */
#define VGU_CSV_FATAL (-2)   /* read error or out of memory; stop */

/**
 * Start reading through @p read / @p payload. @p limits may be NULL.
 * Returns NULL when out of memory. Release with vgu_csv_free().
 * Threads: one reader per thread.
 */
vgu_csv *vgu_csv_new(vgu_csv_read_fn read, void *payload,
                     const vgu_csv_limits *limits);
/** Same, reading @p f (not closed by the reader). */
vgu_csv *vgu_csv_new_file(FILE *f, const vgu_csv_limits *limits);
void vgu_csv_free(vgu_csv *c);                   /* NULL is a no-op */

/**
 * Read the next record. Blank lines are skipped. On VGU_CSV_BAD the rest of
 * the malformed record has been consumed, so the next call starts afresh.
 */
int vgu_csv_next(vgu_csv *c);

/** Fields of the current record (valid until the next vgu_csv_next). */
size_t vgu_csv_nfields(const vgu_csv *c);
/** Field @p i, NUL-terminated (it may also hold NULs: use *len_out).
 *  Out of range gives "" with length 0. */
const char *vgu_csv_get(const vgu_csv *c, size_t i, size_t *len_out);
/** 1-based physical line on which the current record starts. */
unsigned long vgu_csv_line(const vgu_csv *c);
/** Why the last record was BAD or FATAL; static or reader-owned text. */
const char *vgu_csv_error(const vgu_csv *c);
/** Input bytes consumed so far. */
unsigned long long vgu_csv_offset(const vgu_csv *c);

#endif
