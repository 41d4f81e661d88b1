#!/bin/sh
# tests/cli/retriage.sh - `vigil retriage` triages the stored items again:
# with the terms of a user watchlist added (a post naming a new outlet gets
# its hit, the bundled outlets' hits stay), re-runs give the same rows,
# --only-watchlist drops the bundled outlets' hits, and a plain re-run
# gives back exactly the rows the ingest stored. Errors: usage, bad TSV.
set -eu
: "${VIGIL:?}"
gen=${VIGIL_BUILD_DIR:?}/vigil-gensample
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-retriage.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

s="$tmp/sample"
db="$tmp/v.db"
"$gen" --seed 11 --out "$s" --quiet
set --
for e in $(jq -r '.export' "$s/truth.jsonl" | sed 's|/.*||' | sort -u); do set -- "$@" "$s/$e"; done
mkdir "$tmp/feed"
printf '%s\n' '{"schema":"vigil.feed/1","platform":"x","account":"r","account_name":"R","id":"1","posted_at":"2023-05-01T00:00:00Z","text":"New post from the Quiet Lantern Collective today"}' \
    > "$tmp/feed/r.jsonl"
"$VIGIL" ingest --db "$db" --no-match "$@" "$tmp/feed/r.jsonl" > /dev/null || fail "ingest"
rows() {
    sqlite3 "$db" "SELECT 'H', i.external_id, h.outlet, h.start_byte, h.end_byte FROM watchlist_hits h
                   JOIN items i ON i.id = h.item_id;
                   SELECT 'I', i.external_id, d.type, d.value, coalesce(d.valid, '-') FROM indicators d
                   JOIN items i ON i.id = d.item_id;
                   SELECT 'L', external_id, coalesce(lang, '-') FROM items" | LC_ALL=C sort
}
rows > "$tmp/ingest.rows"
h0=$(sqlite3 "$db" "SELECT count(*) FROM watchlist_hits")
[ "$h0" -gt 0 ] || fail "the sample has no outlet hits to keep"

printf 'Quiet Lantern Collective\tQuiet Lantern Collective\tchannel\teng-Latn\tstrong\t1\n' > "$tmp/wl.tsv"
"$VIGIL" retriage --db "$db" -w "$tmp/wl.tsv" > "$tmp/out" || fail "retriage -w exited $?"
grep -q "items triaged" "$tmp/out" || fail "no summary: $(cat "$tmp/out")"
[ "$(sqlite3 "$db" "SELECT count(*) FROM watchlist_hits WHERE outlet = 'Quiet Lantern Collective'
     AND start_byte = 18 AND end_byte = 42")" -eq 1 ] || fail "user outlet not found"
[ "$(sqlite3 "$db" "SELECT count(*) FROM watchlist_hits")" -eq $((h0 + 1)) ] ||
    fail "bundled hits changed with a user list added"
rows > "$tmp/wl1.rows"
"$VIGIL" retriage --db "$db" -w "$tmp/wl.tsv" > /dev/null || fail "second retriage"
rows | cmp -s - "$tmp/wl1.rows" || fail "a re-run changed the rows"

"$VIGIL" retriage --db "$db" -w "$tmp/wl.tsv" --only-watchlist > /dev/null || fail "--only-watchlist"
[ "$(sqlite3 "$db" "SELECT count(*) FROM watchlist_hits")" -eq 1 ] ||
    fail "--only-watchlist kept the bundled outlets' hits"

"$VIGIL" retriage --db "$db" --progress > /dev/null 2> "$tmp/err" || fail "plain retriage"
grep -q "retriage" "$tmp/err" || fail "--progress drew nothing"
rows | cmp -s - "$tmp/ingest.rows" || fail "plain retriage differs from what the ingest stored"

# errors
r=0; "$VIGIL" retriage --db "$db" --only-watchlist > /dev/null 2>&1 || r=$?
[ "$r" -eq 2 ] || fail "--only-watchlist alone: exit $r, want 2"
printf 'only two\tfields\n' > "$tmp/bad.tsv"
r=0; "$VIGIL" retriage --db "$db" -w "$tmp/bad.tsv" > /dev/null 2> "$tmp/err" || r=$?
[ "$r" -eq 1 ] || fail "bad TSV: exit $r, want 1"
grep -q "bad.tsv:1" "$tmp/err" || fail "bad TSV error does not name file and line: $(cat "$tmp/err")"
rows | cmp -s - "$tmp/ingest.rows" || fail "a refused run changed the rows"
"$VIGIL" retriage --db "$tmp/none/v.db" > /dev/null 2>&1 && fail "a missing database is not an error"
echo "retriage: ok"
