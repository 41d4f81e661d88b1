/*
 * fuzz/telegram_fuzzer.c - the Telegram export reader and message field
 * extraction over arbitrary bytes. Properties: no crash or leak; offsets
 * never go backwards nor past the input; every message is an object.
 */
#include <stdint.h>
#include <stdlib.h>

#include "ingest/telegram.h"
#include "ingest/telegram_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vigil_tg_reader *r;
    vigil_tg_item it;
    vigil_tg_msg m = VIGIL_TG_MSG_INIT;
    uint64_t last = 0;
    int rc, rec, rounds = 0;

    if (vigil_tg_reader_open_mem(&r, data, size, 1u << 16) < 0)
        return 0;
    for (;;) {
        rc = vigil_tg_reader_next(r, &it, &rec);
        if (rc == VIGIL_ROW) {
            if (!json_is_object(it.msg) || it.offset < last || it.offset > size)
                abort();
            last = it.offset;
            vigil_tg_msg_parse(&m, it.msg);
        } else if (rc < 0 && !rec) {
            break;
        } else if (rc == VIGIL_DONE) {
            break;
        }
        if (++rounds > 100000)      /* progress must be made on every call */
            abort();
    }
    if (vigil_tg_reader_offset(r) > size)
        abort();
    vigil_tg_msg_dispose(&m);
    vigil_tg_reader_free(r);
    return 0;
}
