/*
 * ingest/telegram.h - streaming reader for Telegram Desktop JSON exports
 * (result.json, single-chat or full-account). It frames one messages[]
 * element at a time and hands each to jansson, so memory stays bounded by
 * the largest single message, whatever the file size.
 */
#ifndef VIGIL_INGEST_TELEGRAM_H
#define VIGIL_INGEST_TELEGRAM_H

#include <jansson.h>
#include <stdint.h>

#include "vigil/common.h"

typedef struct vigil_tg_reader vigil_tg_reader;

/** The dialog (chat/channel) the current message belongs to. */
typedef struct {
    int64_t id;                 /* bare Telegram peer id */
    int has_id;
    char name[512];             /* "" when the export omits it */
    char type[64];              /* "public_channel", ... or "" */
    uint64_t serial;            /* increments for every dialog seen */
} vigil_tg_dialog;

/** One message handed out by vigil_tg_reader_next(). */
typedef struct {
    json_t *msg;                /* borrowed until the next call */
    const vigil_tg_dialog *dialog; /* borrowed, same lifetime */
    uint64_t offset;            /* byte offset of the message in the file */
} vigil_tg_item;

#define VIGIL_TG_DEFAULT_MAX_MESSAGE ((size_t)64 << 20)

/**
 * Open @p path for streaming. @p max_message caps the bytes of one
 * message (0 = VIGIL_TG_DEFAULT_MAX_MESSAGE).
 * @return VIGIL_OK, VIGIL_EIO, VIGIL_ENOMEM
 */
int vigil_tg_reader_open(vigil_tg_reader **out, const char *path,
                         size_t max_message);
/** Read from memory instead of a file (fuzzing, tests); @p data borrowed. */
int vigil_tg_reader_open_mem(vigil_tg_reader **out, const void *data,
                             size_t len, size_t max_message);
void vigil_tg_reader_free(vigil_tg_reader *r);

/**
 * Next message. Returns VIGIL_ROW with @p out filled, VIGIL_DONE at the
 * end, or a negative code. VIGIL_EFORMAT with *recovered = 1 means one
 * message was malformed and skipped (the error names its offset): call
 * again to go on. With *recovered = 0 the stream cannot go on.
 */
int vigil_tg_reader_next(vigil_tg_reader *r, vigil_tg_item *out,
                         int *recovered);

/** Bytes of the input consumed so far, and the input size (0 unknown). */
uint64_t vigil_tg_reader_offset(const vigil_tg_reader *r);
uint64_t vigil_tg_reader_size(const vigil_tg_reader *r);

#endif
