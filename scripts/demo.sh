#!/usr/bin/env bash
# demo.sh BUILD_DIR — the MobileNetV2 demo: export the model (once), make a
# test image (once), classify it with the Wasm guest through WASI-NN, and
# check the result against the native libtorch reference runner.
set -euo pipefail
build=${1:-build}
py=/usr/bin/python3
models=$build/models
data=$build/data
mkdir -p "$models" "$data"

if [ ! -f "$models/mobilenet_v2_frozen.pt" ]; then
  echo "== exporting MobileNetV2 (torchvision architecture, seeded random weights) to $models"
  $py tools/export_mobilenet.py --out "$models"
fi
if [ ! -f "$data/demo.png" ]; then
  $py tools/make_test_image.py --out "$data/demo.png"
fi

echo "== classifying $data/demo.png inside WebAssembly (wasitorch run)"
"$build/bin/wasitorch" run \
  --dir "$models:/models:ro" --dir "$data:/data" \
  --nn-preload "mobilenet:pytorch:cpu:$models/mobilenet_v2_frozen.pt" --nn-optimize --nn-threads 1 \
  "$build/guests/classify.wasm" --labels /models/imagenet_classes.txt \
  --dump-input /data/demo_input.bin --dump-output /data/demo_output.bin /data/demo.png

echo "== same input through native libtorch (wt-native-ref)"
"$build/bin/wt-native-ref" --model "$models/mobilenet_v2_frozen.pt" --optimize --threads 1 \
  --input "$data/demo_input.bin" --shape 1,3,224,224 --output "$data/native_output.bin" >/dev/null
if cmp -s "$data/demo_output.bin" "$data/native_output.bin"; then
  echo "== Wasm output equals the native libtorch output bit for bit"
else
  echo "== MISMATCH between Wasm and native outputs" >&2
  exit 1
fi
