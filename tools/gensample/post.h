/*
 * tools/gensample/post.h - one generated message, the sources of the
 * default sample, and the writers that turn posts into Telegram export
 * objects, JSON Lines feed records and ground-truth lines.
 */
#ifndef GS_POST_H
#define GS_POST_H

#include "gs.h"

#define GS_MAX_SEG 16

typedef struct {
    const char *type;         /* NULL = plain run */
    char *text;               /* owned */
    char *href;               /* owned, text_link only */
} gs_seg;

typedef struct {
    const char *platform;     /* "telegram" or "x" */
    const char *title;
    const char *handle;       /* username without '@' */
    long long chat_id;        /* bare Telegram peer id / X account id */
    const char *type;         /* dialog type, e.g. "public_channel" */
    const char *root;         /* export path below the output dir */
    const char *media_prefix; /* "" or "chats/chat_001/" in a full export */
    int tz_offset;            /* seconds east of UTC of the exporting machine */
    const char *langs[7];     /* LANGID labels, NULL-terminated */
    int share;                /* share of the message total, per mille */
} gs_source;

typedef struct {
    long long id;
    int64_t t;                /* UTC epoch seconds */
    int64_t edited_t;         /* 0 = never edited */
    const char *kind;         /* text photo file video audio service */
    const char *action;       /* service only */
    long long pin_id;         /* pin_message target */
    gs_seg seg[GS_MAX_SEG];
    int nseg;
    bool as_array;            /* text written as an entity array */
    bool trailing_empty;      /* array ends with "" (tdesktop quirk) */
    int lang;                 /* index into gs_lang table, -1 = no text */
    bool forwarded;
    const char *fwd;          /* NULL with forwarded = hidden origin */
    /* media */
    char path[256];           /* relative to the export root; "" = none */
    const char *placeholder;  /* non-NULL: not downloaded */
    size_t size;
    char sha256[65];
    int width, height, duration;
    const char *mime, *media_type;
    char file_name[96];
    int group;                /* photo group, -1 = none */
    const char *variant;      /* original requality resize exact */
    gs_outlet_mention outl[2];
    int noutl;
    gs_wallet wal[2];
    int nwal;
    char *urls[4];            /* owned */
    int nurl;
} gs_post;

/** Plain text of @p p (concatenated runs) into @p out (cleared first). */
void gs_post_text(const gs_post *p, vgu_buf *out);
void gs_post_dispose(gs_post *p);

/** Write @p p as a Telegram export message object into @p j. */
void gs_tg_message(gs_json *j, const gs_source *src, const gs_post *p);
/** Write @p p as one JSON Lines feed record (with newline) into @p b. */
void gs_feed_record(vgu_buf *b, const gs_source *src, const gs_post *p);
/** Append one ground-truth line for @p p to @p b. */
void gs_truth_line(vgu_buf *b, const gs_source *src, const gs_post *p,
                   const gs_lang *langs);

#endif
