#!/bin/sh
# tests/cli/scan_lines.sh - `vigil scan` reads lines in large blocks and
# writes JSON in large chunks: line splitting (CRLF, no final newline, NUL
# bytes, lines longer than a read block), offsets far into a long line,
# JSON escaping of user watchlist names, and answers reaching a pipe
# before the input ends.
set -u
VIGIL=${VIGIL:?}
T=$(mktemp -d)
pid=
dog=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$dog" ] && kill "$dog" 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. splitting: the same objects whether the file is read whole, piped, or
#    each line scanned alone
printf 'Al-Azaim one\r\nsecond 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\r\n\nnul\000byte Al-Azaim\nlast, no newline Halummu' > "$T/a.txt"
"$VIGIL" scan "$T/a.txt" > "$T/a.out" || fail "scan exited $?"
[ "$(wc -l < "$T/a.out")" -eq 5 ] || fail "5 lines in, $(wc -l < "$T/a.out") out"
cat "$T/a.txt" | "$VIGIL" scan > "$T/a.pipe" || fail "scan stdin exited $?"
cmp -s "$T/a.out" "$T/a.pipe" || fail "pipe output differs from file output"
printf 'Al-Azaim one\n' | "$VIGIL" scan > "$T/one" && sed -n 1p "$T/a.out" | cmp -s - "$T/one" \
  || fail "CRLF line differs from the same line alone"
grep -q '"term":"Al-Azaim","start":0,"end":8' "$T/one" || fail "hit in line 1"
sed -n 4p "$T/a.out" | grep -q '"start":9,"end":17' || fail "offsets after a NUL byte"
sed -n 5p "$T/a.out" | grep -q '"term":"Halummu"' || fail "last line without newline"
sed -n 2p "$T/a.out" | grep -q '"value":"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa","valid":true' \
  || fail "address before CRLF"

# 2. a 3 MB line (longer than one 1 MiB read block) between short ones
awk 'BEGIN { printf "Amaq News first\n"; s = "word "; while (length(s) < 3000000) s = s s;
             printf "%s", substr(s, 1, 3000000); printf "Al-Azaim\nlast Halummu\n" }' > "$T/long.txt"
"$VIGIL" scan "$T/long.txt" > "$T/long.out" || fail "long line exited $?"
[ "$(wc -l < "$T/long.out")" -eq 3 ] || fail "3 lines in, $(wc -l < "$T/long.out") out"
sed -n 2p "$T/long.out" | grep -q '"term":"Al-Azaim","start":3000000,"end":3000008' \
  || fail "offset at the end of the long line: $(sed -n 2p "$T/long.out" | tail -c 200)"
sed -n 3p "$T/long.out" | grep -q '"term":"Halummu","start":5' || fail "line after the long one"

# 3. JSON escaping of names from a user watchlist
printf 'Qalam Relay\tQ"uo\\te\tchannel\teng\tstrong\t1\n' > "$T/wl.tsv"
echo 'the qalam relay' | "$VIGIL" scan -w "$T/wl.tsv" --only-watchlist > "$T/esc" \
  || fail "scan -w exited $?"
grep -q '"outlet":"Q\\"uo\\\\te","term":"Qalam Relay"' "$T/esc" || fail "escaping: $(cat "$T/esc")"

# 4. the answer to a line reaches a pipe before the next line is written
mkfifo "$T/in" "$T/out"
"$VIGIL" scan < "$T/in" > "$T/out" &
pid=$!
exec 3> "$T/in"
exec 4< "$T/out"
( sleep 60; kill "$pid" ) 3>&- 4<&- >/dev/null 2>&1 &
dog=$!
echo 'Al-Azaim' >&3
IFS= read -r first <&4
echo "$first" | grep -q '"term":"Al-Azaim"' || fail "no answer before the input ended"
exec 3>&-
IFS= read -r rest <&4 && fail "one line in, more than one out"
wait "$pid" || fail "scan of a pipe exited $?"
pid=
echo ok
