#!/bin/sh
# tests/cli/bank_match.sh - vigil bank create/import/export/show/set/rm and
# vigil match --hashes / rematch against the real binary: output and exit
# codes, malformed lines reported as FILE:LINE, JSONL round trip.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export VIGIL_DB="$T/v.db"
fail() { echo "FAIL: $*" >&2; exit 1; }

A=f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22
# A with 31 bits flipped, and with 32 (bits 200..230 / 200..231 inverted)
N31=f8f8f0b11f0b574f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22
N32=f8f8f0311f0b574f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22
M=d41d8cd98f00b204e9800998ecf8427e

"$VIGIL" bank create gifct --threshold 31 || fail create
"$VIGIL" bank create gifct 2>/dev/null && fail "create twice must fail"
printf '%s,banner\n%s,far\nnot-a-hash\n%s\n' "$N31" "$N32" "$M" > "$T/l.txt"
out=$("$VIGIL" bank import gifct "$T/l.txt" --type pdq 2>"$T/err")
[ $? -eq 1 ] || fail "import with a malformed line must exit 1"
grep -q "l.txt:3: " "$T/err" || fail "no FILE:LINE for the bad line: $(cat "$T/err")"
echo "$out" | grep -q "3 added, 0 already present, 1 malformed" || fail "import: $out"

echo "$A" > "$T/q.txt"
res=$("$VIGIL" match --hashes "$T/q.txt")
[ $? -eq 0 ] || fail "match --hashes exit"
[ "$res" = "$A,gifct,banner,31" ] || fail "match --hashes output: '$res'"
res=$("$VIGIL" match --hashes "$T/q.txt" --threshold 32 | wc -l)
[ "$res" -eq 2 ] || fail "threshold 32 should find both ($res)"
"$VIGIL" match --hashes "$T/q.txt" --threshold 30 >/dev/null
[ $? -eq 3 ] || fail "no match must exit 3"

"$VIGIL" bank export gifct > "$T/e.jsonl" || fail export
"$VIGIL" bank import copy "$T/e.jsonl" >/dev/null || fail "import jsonl"
"$VIGIL" bank export copy | tail -n +2 > "$T/c.body"
tail -n +2 "$T/e.jsonl" > "$T/e.body"
cmp -s "$T/c.body" "$T/e.body" || fail "JSONL round trip differs"
"$VIGIL" bank export gifct --format hma --type pdq | grep -q "^$N31,[0-9]*,0,,banner$" \
    || fail "hma export"
"$VIGIL" bank show copy --format json | grep -q '"pdq":2,"md5":1' || fail show

"$VIGIL" bank set copy --disable || fail set
"$VIGIL" bank set gifct --disable || fail set
"$VIGIL" match --hashes "$T/q.txt" >/dev/null
[ $? -eq 3 ] || fail "disabled banks must not match"
"$VIGIL" bank rm copy || fail rm
"$VIGIL" bank show copy 2>/dev/null && fail "rm left the bank"
"$VIGIL" bank list | grep -q "^gifct .*disabled" || fail list
"$VIGIL" rematch | grep -q "0 new matches" || fail rematch
"$VIGIL" match 2>/dev/null
[ $? -eq 2 ] || fail "usage error must exit 2"
exit 0
