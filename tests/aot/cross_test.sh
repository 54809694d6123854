#!/bin/sh
# cross_test.sh WASITORCH SRC_DIR WORKDIR CROSS_CC QEMU GUEST.wasm...
# Issue 4's cross-compilation check: `wasitorch compile --cc CROSS_CC` makes
# an aarch64 artifact; the runtime, cross-built for aarch64, runs it under
# qemu-user with the same output, exit code and trap message as the x86-64
# AOT tier, in both memory modes (which tests/aot/cli_test.sh compares with the
# interpreter). The x86-64 runtime refuses the artifact as foreign.
set -u
W=$1; SRC=$2; D=$3; XCC=$4; QEMU=$5; shift 5
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
mkdir -p "$D"
export XDG_CACHE_HOME="$D/cache"
XB="$D/build-aarch64"
XCXX=$(echo "$XCC" | sed 's/gcc$/g++/')

# The runtime for aarch64 (engine, WASI, CLI; no torch, no guests). Kept
# between runs, so a second ctest only rebuilds what changed.
if ! cmake -S "$SRC" -B "$XB" -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64 \
     -DCMAKE_C_COMPILER="$XCC" -DCMAKE_CXX_COMPILER="$XCXX" -DCMAKE_BUILD_TYPE=Release \
     -DWT_WITH_TORCH=OFF -DWT_BUILD_GUESTS=OFF -DWT_SANITIZE=OFF >"$D/configure.log" 2>&1; then
  cat "$D/configure.log"; echo "cross_test: cannot configure the aarch64 build"; exit 1
fi
if ! cmake --build "$XB" -j2 --target wasitorch >"$D/build.log" 2>&1; then
  tail -30 "$D/build.log"; echo "cross_test: cannot build the aarch64 runtime"; exit 1
fi
XW="$XB/bin/wasitorch"
file_arch=$(od -An -tx1 -j18 -N2 "$XW" | tr -d ' ')
[ "$file_arch" = "b700" ] || fail "cross-built runtime is not an aarch64 ELF (e_machine $file_arch)"

for G in "$@"; do
  name=$(basename "$G" .wasm)
  for mode in "" "--bounds-checks"; do
    A="$D/$name${mode:+-bounds}.arm64.cwasm"
    if ! "$W" compile --cc "$XCC" $mode "$G" -o "$A" >"$D/compile.log" 2>&1; then
      fail "compile $name $mode: $(cat "$D/compile.log")"; continue
    fi
    grep -a -q '^arch=aarch64$' "$A" || fail "$A: header does not say arch=aarch64"
    if [ -z "$mode" ]; then
      "$W" run "$A" >"$D/out" 2>&1; rc=$?
      [ "$rc" = 1 ] && grep -q foreign "$D/out" || fail "x86-64 runtime ran $A (rc $rc)"
    fi
    # guest.wat has exports to invoke; a C guest takes argv actions.
    case "$name" in
      guest) cases="fib:20 div:7,0 div:-2147483648,-1 oob:65536 sumsq:1000 indirect:5 grow:1 deep:100000000 unreachable: _start:";;
      *) cases="run: run:oob run:exit7";;
    esac
    for cs in $cases; do
      fn=${cs%%:*}; fa=$(echo "${cs#*:}" | tr ',' ' ')
      if [ "$fn" = run ]; then inv=""; else inv="--invoke $fn"; fi
      # The reference is the x86-64 AOT tier in the same memory mode (guard
      # page traps carry no location on either architecture); messages name
      # the module file, which differs, so the path is masked.
      "$W" run --engine aot $mode $inv "$G" $fa >"$D/want.raw" 2>&1; want_rc=$?
      grep -v '^wasitorch: compiling' "$D/want.raw" | sed "s|$G|MODULE|" >"$D/want"
      "$QEMU" -L /usr/aarch64-linux-gnu "$XW" run $inv "$A" $fa >"$D/got.raw" 2>&1; rc=$?
      sed "s|$A|MODULE|" "$D/got.raw" >"$D/got"
      if [ "$rc" != "$want_rc" ] || ! cmp -s "$D/got" "$D/want"; then
        fail "$name $mode [$cs]: aarch64 rc $rc '$(head -c 300 "$D/got")' vs x86-64 rc $want_rc '$(head -c 300 "$D/want")'"
      fi
      checked=$((${checked:-0} + 1))
    done
  done
done
if [ "$fails" = 0 ]; then echo "cross_test: all passed ($checked runs compared)"; else echo "cross_test: $fails failed"; exit 1; fi
