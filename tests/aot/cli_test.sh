#!/bin/sh
# cli_test.sh WASITORCH GUEST.wasm WORKDIR — end-to-end checks of the AOT
# tier through the CLI: both tiers give the same output, exit codes and
# trap messages; artifacts that are tampered, stale or foreign are refused;
# the cache is filled, reused and rebuilt; --timeout and stack exhaustion
# trap in native code. Exits non-zero at the first difference.
set -u
W=$1; G=$2; D=$3
rm -rf "$D"; mkdir -p "$D"
export XDG_CACHE_HOME="$D/cache"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# run TIER ARGS... -> "$D/out" (stdout+stderr, compile progress dropped), $rc
run() {
  tier=$1; shift
  "$W" run --engine "$tier" "$@" >"$D/out.raw" 2>&1; rc=$?
  grep -v '^wasitorch: compiling' "$D/out.raw" >"$D/out"
}

# Same stdout/stderr and exit code on both tiers (both memory modes).
same() {
  run interp "$@"; cp "$D/out" "$D/want"; want_rc=$rc
  for mode in "" "--bounds-checks"; do
    run aot $mode "$@"
    if [ "$rc" != "$want_rc" ] || ! cmp -s "$D/out" "$D/want"; then
      fail "aot $mode $* -> rc $rc: $(cat "$D/out") / interp rc $want_rc: $(cat "$D/want")"
    fi
  done
}

same "$G"
same --invoke fib "$G" 20
same --invoke sumsq "$G" 1000
same --invoke grow "$G" 1
same --invoke grow "$G" 5
same --invoke div "$G" 7 0
same --invoke div "$G" -2147483648 -1
same --invoke indirect "$G" 1
same --invoke indirect "$G" 5
same --invoke unreachable "$G"
same --invoke deep "$G" 0
same --timeout 0.3 --invoke spin "$G"

# Out-of-bounds: identical with explicit checks; with guard pages the kind
# and text are the same (the location is not known from a fault).
run interp --invoke oob "$G" 65530; cp "$D/out" "$D/want"
run aot --bounds-checks --invoke oob "$G" 65530
cmp -s "$D/out" "$D/want" || fail "oob (bounds checks): $(cat "$D/out")"
run aot --invoke oob "$G" 65530
[ "$rc" = 134 ] && grep -q "out of bounds memory access" "$D/out" || fail "oob (guard): $(cat "$D/out")"

# The cache: aot filled it (two modes -> two artifacts); auto uses it.
n=$(ls "$D"/cache/wasitorch/*.cwasm | wc -l)
[ "$n" = 2 ] || fail "expected 2 cached artifacts, found $n"
run auto --invoke fib "$G" 15
[ "$rc" = 0 ] && [ "$(cat "$D/out")" = 610 ] || fail "auto: $(cat "$D/out")"
grep -q compiling "$D/out.raw" && fail "auto recompiled a cached module"

# auto without a cached artifact interprets and compiles nothing, unless
# --compile; --cflags is part of the key.
run auto --cflags -O1 --invoke fib "$G" 15
[ "$rc" = 0 ] && [ "$(ls "$D"/cache/wasitorch/*.cwasm | wc -l)" = 2 ] || fail "auto compiled without --compile"
run auto --compile --cflags -O1 --invoke fib "$G" 15
[ "$rc" = 0 ] && [ "$(ls "$D"/cache/wasitorch/*.cwasm | wc -l)" = 3 ] || fail "auto --compile did not cache"

# wasitorch compile + run ARTIFACT.
"$W" compile "$G" -o "$D/g.cwasm" 2>"$D/compile.log" || fail "compile: $(cat "$D/compile.log")"
"$W" run "$D/g.cwasm" >"$D/out" 2>&1; rc=$?
[ "$rc" = 55 ] && grep -q "hello from aot" "$D/out" || fail "run g.cwasm: rc $rc $(cat "$D/out")"

# Tampered code: one byte of the object flipped -> refused, never run.
size=$(wc -c <"$D/g.cwasm")
cp "$D/g.cwasm" "$D/bad.cwasm"
printf 'X' | dd of="$D/bad.cwasm" bs=1 seek=$((size - 100)) conv=notrunc 2>/dev/null
"$W" run "$D/bad.cwasm" >"$D/out" 2>&1; rc=$?
[ "$rc" = 1 ] && grep -q "tampered" "$D/out" || fail "tampered artifact: rc $rc $(cat "$D/out")"

# Stale (another ABI) and foreign (another architecture) -> refused.
sed '0,/^abi=/s/^abi=.*/abi=999/' "$D/g.cwasm" >"$D/stale.cwasm"
"$W" run "$D/stale.cwasm" >"$D/out" 2>&1; rc=$?
[ "$rc" = 1 ] && grep -q "stale" "$D/out" || fail "stale artifact: rc $rc $(cat "$D/out")"
sed '0,/^arch=/s/^arch=.*/arch=mips/' "$D/g.cwasm" >"$D/foreign.cwasm"
"$W" run "$D/foreign.cwasm" >"$D/out" 2>&1; rc=$?
[ "$rc" = 1 ] && grep -q "foreign" "$D/out" || fail "foreign artifact: rc $rc $(cat "$D/out")"
printf 'WTAOT\nabi=1\n' >"$D/trunc.cwasm"
"$W" run "$D/trunc.cwasm" >"$D/out" 2>&1; rc=$?
[ "$rc" = 1 ] || fail "truncated artifact: rc $rc"

# A tampered cache entry is rebuilt, not run.
for f in "$D"/cache/wasitorch/*.cwasm; do
  s=$(wc -c <"$f"); printf 'X' | dd of="$f" bs=1 seek=$((s - 100)) conv=notrunc 2>/dev/null
done
run aot --invoke fib "$G" 15
[ "$rc" = 0 ] && [ "$(cat "$D/out")" = 610 ] && grep -q compiling "$D/out.raw" ||
  fail "tampered cache entry not rebuilt: $(cat "$D/out.raw")"

[ "$fails" = 0 ] && echo "cli_test: all passed"
exit "$fails"
