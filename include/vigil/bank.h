/*
 * vigil/bank.h - hash banks: named lists of known content (GIFCT, TCAP,
 * ThreatExchange, a team's own) kept in the store, with per-bank threshold,
 * enable/disable and suppression; the list formats users exchange (parse,
 * import, export); see docs/cli/bank.md and FORMATS.md section 5.
 */
#ifndef VIGIL_BANK_H
#define VIGIL_BANK_H

#include "common.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Kinds of hash a bank entry holds. */
typedef enum {
    VIGIL_SIGNAL_PDQ = 0,       /* 64 hex, Hamming match */
    VIGIL_SIGNAL_MD5,           /* 32 hex, exact */
    VIGIL_SIGNAL_SHA256,        /* 64 hex, exact */
    VIGIL_SIGNAL_VPDQ,          /* JSON array "<pdq>,<quality>,<seconds>" */
    VIGIL_SIGNAL__COUNT
} vigil_signal_type;

/** "pdq", "md5", "sha256", "vpdq"; NULL when out of range. */
const char *vigil_signal_type_name(int type);

/**
 * Parse a signal type name: vigil's, python-threatexchange's ("video_md5",
 * "video_sha256") and ThreatExchange indicator types ("HASH_PDQ", ...).
 * @return VIGIL_OK or VIGIL_EFORMAT
 */
int vigil_signal_type_parse(vigil_signal_type *out, const char *name,
                            size_t len);

/** One bank as stored. Strings owned; release with vigil_bank_dispose(). */
typedef struct {
    int64_t id;
    char *name;
    char *signal_types;         /* comma-separated, e.g. "pdq,md5" */
    int threshold;              /* PDQ Hamming radius, inclusive, 0..256 */
    int enabled;                /* 0/1 */
    int is_suppression;         /* 1: entries are known false positives */
    char *description;          /* or NULL */
    int64_t created_at;         /* UTC epoch seconds */
    int64_t n_entries[VIGIL_SIGNAL__COUNT];   /* per signal type */
} vigil_bank;

#define VIGIL_BANK_INIT { 0, NULL, NULL, 31, 1, 0, NULL, 0, { 0, 0, 0, 0 } }

void vigil_bank_dispose(vigil_bank *b);

/**
 * Create a bank from @p b (name required; id, created_at and n_entries
 * ignored; signal_types NULL means all).
 * @return VIGIL_OK, VIGIL_EEXISTS, VIGIL_EINVAL (bad name or threshold),
 *         VIGIL_ESTORE
 */
int vigil_bank_create(vigil_store *st, const vigil_bank *b);

/** Load bank @p name. @return VIGIL_OK, VIGIL_ENOTFOUND, VIGIL_ESTORE */
int vigil_bank_get(vigil_bank *out, vigil_store *st, const char *name);

/** Every bank, by name. Release with vigil_bank_list_dispose(). */
int vigil_bank_list(vigil_bank **out, size_t *n_out, vigil_store *st);
void vigil_bank_list_dispose(vigil_bank *v, size_t n);

/** Change threshold, enabled, is_suppression and description of @p b->name. */
int vigil_bank_update(vigil_store *st, const vigil_bank *b);

/** Delete a bank with its entries. @return VIGIL_OK, VIGIL_ENOTFOUND */
int vigil_bank_remove(vigil_store *st, const char *name);

/** One entry. Strings are borrowed; NULL when absent. */
typedef struct {
    vigil_signal_type type;
    const char *value;          /* canonical: lower-case hex, vPDQ JSON */
    const char *label;
    const char *outlet;
    const char *category;
    const char *source_list;
    const char *date_added;
    const char *note;
    size_t line;                /* source line when parsed from a list, or 0 */
} vigil_bank_entry;

/*
 * Transactions: create, remove, add_entries and import each run in their
 * own transaction; call them outside vigil_store_begin()/commit().
 */

/**
 * Remove the entries of bank @p name that hold the type and value of each
 * of @p e[0..n) (values absent from the bank are skipped), in one
 * transaction. A saved PDQ index learns of it from the change log at its
 * next open, without a rebuild.
 * @param[out] removed_out  entries removed (may be NULL)
 * @return VIGIL_OK, VIGIL_ENOTFOUND (no such bank), VIGIL_EFORMAT (a value
 *         is not hex of its type; nothing removed), VIGIL_ESTORE
 */
int vigil_bank_remove_entries(vigil_store *st, const char *name,
                              const vigil_bank_entry *e, size_t n,
                              size_t *removed_out);

/* ---- list formats ------------------------------------------------------ */

typedef enum {
    VIGIL_LIST_PLAIN = 0,       /* "<hex>[,label]" per line */
    VIGIL_LIST_TE,              /* pytx: "<type> <signal>" or its dataset CSV */
    VIGIL_LIST_HMA,             /* HMA 1.x simple.<TYPE>.te CSV */
    VIGIL_LIST_VPDQ,            /* vPDQ JSON: one array per file or line */
    VIGIL_LIST_JSONL,           /* vigil JSONL: round-trips everything */
    VIGIL_LIST__COUNT
} vigil_list_format;

/** "plain", "te", "hma", "vpdq", "jsonl"; NULL when out of range. */
const char *vigil_list_format_name(int fmt);
int vigil_list_format_parse(vigil_list_format *out, const char *name);

/** Guess a format from a file name and its first bytes. */
vigil_list_format vigil_list_format_guess(const char *path, const char *data,
                                          size_t len);

/** Called per valid entry; a negative return stops the parse with it. */
typedef int (*vigil_list_entry_cb)(void *payload, const vigil_bank_entry *e);
/** Called per malformed line (1-based) with a one-line reason. */
typedef void (*vigil_list_error_cb)(void *payload, size_t line,
                                    const char *reason);
/** JSONL header line: bank settings (name, threshold ... ; n_entries 0). */
typedef int (*vigil_list_header_cb)(void *payload, const vigil_bank *b);

typedef struct {
    unsigned int version;       /* VIGIL_LIST_PARSE_OPTIONS_INIT */
    vigil_list_format format;
    const char *name;           /* file name: messages, HMA type; or NULL */
    int default_type;           /* type of bare 64-hex values (pdq or
                                   sha256), or -1 when none */
    vigil_list_entry_cb on_entry;
    vigil_list_error_cb on_error;   /* may be NULL */
    vigil_list_header_cb on_header; /* may be NULL */
    void *payload;
} vigil_list_parse_options;

#define VIGIL_LIST_PARSE_OPTIONS_INIT \
    { 1, VIGIL_LIST_PLAIN, NULL, -1, NULL, NULL, NULL, NULL }

/** Longest line accepted (a vPDQ line of a long video), bytes. */
#define VIGIL_LIST_MAX_LINE (16u << 20)

/**
 * Parse a hash list held in memory. Malformed lines are reported through
 * on_error and skipped; the rest are passed to on_entry.
 * @param[out] n_ok_out, n_bad_out  valid entries and malformed lines (may
 *                                  be NULL)
 * @return VIGIL_OK, or what on_entry returned when negative
 * Threads: safe; no shared state.
 */
int vigil_list_parse(const vigil_list_parse_options *opts, const char *data,
                     size_t len, size_t *n_ok_out, size_t *n_bad_out);

/** Output sink for export: write @p len bytes; negative to stop. */
typedef int (*vigil_list_write_cb)(void *payload, const char *data,
                                   size_t len);

/**
 * Write the entries of bank @p name in @p fmt. @p type_filter limits the
 * output to one signal type (-1: all that the format can carry; plain and
 * HMA need one 64-hex type to stay unambiguous, pdq by default).
 * @param[out] n_out  entries written (may be NULL)
 * @return VIGIL_OK, VIGIL_ENOTFOUND, VIGIL_ESTORE, or the writer's code
 */
int vigil_bank_export(vigil_store *st, const char *name, vigil_list_format fmt,
                      int type_filter, vigil_list_write_cb write,
                      void *payload, size_t *n_out);

/* ---- adding entries ---------------------------------------------------- */

typedef struct {
    size_t added;       /* new entries */
    size_t duplicate;   /* already in the bank (same type and value) */
    size_t malformed;   /* lines skipped, each reported */
    size_t refused;     /* valid entries of a type the bank does not take */
} vigil_import_counts;

/**
 * Add @p n entries to bank @p name in one transaction (all or none).
 * @return VIGIL_OK, VIGIL_ENOTFOUND, VIGIL_EFORMAT (an invalid value;
 *         nothing added), VIGIL_ESTORE
 */
int vigil_bank_add_entries(vigil_store *st, const char *name,
                           const vigil_bank_entry *e, size_t n,
                           vigil_import_counts *counts_out);

/**
 * Import a list file into bank @p name (created with defaults, or the
 * JSONL header's settings, when missing). Malformed lines are reported
 * through @p opts->on_error with the line number and skipped; all valid
 * entries go in one transaction, so a store failure leaves nothing behind.
 * @p opts->on_entry and name are set by this function.
 * @return VIGIL_OK, VIGIL_EIO (cannot read @p path), VIGIL_ELIMIT (file
 *         over 4 GiB), VIGIL_ESTORE
 */
int vigil_bank_import(vigil_store *st, const char *name, const char *path,
                      const vigil_list_parse_options *opts,
                      vigil_import_counts *counts_out);

/** Current PDQ generation: bumped by every transaction that may change PDQ
 * entries; the change log (bank_pdq_log) tags its rows with it. */
int vigil_bank_pdq_generation(vigil_store *st, int64_t *out);

#ifdef __cplusplus
}
#endif
#endif
