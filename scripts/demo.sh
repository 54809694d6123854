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

# ---- YOLOv8n object detection (examples/detect) --------------------------
# The exporter caches by content (models/yolov8n.stamp), so this is quick
# after the first run. Seeded random weights plus the documented bias demo:
# the boxes are not meaningful objects, but decode and NMS run for real.
echo "== exporting YOLOv8n (plain-PyTorch architecture, seeded random weights) to $models"
$py tools/export_yolov8.py --out "$models"
if [ ! -f "$data/detect.png" ]; then
  $py tools/make_test_image.py --out "$data/detect.png" --size 640x480 --seed 3
fi

echo "== detecting objects in $data/detect.png inside WebAssembly (wasitorch run)"
"$build/bin/wasitorch" run \
  --dir "$models:/models:ro" --dir "$data:/data" \
  --nn-preload "yolov8n:pytorch:cpu:$models/yolov8n_frozen.pt" --nn-threads 1 \
  "$build/guests/detect.wasm" --out /data/detect_annotated.png \
  --dump-input /data/detect_input.bin --dump-output /data/detect_output.bin \
  /data/detect.png | tee "$data/detect_guest.txt"

echo "== same input through native libtorch (wt-native-ref)"
"$build/bin/wt-native-ref" --model "$models/yolov8n_frozen.pt" --threads 1 \
  --input "$data/detect_input.bin" --shape 1,3,640,640 \
  --output "$data/detect_native.bin" >/dev/null
if ! cmp -s "$data/detect_output.bin" "$data/detect_native.bin"; then
  echo "== MISMATCH between Wasm and native YOLOv8n outputs" >&2
  exit 1
fi
echo "== Wasm output equals the native libtorch output bit for bit"

# Detection rows: rank, class, score, x1, y1, x2, y2 (the guest adds names).
rows() { awk '/^ *[0-9]+ +[0-9]+ +[0-9.]+ +[-0-9.]+ /{print $1,$2,$3,$4,$5,$6,$7}' "$1"; }
$py tools/detect_reference.py --output "$data/detect_output.bin" \
  --image "$data/detect.png" > "$data/detect_reference.txt"
if [ -z "$(rows "$data/detect_guest.txt")" ] || \
   ! diff <(rows "$data/detect_guest.txt") <(rows "$data/detect_reference.txt") >/dev/null; then
  echo "== MISMATCH between the guest's boxes and tools/detect_reference.py" >&2
  exit 1
fi
echo "== the guest's $(rows "$data/detect_guest.txt" | wc -l) boxes equal the Python reference's;" \
     "annotated image: $data/detect_annotated.png"
