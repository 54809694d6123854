#!/usr/bin/env bash
# bench/run.sh — wasitorch's benchmark front door (`make bench` runs it).
#
#   bench/run.sh [BUILD_DIR] [--quick] [--kernels] [--kernels-only] [--e2e] [--e2e-only]
#                [models.py options...]
#
# Model benchmark (bench/models.py): MobileNetV2 and YOLOv8n through
# `wasitorch run` vs native libtorch (wt-native-ref), PyTorch Mobile and
# ONNX Runtime, at 1 and 2 threads; writes bench/results/models.{json,md,png}.
# --kernels also runs the CPU kernel suite (bench/kernels/run.py, written
# to bench/results/kernels.*) after it; --kernels-only runs just that.
# --quick is passed to each. --e2e also runs the MobileNetV2 demo end to end
# natively, interpreted and as AOT (bench/e2e_classify.py, written to
# bench/results/e2e-classify[-quick].*; needs classify-native); --e2e-only
# runs just that. Every other option goes to bench/models.py
# (see `bench/run.sh --help`).
#
# Bench-time installs (not CI): onnxruntime-node into bench/ort/node_modules
# through npm, and Debian's python3-matplotlib for the plot when missing and
# apt-get is usable. Either failing only drops that part, with a message.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
py=/usr/bin/python3
build=build
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then build=$1; shift; fi

models=1 kernels=0 e2e=0 quick=() pass=()
for a in "$@"; do
  case $a in
    --kernels) kernels=1 ;;
    --kernels-only) kernels=1 models=0 ;;
    --e2e) e2e=1 ;;
    --e2e-only) e2e=1 models=0 ;;
    --quick) quick=(--quick) ;;
    -h|--help)
      sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      echo; exec "$py" "$root/bench/models.py" --help ;;
    *) pass+=("$a") ;;
  esac
done

say() { echo "[bench] $*" >&2; }

# onnxruntime-node ships its native library inside the npm package; its
# postinstall script only fetches optional GPU providers, which are skipped.
install_ort() {
  local dir=$root/bench/ort
  [ -d "$dir/node_modules/onnxruntime-node" ] && return 0
  if ! command -v npm >/dev/null; then say "npm not found: ONNX Runtime left out"; return 0; fi
  say "installing onnxruntime-node into bench/ort (npm)"
  (cd "$dir" && ONNXRUNTIME_NODE_INSTALL_CUDA=skip ONNXRUNTIME_NODE_INSTALL=skip \
     npm install --no-audit --no-fund --loglevel=error >&2) || say "npm install failed: ONNX Runtime left out"
}

install_matplotlib() {
  "$py" -c 'import matplotlib' 2>/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing python3-matplotlib (Debian) for the plot"
    { apt-get install -y -q python3-matplotlib || { apt-get update -q && apt-get install -y -q python3-matplotlib; }; } \
      >&2 || say "python3-matplotlib could not be installed: no plot"
  else
    say "python3-matplotlib missing (apt-get install python3-matplotlib): no plot"
  fi
}

if [ "$models" = 1 ]; then
  case " ${pass[*]-} " in *" --no-ort "*) ;; *) install_ort ;; esac
  install_matplotlib
  "$py" "$root/bench/models.py" "$build" "${quick[@]}" "${pass[@]}"
fi
if [ "$kernels" = 1 ]; then
  if [ -f "$root/bench/kernels/run.py" ]; then
    say "kernel suite: bench/kernels/run.py"
    "$py" "$root/bench/kernels/run.py" --wasitorch "$build/bin/wasitorch" "${quick[@]}"
  else
    say "bench/kernels/run.py does not exist yet: kernel suite skipped"
  fi
fi
if [ "$e2e" = 1 ]; then
  say "MobileNetV2 demo end to end: bench/e2e_classify.py"
  "$py" "$root/bench/e2e_classify.py" "$build" "${quick[@]}"
fi
