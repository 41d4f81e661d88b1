/*
 * fuzz/telegram_fuzzer.c - the Telegram export reader over arbitrary bytes.
 * Properties: no crash or leak; message offsets never go backwards nor
 * past the input; text has no NUL inside its length; URLs are non-empty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/telegram.h"

struct fz {
    uint64_t last;
    size_t size;
};

static int on_msg(const vigil_tg_msg *m, const vigil_tg_dialog *d, void *pl)
{
    struct fz *z = pl;
    size_t i;

    if (!m->id || !d || m->offset < z->last || m->offset > z->size)
        abort();
    z->last = m->offset;
    if (m->text && strlen(m->text) != m->text_len)
        abort();
    for (i = 0; i < m->n_urls; i++)
        if (!m->urls[i][0])
            abort();
    return 0;
}

static void on_reject(uint64_t off, const char *id, const char *why, void *pl)
{
    struct fz *z = pl;

    (void)id;
    if (!why || off > z->size + 1)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz z = { 0, size };
    vigil_tg_handler h = { on_msg, on_reject, &z };

    vigil_tg_read_mem(data, size, "<fuzz>", 1u << 16, &h);
    return 0;
}
