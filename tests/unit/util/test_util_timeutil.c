/*
 * tests/unit/util/test_util_timeutil.c - civil dates and ISO 8601 parsing
 * against values computed independently (GNU date).
 */
#include "test.h"
#include "util/timeutil.h"

static void civil_round_trip(void)
{
    int64_t z, y;
    unsigned m, d;

    CHECK_EQ_INT(vgu_days_from_civil(1970, 1, 1), 0);
    CHECK_EQ_INT(vgu_days_from_civil(2000, 3, 1), 11017);
    CHECK_EQ_INT(vgu_days_from_civil(1969, 12, 31), -1);
    CHECK_EQ_INT(vgu_days_from_civil(2024, 2, 29), 19782);
    for (z = -800000; z <= 800000; z += 997) {
        vgu_civil_from_days(z, &y, &m, &d);
        CHECK_EQ_INT(vgu_days_from_civil(y, m, d), z);
    }
}

static void iso8601_forms(void)
{
    int64_t t;
    int off;

    CHECK_EQ_INT(vgu_parse_iso8601("2025-01-05T10:00:00", &t, &off), 0);
    CHECK_EQ_INT(t, 1736071200);
    CHECK_EQ_INT(off, 0);
    CHECK_EQ_INT(vgu_parse_iso8601("2023-01-06T06:18:00Z", &t, &off), 0);
    CHECK_EQ_INT(t, 1672985880);
    CHECK_EQ_INT(off, 1);
    CHECK_EQ_INT(vgu_parse_iso8601("2023-02-06T06:18:00+01:00", &t, &off), 0);
    CHECK_EQ_INT(t, 1675660680);
    CHECK_EQ_INT(vgu_parse_iso8601("2023-02-06 06:18:00.123-0530", &t, &off), 0);
    CHECK_EQ_INT(t, 1675684080);
    CHECK_EQ_INT(vgu_parse_iso8601("1969-12-31T23:59:59Z", &t, &off), 0);
    CHECK_EQ_INT(t, -1);
    CHECK(vgu_parse_iso8601("2023-13-01T00:00:00Z", &t, &off) < 0);
    CHECK(vgu_parse_iso8601("2023-01-01T00:00:00Zjunk", &t, &off) < 0);
    CHECK(vgu_parse_iso8601("2023-01-01", &t, &off) < 0);
    CHECK(vgu_parse_iso8601("yesterday", &t, &off) < 0);
    CHECK(vgu_parse_iso8601("2023-01-01T00:00:00.", &t, &off) < 0);
}

static const test_case cases[] = {
    { "civil_round_trip", civil_round_trip },
    { "iso8601_forms", iso8601_forms },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, cases);
}
