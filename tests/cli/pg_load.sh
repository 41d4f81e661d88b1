#!/bin/sh
# tests/cli/pg_load.sh - libpq is loaded only when a PostgreSQL store is
# opened: the binary does not link it, a postgresql:// URI still reaches a
# server through it (here none listens: libpq's own connect error), and a
# libpq that cannot be loaded is a clear store error, not a crash; the
# SQLite store works either way.
set -eu
: "${VIGIL:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-pgload.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

if command -v ldd > /dev/null 2>&1; then
    ! ldd "$VIGIL" | grep -q 'libpq\.so' || fail "vigil links libpq"
fi
uri="postgresql:///vigil_none?host=$tmp/nosock"

rc=0
"$VIGIL" stats --db "$uri" > "$tmp/out" 2> "$tmp/err" || rc=$?
[ "$rc" -ne 0 ] || fail "stats on a closed server exited 0"
grep -q 'postgresql: connect' "$tmp/err" || fail "no libpq connect error: $(cat "$tmp/err")"
grep -q "$tmp/nosock" "$tmp/err" || fail "connect error does not name the socket"

rc=0
VIGIL_LIBPQ="$tmp/no-libpq.so.5" "$VIGIL" stats --db "$uri" > "$tmp/out" 2> "$tmp/err" || rc=$?
[ "$rc" -ne 0 ] || fail "stats without libpq exited 0"
grep -q "cannot load $tmp/no-libpq.so.5" "$tmp/err" || fail "no load error: $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "output without a store"

# the SQLite store needs no libpq
VIGIL_LIBPQ="$tmp/no-libpq.so.5" "$VIGIL" init --db "$tmp/v.db" > /dev/null 2>&1 || fail "init"
VIGIL_LIBPQ="$tmp/no-libpq.so.5" "$VIGIL" stats --db "$tmp/v.db" > "$tmp/out" 2> "$tmp/err" ||
    fail "sqlite stats: $(cat "$tmp/err")"
echo "pg_load: ok"
