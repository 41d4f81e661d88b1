#!/bin/sh
# tests/cli/incidents_import.sh - `vigil incidents import`: format detection,
# the hashtag row, rejected rows as FILE:LINE with exit status 3, idempotent
# re-import, newer-timestamp updates, usage and I/O errors.
set -u
: "${VIGIL:?}" "${VIGIL_SOURCE_DIR:?}"
R="$VIGIL_SOURCE_DIR/tests/resources/incidents"
T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
DB="$T/t.db"
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$VIGIL" incidents import --db "$DB" "$R/acled_current.csv" \
      "$R/acled_legacy.csv" "$R/ucdp_ged_hxl.csv") || fail "import exit $?"
echo "$out" | grep -q "acled_current.csv: acled, 5 rows: 5 added, 0 updated, 0 unchanged, 0 rejected$" \
    || fail "current: $out"
echo "$out" | grep -q "acled_legacy.csv: acled, 5 rows: 5 added" || fail "legacy: $out"
echo "$out" | grep -q "ucdp_ged_hxl.csv: ucdp-ged, 5 rows: 5 added, 0 updated, 0 unchanged, 0 rejected (1 hashtag row skipped)$" \
    || fail "ged: $out"

# Idempotent.
out=$("$VIGIL" incidents import --db "$DB" "$R/acled_current.csv") || fail "re-import"
echo "$out" | grep -q "0 added, 0 updated, 5 unchanged" || fail "idempotent: $out"

# Newer timestamp updates, older does not.
out=$("$VIGIL" incidents import --db "$DB" --format acled "$R/acled_update.csv") \
    || fail "update"
echo "$out" | grep -q "0 added, 1 updated, 1 unchanged" || fail "update: $out"

# Bad rows: reported with file:line, the rest imported, exit 3.
"$VIGIL" incidents import --db "$DB" "$R/acled_bad.csv" >"$T/out" 2>"$T/err"
st=$?
[ "$st" -eq 3 ] || fail "bad rows exit $st"
grep -q "2 added, 0 updated, 0 unchanged, 5 rejected" "$T/out" || fail "bad counts"
grep -q "acled_bad.csv:3: row rejected: event_date '31-02-2023' is not a date" "$T/err" \
    || fail "bad date message: $(cat "$T/err")"
grep -q "acled_bad.csv:6: row rejected: text after a closing quote" "$T/err" || fail "quote msg"
[ "$(wc -l <"$T/err")" -eq 5 ] || fail "expected 5 reject lines"

# Totals after all of it: 17 incidents, 410 fatalities (fixture facts).
out=$("$VIGIL" incidents report --db "$DB" --by kind --format csv --raw) || fail "report"
total=$(echo "$out" | awk -F, 'NR>1 { e += $2; f += $3 } END { print e "," f }')
[ "$total" = "17,410" ] || fail "totals $total"

# Errors: missing file (1), unknown format (2), wrong format forced (1).
"$VIGIL" incidents import --db "$DB" "$T/nope.csv" 2>"$T/err"; st=$?
[ "$st" -eq 1 ] || fail "missing file exit $st"
grep -q "nope.csv" "$T/err" || fail "missing file message"
"$VIGIL" incidents import --db "$DB" --format gtd "$R/acled_bad.csv" 2>/dev/null; st=$?
[ "$st" -eq 2 ] || fail "bad format exit $st"
"$VIGIL" incidents import --db "$DB" --format ucdp-ged "$R/acled_current.csv" 2>"$T/err"; st=$?
[ "$st" -eq 1 ] || fail "forced format exit $st"
grep -q "ucdp-ged file has no 'id' column" "$T/err" || fail "forced format message: $(cat "$T/err")"
"$VIGIL" incidents 2>/dev/null; st=$?
[ "$st" -eq 2 ] || fail "no subcommand exit $st"
echo ok
