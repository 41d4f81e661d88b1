/*
 * tests/integration/test_bank_incr_pg.c - the cases of bank_incr_cases.h
 * on the PostgreSQL backend (needs:pg): the change log written in the same
 * transaction as the entries, its tail read in one snapshot, concurrent
 * writers serialised by the generation row. Each case gets a fresh schema
 * of the throwaway server. Skipped (exit 77) when VIGIL_PG_URI is not set.
 */
#include "bank_incr_cases.h"

static const char *uri;
static char schema_uri[2048];

static vigil_store *incr_open(const char *dir)
{
    vigil_store *st = NULL;

    if (dir) {
        CHECK_OK(vigil_store_open(&st, uri, VIGIL_STORE_OPEN_CREATE));
        if (!st)
            return NULL;
        CHECK_OK(vigil__store_exec(st, "DROP SCHEMA IF EXISTS "
                                       "vigil_bank_incr_test CASCADE; CREATE "
                                       "SCHEMA vigil_bank_incr_test"));
        vigil_store_close(st);
        st = NULL;
        snprintf(schema_uri, sizeof(schema_uri), "%s%coptions=-csearch_path"
                 "%%3Dvigil_bank_incr_test", uri, strchr(uri, '?') ? '&' : '?');
    }
    CHECK_OK(vigil_store_open(&st, schema_uri, VIGIL_STORE_OPEN_CREATE));
    return st;
}

int main(int argc, char **argv)
{
    uri = getenv("VIGIL_PG_URI");
    if (!uri || !*uri) {
        printf("VIGIL_PG_URI not set: skipped\n");
        return 77;
    }
    return test_main(argc, argv, incr_cases);
}
