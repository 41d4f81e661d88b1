#!/bin/sh
# tests/cli/scan.sh - `vigil scan`: JSON Lines per input line with byte
# offsets, stdin and files, --watchlist, and the error exits (1, 2).
set -u
VIGIL=${VIGIL:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

printf '%s\n' \
  'Al-Azaim and K.h.o.r.a.s.a.n G.h.a.g' \
  'donate 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa or 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb' \
  '' \
  'Садои Хуросон барномаи нав: t.me/SomeChan?utm_source=x' > "$T/in.txt"

cat > "$T/want" <<'JSON'
{"lang":"und","script":"Latn","hits":[{"outlet":"Al-Azaim Foundation for Media Production","term":"Al-Azaim","start":0,"end":8},{"outlet":"Khorasan Ghag Radio","term":"Khorasan Ghag","start":13,"end":36},{"outlet":"Khorasan Ghag (magazine)","term":"Khorasan Ghag","start":13,"end":36}],"indicators":[]}
{"lang":"und","script":"Latn","hits":[],"indicators":[{"type":"bitcoin","value":"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa","valid":true,"subtype":"p2pkh","start":7,"end":41},{"type":"bitcoin","value":"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb","valid":false,"start":45,"end":79}]}
{"lang":"und","script":"Zyyy","hits":[],"indicators":[]}
{"lang":"und","script":"Cyrl","hits":[{"outlet":"Sadoi Khuroson Radio","term":"Садои Хуросон","start":0,"end":25},{"outlet":"Sadoi Khuroson (magazine)","term":"Садои Хуросон","start":0,"end":25}],"indicators":[{"type":"telegram_link","value":"https://t.me/somechan","valid":true,"start":51,"end":77}]}
JSON

# langid may fill "lang" once merged: compare with lang masked.
mask() { sed 's/^{"lang":"[^"]*"/{"lang":"?"/' "$1"; }

"$VIGIL" scan "$T/in.txt" > "$T/got" || fail "scan FILE exited $?"
mask "$T/got" > "$T/got.m"; mask "$T/want" > "$T/want.m"
diff -u "$T/want.m" "$T/got.m" || fail "scan FILE output"

"$VIGIL" scan < "$T/in.txt" > "$T/got2" || fail "scan stdin exited $?"
cmp -s "$T/got" "$T/got2" || fail "stdin output differs from file output"
"$VIGIL" scan - "$T/in.txt" < "$T/in.txt" > "$T/got3" || fail "scan - FILE"
[ "$(wc -l < "$T/got3")" -eq 8 ] || fail "two inputs should give 8 lines"

# user watchlist, alone and on top of the bundled one
printf 'Qalam Relay\tQalam\tchannel\teng\tstrong\t1\n' > "$T/wl.tsv"
echo 'the QALAM-RELAY and Al-Azaim' | "$VIGIL" scan --watchlist "$T/wl.tsv" \
  --only-watchlist > "$T/o" || fail "--only-watchlist"
grep -q '"outlet":"Qalam","term":"Qalam Relay","start":4,"end":15' "$T/o" \
  || fail "user term not found"
grep -q 'Al-Azaim' "$T/o" && fail "--only-watchlist still used the bundled list"
echo 'the QALAM-RELAY and Al-Azaim' | "$VIGIL" scan -w "$T/wl.tsv" > "$T/o" \
  || fail "--watchlist"
grep -q '"term":"Al-Azaim"' "$T/o" || fail "bundled list missing with -w"

# errors
printf 'only\ttwo\n' > "$T/bad.tsv"
echo x | "$VIGIL" scan -w "$T/bad.tsv" 2> "$T/err" >/dev/null
[ $? -eq 1 ] || fail "bad watchlist should exit 1"
grep -q "bad.tsv:1:" "$T/err" || fail "error should name file:line: $(cat "$T/err")"
[ "$(grep -o "bad.tsv" "$T/err" | wc -l)" -eq 1 ] \
  || fail "the file should be named once: $(cat "$T/err")"
echo x | "$VIGIL" scan -w "$T/none.tsv" 2> "$T/err" >/dev/null
[ $? -eq 1 ] || fail "missing watchlist should exit 1"
grep -q "none.tsv" "$T/err" || fail "error should name the watchlist"
"$VIGIL" scan "$T/missing.txt" 2> "$T/err" >/dev/null
[ $? -eq 1 ] || fail "missing file should exit 1"
grep -q "missing.txt" "$T/err" || fail "error should name the file"
"$VIGIL" scan --bogus 2>/dev/null
[ $? -eq 2 ] || fail "unknown option should exit 2"
"$VIGIL" scan --only-watchlist 2>/dev/null </dev/null
[ $? -eq 2 ] || fail "--only-watchlist alone should exit 2"
"$VIGIL" scan --help | grep -q "usage: vigil scan" || fail "--help"
echo ok
