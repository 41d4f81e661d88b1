/*
 * store/backends.c - the list of storage backends compiled in. The first
 * whose accepts() takes the URI opens it; SQLite takes plain paths.
 */
#include "store/store_internal.h"

extern const vigil_store_backend vigil__store_backend_sqlite;
extern const vigil_store_backend vigil__store_backend_pg;

const vigil_store_backend *const vigil__store_backends[] = {
    &vigil__store_backend_pg,       /* postgres:// and postgresql:// URIs */
    &vigil__store_backend_sqlite,
    NULL
};
