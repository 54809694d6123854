#!/bin/sh
# Builds the libFuzzer target and fuzzes decode+validate+instantiate for a
# bounded time.
#
#   tests/fuzz/run.sh SECONDS [BUILD_DIR]
#
# BUILD_DIR defaults to build-fuzz next to this repository's sources. The
# corpus grows in BUILD_DIR/corpus; the seeds (every .wasm file of the
# testsuite) stay in BUILD_DIR/tests/fuzz/seed. Crash, leak and timeout
# reproducers land in BUILD_DIR/artifacts/; replay one with
#   BUILD_DIR/bin/fuzz_module BUILD_DIR/artifacts/crash-...
# Exit status: 0 no finding, 1 a finding (or the build failed), 2 usage.
set -eu

if [ $# -lt 1 ] || ! [ "$1" -gt 0 ] 2>/dev/null; then
  echo "usage: $0 SECONDS [BUILD_DIR]" >&2
  exit 2
fi
seconds=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${2:-$src/build-fuzz}
jobs=${WT_JOBS:-2}

CC=${CC:-clang-14} CXX=${CXX:-clang++-14} cmake -S "$src" -B "$build" \
  -DWT_FUZZ=ON -DWT_WITH_TORCH=OFF -DWT_BUILD_GUESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs" --target fuzz_module

mkdir -p "$build/corpus" "$build/artifacts"
# -timeout: a single input running longer than this is a finding (the engine
# has a 200 ms deadline per call); -rss_limit_mb bounds memory per input.
exec "$build/bin/fuzz_module" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$build/artifacts/" \
  "$build/corpus" "$build/tests/fuzz/seed"
