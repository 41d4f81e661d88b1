#!/bin/sh
# tests/cli/gensample.sh - the sample generator is deterministic (same seed,
# same bytes; another seed, other bytes), its output is valid JSON, and the
# default sample meets issue 2's minimums (>= 600 items, >= 10 languages,
# >= 12 months, re-posted photos that differ in bytes, files on disk match
# the ground truth's SHA-256).
set -eu
gen=${VIGIL_BUILD_DIR:?}/vigil-gensample
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-gensample.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$gen" --self-test || fail "address checksum self-test"

digest() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum); }

"$gen" --seed 7 --messages 200 --out "$tmp/a" --quiet
"$gen" --seed 7 --messages 200 --out "$tmp/b" --quiet
"$gen" --seed 8 --messages 200 --out "$tmp/c" --quiet
digest "$tmp/a" > "$tmp/a.sum"
digest "$tmp/b" > "$tmp/b.sum"
[ -s "$tmp/a.sum" ] || fail "no files written"
cmp -s "$tmp/a.sum" "$tmp/b.sum" || fail "same seed gave different files"
cmp -s "$tmp/a/truth.jsonl" "$tmp/c/truth.jsonl" && fail "seeds 7 and 8 gave the same truth"
cmp -s "$tmp/a/telegram_account/result.json" "$tmp/c/telegram_account/result.json" \
    && fail "seeds 7 and 8 gave the same export"

# default sample
s="$tmp/s"
"$gen" --seed 42 --out "$s" --quiet
for f in telegram_reading_room/result.json telegram_civic_notes/result.json \
         telegram_account/result.json summary.json; do
    jq -e . "$s/$f" >/dev/null || fail "$f is not valid JSON"
done
jq -e . "$s/x_feed/feed.jsonl" >/dev/null || fail "feed.jsonl is not valid JSON Lines"
grep -q '\\x' "$s/telegram_reading_room/result.json" && fail "\\x escape in sample"

t="$s/truth.jsonl"
items=$(jq -s '[.[] | select(.item)] | length' "$t")
langs=$(jq -s '[.[] | .lang | select(.)] | unique | length' "$t")
months=$(jq -s '[.[] | select(.item) | .month] | unique | length' "$t")
platforms=$(jq -s '[.[] | .platform] | unique | length' "$t")
channels=$(jq -s '[.[] | .source] | unique | length' "$t")
echo "items=$items languages=$langs months=$months platforms=$platforms sources=$channels"
[ "$items" -ge 600 ] || fail "only $items items"
[ "$langs" -ge 10 ] || fail "only $langs languages"
[ "$months" -ge 12 ] || fail "only $months months"
[ "$platforms" -ge 2 ] || fail "only $platforms platforms"
[ "$channels" -ge 3 ] || fail "only $channels sources"

# the truth agrees with the exports: Telegram message counts per source
for src in 1700000101 1700000202; do
    dir=$(jq -r "select(.source == \"telegram:$src\") | .export" "$t" | head -n 1)
    n_export=$(jq '.messages | length' "$s/$dir/result.json")
    n_truth=$(jq -s "[.[] | select(.source == \"telegram:$src\")] | length" "$t")
    [ "$n_export" = "$n_truth" ] || fail "$dir: $n_export messages, truth has $n_truth"
done
n_export=$(jq '[.chats.list[].messages[]] | length' "$s/telegram_account/result.json")
n_truth=$(jq -s '[.[] | select(.export == "telegram_account")] | length' "$t")
[ "$n_export" = "$n_truth" ] || fail "account export: $n_export messages, truth $n_truth"
n_feed=$(grep -c . "$s/x_feed/feed.jsonl")
n_truth=$(jq -s '[.[] | select(.platform == "x")] | length' "$t")
[ "$n_feed" = "$n_truth" ] || fail "feed: $n_feed records, truth $n_truth"

# every present media file exists with the recorded SHA-256
jq -r 'select(.media.status == "present") | "\(.media.sha256)  \(.media.file)"' "$t" \
    > "$tmp/media.sum"
[ -s "$tmp/media.sum" ] || fail "no media"
(cd "$s" && sha256sum -c --quiet "$tmp/media.sum") || fail "media digests"

# photo groups: some re-posts differ in bytes from their original
changed=$(jq -s '[.[] | select(.media.photo_group) | .media]
    | group_by(.photo_group) | map(select(([.[].sha256] | unique | length) > 1)) | length' "$t")
[ "$changed" -ge 5 ] || fail "only $changed photo groups with re-encoded re-posts"

# features the later stages score against
for q in 'select(.forwarded and .forwarded_from == null)' 'select(.forwarded_from | type == "string")' \
         'select(.edited)' 'select(.media.status == "skipped")' 'select(.kind == "file")' \
         'select(.action == "pin_message")' 'select(.text_form == "entities")' \
         'select(.outlets[]?.evasion != "none")' 'select(.wallets[]?.valid == false)' \
         'select(.wallets[]?.type == "xmr")' 'select(.wallets[]?.type == "btc-bech32")'; do
    n=$(jq -c "$q" "$t" | wc -l)
    [ "$n" -ge 1 ] || fail "no message matches: $q"
done

# every outlet term and wallet address is in the export text as written
jq -r '.export as $e | (.outlets[].term, .wallets[].address) | "\($e)\t\(.)"' "$t" |
while IFS="$(printf '\t')" read -r exp term; do
    case $exp in *.jsonl) file="$s/$exp" ;; *) file="$s/$exp/result.json" ;; esac
    grep -qF -- "$term" "$file" || fail "'$term' not found in $exp"
done

# text-only benchmark mode
"$gen" --text-only --messages 5000 --seed 1 --out "$tmp/bench" --quiet
n=$(jq '[.messages[] | select(.type == "message")] | length' "$tmp/bench/result.json")
[ "$n" = "$(jq .items "$tmp/bench/summary.json")" ] || fail "text-only count $n"
echo "gensample: ok"
