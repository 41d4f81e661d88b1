/*
 * cli/cmd_init.c - `vigil init`: create a database or migrate it forward.
 */
#include <stdio.h>

#include "cli/cmd.h"
#include "vigil/store.h"

int cmd_init(int argc, char **argv)
{
    const char *db = NULL;
    const cli_opt opts[] = {
        { "db", 0, CLI_OPT_STRING, &db, "PATH",
          "database file or postgresql:// URI (default ./vigil.db, $VIGIL_DB)" },
        { NULL, 0, 0, NULL, NULL, NULL }
    };
    const cli_spec spec = {
        "init", "[--db PATH]",
        "Create a vigil database, or bring an existing one's schema up to date.",
        opts, 0, 0
    };
    vigil_store *st;
    char **pos;
    int npos, rc, version = 0;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    db = cli_db_path(db);
    if ((rc = vigil_store_open(&st, db, VIGIL_STORE_OPEN_CREATE)) < 0) {
        cli_error("init", rc, db);
        return 1;
    }
    rc = vigil_store_schema_version(st, &version);
    printf("%s: %s database, schema version %d\n", db,
           vigil_store_backend_name(st), version);
    vigil_store_close(st);
    return rc < 0 ? 1 : 0;
}
