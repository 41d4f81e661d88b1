/*
 * tests/unit/incidents/test_incidents_parse.c - date forms the importers
 * accept (ACLED's three, GED's timestamp form), date bounds, and the alias
 * table: case/space folding, scoped rows, " province" stripping, the
 * bundled data/incidents/aliases.tsv.
 */
#include <stdlib.h>
#include <string.h>

#include "incidents/incidents_internal.h"
#include "test.h"

static const char *parse(const char *s)
{
    static char out[11];

    if (vigil__date_parse(out, s, strlen(s)) < 0)
        return "invalid";
    return out;
}

static void test_incidents_parse__dates(void)
{
    CHECK_EQ_STR(parse("2023-03-20"), "2023-03-20");
    CHECK_EQ_STR(parse("2019-03-01 00:00:00.000"), "2019-03-01");
    CHECK_EQ_STR(parse("20-03-2023"), "2023-03-20");
    CHECK_EQ_STR(parse("20/03/2023"), "2023-03-20");
    CHECK_EQ_STR(parse("20 March 2023"), "2023-03-20");
    CHECK_EQ_STR(parse("5 August 2021"), "2021-08-05");
    CHECK_EQ_STR(parse("04 Mar 2022"), "2022-03-04");
    CHECK_EQ_STR(parse("04-Mar-2022"), "2022-03-04");
    CHECK_EQ_STR(parse(" 29 February 2024 "), "2024-02-29");
    CHECK_EQ_STR(parse("14 Sept 2022"), "2022-09-14");
    CHECK_EQ_STR(parse("29 February 2023"), "invalid");
    CHECK_EQ_STR(parse("31-04-2023"), "invalid");
    CHECK_EQ_STR(parse("2023-13-01"), "invalid");
    CHECK_EQ_STR(parse("2023/03/20"), "invalid");
    CHECK_EQ_STR(parse("20 Marchy 2023"), "invalid");
    CHECK_EQ_STR(parse("March 20 2023"), "invalid");
    CHECK_EQ_STR(parse(""), "invalid");
    CHECK(vigil__date_valid("2024-02-29"));
    CHECK(!vigil__date_valid("2024-2-29"));
}

static void test_incidents_parse__bounds(void)
{
    vigil_incident_query q;
    char from[11], to[11];

    memset(&q, 0, sizeof(q));
    q.from = "2023";
    q.to = "2024-02";
    CHECK_OK(vigil__incident_bounds(&q, from, to));
    CHECK_EQ_STR(from, "2023-01-01");
    CHECK_EQ_STR(to, "2024-02-29");
    q.to = "2024-02-30";
    CHECK_EQ_INT(vigil__incident_bounds(&q, from, to), VIGIL_EINVAL);
    q.from = NULL;
    q.to = NULL;
    CHECK_OK(vigil__incident_bounds(&q, from, to));
    CHECK_EQ_STR(from, "0000-00-00");
}

static const char *res(const vigil_aliases *a, vigil_alias_kind k,
                       const char *raw, const char *ds, const char *country)
{
    static char buf[128];
    const char *r = vigil_aliases_resolve(a, k, raw, ds, country, buf,
                                          sizeof(buf));
    return r ? r : "(null)";
}

static void test_incidents_parse__aliases(void)
{
    static const char tsv[] =
        "# comment\n"
        "actor\tiskp\tISKP\n"
        "actor\tiskp\tIslamic State  Khorasan Province\n"
        "actor\tiskp\tIS\tucdp-ged\tAfghanistan, Pakistan\n"
        "actor\tislamic-state\tIS\n"
        "\n"
        "place\tKhyber Pakhtunkhwa\tKhyber Pakhtunkwa\n"
        "strip\tplace\tprovince\tucdp-ged\n";
    const char *dir = test_tmpdir(), *path = test_path(dir, "a.tsv");
    vigil_aliases *a;

    test_write_file(path, tsv, sizeof(tsv) - 1);
    CHECK_OK(vigil_aliases_new(&a));
    CHECK_OK(vigil_aliases_load(a, path));
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_ACTOR, "iskp", NULL, NULL), "iskp");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_ACTOR, " islamic state khorasan  "
                     "PROVINCE ", "acled", "Afghanistan"), "iskp");
    /* Scoped: GED's "IS" is ISKP only in Afghanistan and Pakistan. */
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_ACTOR, "IS", "ucdp-ged", "pakistan"),
                 "iskp");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_ACTOR, "IS", "ucdp-ged", "Syria"),
                 "islamic-state");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_ACTOR, "IS", "acled", "Afghanistan"),
                 "islamic-state");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_ACTOR, "Unknown group ", NULL, NULL),
                 "Unknown group");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_ACTOR, "  ", NULL, NULL), "(null)");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_PLACE, "Khyber Pakhtunkwa province",
                     "ucdp-ged", "Pakistan"), "Khyber Pakhtunkhwa");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_PLACE, "khyber pakhtunkhwa", "acled",
                     "Pakistan"), "Khyber Pakhtunkhwa");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_PLACE, "Nangarhar  Province", "ucdp-ged",
                     "Afghanistan"), "Nangarhar");
    CHECK_EQ_STR(res(NULL, VIGIL_ALIAS_PLACE, "Nangarhar province",
                     "ucdp-ged", NULL), "Nangarhar province");   /* no rules */
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_PLACE, "Sindh   PROVINCE ", "ucdp-ged",
                     "Pakistan"), "Sindh");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_PLACE, "Sindh province", "acled",
                     "Pakistan"), "Sindh province");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_PLACE, "province", "ucdp-ged", NULL),
                 "province");
    /* ACLED's own admin1 names keep their "Province". */
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_PLACE, "Eastern Province", "acled",
                     "Saudi Arabia"), "Eastern Province");
    vigil_aliases_free(a);
}

static void test_incidents_parse__alias_errors(void)
{
    const char *dir = test_tmpdir(), *path = test_path(dir, "bad.tsv");
    const vigil_error *e;
    vigil_aliases *a;

    static const char tsv[] = "actor\tiskp\tISKP\nperson\tx\ty\n";

    test_write_file(path, tsv, sizeof(tsv) - 1);
    CHECK_OK(vigil_aliases_new(&a));
    CHECK_EQ_INT(vigil_aliases_load(a, path), VIGIL_EFORMAT);
    e = vigil_error_last();
    CHECK(e && strstr(e->message, "bad.tsv:2:") != NULL);
    test_write_file(path, "strip\tplace\tautonomous region\n", 30);
    CHECK_EQ_INT(vigil_aliases_load(a, path), VIGIL_EFORMAT);
    e = vigil_error_last();
    CHECK(e && strstr(e->message, "one word") != NULL);
    CHECK_EQ_INT(vigil_aliases_load(a, test_path(dir, "missing.tsv")),
                 VIGIL_EIO);
    vigil_aliases_free(a);
}

/* The bundled table resolves every ISKP spelling the issue names. */
static void test_incidents_parse__bundled_table(void)
{
    char path[1024];
    vigil_aliases *a;

    snprintf(path, sizeof(path), "%s/data/incidents/aliases.tsv",
             test_source_dir());
    CHECK_OK(vigil_aliases_new(&a));
    CHECK_OK(vigil_aliases_load(a, path));
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_ACTOR, "IS", "ucdp-ged", "Afghanistan"),
                 "iskp");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_ACTOR, "Islamic State (Afghanistan)",
                     "acled", "Afghanistan"), "iskp");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_ACTOR, "ISKP", "vigil", NULL), "iskp");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_ACTOR, "ISIS-K", "acled", "Pakistan"),
                 "iskp");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_ACTOR, "Islamic State Khorasan Province",
                     "acled", "Pakistan"), "iskp");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_ACTOR, "Islamic State", "vigil", "Iran"),
                 "islamic-state");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_PLACE, "Khyber Pakhtunkwa province",
                     "ucdp-ged", "Pakistan"), "Khyber Pakhtunkhwa");
    CHECK_EQ_STR(res(a, VIGIL_ALIAS_PLACE, "Khyber Pakhtunkhwa", "acled",
                     "Pakistan"), "Khyber Pakhtunkhwa");
    vigil_aliases_free(a);
}

int main(int argc, char **argv)
{
    static const test_case cases[] = {
        { "dates", test_incidents_parse__dates },
        { "bounds", test_incidents_parse__bounds },
        { "aliases", test_incidents_parse__aliases },
        { "alias_errors", test_incidents_parse__alias_errors },
        { "bundled_table", test_incidents_parse__bundled_table },
        { NULL, NULL }
    };
    return test_main(argc, argv, cases);
}
