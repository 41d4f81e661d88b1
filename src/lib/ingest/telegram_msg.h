/*
 * ingest/telegram_msg.h - turns one Telegram export message (a jansson
 * object) into plain fields: kind, times, text, URLs, media reference.
 * Field shapes follow tdesktop's export writer (FORMATS.md section 1).
 */
#ifndef VIGIL_INGEST_TELEGRAM_MSG_H
#define VIGIL_INGEST_TELEGRAM_MSG_H

#include <jansson.h>

#include "util/buf.h"
#include "vigil/store.h"

typedef struct {
    char id[24];                /* decimal message id */
    int is_service;             /* type "service": a channel event */
    int is_unsupported;         /* type "unsupported": id and type only */
    int64_t date;               /* UTC epoch s, or VIGIL_TIME_UNKNOWN */
    const char *date_local;     /* set when date came from the local string */
    int64_t edited;             /* UTC epoch s, or VIGIL_TIME_UNKNOWN */
    const char *from;           /* borrowed from the json object */
    const char *forwarded_from; /* borrowed; NULL when hidden or absent */
    int is_forward;
    int64_t reply_to;
    vgu_buf text;               /* message text, UTF-8 */
    char **urls;                /* owned, deduplicated */
    size_t n_urls, cap_urls;
    vigil_item_kind kind;
    const char *media;          /* path or placeholder sentence, borrowed */
    const char *mime;           /* borrowed */
    int64_t media_size;         /* -1 unknown */
    const char *action;         /* service: action */
    const char *actor;          /* service: actor */
    const char *title;          /* service: title */
} vigil_tg_msg;

#define VIGIL_TG_MSG_INIT { .text = VGU_BUF_INIT }

/**
 * Fill @p m from @p msg (any previous content is reset; strings borrowed
 * from @p msg stay valid while it lives).
 * @return VIGIL_OK, VIGIL_EFORMAT ("message ID: field 'x' is ..."),
 *         VIGIL_ENOMEM
 */
int vigil_tg_msg_parse(vigil_tg_msg *m, json_t *msg);
void vigil_tg_msg_dispose(vigil_tg_msg *m);

/** 1 when @p media is one of tdesktop's "file not included" sentences. */
int vigil_tg_media_is_placeholder(const char *media);

#endif
