#!/bin/sh
# tests/cli/incidents_report.sh - reports on the bundled seed incidents:
# `report --by year --actor iskp` keeps attribution strength, CSV header
# and sums (expected values counted from data/incidents/incidents.csv by
# hand), JSON, SVG charts, exports and their re-import.
set -u
: "${VIGIL:?}" "${VIGIL_SOURCE_DIR:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
DB="$T/t.db"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$VIGIL" incidents import --db "$DB" --format vigil \
    "$VIGIL_SOURCE_DIR/data/incidents/incidents.csv" >/dev/null || fail "import"

"$VIGIL" incidents report --db "$DB" --by year --actor iskp --format csv >"$T/csv" \
    || fail "csv report"
cat >"$T/want" <<'X'
key,events,fatalities
2018,1,0
2019,1,15
2021,3,183
2022,8,58
2023,22,0
2024,14,151
X
cmp -s "$T/csv" "$T/want" || { diff "$T/want" "$T/csv" >&2; fail "csv by year"; }

# Table: attribution columns and the listed incidents keep their strength.
"$VIGIL" incidents report --db "$DB" --by year --actor iskp >"$T/table" || fail "table"
grep -q "claimed  *attributed  *alleged  *linked  *inspired" "$T/table" || fail "header"
grep -q "^TOTAL  *49  *407  *43  *3  *27  *13  *6  *0  *0" "$T/table" \
    || fail "total row: $(grep TOTAL "$T/table")"
grep -q "2024-03-22 day   SEED-0051  attack  *attributed ISKP" "$T/table" || fail "Crocus row"
grep -q "2024-05-17 week  SEED-0053  attack  *claimed" "$T/table" || fail "Bamyan row"
grep -q "SEED-0048  counter-operation alleged    Russian security forces vs ISKP" "$T/table" \
    || fail "counter-operation row"

# --by attribution, json, filters.
"$VIGIL" incidents report --db "$DB" --by attribution --actor iskp --format csv >"$T/a" || fail "attr"
grep -qx "attributed,27,386" "$T/a" || fail "attributed row: $(cat "$T/a")"
"$VIGIL" incidents report --db "$DB" --by country --type foiled-plot --format json >"$T/j" \
    || fail "json"
grep -q '"key":"Germany","events":4' "$T/j" || fail "json germany: $(cat "$T/j")"
"$VIGIL" incidents report --db "$DB" --by year --from 2023-07 --to 2023 --format csv >"$T/r" \
    || fail "range"
grep -qx "2023,16,0" "$T/r" || fail "range: $(cat "$T/r")"
"$VIGIL" incidents report --db "$DB" --by admin1 --country pakistan,IRAN --format csv >"$T/c" \
    || fail "country filter"
printf 'key,events,fatalities\n,5,75\nBalochistan,1,0\nKerman,1,0\n' | cmp -s - "$T/c" \
    || fail "country filter: $(cat "$T/c")"
"$VIGIL" incidents report --db "$DB" --by year --from 2023-13 2>/dev/null; st=$?
[ "$st" -eq 2 ] || fail "bad --from exit $st"
"$VIGIL" incidents report --db "$DB" 2>/dev/null; st=$?
[ "$st" -eq 2 ] || fail "missing --by exit $st"

# Charts.
for c in "year" "admin1" "month" "month-of-year"; do
    "$VIGIL" incidents report --db "$DB" --by "$c" --format svg -o "$T/$c.svg" \
        || fail "svg $c"
    grep -q "</svg>" "$T/$c.svg" || fail "svg $c incomplete"
done
grep -q "Monthly attacks and counter-operations" "$T/month.svg" || fail "month chart"
grep -q ">Jan<" "$T/month-of-year.svg" || fail "seasonality chart"
"$VIGIL" incidents report --db "$DB" --by month --format svg --chart overlay \
    -o "$T/o.svg" 2>"$T/err"; st=$?
[ "$st" -eq 1 ] && grep -q "no dated items" "$T/err" || fail "overlay without items"

# Exports: vigil CSV re-imports losslessly; ACLED header; GeoJSON shape.
"$VIGIL" incidents export --db "$DB" --format csv -o "$T/e1.csv" || fail "export csv"
"$VIGIL" incidents import --db "$T/t2.db" "$T/e1.csv" >/dev/null || fail "re-import export"
"$VIGIL" incidents export --db "$T/t2.db" --format csv -o "$T/e2.csv" || fail "export 2"
cmp -s "$T/e1.csv" "$T/e2.csv" || fail "export round trip differs"
"$VIGIL" incidents export --db "$DB" --format acled --actor iskp >"$T/acled.csv" || fail "acled"
head -1 "$T/acled.csv" | grep -q "^event_id_cnty,event_date,year,time_precision,disorder_type,event_type" \
    || fail "acled header"
[ "$(grep -c '^vigil:SEED-' "$T/acled.csv")" -eq 49 ] || fail "acled rows"
grep -q "^vigil:SEED-0040,2023-12-15,2023,3,,Strategic developments,Arrests,ISKP" "$T/acled.csv" \
    || fail "foiled plot as ACLED arrests"
"$VIGIL" incidents export --db "$DB" --format geojson >"$T/g.json" || fail "geojson"
[ "$(grep -c '"type":"Feature"' "$T/g.json")" -eq 57 ] || fail "geojson features"
echo ok
