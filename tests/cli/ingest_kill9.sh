#!/bin/sh
# tests/cli/ingest_kill9.sh - kill -9 a large ingest once it has committed
# some batches, re-run it, and check that the store holds every message
# exactly once (the generator's count) and passes PRAGMA integrity_check.
set -eu
: "${VIGIL:?}"
gen=${VIGIL_BUILD_DIR:?}/vigil-gensample
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-kill9.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

n=${VIGIL_KILL9_MESSAGES:-30000}
"$gen" --text-only --messages "$n" --seed 9 --out "$tmp/export" --quiet
want=$(jq .items "$tmp/export/summary.json")
db="$tmp/v.db"
"$VIGIL" init --db "$db" >/dev/null

count() { sqlite3 "$db" "SELECT count(*) FROM items" 2>/dev/null || echo 0; }

"$VIGIL" ingest --db "$db" --batch 2000 --quiet "$tmp/export" &
pid=$!
# wait (no clock involved) until at least one batch is committed, or the
# ingest ended by itself
got=0
while kill -0 "$pid" 2>/dev/null; do
    got=$(count)
    [ "$got" -gt 0 ] && break
    sleep 0.02      # pace the polling only; nothing depends on the time
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
pid=
before=$(count)
echo "killed after $before of $want items"
[ "$before" -lt "$want" ] ||
    echo "note: the ingest finished before the kill; the re-run checks only idempotence"

"$VIGIL" ingest --db "$db" --quiet "$tmp/export" || fail "re-run after kill -9 failed"
after=$(count)
distinct=$(sqlite3 "$db" "SELECT count(DISTINCT source_id || ':' || external_id) FROM items")
[ "$after" = "$want" ] || fail "store holds $after items, the export has $want"
[ "$distinct" = "$want" ] || fail "duplicates: $distinct distinct of $after"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
echo "ingest_kill9: ok ($after items, no duplicates, integrity ok)"
