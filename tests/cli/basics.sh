#!/bin/sh
# CLI basics: help, version, usage errors, init, stats formats, ingest exit
# codes and messages on a real export folder. Exits non-zero on failure.
set -u
V=${VIGIL:?VIGIL must name the vigil binary}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { # description, then a command that must succeed
    d=$1; shift
    if "$@"; then echo "ok   $d"; else echo "FAIL $d"; fail=1; fi
}

check "help lists commands" sh -c "'$V' help | grep -q '^  ingest '"
check "--version" sh -c "'$V' --version | grep -Eq '^vigil [0-9]+\.[0-9]+\.[0-9]+$'"
check "CMD --help exits 0" sh -c "'$V' ingest --help | grep -q 'usage: vigil ingest'"
"$V" nosuchcmd >/dev/null 2>&1; check "unknown command exits 2" test $? -eq 2
"$V" stats --bogus >/dev/null 2>&1; check "unknown option exits 2" test $? -eq 2
"$V" ingest >/dev/null 2>&1; check "missing argument exits 2" test $? -eq 2
"$V" stats --db "$T/none.db" 2>"$T/err"; rc=$?
check "stats on a missing db exits 1" test $rc -eq 1
check "... and says so" grep -q "no such database" "$T/err"

check "init" sh -c "'$V' init --db '$T/a.db' | grep -q 'schema version'"
check "init again is a no-op" sh -c "'$V' init --db '$T/a.db' >/dev/null"

mkdir -p "$T/exp/photos"
printf 'jpegbytes' > "$T/exp/photos/p.jpg"
cat > "$T/exp/result.json" <<'JSON'
{"name": "CLI Test", "type": "public_channel", "id": 4242,
 "messages": [
  {"id": 1, "type": "message", "date_unixtime": "1700000000", "text": "one"},
  {"id": 2, "type": "message", "date_unixtime": "1702600000", "photo": "photos/p.jpg", "text": "two"},
  {"id": 3, "type": "message", "date_unixtime": "1702600001", "photo": "photos/missing.jpg", "text": "three"}
 ]}
JSON
"$V" ingest --db "$T/a.db" "$T/exp" >"$T/out" 2>"$T/err"; rc=$?
check "ingest with a missing media file exits 1" test $rc -eq 1
check "... names file, offset and message" grep -q "result.json: byte [0-9]*: message 3: media file missing" "$T/err"
check "... and still stores every message" grep -q "3 added" "$T/out"
"$V" ingest --db "$T/a.db" "$T/nowhere" 2>"$T/err"; rc=$?
check "ingest of a missing path exits 1" test $rc -eq 1
check "... and names it once" test "$(grep -o nowhere "$T/err" | wc -l)" -eq 1
"$V" stats --db "$T/a.db" --format json >"$T/json"
check "stats json" grep -q '"items":3,"by_kind":{"photo":2,"text":1}' "$T/json"
check "stats json months" grep -q '"by_month":{"2023-11":1,"2023-12":2}' "$T/json"
check "stats csv" sh -c "'$V' stats --db '$T/a.db' --format csv | grep -q '^kind,photo,2$'"
check "stats table" sh -c "'$V' stats --db '$T/a.db' | grep -q '^3 items from 1 sources'"
"$V" stats --db "$T/a.db" --format xml >/dev/null 2>&1
check "stats bad format exits 2" test $? -eq 2
"$V" ingest --db "$T/a.db" "$T/exp" >"$T/out" 2>/dev/null
check "re-ingest adds nothing" grep -q "0 added, 0 updated, 3 unchanged" "$T/out"
"$V" ingest --db "$T/a.db" "$T/nothere" >/dev/null 2>"$T/err"; rc=$?
check "ingest of a missing path exits 1" test $rc -eq 1
printf '{"name":"x","messages":[{"id":1,"text":"a"},' > "$T/trunc.json"
"$V" ingest --db "$T/a.db" "$T/trunc.json" >/dev/null 2>"$T/err"; rc=$?
check "truncated export exits 1" test $rc -eq 1
check "... with a byte offset" grep -q "trunc.json: byte [0-9]*: the JSON ends early" "$T/err"
check "... earlier items kept" sh -c "'$V' stats --db '$T/a.db' --format json | grep -q '\"items\":4,'"
check "progress is silent when piped" sh -c "! grep -q 'msgs/s' '$T/err'"
"$V" ingest --db "$T/b.db" --progress "$T/exp" >/dev/null 2>"$T/err"
check "--progress draws items, rate and ETA" grep -q "ingest: [0-9]* msgs, [0-9]* msgs/s" "$T/err"
exit $fail
