#!/bin/sh
# tests/cli/langid_prose.sh - language ID on real running prose that the
# model never trained on: snippets of the translated GNOME/MATE user
# manuals and the Debian Administrator's Handbook (data/langid/prose.tsv,
# written by data/langid/prose_set.py; 18 labels, 2,114 snippets).
# Floors: every label with at least 100 snippets >= 0.98 right, every
# smaller one (the MATE guide's few translated pages) at most one miss,
# 2,090 right in all, and at most 2% of the Farsi snippets called Dari
# (measured 2,113/2,114: one Turkish line of two French names -> und).
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
: "${VIGIL:?VIGIL must point at the vigil binary}"
: "${VIGIL_SOURCE_DIR:?VIGIL_SOURCE_DIR must point at the source tree}"
tmp=${TMPDIR:-/tmp}/vigil_langid_prose.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT

set_tsv="$VIGIL_SOURCE_DIR/data/langid/prose.tsv"
[ -r "$set_tsv" ] || fail "cannot read $set_tsv"
grep -v '^#' "$set_tsv" > "$tmp/set.tsv"
cut -f3 "$tmp/set.tsv" > "$tmp/text.txt"
"$VIGIL" langid "$tmp/text.txt" > "$tmp/out.txt" || fail "langid exit $?"
[ "$(wc -l < "$tmp/out.txt")" -eq "$(wc -l < "$tmp/set.tsv")" ] || fail "one label per line"
paste "$tmp/set.tsv" "$tmp/out.txt" | awk -F'\t' '
    { tot[$1]++; all++
      if ($4 == $1) { ok[$1]++; good++ } else print "  miss " $1 " -> " $4 " (" $2 ")"
      if ($1 == "pes-Arab" && $4 == "prs-Arab") dari++ }
    END {
        n = 0
        for (l in tot) {
            n++
            printf "  %s %d/%d\n", l, ok[l] + 0, tot[l]
            if (tot[l] >= 100 ? ok[l] + 0 < 0.98 * tot[l] : ok[l] + 1 < tot[l]) bad = 1
        }
        printf "  all %d/%d, Farsi -> Dari %d/%d\n", good, all, dari, tot["pes-Arab"]
        if (n != 18 || all < 2000 || good < 2090 || dari > 0.02 * tot["pes-Arab"]) bad = 1
        exit bad }' > "$tmp/counts.txt" || { sort "$tmp/counts.txt"; fail "floors"; }
sort "$tmp/counts.txt"
echo "ok"
