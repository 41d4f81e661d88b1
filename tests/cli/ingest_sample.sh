#!/bin/sh
# tests/cli/ingest_sample.sh - ingest the generated sample's Telegram
# exports and score the store against the generator's ground truth: counts
# (`vigil stats --format json`) and every item's kind, time, edit time,
# forward origin, URLs, media state and SHA-256; then re-ingest and check
# that nothing is added and nothing changes.
set -eu
: "${VIGIL:?}"
gen=${VIGIL_BUILD_DIR:?}/vigil-gensample
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-ingest-sample.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

s="$tmp/sample"
db="$tmp/v.db"
"$gen" --seed 42 --out "$s" --quiet
t="$s/truth.jsonl"
exports=$(jq -r 'select(.platform == "telegram") | .export' "$t" | sort -u)
[ "$(echo "$exports" | wc -l)" -eq 3 ] || fail "expected 3 Telegram exports"
set --
for e in $exports; do set -- "$@" "$s/$e"; done

"$VIGIL" ingest --db "$db" "$@" > "$tmp/run1.out" || fail "first ingest failed"
cat "$tmp/run1.out"

# counts, in the shape of `vigil stats --format json`
jq -S -s '[.[] | select(.platform == "telegram" and .item)] | {
    items: length,
    by_kind: (group_by(.kind) | map({(.[0].kind): length}) | add),
    by_source: (group_by(.channel) | map({("telegram:" + .[0].channel): length}) | add),
    by_month: (group_by(.month) | map({(.[0].month): length}) | add) }' "$t" > "$tmp/want.json"
"$VIGIL" stats --db "$db" --format json |
    jq -S '{items, by_kind, by_source, by_month}' > "$tmp/got.json"
diff -u "$tmp/want.json" "$tmp/got.json" || fail "stats differ from the ground truth"
events=$(jq -s '[.[] | select(.platform == "telegram" and (.item | not))] | length' "$t")
[ "$("$VIGIL" stats --db "$db" --format json | jq .events)" = "$events" ] ||
    fail "channel events differ from the ground truth ($events)"

# item by item
jq -r 'select(.platform == "telegram" and .item) | [
    (.source | split(":")[1]), .message_id, .kind, .date_unixtime,
    (.edited_unixtime // 0), (if .forwarded then 1 else 0 end),
    (if .forwarded then (.forwarded_from // "-") else "-" end),
    (.urls | join(" ")), (.media.status // "none"), (.media.sha256 // "-")
    ] | @tsv' "$t" | LC_ALL=C sort > "$tmp/want.tsv"
sqlite3 -json "$db" "SELECT s.external_id AS chat, i.external_id AS id, i.kind,
        i.posted_at, i.edited_at, i.is_forward, i.forwarded_from, i.urls,
        i.media_state, i.sha256
    FROM items i JOIN sources s ON s.id = i.source_id" |
    jq -r '.[] | [.chat, .id, .kind, .posted_at, (.edited_at // 0), .is_forward,
        (.forwarded_from // "-"), ((.urls // "[]") | fromjson | join(" ")),
        .media_state, (.sha256 // "-")] | @tsv' | LC_ALL=C sort > "$tmp/got.tsv"
[ "$(wc -l < "$tmp/want.tsv")" -ge 600 ] || fail "too few Telegram items in the truth"
diff "$tmp/want.tsv" "$tmp/got.tsv" > "$tmp/items.diff" || {
    head -n 20 "$tmp/items.diff" >&2
    fail "stored items differ from the ground truth"
}

# re-ingest: nothing added, nothing updated, same store
sqlite3 "$db" "SELECT count(*) FROM items" > "$tmp/n1"
"$VIGIL" ingest --db "$db" "$@" > "$tmp/run2.out" || fail "re-ingest failed"
grep -q ' 0 added, 0 updated' "$tmp/run2.out" || { cat "$tmp/run2.out"; fail "re-ingest changed items"; }
grep -v ' 0 added, 0 updated' "$tmp/run2.out" && fail "a re-ingested export added items"
sqlite3 "$db" "SELECT count(*) FROM items" > "$tmp/n2"
cmp -s "$tmp/n1" "$tmp/n2" || fail "item count changed on re-ingest"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
echo "ingest_sample: ok ($(cat "$tmp/n1") items)"
