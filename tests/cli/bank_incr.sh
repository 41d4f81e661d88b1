#!/bin/sh
# tests/cli/bank_incr.sh - vigil bank delete / reindex and the saved PDQ
# index after bank changes: an added hash is found and a deleted one is
# not, without the index file being rewritten; reindex merges, --full
# rebuilds; a bad value deletes nothing.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export VIGIL_DB="$T/v.db"
fail() { echo "FAIL: $*" >&2; exit 1; }

A=f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22
B=5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a
C=123456789abcdef0fedcba9876543210f0e1d2c3b4a5968778695a4b3c2d1e0f

"$VIGIL" bank create g || fail create
printf '%s,a\n' "$A" > "$T/a.txt"
"$VIGIL" bank import g "$T/a.txt" --type pdq >/dev/null || fail import
printf '%s\n%s\n%s\n' "$A" "$B" "$C" > "$T/q.txt"
res=$("$VIGIL" match --hashes "$T/q.txt")
[ "$res" = "$A,g,a,0" ] || fail "first match: '$res'"
[ -f "$T/v.db.pdqidx" ] || fail "no index file saved"
before=$(stat -c '%i %s %Y' "$T/v.db.pdqidx")

printf '%s,b\n%s,c\n' "$B" "$C" > "$T/b.txt"
"$VIGIL" bank import g "$T/b.txt" --type pdq >/dev/null || fail "import 2"
res=$("$VIGIL" match --hashes "$T/q.txt" | wc -l)
[ "$res" -eq 3 ] || fail "added hashes not found ($res)"
out=$("$VIGIL" bank delete g "$A" 00 2>&1)
[ $? -eq 1 ] || fail "a bad value must fail: $out"
out=$("$VIGIL" bank delete g "$A" "$A" 2>&1)
[ "$out" = "removed 1, not in the bank 1" ] || fail "delete: $out"
res=$("$VIGIL" match --hashes "$T/q.txt")
echo "$res" | grep -q "^$A," && fail "deleted hash still reported"
echo "$res" | grep -q "^$B,g,b,0$" || fail "B lost: $res"
[ "$(stat -c '%i %s %Y' "$T/v.db.pdqidx")" = "$before" ] \
    || fail "index file rewritten for a small change"

out=$("$VIGIL" bank reindex) || fail reindex
echo "$out" | grep -q ": 2 PDQ entries, generation [0-9]*, change log applied and merged$" \
    || fail "reindex: $out"
out=$("$VIGIL" bank reindex) || fail "reindex 2"
echo "$out" | grep -q "already current$" || fail "reindex 2: $out"
"$VIGIL" bank rm g || fail rm
out=$("$VIGIL" bank reindex --full) || fail "reindex --full"
echo "$out" | grep -q ": 0 PDQ entries, .*rebuilt from the store$" \
    || fail "reindex --full: $out"
"$VIGIL" match --hashes "$T/q.txt" >/dev/null
[ $? -eq 3 ] || fail "removed bank still matches"
exit 0
