#!/bin/sh
# tests/cli/ingest_sample_feed.sh - ingest the whole generated sample (three
# Telegram exports and the X-style JSON Lines feed, as `make demo` does) and
# score it against the ground truth: counts across both platforms, and each
# feed item's kind, time, edit time, forward flag, media state and SHA-256;
# re-ingest adds nothing.
set -eu
: "${VIGIL:?}"
gen=${VIGIL_BUILD_DIR:?}/vigil-gensample
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-ingest-feed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

s="$tmp/sample"
db="$tmp/v.db"
"$gen" --seed 7 --out "$s" --quiet
t="$s/truth.jsonl"
set --
for e in $(jq -r '.export' "$t" | sed 's|/.*||' | sort -u); do set -- "$@" "$s/$e"; done
[ $# -eq 4 ] || fail "expected 4 collections in the sample, found $#"
"$VIGIL" ingest --db "$db" "$@" > "$tmp/run1.out" || fail "ingest failed"

jq -S -s '[.[] | select(.item)] | {
    items: length,
    by_kind: (group_by(.kind) | map({(.[0].kind): length}) | add),
    by_source: (group_by(.platform + ":" + .channel) |
                map({(.[0].platform + ":" + .[0].channel): length}) | add),
    by_month: (group_by(.month) | map({(.[0].month): length}) | add) }' "$t" > "$tmp/want.json"
"$VIGIL" stats --db "$db" --format json |
    jq -S '{items, by_kind, by_source, by_month}' > "$tmp/got.json"
diff -u "$tmp/want.json" "$tmp/got.json" || fail "stats differ from the ground truth"

jq -r 'select(.platform == "x" and .item) | [ .message_id, .kind,
    .date_unixtime, (.edited_unixtime // 0), (if .forwarded then 1 else 0 end),
    (.media.status // "none"), (.media.sha256 // "-") ] | @tsv' "$t" |
    LC_ALL=C sort > "$tmp/want.tsv"
sqlite3 -separator '	' "$db" "SELECT i.external_id, i.kind, i.posted_at,
        coalesce(i.edited_at, 0), i.is_forward, i.media_state,
        coalesce(i.sha256, '-')
    FROM items i JOIN sources s ON s.id = i.source_id WHERE s.platform = 'x'" |
    LC_ALL=C sort > "$tmp/got.tsv"
[ "$(wc -l < "$tmp/want.tsv")" -ge 100 ] || fail "too few feed items in the truth"
diff "$tmp/want.tsv" "$tmp/got.tsv" > "$tmp/items.diff" || {
    head -n 20 "$tmp/items.diff" >&2
    fail "stored feed items differ from the ground truth"
}
"$VIGIL" ingest --db "$db" "$@" > "$tmp/run2.out" || fail "re-ingest failed"
grep -v ' 0 added, 0 updated' "$tmp/run2.out" && fail "re-ingest added items"
echo "ingest_sample_feed: ok ($(wc -l < "$tmp/want.tsv") feed items)"
