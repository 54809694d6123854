#!/usr/bin/env bash
# check_wasitorch_cc.sh WRAPPER SOURCE OUT — compile SOURCE with the wrapper
# and check the result: a valid wasm module whose imports are exactly the
# WASI-NN calls the program uses, plus WASI; and the wrapper's error paths.
set -euo pipefail
cc=$1 src=$2 out=$3
rm -f "$out"
"$cc" --help | grep -q 'usage: wasitorch-cc'
"$cc" -O2 -Wall -Wextra -Werror "$src" -o "$out"
wasm-validate "$out"
imports=$(wasm-objdump -x -j Import "$out")
for f in load_by_name init_execution_context set_input compute get_output; do
  grep -q "wasi_ephemeral_nn\.$f\b" <<<"$imports" || { echo "missing import $f"; exit 1; }
done
if grep -q 'wasi_ephemeral_nn\.load\b' <<<"$imports"; then
  echo "unexpected import of load"; exit 1
fi
# Usage errors exit 2 without touching the output.
set +e
"$cc" "$src" >/dev/null 2>&1; rc1=$?
"$cc" -o "$out.none" >/dev/null 2>&1; rc2=$?
set -e
[[ $rc1 -eq 2 && $rc2 -eq 2 && ! -e $out.none ]] || { echo "bad usage handling"; exit 1; }
echo "wasitorch-cc OK"
