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

# 5. --jobs: the same bytes as one thread on a file of many batches (hits,
#    wallets, long and empty lines, CRLF), a line that fails stops the run
#    at the same place with the same message, standard input stays line by
#    line, and a bad count is a usage error
awk 'BEGIN { for (i = 1; i <= 30000; i++) {
       if (i % 7 == 0) printf "post %d from Al-Azaim media\n", i;
       else if (i % 11 == 0) printf "donate 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa t.me/ch_%d\r\n", i;
       else if (i % 13 == 0) printf "\n";
       else if (i % 1000 == 0) { s = "long "; while (length(s) < 300000) s = s s; printf "%s Halummu\n", s }
       else printf "%d \320\261\320\276\320\267\320\276\321\200 market news of the day\n", i } }' > "$T/many.txt"
[ "$(wc -c < "$T/many.txt")" -gt 2000000 ] || fail "jobs corpus too small to split"
"$VIGIL" scan "$T/many.txt" > "$T/many.1" || fail "scan -j 1 exited $?"
[ "$(wc -l < "$T/many.1")" -eq 30000 ] || fail "30000 lines in, $(wc -l < "$T/many.1") out"
for j in 2 3 0; do
    "$VIGIL" scan --jobs "$j" "$T/many.txt" > "$T/many.$j" || fail "scan -j $j exited $?"
    cmp -s "$T/many.1" "$T/many.$j" || fail "--jobs $j output differs from one thread's"
done
"$VIGIL" scan -j 2 "$T/a.txt" "$T/many.txt" "$T/a.txt" > "$T/three.2" || fail "three files -j 2"
cat "$T/a.out" "$T/many.1" "$T/a.out" | cmp -s - "$T/three.2" || fail "three files: order"
# a line over the 64 MiB text limit after 20000 lines
{ head -n 20000 "$T/many.txt"; head -c 67108865 /dev/zero | tr '\0' 'a'; printf '\nafter\n'; } > "$T/bad.txt"
"$VIGIL" scan "$T/bad.txt" > "$T/bad.1" 2> "$T/bad.1e"; r1=$?
"$VIGIL" scan -j 2 "$T/bad.txt" > "$T/bad.2" 2> "$T/bad.2e"; r2=$?
[ "$r1" -eq 1 ] && [ "$r2" -eq 1 ] || fail "over-limit line: exit $r1 / $r2, want 1"
grep -q "bad.txt:20001" "$T/bad.1e" || fail "error names file and line: $(cat "$T/bad.1e")"
cmp -s "$T/bad.1e" "$T/bad.2e" || fail "--jobs error message differs: $(cat "$T/bad.2e")"
cmp -s "$T/bad.1" "$T/bad.2" || fail "--jobs output before the error differs"
[ "$(wc -l < "$T/bad.2")" -eq 20000 ] || fail "20000 lines before the error, $(wc -l < "$T/bad.2") out"
rm -f "$T/bad.txt"
"$VIGIL" scan -j 65 "$T/a.txt" > /dev/null 2>&1; r=$?
[ "$r" -eq 2 ] || fail "--jobs 65: exit $r, want 2"
cat "$T/many.txt" | "$VIGIL" scan -j 2 | cmp -s "$T/many.1" - || fail "-j 2 on a pipe differs"
"$VIGIL" scan -j 2 < "$T/many.txt" | cmp -s "$T/many.1" - || fail "-j 2 on a file as standard input differs"
"$VIGIL" scan -j 2 - "$T/a.txt" < "$T/many.txt" | cat - > "$T/mixed.2"
cat "$T/many.1" "$T/a.out" | cmp -s - "$T/mixed.2" || fail "-j 2: standard input, then a file"
rm -f "$T/in" "$T/out"
mkfifo "$T/in" "$T/out"
"$VIGIL" scan -j 2 < "$T/in" > "$T/out" &
pid=$!
exec 3> "$T/in"
exec 4< "$T/out"
echo 'Al-Azaim' >&3
IFS= read -r first <&4
echo "$first" | grep -q '"term":"Al-Azaim"' || fail "-j 2: no answer before the input ended"
exec 3>&-
wait "$pid" || fail "scan -j 2 of a pipe exited $?"
pid=
echo ok
