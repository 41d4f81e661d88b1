#!/bin/sh
# tests/cli/langid_news.sh - Dari vs Farsi on the team-authored news/post-style
# set (data/langid/authored_dari_farsi.tsv, see data/langid/AUTHORED.md):
# floors on Dari->Dari and ceilings on Farsi->Dari per length bucket, a little
# under/over what the shipped model measured, so that regressions show.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
: "${VIGIL:?VIGIL must point at the vigil binary}"
: "${VIGIL_SOURCE_DIR:?VIGIL_SOURCE_DIR must point at the source tree}"
set_tsv="$VIGIL_SOURCE_DIR/data/langid/authored_dari_farsi.tsv"
[ -r "$set_tsv" ] || fail "cannot read $set_tsv"
tmp=${TMPDIR:-/tmp}/vigil_langid_news.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT

cut -f2 "$set_tsv" > "$tmp/text.txt"
"$VIGIL" langid "$tmp/text.txt" > "$tmp/out.txt" || fail "langid exit $?"
[ "$(wc -l < "$tmp/out.txt")" -eq "$(wc -l < "$set_tsv")" ] || fail "one label per line"

# per label and bucket (characters, not bytes): snippets, and how many were
# called prs-Arab. Measured (model of this commit): Dari->Dari 22/54, 41/46,
# 47/50 (110/150); Farsi->Dari 0/56, 1/45, 0/49 (1/150).
# Characters = bytes that are not UTF-8 continuation bytes (0x80-0xBF), so
# any awk (mawk counts bytes) gives the same buckets as the Python build.
paste "$set_tsv" "$tmp/out.txt" | LC_ALL=C awk -F'\t' '
    function bucket(n) { return n <= 100 ? "s" : (n <= 250 ? "m" : "l") }
    { t = $2; n = length(t) - gsub(/[\200-\277]/, "", t); if (n < 25 || n > 400) { print "length " n " at line " NR; bad = 1 }
      k = $1 SUBSEP bucket(n); tot[k]++; if ($3 == "prs-Arab") dari[k]++ }
    function need(lab, b, lo, hi,   got, all) {
        got = dari[lab, b] + 0; all = tot[lab, b] + 0
        printf "%s %s: %d/%d called Dari\n", lab, b, got, all
        if (all < 40 || got < lo || got > hi) bad = 1 }
    END {
        need("prs-Arab", "s", 18, 999); need("prs-Arab", "m", 37, 999)
        need("prs-Arab", "l", 44, 999)
        need("pes-Arab", "s", 0, 2); need("pes-Arab", "m", 0, 2); need("pes-Arab", "l", 0, 2)
        exit bad }' > "$tmp/counts.txt" || { cat "$tmp/counts.txt"; fail "floors on the authored set"; }
cat "$tmp/counts.txt"
echo "ok"
