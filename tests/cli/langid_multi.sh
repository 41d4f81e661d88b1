#!/bin/sh
# tests/cli/langid_multi.sh - language ID on another genre than the dev set:
# the team-authored news/post-style set of 15 labels
# (data/langid/authored_multi_news.tsv, AUTHORED_MULTI.md), 24 lines per
# label. Floors: 22/24 per label, 354/360 in all (measured 359/360: Turkish
# 23/24, the other labels 24/24).
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
: "${VIGIL:?VIGIL must point at the vigil binary}"
: "${VIGIL_SOURCE_DIR:?VIGIL_SOURCE_DIR must point at the source tree}"
tmp=${TMPDIR:-/tmp}/vigil_langid_multi.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT

set_tsv="$VIGIL_SOURCE_DIR/data/langid/authored_multi_news.tsv"
[ -r "$set_tsv" ] || fail "cannot read $set_tsv"
cut -f2 "$set_tsv" > "$tmp/text.txt"
"$VIGIL" langid "$tmp/text.txt" > "$tmp/out.txt" || fail "langid exit $?"
[ "$(wc -l < "$tmp/out.txt")" -eq "$(wc -l < "$set_tsv")" ] || fail "one label per line"
paste "$set_tsv" "$tmp/out.txt" | awk -F'\t' '
    { tot[$1]++; all++; if ($3 == $1) { ok[$1]++; good++ } else print "  miss " $1 " -> " $3 }
    END {
        n = 0
        for (l in tot) {
            n++
            printf "  %s %d/%d\n", l, ok[l] + 0, tot[l]
            if (tot[l] != 24 || ok[l] + 0 < 22) bad = 1
        }
        printf "  all %d/%d\n", good, all
        if (n != 15 || good < 354) bad = 1
        exit bad }' > "$tmp/counts.txt" || { cat "$tmp/counts.txt"; fail "floors"; }
sort "$tmp/counts.txt"
echo "ok"
