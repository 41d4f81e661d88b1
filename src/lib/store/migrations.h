/*
 * store/migrations.h - the SQL migrations embedded at build time
 * (cmake/embed_sql.cmake writes migrations.c from store/sql/<backend>/).
 */
#ifndef VIGIL_STORE_MIGRATIONS_H
#define VIGIL_STORE_MIGRATIONS_H

#include "vigil/sys/store_backend.h"

extern const vigil_migration vigil__migrations_sqlite[];
extern const vigil_migration vigil__migrations_pg[];

#endif
