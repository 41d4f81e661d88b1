#!/bin/sh
# tests/cli/ingest_match.sh - ingest matches new items against hash banks
# on its own: the originals of the sample's re-posted photo groups go into
# a bank, the whole sample is ingested, and every re-post (exact copy,
# re-encoded or resized) must be recorded in `matches`, with no photo from
# another group matched. Scored against the generator's ground truth.
set -eu
: "${VIGIL:?}"
gen=${VIGIL_BUILD_DIR:?}/vigil-gensample
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-ingest-match.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

s="$tmp/sample"
db="$tmp/v.db"
"$gen" --seed 42 --out "$s" --quiet
t="$s/truth.jsonl"
# originals of groups that have re-posts
jq -r -s '[.[] | select(.media.photo_group != null and .media.status == "present")]
    | group_by(.media.photo_group) | map(select(length > 1))
    | .[][] | select(.media.variant == "original") | .media.file' "$t" > "$tmp/originals"
n=$(wc -l < "$tmp/originals")
[ "$n" -ge 20 ] || fail "only $n re-posted groups in the sample"
"$VIGIL" bank create --db "$db" known >/dev/null || fail "bank create"
(cd "$s" && xargs "$VIGIL" bank add --db "$db" known < "$tmp/originals") \
    >/dev/null 2>"$tmp/add.err" || true
# originals too flat for PDQ (quality < 50, as HMA) are not banked: skip their groups
sed -n 's/^vigil bank: \(.*\): PDQ quality .* below 50.*/\1/p' "$tmp/add.err" > "$tmp/flat"
[ "$(wc -l < "$tmp/flat")" -lt "$n" ] || fail "no original could be banked"
set --
for e in $(jq -r '.export' "$t" | sed 's|/.*||' | sort -u); do set -- "$@" "$s/$e"; done
"$VIGIL" ingest --db "$db" "$@" > "$tmp/out" || fail "ingest"
grep -q "bank matches" "$tmp/out" || fail "ingest does not report matches"

# items that should match: in every banked group the original and its
# byte-identical copies (MD5/SHA-256 are banked for every file); the
# re-encoded and resized copies too when the original's PDQ was banked
jq -r -s --rawfile flat "$tmp/flat" '($flat | split("\n")) as $f
    | [.[] | select(.media.photo_group != null and .media.status == "present")]
    | group_by(.media.photo_group) | map(select(length > 1)) | .[]
    | (any(.[]; .media.variant == "original" and
                (.media.file as $x | $f | index($x) | not))) as $pdq
    | .[] | select($pdq or .media.variant == "original" or .media.variant == "exact")
    | [.channel, .message_id] | @tsv' "$t" | LC_ALL=C sort > "$tmp/want"
sqlite3 -separator '	' "$db" "SELECT DISTINCT s.title, i.external_id
    FROM matches m JOIN items i ON i.id = m.item_id JOIN sources s ON s.id = i.source_id
    WHERE m.bank = 'known'" | LC_ALL=C sort > "$tmp/got"
missed=$(comm -23 "$tmp/want" "$tmp/got" | wc -l)
extra=$(comm -13 "$tmp/want" "$tmp/got" | wc -l)
want=$(wc -l < "$tmp/want")
echo "re-posts to find: $want; missed: $missed; matched outside their group: $extra"
[ "$missed" -eq 0 ] || fail "$missed re-posts not matched"
[ "$extra" -eq 0 ] || fail "$extra items matched that are not re-posts of a banked photo"
# rematch adds nothing new
before=$(sqlite3 "$db" "SELECT count(*) FROM matches")
"$VIGIL" rematch --db "$db" >/dev/null || fail "rematch"
[ "$(sqlite3 "$db" "SELECT count(*) FROM matches")" = "$before" ] || fail "rematch duplicated rows"
# media a later export brings: a post first ingested without its photo
# (only a link to it) and then with the file is matched on the second run
orig=$(grep -vxFf "$tmp/flat" "$tmp/originals" | head -n 1)
mkdir -p "$tmp/late/m"
cp "$s/$orig" "$tmp/late/m/p.jpg"
rec='{"schema":"vigil.feed/1","platform":"x","account":"late","account_name":"Late","id":"1","posted_at":"2023-01-01T00:00:00Z","text":"late photo","media":[{"type":"photo",'
printf '%s"url":"https://x.example/p.jpg"}]}\n' "$rec" > "$tmp/late/v1.jsonl"
printf '%s"path":"m/p.jpg"}]}\n' "$rec" > "$tmp/late/v2.jsonl"
late_q="SELECT count(*) FROM matches m JOIN items i ON i.id = m.item_id
    JOIN sources s ON s.id = i.source_id WHERE s.handle = '@late' AND m.bank = 'known'"
"$VIGIL" ingest --db "$db" "$tmp/late/v1.jsonl" > /dev/null || fail "ingest v1"
[ "$(sqlite3 "$db" "$late_q")" -eq 0 ] || fail "matched before the photo was there"
"$VIGIL" ingest --db "$db" "$tmp/late/v2.jsonl" > "$tmp/late.out" || fail "ingest v2"
grep -q "1 updated" "$tmp/late.out" || fail "the photo did not update the item: $(cat "$tmp/late.out")"
[ "$(sqlite3 "$db" "$late_q")" -ge 1 ] || fail "photo brought by a later export not matched"
echo "ingest_match: ok"
