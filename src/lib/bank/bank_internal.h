/*
 * bank/bank_internal.h - helpers shared by the bank modules (store access,
 * list parsing and writing, matching). Library-internal.
 */
#ifndef VIGIL_BANK_INTERNAL_H
#define VIGIL_BANK_INTERNAL_H

#include "vigil/bank.h"
#include "vigil/store.h"

/** Row id of bank @p name. @return VIGIL_OK or VIGIL_ENOTFOUND */
int vigil_bank__id(vigil_store *st, const char *name, int64_t *id_out);

/** Add one to the PDQ generation (inside the caller's transaction). */
int vigil_bank__bump_generation(vigil_store *st);

#endif
