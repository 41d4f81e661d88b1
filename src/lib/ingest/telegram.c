/*
 * ingest/telegram.c - Telegram Desktop result.json as a stream of messages.
 *
 * yajl parses the document as events (no tree is built); a stack of
 * frames, each tagged with its role in the export (root dialog, account's
 * chats.list, dialog, messages array, message, text entity, ...), turns
 * those events into message fields. Memory is bounded by one message.
 * jansson was measured first: it has no streaming mode and parsed one
 * message at a time 14x slower than yajl on the same data.
 *
 * tdesktop writes control bytes as the non-standard escape \xNN; input is
 * rewritten to \u00NN before yajl sees it, and the rewrites are remembered
 * so byte offsets in errors still point into the original file.
 */
#define VIGIL_MODULE "ingest"
#include "ingest/telegram.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

#include "common/alloc.h"
#include "common/error.h"
#include "util/buf.h"
#include "util/timeutil.h"

#define TG_CHUNK (256u * 1024u)
#define TG_MAX_DEPTH 64
#define TG_NONE ((size_t)-1)

enum tg_role {
    R_SKIP, R_ROOT, R_CHATS, R_LIST, R_DIALOG, R_MSGS, R_MSG,
    R_TEXT, R_ENTS, R_ENT, R_ROWS, R_ROW, R_BTN
};

enum tg_key {
    K_OTHER, K_ID, K_TYPE, K_NAME, K_MESSAGES, K_CHATS, K_LEFT_CHATS, K_LIST,
    K_TEXT, K_TEXT_ENTITIES, K_DATE, K_DATE_UNIX, K_EDITED, K_EDITED_UNIX,
    K_FROM, K_FWD, K_REPLY, K_PHOTO, K_FILE, K_MEDIA_TYPE, K_MIME,
    K_PHOTO_SIZE, K_FILE_SIZE, K_ACTION, K_ACTOR, K_TITLE, K_HREF, K_DATA,
    K_BUTTONS
};

/* The keys read, by name (key_of() is the fast way from name to key). */
static const struct {
    const char *name;
    unsigned char key;         /* enum tg_key */
} tg_keys[] = {
    { "id", K_ID },
    { "data", K_DATA },
    { "date", K_DATE },
    { "file", K_FILE },
    { "from", K_FROM },
    { "href", K_HREF },
    { "list", K_LIST },
    { "name", K_NAME },
    { "text", K_TEXT },
    { "type", K_TYPE },
    { "actor", K_ACTOR },
    { "chats", K_CHATS },
    { "photo", K_PHOTO },
    { "title", K_TITLE },
    { "action", K_ACTION },
    { "edited", K_EDITED },
    { "messages", K_MESSAGES },
    { "file_size", K_FILE_SIZE },
    { "mime_type", K_MIME },
    { "left_chats", K_LEFT_CHATS },
    { "media_type", K_MEDIA_TYPE },
    { "date_unixtime", K_DATE_UNIX },
    { "text_entities", K_TEXT_ENTITIES },
    { "forwarded_from", K_FWD },
    { "edited_unixtime", K_EDITED_UNIX },
    { "photo_file_size", K_PHOTO_SIZE },
    { "inline_bot_buttons", K_BUTTONS },
    { "reply_to_message_id", K_REPLY },
};

struct tg_frame {
    unsigned char role;     /* enum tg_role */
    unsigned char key;      /* enum tg_key: the map's current key */
};

/* Entity types that matter for URLs (E_UNSET: no "type" seen yet). */
enum { E_UNSET, E_OTHER, E_LINK, E_TEXT_LINK, E_URL_BUTTON };

/* Message fields; strings are offsets into the arena (TG_NONE = absent). */
struct tg_fields {
    size_t id, type, date_local, edited_local, from, fwd, photo, file,
           media_type, mime, action, actor, title;
    int64_t date, edited, reply_to, photo_size, file_size;
    int fwd_present;
    int text_is_array;          /* "text" was an entity array */
    int has_text, has_ents;
};

struct tg_parser {
    const vigil_tg_handler *h;
    const char *name;
    yajl_handle y;
    struct tg_frame st[TG_MAX_DEPTH];
    int depth;                  /* frames in use; > TG_MAX_DEPTH: skipping */
    vigil_tg_dialog dialog;
    size_t max_message;
    int rc;                     /* first error a callback raised */
    int saw_messages;           /* a messages[] list was found */

    /* input rewriting and offsets */
    unsigned char *out;         /* rewritten chunk */
    size_t *exp;                /* positions of rewritten escapes in out */
    size_t nexp, capexp;
    int bs_odd;                 /* last byte read was an unescaped '\' */
    uint64_t chunk_base;        /* original offset of the chunk's start */

    /* message under construction */
    int in_msg;
    uint64_t msg_offset;
    struct tg_fields f;
    vgu_buf arena;              /* NUL-terminated strings of the message */
    vgu_buf text_t, text_e;     /* text from "text" / from "text_entities" */
    vgu_buf urls_t, urls_e;     /* NUL-separated URLs from each */
    vgu_buf urls_b;             /* NUL-separated URLs of inline buttons */
    char err[300];              /* first problem with this message */
    int ent_type;               /* entity / button under construction */
    size_t ent_start, ent_len, ent_href, ent_data;
    int ent_has_text;
    const char **url_ptrs;      /* message's URL list handed out */
    size_t cap_urls;
};

/* ---- offsets and errors ------------------------------------------------ */

static uint64_t tg_orig(const struct tg_parser *p, size_t pos)
{
    size_t i, n = 0;

    for (i = 0; i < p->nexp && p->exp[i] < pos; i++)
        n++;
    return p->chunk_base + pos - 2 * (uint64_t)n;
}

static uint64_t tg_here(const struct tg_parser *p)
{
    return tg_orig(p, yajl_get_bytes_consumed(p->y));
}

/* Stop the parse with @p rc (message already set). */
static int tg_abort(struct tg_parser *p, int rc)
{
    if (p->rc == VIGIL_OK)
        p->rc = rc;
    return 0;
}

/* Note the first problem with the current message; parsing goes on. */
static void msg_problem(struct tg_parser *p, const char *fmt, const char *a,
                        const char *b)
{
    if (!p->err[0])
        snprintf(p->err, sizeof(p->err), fmt, a, b);
}

/* ---- small value helpers ----------------------------------------------- */

/* The key of @p k (n bytes): a switch on the length and first byte, and
 * comparisons of constant length the compiler turns into a few loads
 * (the table above names them; parser_init checks the two agree). */
#define TG_IS(lit) (memcmp(k, lit, sizeof(lit) - 1) == 0)
static enum tg_key key_of(const unsigned char *k, size_t n)
{
    switch (n) {
    case 2:
        return TG_IS("id") ? K_ID : K_OTHER;
    case 4:
        switch (k[0]) {
        case 'd': return TG_IS("date") ? K_DATE : TG_IS("data") ? K_DATA
                                                                : K_OTHER;
        case 'f': return TG_IS("from") ? K_FROM : TG_IS("file") ? K_FILE
                                                                : K_OTHER;
        case 'h': return TG_IS("href") ? K_HREF : K_OTHER;
        case 'l': return TG_IS("list") ? K_LIST : K_OTHER;
        case 'n': return TG_IS("name") ? K_NAME : K_OTHER;
        case 't': return TG_IS("text") ? K_TEXT : TG_IS("type") ? K_TYPE
                                                                : K_OTHER;
        default:  return K_OTHER;
        }
    case 5:
        switch (k[0]) {
        case 'a': return TG_IS("actor") ? K_ACTOR : K_OTHER;
        case 'c': return TG_IS("chats") ? K_CHATS : K_OTHER;
        case 'p': return TG_IS("photo") ? K_PHOTO : K_OTHER;
        case 't': return TG_IS("title") ? K_TITLE : K_OTHER;
        default:  return K_OTHER;
        }
    case 6:
        return TG_IS("action") ? K_ACTION : TG_IS("edited") ? K_EDITED
                                                            : K_OTHER;
    case 8:
        return TG_IS("messages") ? K_MESSAGES : K_OTHER;
    case 9:
        return TG_IS("file_size") ? K_FILE_SIZE : TG_IS("mime_type") ? K_MIME
                                                                     : K_OTHER;
    case 10:
        return TG_IS("media_type") ? K_MEDIA_TYPE
               : TG_IS("left_chats") ? K_LEFT_CHATS : K_OTHER;
    case 13:
        return TG_IS("date_unixtime") ? K_DATE_UNIX
               : TG_IS("text_entities") ? K_TEXT_ENTITIES : K_OTHER;
    case 14:
        return TG_IS("forwarded_from") ? K_FWD : K_OTHER;
    case 15:
        return TG_IS("edited_unixtime") ? K_EDITED_UNIX
               : TG_IS("photo_file_size") ? K_PHOTO_SIZE : K_OTHER;
    case 18:
        return TG_IS("inline_bot_buttons") ? K_BUTTONS : K_OTHER;
    case 19:
        return TG_IS("reply_to_message_id") ? K_REPLY : K_OTHER;
    default:
        return K_OTHER;
    }
}
#undef TG_IS

static int utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned char c = s[i], lo = 0x80, hi = 0xbf;

        if (c < 0x80) {
            uint64_t w;

            i++;
            while (i + 8 <= n) {        /* ASCII runs, 8 bytes at a time */
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ull)
                    break;
                i += 8;
            }
            continue;
        }
        /* Well-formed sequences (Unicode 15, table 3-7): the lead byte
         * bounds the second byte, which rules out overlong forms,
         * surrogates and code points past U+10FFFF. */
        if (c >= 0xc2 && c <= 0xdf) {
            if (i + 1 >= n || (s[i + 1] & 0xc0) != 0x80)
                return 0;
            i += 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            if (c == 0xe0)
                lo = 0xa0;
            else if (c == 0xed)
                hi = 0x9f;
            if (i + 2 >= n || s[i + 1] < lo || s[i + 1] > hi ||
                (s[i + 2] & 0xc0) != 0x80)
                return 0;
            i += 3;
        } else if (c >= 0xf0 && c <= 0xf4) {
            if (c == 0xf0)
                lo = 0x90;
            else if (c == 0xf4)
                hi = 0x8f;
            if (i + 3 >= n || s[i + 1] < lo || s[i + 1] > hi ||
                (s[i + 2] & 0xc0) != 0x80 || (s[i + 3] & 0xc0) != 0x80)
                return 0;
            i += 4;
        } else {
            return 0;
        }
    }
    return 1;
}

/* Room for @p n more bytes and a NUL in @p b: the common case inline. */
static int buf_room(vgu_buf *b, size_t n)
{
    if (b->cap - b->len > n + 1 && b->max - b->len > n + 1)
        return 0;               /* b->max is set for every buffer here */
    return vgu_buf_grow(b, n + 1);
}

/* Copy a string into the arena; returns its offset or TG_NONE on OOM. */
static size_t arena_put(struct tg_parser *p, const unsigned char *s, size_t n)
{
    vgu_buf *a = &p->arena;
    size_t off = a->len;

    if (buf_room(a, n) < 0)
        return TG_NONE;
    memcpy(a->ptr + off, s, n);
    a->ptr[off + n] = '\0';
    a->len += n + 1;
    a->ptr[a->len] = '\0';
    return off;
}

static const char *arena_str(const struct tg_parser *p, size_t off)
{
    return off == TG_NONE ? NULL : p->arena.ptr + off;
}

/* Append text with NUL bytes (from \u0000) turned into spaces. */
static int text_put(vgu_buf *b, const unsigned char *s, size_t n)
{
    char *p, *end;

    if (buf_room(b, n) < 0)
        return -1;
    p = b->ptr + b->len;
    memcpy(p, s, n);
    b->len += n;
    end = b->ptr + b->len;
    *end = '\0';
    while ((p = memchr(p, '\0', (size_t)(end - p))) != NULL)
        *p++ = ' ';
    return 0;
}

static int url_put(vgu_buf *b, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\n'))
        s++, n--;
    if (!n)
        return 0;
    if (buf_room(b, n + 1) < 0)
        return -1;
    memcpy(b->ptr + b->len, s, n);
    b->len += n + 1;
    b->ptr[b->len - 1] = b->ptr[b->len] = '\0';
    return 0;
}

/* Digits (an optional leading '-') to int64; 0 on failure or overflow. */
static int parse_int(const char *s, size_t n, int64_t *out)
{
    uint64_t v = 0, lim;
    size_t i = 0;
    int neg = 0;

    if (n && s[0] == '-') {
        neg = 1;
        i = 1;
    }
    if (i == n || n - i > 19)
        return 0;
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        unsigned d = (unsigned char)s[i] - '0';

        if (d > 9 || (n > 18 && v > (lim - d) / 10))
            return 0;           /* 18 digits or fewer cannot overflow */
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 1;
}

/* "YYYY-MM-DDTHH:MM:SS" read as if UTC (the export gives no offset). */
static int64_t parse_local_date(const char *s)
{
    int64_t t;
    int has_offset;

    if (!s || vgu_parse_iso8601(s, &t, &has_offset) < 0)
        return VIGIL_TIME_UNKNOWN;
    return t;
}

/* ---- message assembly -------------------------------------------------- */

static void msg_begin(struct tg_parser *p)
{
    struct tg_fields *f = &p->f;

    p->in_msg = 1;
    p->msg_offset = tg_here(p) - 1;      /* the '{' just read */
    vgu_buf_clear(&p->arena);
    vgu_buf_clear(&p->text_t);
    vgu_buf_clear(&p->text_e);
    vgu_buf_clear(&p->urls_t);
    vgu_buf_clear(&p->urls_e);
    vgu_buf_clear(&p->urls_b);
    p->err[0] = '\0';
    memset(f, 0, sizeof(*f));
    f->id = f->type = f->date_local = f->edited_local = f->from = f->fwd =
        f->photo = f->file = f->media_type = f->mime = f->action = f->actor =
        f->title = TG_NONE;
    f->date = f->edited = VIGIL_TIME_UNKNOWN;
    f->photo_size = f->file_size = -1;
}

static vigil_item_kind kind_of_file(const char *media_type)
{
    if (!media_type)
        return VIGIL_KIND_FILE;
    if (strcmp(media_type, "sticker") == 0)
        return VIGIL_KIND_STICKER;
    if (strcmp(media_type, "video_file") == 0 ||
        strcmp(media_type, "video_message") == 0)
        return VIGIL_KIND_VIDEO;
    if (strcmp(media_type, "voice_message") == 0 ||
        strcmp(media_type, "audio_file") == 0)
        return VIGIL_KIND_AUDIO;
    if (strcmp(media_type, "animation") == 0)
        return VIGIL_KIND_ANIMATION;
    return VIGIL_KIND_FILE;
}

/* Add the distinct URLs of a NUL-separated list to url_ptrs[0..*n). */
static int urls_collect(struct tg_parser *p, const vgu_buf *list, size_t *n)
{
    size_t off = 0, i;

    while (off < list->len) {
        const char *u = list->ptr + off;
        int dup = 0;

        off += strlen(u) + 1;
        for (i = 0; i < *n && !dup; i++)
            dup = strcmp(p->url_ptrs[i], u) == 0;
        if (dup)
            continue;
        if (*n == p->cap_urls) {
            size_t ncap = p->cap_urls ? p->cap_urls * 2 : 8;
            const char **nv = vigil__realloc(p->url_ptrs, ncap * sizeof(*nv));
            if (!nv)
                return VIGIL_ENOMEM;
            p->url_ptrs = nv;
            p->cap_urls = ncap;
        }
        p->url_ptrs[(*n)++] = u;
    }
    return VIGIL_OK;
}

static int msg_end(struct tg_parser *p)
{
    struct tg_fields *f = &p->f;
    const vgu_buf *text;
    vigil_tg_msg m;
    const char *type = arena_str(p, f->type);
    int rc;

    p->in_msg = 0;
    if (!p->err[0] && f->id == TG_NONE)
        msg_problem(p, "message without an 'id'%s%s", "", "");
    if (p->err[0]) {
        if (p->h->reject)
            p->h->reject(p->msg_offset, arena_str(p, f->id), p->err,
                         p->h->payload);
        return VIGIL_OK;
    }
    memset(&m, 0, sizeof(m));
    m.id = arena_str(p, f->id);
    m.offset = p->msg_offset;
    m.is_unsupported = type && strcmp(type, "unsupported") == 0;
    m.is_service = type && strcmp(type, "service") == 0;
    m.date = f->date;
    m.date_local = arena_str(p, f->date_local);
    if (m.date == VIGIL_TIME_UNKNOWN)
        m.date = parse_local_date(m.date_local);
    else
        m.date_local = NULL;
    m.edited = f->edited != VIGIL_TIME_UNKNOWN ? f->edited
               : parse_local_date(arena_str(p, f->edited_local));
    m.from = arena_str(p, f->from);
    m.is_forward = f->fwd_present;
    m.forwarded_from = arena_str(p, f->fwd);
    m.reply_to = f->reply_to;
    /* The text comes from `text` when present, else from text_entities;
     * links from whichever of the two carries entities (a plain-string
     * `text` carries none), then from URL buttons. */
    text = f->has_text ? &p->text_t : &p->text_e;
    m.text = text->len ? text->ptr : NULL;
    m.text_len = text->len;
    m.n_urls = 0;
    if ((rc = urls_collect(p, f->text_is_array ? &p->urls_t : &p->urls_e,
                           &m.n_urls)) < 0 ||
        (rc = urls_collect(p, &p->urls_b, &m.n_urls)) < 0)
        return rc;
    m.urls = (const char *const *)p->url_ptrs;
    m.mime = arena_str(p, f->mime);
    m.action = arena_str(p, f->action);
    m.actor = arena_str(p, f->actor);
    m.title = arena_str(p, f->title);
    m.kind = VIGIL_KIND_TEXT;
    m.media_size = -1;
    if (f->photo != TG_NONE) {
        m.kind = VIGIL_KIND_PHOTO;
        m.media = arena_str(p, f->photo);
        m.media_size = f->photo_size;
    } else if (f->file != TG_NONE) {
        m.kind = kind_of_file(arena_str(p, f->media_type));
        m.media = arena_str(p, f->file);
        m.media_size = f->file_size;
    }
    return p->h->message(&m, &p->dialog, p->h->payload);
}

/* ---- yajl callbacks ---------------------------------------------------- */

static struct tg_frame *top(struct tg_parser *p)
{
    return p->depth > 0 && p->depth <= TG_MAX_DEPTH ? &p->st[p->depth - 1]
                                                    : NULL;
}

static const char *key_name(enum tg_key k)
{
    size_t i;

    for (i = 0; i < sizeof(tg_keys) / sizeof(tg_keys[0]); i++)
        if (tg_keys[i].key == k)
            return tg_keys[i].name;
    return "?";
}

/* A value of the wrong JSON type for a message field. */
static void wrong_type(struct tg_parser *p, enum tg_key k, const char *found)
{
    char what[64];

    snprintf(what, sizeof(what), "'%s' is %s", key_name(k), found);
    msg_problem(p, "field %s%s", what, "");
}

static void dialog_scalar(struct tg_parser *p, enum tg_key k,
                          const unsigned char *s, size_t n, int is_str)
{
    char *dst = NULL;
    size_t cap = 0;

    if (k == K_ID) {
        int64_t v;
        if (parse_int((const char *)s, n, &v)) {
            p->dialog.id = v;
            p->dialog.has_id = 1;
        }
        return;
    }
    if (!is_str || !utf8_valid(s, n))
        return;
    if (k == K_NAME) {
        dst = p->dialog.name;
        cap = sizeof(p->dialog.name);
    } else if (k == K_TYPE) {
        dst = p->dialog.type;
        cap = sizeof(p->dialog.type);
    } else {
        return;
    }
    if (n >= cap)
        n = cap - 1;
    while (n && (s[n] & 0xc0) == 0x80 && n < cap - 1)
        n--;                     /* do not cut inside a UTF-8 sequence */
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* A scalar directly inside the message object. */
static int msg_scalar(struct tg_parser *p, enum tg_key k,
                      const unsigned char *s, size_t n, int jtype)
{
    struct tg_fields *f = &p->f;
    size_t *slot = NULL;
    int64_t v;

    /* jtype: 's' string, 'n' number, 'b' boolean, '0' null */
    switch (k) {
    case K_ID:
        if ((jtype == 'n' || jtype == 's') &&
            parse_int((const char *)s, n, &v) && (s[0] != '0' || n == 1) &&
            !(s[0] == '-' && (n == 1 || s[1] == '0'))) {
            f->id = arena_put(p, s, n);     /* canonical decimal already */
        } else if ((jtype == 'n' || jtype == 's') &&
                   parse_int((const char *)s, n, &v)) {
            char tmp[24];
            snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
            f->id = arena_put(p, (const unsigned char *)tmp, strlen(tmp));
        } else {
            msg_problem(p, "'id' is not an integer%s%s", "", "");
        }
        return VIGIL_OK;
    case K_DATE_UNIX:
    case K_EDITED_UNIX:
        if (jtype == '0')
            return VIGIL_OK;
        if ((jtype != 'n' && jtype != 's') ||
            !parse_int((const char *)s, n, &v)) {
            wrong_type(p, k, "not epoch seconds");
            return VIGIL_OK;
        }
        *(k == K_DATE_UNIX ? &f->date : &f->edited) = v;
        return VIGIL_OK;
    case K_REPLY:
        if (jtype == 'n' && parse_int((const char *)s, n, &v))
            f->reply_to = v;
        else if (jtype != '0')
            wrong_type(p, k, "not an integer");
        return VIGIL_OK;
    case K_PHOTO_SIZE:
    case K_FILE_SIZE:
        if (jtype == 'n' && parse_int((const char *)s, n, &v) && v >= 0)
            *(k == K_PHOTO_SIZE ? &f->photo_size : &f->file_size) = v;
        return VIGIL_OK;
    case K_FWD:
        f->fwd_present = 1;
        slot = &f->fwd;
        break;
    case K_TEXT:
        f->has_text = 1;
        if (jtype == 's')
            return text_put(&p->text_t, s, n) < 0 ? VIGIL_ENOMEM : VIGIL_OK;
        if (jtype != '0')
            wrong_type(p, k, jtype == 'n' ? "a number" : "a boolean");
        return VIGIL_OK;
    case K_TYPE:         slot = &f->type; break;
    case K_DATE:         slot = &f->date_local; break;
    case K_EDITED:       slot = &f->edited_local; break;
    case K_FROM:         slot = &f->from; break;
    case K_PHOTO:        slot = &f->photo; break;
    case K_FILE:         slot = &f->file; break;
    case K_MEDIA_TYPE:   slot = &f->media_type; break;
    case K_MIME:         slot = &f->mime; break;
    case K_ACTION:       slot = &f->action; break;
    case K_ACTOR:        slot = &f->actor; break;
    case K_TITLE:        slot = &f->title; break;
    default:
        return VIGIL_OK;
    }
    if (jtype == '0')
        return VIGIL_OK;
    if (jtype != 's') {
        wrong_type(p, k, jtype == 'n' ? "a number" : "a boolean");
        return VIGIL_OK;
    }
    if ((*slot = arena_put(p, s, n)) == TG_NONE)
        return VIGIL_ENOMEM;
    return VIGIL_OK;
}

/*
 * The text of a text_entities entry is not needed when the message's text
 * already came from `text` (tdesktop writes `text` first) and the entry is
 * not a link (its type, written first, is known): skip copying and
 * validating it. ~40% of a typical message's string bytes.
 */
static int ents_text_unused(const struct tg_parser *p)
{
    return p->st[p->depth - 2].role == R_ENTS && p->f.has_text &&
           p->ent_type != E_UNSET && p->ent_type != E_LINK;
}

/* A scalar inside a text entity or an inline button. */
static int ent_scalar(struct tg_parser *p, enum tg_role role, enum tg_key k,
                      const unsigned char *s, size_t n, int jtype)
{
    vgu_buf *text = p->st[p->depth - 2].role == R_TEXT ? &p->text_t
                                                       : &p->text_e;

    if (jtype != 's') {
        if (k == K_TEXT)
            msg_problem(p, "an entity's 'text' is not a string%s%s", "", "");
        return VIGIL_OK;
    }
    if (k == K_TYPE) {
        if (n == 4 && memcmp(s, "link", 4) == 0)
            p->ent_type = E_LINK;
        else if (n == 9 && memcmp(s, "text_link", 9) == 0)
            p->ent_type = E_TEXT_LINK;
        else if (n == 3 && memcmp(s, "url", 3) == 0)
            p->ent_type = E_URL_BUTTON;
        else
            p->ent_type = E_OTHER;
    } else if (k == K_TEXT && role == R_ENT && ents_text_unused(p)) {
        p->ent_has_text = 1;    /* the message text comes from `text` */
    } else if (k == K_TEXT && role == R_ENT) {
        p->ent_start = text->len;
        p->ent_len = n;
        p->ent_has_text = 1;
        if (text_put(text, s, n) < 0)
            return VIGIL_ENOMEM;
    } else if (k == K_HREF || k == K_DATA) {
        size_t off = arena_put(p, s, n);
        if (off == TG_NONE)
            return VIGIL_ENOMEM;
        *(k == K_HREF ? &p->ent_href : &p->ent_data) = off;
    }
    return VIGIL_OK;
}

static void ent_begin(struct tg_parser *p)
{
    p->ent_type = E_UNSET;
    p->ent_start = p->ent_len = 0;
    p->ent_href = p->ent_data = TG_NONE;
    p->ent_has_text = 0;
}

static int ent_end(struct tg_parser *p, enum tg_role role)
{
    int in_text = p->st[p->depth - 2].role == R_TEXT;
    vgu_buf *text = in_text ? &p->text_t : &p->text_e;
    vgu_buf *urls = in_text ? &p->urls_t : &p->urls_e;
    int rc = 0;

    if (role == R_BTN) {
        if (p->ent_type == E_URL_BUTTON && p->ent_data != TG_NONE) {
            const char *d = arena_str(p, p->ent_data);
            rc = url_put(&p->urls_b, d, strlen(d));
        }
        return rc ? VIGIL_ENOMEM : VIGIL_OK;
    }
    if (!p->ent_has_text)
        msg_problem(p, "an entity has no 'text'%s%s", "", "");
    if (p->ent_type == E_LINK && p->ent_has_text)
        rc = url_put(urls, text->ptr + p->ent_start, p->ent_len);
    else if (p->ent_type == E_TEXT_LINK && p->ent_href != TG_NONE) {
        const char *h = arena_str(p, p->ent_href);
        rc = url_put(urls, h, strlen(h));
    }
    return rc ? VIGIL_ENOMEM : VIGIL_OK;
}

static int on_scalar(struct tg_parser *p, const unsigned char *s, size_t n,
                     int jtype)
{
    struct tg_frame *t = top(p);
    int rc = VIGIL_OK;

    if (!t)
        return 1;
    if (jtype == 's' && p->in_msg && t->role != R_SKIP &&
        !(t->role == R_ENT && t->key == K_TEXT && ents_text_unused(p)) &&
        !utf8_valid(s, n)) {
        msg_problem(p, "invalid UTF-8 in a string%s%s", "", "");
        return 1;
    }
    if (p->in_msg && p->arena.len + p->text_t.len + p->text_e.len + n >
        p->max_message) {
        vigil_error_set(VIGIL_ELIMIT, "%s: byte %llu: a message is over %zu "
                        "bytes (the limit)", p->name,
                        (unsigned long long)p->msg_offset, p->max_message);
        return tg_abort(p, VIGIL_ELIMIT);
    }
    switch (t->role) {
    case R_ROOT:
    case R_DIALOG:
        dialog_scalar(p, (enum tg_key)t->key, s, n, jtype == 's');
        break;
    case R_MSG:
        rc = msg_scalar(p, (enum tg_key)t->key, s, n, jtype);
        break;
    case R_TEXT:
        if (jtype == 's')
            rc = text_put(&p->text_t, s, n) < 0 ? VIGIL_ENOMEM : VIGIL_OK;
        else
            msg_problem(p, "'text' holds a value that is neither a string "
                        "nor an entity%s%s", "", "");
        break;
    case R_ENTS:
        msg_problem(p, "'text_entities' holds a value that is not an "
                    "entity%s%s", "", "");
        break;
    case R_ENT:
    case R_BTN:
        rc = ent_scalar(p, (enum tg_role)t->role, (enum tg_key)t->key, s, n,
                        jtype);
        break;
    case R_MSGS:
        if (p->h->reject)
            p->h->reject(tg_here(p), NULL, "a message is not a JSON object",
                         p->h->payload);
        break;
    default:
        break;
    }
    if (rc < 0) {
        vigil_error_set(rc, "%s: out of memory", p->name);
        return tg_abort(p, rc);
    }
    return 1;
}

static int cb_null(void *ctx)
{
    return on_scalar(ctx, (const unsigned char *)"", 0, '0');
}

static int cb_bool(void *ctx, int v)
{
    return on_scalar(ctx, (const unsigned char *)(v ? "true" : "false"),
                     v ? 4 : 5, 'b');
}

static int cb_number(void *ctx, const char *s, size_t n)
{
    return on_scalar(ctx, (const unsigned char *)s, n, 'n');
}

static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
    return on_scalar(ctx, s, n, 's');
}

static int cb_key(void *ctx, const unsigned char *k, size_t n)
{
    struct tg_parser *p = ctx;
    struct tg_frame *t = top(p);

    if (t)
        t->key = (unsigned char)(t->role == R_SKIP ? K_OTHER : key_of(k, n));
    return 1;
}

/* Role of a container opening under the current frame. */
static enum tg_role child_role(struct tg_parser *p, int is_map)
{
    struct tg_frame *t = top(p);
    enum tg_key k;

    if (p->depth == 0) {
        if (is_map)
            return R_ROOT;
        vigil_error_set(VIGIL_EFORMAT, "%s: the export is a JSON array, not "
                        "an object (not a Telegram Desktop export?)", p->name);
        tg_abort(p, VIGIL_EFORMAT);
        return R_SKIP;
    }
    if (!t)
        return R_SKIP;
    k = (enum tg_key)t->key;
    switch (t->role) {
    case R_ROOT:
        if (!is_map && k == K_MESSAGES)
            return R_MSGS;
        if (is_map && (k == K_CHATS || k == K_LEFT_CHATS))
            return R_CHATS;
        return R_SKIP;
    case R_DIALOG:
        return !is_map && k == K_MESSAGES ? R_MSGS : R_SKIP;
    case R_CHATS:
        return !is_map && k == K_LIST ? R_LIST : R_SKIP;
    case R_LIST:
        return is_map ? R_DIALOG : R_SKIP;
    case R_MSGS:
        return is_map ? R_MSG : R_SKIP;
    case R_MSG:
        if (!is_map && k == K_TEXT)
            return R_TEXT;
        if (!is_map && k == K_TEXT_ENTITIES)
            return R_ENTS;
        if (!is_map && k == K_BUTTONS)
            return R_ROWS;
        if (k == K_TEXT || k == K_TEXT_ENTITIES || k == K_ID ||
            k == K_DATE_UNIX || k == K_FROM || k == K_PHOTO || k == K_FILE ||
            k == K_TYPE || k == K_FWD)
            wrong_type(p, k, is_map ? "an object" : "an array");
        return R_SKIP;
    case R_TEXT:
    case R_ENTS:
        if (is_map)
            return R_ENT;
        msg_problem(p, "an entity list holds an array%s%s", "", "");
        return R_SKIP;
    case R_ROWS:
        return is_map ? R_SKIP : R_ROW;
    case R_ROW:
        return is_map ? R_BTN : R_SKIP;
    default:
        return R_SKIP;
    }
}

static int open_container(struct tg_parser *p, int is_map)
{
    enum tg_role role = child_role(p, is_map);
    struct tg_frame *t = top(p);

    if (p->rc < 0)
        return 0;
    if (role == R_MSGS)
        p->saw_messages = 1;
    if (t && t->role == R_MSG && t->key == K_TEXT && role == R_TEXT)
        p->f.has_text = p->f.text_is_array = 1;
    if (t && t->role == R_MSG && t->key == K_TEXT_ENTITIES && role == R_ENTS)
        p->f.has_ents = 1;
    if (t && t->role == R_MSGS && role == R_SKIP && p->h->reject)
        p->h->reject(tg_here(p), NULL, "a message is not a JSON object",
                     p->h->payload);
    if (p->depth < TG_MAX_DEPTH) {
        p->st[p->depth].role = (unsigned char)role;
        p->st[p->depth].key = K_OTHER;
    }
    p->depth++;
    if (role == R_DIALOG) {
        uint64_t serial = p->dialog.serial + 1;
        memset(&p->dialog, 0, sizeof(p->dialog));
        p->dialog.serial = serial;
    } else if (role == R_ROOT) {
        p->dialog.serial++;
    } else if (role == R_MSG) {
        msg_begin(p);
    } else if (role == R_ENT || role == R_BTN) {
        ent_begin(p);
    }
    return 1;
}

static int close_container(struct tg_parser *p)
{
    struct tg_frame *t = top(p);
    int rc = VIGIL_OK;

    if (t && t->role == R_MSG)
        rc = msg_end(p);
    else if (t && (t->role == R_ENT || t->role == R_BTN))
        rc = ent_end(p, (enum tg_role)t->role);
    p->depth--;
    if (rc < 0)
        return tg_abort(p, rc);
    return 1;
}

static int cb_start_map(void *ctx)
{
    return open_container(ctx, 1);
}

static int cb_start_array(void *ctx)
{
    return open_container(ctx, 0);
}

static int cb_end(void *ctx)
{
    return close_container(ctx);
}

static const yajl_callbacks tg_callbacks = {
    cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
    cb_start_map, cb_key, cb_end, cb_start_array, cb_end
};

/* ---- driving the parser ------------------------------------------------ */

static int exp_push(struct tg_parser *p, size_t at)
{
    if (p->nexp == p->capexp) {
        size_t ncap = p->capexp ? p->capexp * 2 : 16;
        size_t *n = vigil__realloc(p->exp, ncap * sizeof(*n));
        if (!n)
            return VIGIL_ENOMEM;
        p->exp = n;
        p->capexp = ncap;
    }
    p->exp[p->nexp++] = at;
    return VIGIL_OK;
}

/* Rewrite \x to \u00 into p->out (room for 2*n); returns bytes written. */
static int rewrite(struct tg_parser *p, const unsigned char *d, size_t n,
                   size_t *out_len)
{
    size_t i = 0, o = 0;

    p->nexp = 0;
    if (p->bs_odd && n && d[0] == 'x') {    /* escape split across chunks */
        if (exp_push(p, 0) < 0)
            return VIGIL_ENOMEM;
        memcpy(p->out, "u00", 3);
        o = 3;
        i = 1;
        p->bs_odd = 0;
    } else if (p->bs_odd && n) {
        p->out[o++] = d[i++];
        p->bs_odd = 0;
    }
    while (i < n) {
        const unsigned char *bs = memchr(d + i, '\\', n - i);
        size_t run = bs ? (size_t)(bs - (d + i)) : n - i;

        memcpy(p->out + o, d + i, run);
        o += run;
        i += run;
        if (!bs)
            break;
        p->out[o++] = '\\';
        i++;
        if (i == n) {
            p->bs_odd = 1;
            break;
        }
        if (d[i] == 'x') {
            if (exp_push(p, o - 1) < 0)
                return VIGIL_ENOMEM;
            memcpy(p->out + o, "u00", 3);
            o += 3;
        } else {
            p->out[o++] = d[i];
        }
        i++;
    }
    *out_len = o;
    return VIGIL_OK;
}

/*
 * 1 when @p d (n > 0 bytes) holds a \x escape, or the second half of one
 * split from the previous chunk: only then is the chunk rewritten (and
 * copied). Else *odd tells whether d ends inside an escape ('\' last).
 */
static int needs_rewrite(const struct tg_parser *p, const unsigned char *d,
                         size_t n, int *odd)
{
    size_t i = 0;

    *odd = 0;
    if (p->bs_odd) {
        if (d[0] == 'x')
            return 1;
        i = 1;                  /* the escaped byte */
    }
    while (i < n) {
        const unsigned char *bs = memchr(d + i, '\\', n - i);

        if (!bs)
            break;
        i = (size_t)(bs - d) + 1;
        if (i == n) {
            *odd = 1;
            break;
        }
        if (d[i] == 'x')
            return 1;
        i++;
    }
    return 0;
}

static int syntax_error(struct tg_parser *p, const unsigned char *chunk,
                        size_t len, int at_end)
{
    unsigned char *s = yajl_get_error(p->y, 0, chunk, len);
    uint64_t at = at_end ? tg_orig(p, len) : tg_here(p);
    int rc;

    if (at_end)
        rc = vigil_error_set(VIGIL_EFORMAT, "%s: byte %llu: the JSON ends "
                             "early (truncated file?)%s%s", p->name,
                             (unsigned long long)at, s ? ": " : "",
                             s ? (const char *)s : "");
    else
        rc = vigil_error_set(VIGIL_EFORMAT, "%s: byte %llu: %s", p->name,
                             (unsigned long long)at,
                             s ? (const char *)s : "malformed JSON");
    if (s) {
        size_t n = strlen((const char *)s);
        while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
            s[--n] = '\0';
        yajl_free_error(p->y, s);
    }
    return rc;
}

/* Feed one chunk of original bytes (n == 0: end of input). */
static int feed(struct tg_parser *p, const unsigned char *d, size_t n)
{
    const unsigned char *text;
    size_t len = 0;
    yajl_status s;
    int rc, odd = 0;

    if (n == 0) {
        s = yajl_complete_parse(p->y);
        if (s == yajl_status_client_canceled)
            return p->rc;
        if (s != yajl_status_ok || p->depth != 0)
            return syntax_error(p, p->out, 0, 1);
        if (!p->saw_messages)
            return vigil_error_set(VIGIL_EFORMAT, "%s: no 'messages' list "
                                   "(not a Telegram Desktop export?)", p->name);
        return VIGIL_OK;
    }
    if (needs_rewrite(p, d, n, &odd)) {
        if ((rc = rewrite(p, d, n, &len)) < 0)
            return rc;
        text = p->out;
    } else {                    /* the common case: yajl reads d itself */
        p->nexp = 0;
        p->bs_odd = odd;
        text = d;
        len = n;
    }
    s = yajl_parse(p->y, text, len);
    if (s == yajl_status_client_canceled)
        return p->rc;
    if (s != yajl_status_ok)
        return syntax_error(p, text, len, 0);
    p->chunk_base += n;
    return VIGIL_OK;
}

static void parser_dispose(struct tg_parser *p)
{
    if (p->y)
        yajl_free(p->y);
    vigil__free(p->out);
    vigil__free(p->exp);
    vigil__free(p->url_ptrs);
    vgu_buf_dispose(&p->arena);
    vgu_buf_dispose(&p->text_t);
    vgu_buf_dispose(&p->text_e);
    vgu_buf_dispose(&p->urls_t);
    vgu_buf_dispose(&p->urls_e);
    vgu_buf_dispose(&p->urls_b);
}

static int parser_init(struct tg_parser *p, const char *name,
                       size_t max_message, const vigil_tg_handler *h)
{
#ifndef NDEBUG
    size_t i;

    for (i = 0; i < sizeof(tg_keys) / sizeof(tg_keys[0]); i++)
        assert(key_of((const unsigned char *)tg_keys[i].name,
                      strlen(tg_keys[i].name)) == tg_keys[i].key);
#endif
    memset(p, 0, sizeof(*p));
    p->h = h;
    p->name = name;
    p->max_message = max_message ? max_message : VIGIL_TG_DEFAULT_MAX_MESSAGE;
    p->arena.max = p->text_t.max = p->text_e.max = p->max_message + 1024;
    p->urls_t.max = p->urls_e.max = p->urls_b.max = p->max_message + 1024;
    if ((p->out = vigil__malloc(2 * TG_CHUNK + 4)) == NULL ||
        (p->y = yajl_alloc(&tg_callbacks, NULL, p)) == NULL) {
        parser_dispose(p);
        return VIGIL_ENOMEM;
    }
    /* Strings are checked per message, so one bad one rejects only it. */
    yajl_config(p->y, yajl_dont_validate_strings, 1);
    return VIGIL_OK;
}

int vigil_tg_read_file(const char *path, size_t max_message,
                       const vigil_tg_handler *h, uint64_t *bytes_out)
{
    struct tg_parser p;
    unsigned char *buf;
    int fd, rc;

    if (bytes_out)
        *bytes_out = 0;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
    if ((buf = vigil__malloc(TG_CHUNK)) == NULL) {
        close(fd);
        return VIGIL_ENOMEM;
    }
    if ((rc = parser_init(&p, path, max_message, h)) < 0)
        goto out;
    for (;;) {
        ssize_t got = read(fd, buf, TG_CHUNK);

        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = vigil_error_set(VIGIL_EIO, "%s: read: %s", path,
                                 strerror(errno));
            break;
        }
        if ((rc = feed(&p, buf, (size_t)got)) < 0 || got == 0)
            break;
    }
    if (bytes_out)
        *bytes_out = p.chunk_base;
    parser_dispose(&p);
out:
    vigil__free(buf);
    close(fd);
    return rc;
}

int vigil_tg_read_mem(const void *data, size_t len, const char *name,
                      size_t max_message, const vigil_tg_handler *h)
{
    struct tg_parser p;
    const unsigned char *d = data;
    size_t off = 0;
    int rc;

    if ((rc = parser_init(&p, name, max_message, h)) < 0)
        return rc;
    for (;;) {
        size_t n = len - off > TG_CHUNK ? TG_CHUNK : len - off;

        if ((rc = feed(&p, d + off, n)) < 0 || n == 0)
            break;
        off += n;
    }
    parser_dispose(&p);
    return rc;
}

int vigil_tg_media_is_placeholder(const char *media)
{
    size_t n = media ? strlen(media) : 0;

    return n > 2 && media[0] == '(' && media[n - 1] == ')';
}
