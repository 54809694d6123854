#!/bin/sh
# run_guest.sh RUNNER GUEST_DIR TEST RESOLVER [SWAPPER]
#   RUNNER    "wasitorch run" style command: the CLI binary followed by "run",
#             or the wasi_embed harness (same options)
#   TEST      basic | exit | files | escape | conform_proc | conform_fd |
#             conform_path | hostile | race | fs_std (Rust) |
#             wat_NAME (GUEST_DIR/NAME.wasm)
#   RESOLVER  openat2 | walk (WASITORCH_WASI_RESOLVE)
#   SWAPPER   wasi_sandbox_test, whose --swap mode flips rw/swap between a
#             directory and a symlink to ../outside (and rw/swapf between a
#             file and a link to ../outside/target.txt) during the race test
# Builds a fresh tree, runs the guest with the grants the test expects,
# checks its exit status and output, and checks that nothing outside the
# granted directories (rw/, other/) was created or changed.
set -u
RUNNER=$1; GUESTS=$2; TEST=$3; RESOLVER=$4; SWAPPER=${5:-}
[ "$RESOLVER" = walk ] && export WASITORCH_WASI_RESOLVE=walk || unset WASITORCH_WASI_RESOLVE
fail() { echo "run_guest: $TEST ($RESOLVER): $*" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/wasi_guest.XXXXXX") || exit 1
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/box/rw" "$T/box/ro/sub" "$T/box/outside" "$T/box/other"
printf hello > "$T/box/ro/data.txt"
printf secret > "$T/box/outside/canary.txt"
ln -s /etc "$T/box/rw/etc_link"
ln -s ../outside "$T/box/rw/up"
ln -s ../outside/canary.txt "$T/box/rw/canary_link"
[ "$TEST" = hostile ] && mkfifo "$T/box/rw/fifo"
if [ "$TEST" = race ]; then
  mkdir "$T/box/rw/swap"
  printf inside > "$T/box/rw/swap/target.txt"
  ln -s ../outside "$T/box/rw/swap_alt"
  printf inside > "$T/box/rw/swapf"
  ln -s ../outside/target.txt "$T/box/rw/swapf_alt"
  printf 'SECRET!!' > "$T/box/outside/target.txt"
  printf v > "$T/box/outside/victim.txt"
fi

# Everything in box/ except rw/: names, types, sizes, times, modes, link
# targets and contents. box/ itself is included, so a name created next to
# rw/ changes its mtime; the output log lives in log/, outside box/.
snapshot() {
  (cd "$T/box" && find . \( -path ./rw -o -path ./other \) -prune -o -printf '%p %y %s %T@ %m %l\n' | sort
   find "$T/box/outside" "$T/box/ro" -type f -exec md5sum {} + | sort)
}
BEFORE=$(snapshot)
mkdir "$T/log"
OUT="$T/log/out.txt"

# For guests built on wasi_raw.h: exit 0 and "TEST: N checks, 0 failed".
check_guest() {
  rc=$?; cat "$OUT"
  [ $rc -eq 0 ] || fail "exit status $rc"
  grep -q "^$TEST: [0-9]* checks, 0 failed\$" "$OUT" || fail "unexpected output"
}

case $TEST in
basic)
  $RUNNER --env WT_TEST=42 "$GUESTS/wasi_basic.wasm" check one "two words" > "$OUT" 2>&1
  rc=$?; cat "$OUT"
  [ $rc -eq 0 ] || fail "exit status $rc"
  grep -q '^basic: args=4 env=42 failures=0$' "$OUT" || fail "unexpected output"
  grep -q '^basic: stderr works$' "$OUT" || fail "no stderr line" ;;
exit)
  for code in 0 3 42 255; do
    $RUNNER "$GUESTS/wasi_basic.wasm" exit $code; rc=$?
    [ $rc -eq $code ] || fail "proc_exit($code) gave exit status $rc"
  done ;;
files)
  $RUNNER --dir "$T/box/rw:/sandbox" "$GUESTS/wasi_files.wasm" > "$OUT" 2>&1
  rc=$?; cat "$OUT"
  [ $rc -eq 0 ] || fail "exit status $rc"
  grep -q '^files: failures=0$' "$OUT" || fail "unexpected output" ;;
escape)
  $RUNNER --dir "$T/box/rw:/sandbox" --dir "$T/box/ro:/ro:ro" "$GUESTS/wasi_escape.wasm" > "$OUT" 2>&1
  rc=$?; cat "$OUT"
  [ $rc -eq 0 ] || fail "exit status $rc"
  grep -q '^escape: [0-9]* checks, 0 failed$' "$OUT" || fail "unexpected output" ;;
conform_proc)
  printf 'ping\n' | $RUNNER --env A=1 --env EMPTY= --env 'SP=x y' --dir "$T/box/rw:/sandbox" \
    "$GUESTS/wasi_conform_proc.wasm" a 'b c' '' > "$OUT" 2>&1
  check_guest ;;
conform_fd|conform_path|hostile)
  # a low descriptor limit: the guest's floods must not need host fds
  (ulimit -n 512; $RUNNER --dir "$T/box/rw:/sandbox" --dir "$T/box/ro:/ro:ro" \
    --dir "$T/box/other:/other" "$GUESTS/wasi_$TEST.wasm" > "$OUT" 2>&1 < /dev/null)
  check_guest ;;
race)
  [ -n "$SWAPPER" ] || fail "no swapper given"
  "$SWAPPER" --swap "$T/box/rw" 30000 & swap_pid=$!
  $RUNNER --dir "$T/box/rw:/sandbox" "$GUESTS/wasi_race.wasm" 1000 > "$OUT" 2>&1 < /dev/null
  rc=$?
  kill "$swap_pid" 2>/dev/null; wait "$swap_pid" 2>/dev/null
  (exit $rc); check_guest ;;
fs_std)
  $RUNNER --env FS_STD=yes --dir "$T/box/rw:/sandbox" --dir "$T/box/ro:/ro:ro" \
    "$GUESTS/wasi_fs_std.wasm" ARG1 'two words' > "$OUT" 2>&1 < /dev/null
  check_guest ;;
wat_*)
  # hand-written modules: exit status = number of the first failed check
  $RUNNER --dir "$T/box/rw:/sandbox" --dir "$T/box/ro:/ro:ro" "$GUESTS/${TEST#wat_}.wasm" \
    > "$OUT" 2>&1 < /dev/null
  rc=$?; cat "$OUT"
  [ $rc -eq 0 ] || fail "check $rc failed"
  [ "$TEST" != wat_open_combos ] || grep -q '^hello from wat$' "$OUT" || fail "no output" ;;
*) fail "unknown test" ;;
esac

AFTER=$(snapshot)
[ "$(ls -A "$T")" = "$(printf 'box\nlog')" ] || fail "something appeared next to box/: $(ls -A "$T")"
[ "$BEFORE" = "$AFTER" ] || { echo "$BEFORE" > "$T/before"; echo "$AFTER" > "$T/after";
  diff "$T/before" "$T/after" >&2 || true; fail "the tree outside the grant changed"; }
[ ! -e /etc/wasitorch_pwned ] || fail "/etc/wasitorch_pwned exists"
echo "run_guest: $TEST ($RESOLVER): ok"
