/*
 * ingest/telegram.h - streaming reader for Telegram Desktop JSON exports
 * (result.json, single-chat or full-account). yajl parses the document as
 * a stream of events; this reader follows the export's structure and
 * hands out one message at a time, so memory stays bounded by the largest
 * message whatever the file size. Field shapes follow tdesktop's writer
 * (FORMATS.md section 1).
 */
#ifndef VIGIL_INGEST_TELEGRAM_H
#define VIGIL_INGEST_TELEGRAM_H

#include <stdint.h>

#include "vigil/store.h"

/** The dialog (chat/channel) a message belongs to. */
typedef struct {
    int64_t id;                 /* bare Telegram peer id */
    int has_id;
    char name[512];             /* "" when the export omits it */
    char type[64];              /* "public_channel", ... or "" */
    uint64_t serial;            /* increments for every dialog seen */
} vigil_tg_dialog;

/** One message, borrowed for the duration of the callback. */
typedef struct {
    const char *id;             /* decimal message id */
    uint64_t offset;            /* byte offset of the message in the file */
    int is_service;             /* type "service": a channel event */
    int is_unsupported;         /* type "unsupported": id and type only */
    int64_t date;               /* UTC epoch s, or VIGIL_TIME_UNKNOWN */
    const char *date_local;     /* set when date came from the local string */
    int64_t edited;             /* UTC epoch s, or VIGIL_TIME_UNKNOWN */
    const char *from;
    const char *forwarded_from; /* NULL when hidden or not forwarded */
    int is_forward;
    int64_t reply_to;           /* 0 when none */
    const char *text;           /* UTF-8, NUL bytes replaced by spaces */
    size_t text_len;
    const char *const *urls;    /* links, text_link hrefs, URL buttons */
    size_t n_urls;
    vigil_item_kind kind;
    const char *media;          /* path or placeholder sentence, or NULL */
    const char *mime;
    int64_t media_size;         /* -1 unknown */
    const char *action, *actor, *title;   /* service messages */
} vigil_tg_msg;

typedef struct {
    /** A well-formed message. Return < 0 to stop reading with that code. */
    int (*message)(const vigil_tg_msg *m, const vigil_tg_dialog *d,
                   void *payload);
    /** A message refused (wrong types, invalid UTF-8, not an object). */
    void (*reject)(uint64_t offset, const char *msg_id, const char *why,
                   void *payload);
    void *payload;
} vigil_tg_handler;

#define VIGIL_TG_DEFAULT_MAX_MESSAGE ((size_t)64 << 20)

/**
 * Read an export file, calling @p h for each message in file order.
 * @param max_message  bytes one message may span (0 = 64 MiB)
 * @param[out] bytes_out  bytes of the file read (may be NULL)
 * @return VIGIL_OK; VIGIL_EFORMAT when the JSON is malformed or truncated
 *         (message names the file and byte offset; every message before it
 *         was delivered); VIGIL_ELIMIT, VIGIL_EIO, VIGIL_ENOMEM, or the
 *         code a callback returned.
 */
int vigil_tg_read_file(const char *path, size_t max_message,
                       const vigil_tg_handler *h, uint64_t *bytes_out);

/** The same over a memory buffer (tests, fuzzing); @p name for messages. */
int vigil_tg_read_mem(const void *data, size_t len, const char *name,
                      size_t max_message, const vigil_tg_handler *h);

/** 1 when @p media is one of tdesktop's "file not included" sentences. */
int vigil_tg_media_is_placeholder(const char *media);

#endif
