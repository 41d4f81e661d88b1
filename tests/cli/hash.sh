#!/bin/sh
# tests/cli/hash.sh - `vigil hash`: reference-CLI output format in both
# flavours, --dihedral, '-' (paths on stdin), --jobs order, md5/sha256,
# low-quality note, and errors (exit 1, message naming the file).
set -u
R="$VIGIL_SOURCE_DIR/tests/resources/pdq"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cd "$R" || fail "no resources"
A=data/bridge-mods/aaa-orig.jpg
W=data/misc-images/wee.jpg
S=data/misc-images/small.jpg

# Default flavour (HMA) and --prescale 512 (pdq-photo-hasher), exact lines.
"$VIGIL" hash "$A" > "$T/out" || fail "hash exit"
grep -q "^$A," fullres-pdqhash-equivalent-debian12.csv || fail "fixture"
[ "$(cat "$T/out")" = "$(grep "^$A," fullres-pdqhash-equivalent-debian12.csv |
    awk -F, '{print $2","$3","$1}')" ] || fail "default flavour: $(cat "$T/out")"
"$VIGIL" hash --prescale 512 "$A" > "$T/out" || fail "prescale exit"
[ "$(cat "$T/out")" = "$(grep "^$A," cpp-reference-debian12.csv |
    awk -F, '{print $2","$3","$1}')" ] || fail "prescale flavour: $(cat "$T/out")"

# --dihedral: 8 lines in the reference order, same quality and path.
"$VIGIL" hash --prescale 512 --dihedral "$A" > "$T/out" || fail "dihedral exit"
[ "$(wc -l < "$T/out")" -eq 8 ] || fail "dihedral lines"
got=$(cut -d, -f1 "$T/out" | tr '\n' ',')
want="$(grep "^$A," cpp-reference-debian12-dihedral.csv | cut -d, -f2-9),"
[ "$got" = "$want" ] || fail "dihedral hashes"

# Paths on stdin, several jobs: output in input order, identical to 1 job.
printf '%s\n' "$W" "$A" "$S" "$W" data/reg-test-input/labelme-subset/*.jpg > "$T/list"
"$VIGIL" hash - < "$T/list" > "$T/one" 2> "$T/err1" || fail "stdin exit"
"$VIGIL" hash --jobs 2 - < "$T/list" > "$T/two" 2>/dev/null || fail "jobs exit"
cmp -s "$T/one" "$T/two" || fail "--jobs 2 output differs from 1 job"
[ "$(cut -d, -f3 "$T/one")" = "$(cat "$T/list")" ] || fail "order"

# Low quality is flagged on stderr, the 3-column line is unchanged.
grep -q "^0007001f003f003f007f00ff00ff00ff01ff01ff01ff03ff03ff03ff03ff03ff,0,$S\$" \
    "$T/one" || fail "small.jpg line"
grep -q "$S: low quality 0" "$T/err1" || fail "low-quality note"

# md5 / sha256
"$VIGIL" hash --type md5 "$W" > "$T/out" || fail "md5 exit"
[ "$(cat "$T/out")" = "$(md5sum "$W" | cut -d' ' -f1),$W" ] || fail "md5"
"$VIGIL" hash --type sha256 "$W" > "$T/out" || fail "sha256 exit"
[ "$(cat "$T/out")" = "$(sha256sum "$W" | cut -d' ' -f1),$W" ] || fail "sha256"

# Errors: undecodable file -> exit 1, message, other files still hashed.
cp README.md "$T/notimage.jpg"
"$VIGIL" hash "$T/notimage.jpg" "$W" > "$T/out" 2> "$T/err"
[ $? -eq 1 ] || fail "bad file exit status"
grep -q "notimage.jpg: not a JPEG" "$T/err" || fail "bad file message: $(cat "$T/err")"
[ "$(wc -l < "$T/out")" -eq 1 ] || fail "good file after a bad one"
grep -q "^0000000000000000000000000000000000000000000000000000000000000000" \
    "$T/out" && fail "zero hash printed"
"$VIGIL" hash /nonexistent.png 2> "$T/err"; [ $? -eq 1 ] || fail "missing exit"
"$VIGIL" hash --prescale 300 "$W" 2>/dev/null; [ $? -eq 2 ] || fail "usage exit"
"$VIGIL" hash --type crc "$W" 2>/dev/null; [ $? -eq 2 ] || fail "type exit"
"$VIGIL" hash --help > /dev/null || fail "help"
echo "ok"
