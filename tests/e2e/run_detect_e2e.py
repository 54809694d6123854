#!/usr/bin/python3
"""detect.wasm (YOLOv8n) on the real runtime vs native libtorch and the
Python post-processing reference.

    run_detect_e2e.py MODE WASITORCH WT_NATIVE_REF DETECT_WASM MODELS_DIR
                      TOOLS_DIR WORKDIR

MODE is one of
  preload    --nn-preload of yolov8n_frozen.pt on the 640x480 reference
             picture: the guest's input equals export_yolov8.py's
             yolov8n_input.bin byte for byte (letterbox without scaling),
             its raw output equals wt-native-ref's, its boxes equal
             tools/detect_reference.py's (and torchvision's batched_nms
             keeps the same ones), NMS suppressed something, more than one
             class is found, the annotated PNG is the picture plus boxes in
             the class colours, --repeat reports median and p90
  letterbox  a 250x400 JPEG (scaled by 1.6, padded left and right) and a
             320x240 PNG: geometry line, grey 114 padding exactly, content
             in [0,1], output vs native, boxes vs reference
  file       --model-file (the model's bytes cross guest memory) with
             --conf 0.5 --iou 0.2: output vs native, boxes vs reference; at
             this IoU a class-agnostic NMS would keep fewer boxes (16 vs 21
             on the reference picture), so class-awareness is checked too
  mobile     --nn-preload of the PyTorch Mobile yolov8n.ptl: output vs
             wt-native-ref on the .ptl, boxes vs reference
  errors     usage errors exit 2 (bad --conf, --iou, --repeat, no image);
             runtime errors exit 1 with the cause on stderr (unknown model,
             missing/undecodable image, a classifier's output that is no
             [1,84,N] tensor)
Everything runs with one intra-op thread. Exit 0 = pass.
"""
import os
import re
import subprocess
import sys

import numpy as np

MODE, WT, REF, WASM, MODELS, TOOLS, WORK = sys.argv[1:8]
PY = "/usr/bin/python3"
SIDE = 640
FAILS = []
ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+([0-9.]+)\s+([-0-9.]+)\s+([-0-9.]+)\s+"
                 r"([-0-9.]+)\s+([-0-9.]+)(?:\s+(\S.*))?$")
# detect.c's palette, per class % 10 (draw_class_colour).
PALETTE = [(255, 56, 56), (255, 157, 151), (255, 112, 31), (255, 178, 29),
           (207, 210, 49), (72, 249, 10), (26, 147, 52), (0, 212, 187),
           (52, 69, 147), (255, 55, 199)]


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        FAILS.append(what)
    return cond


def run(cmd):
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    sys.stdout.write(p.stdout)
    sys.stderr.write(p.stderr)
    return p


def image(name, size, seed):
    path = os.path.join(WORK, name)
    if not os.path.exists(path):
        subprocess.run([PY, os.path.join(TOOLS, "make_test_image.py"), "--out", path,
                        "--size", size, "--seed", str(seed)], check=True)
    return path


def guest(model_args, args, preload=True):
    """wasitorch run detect.wasm; returns the CompletedProcess."""
    cmd = [WT, "run", "--nn-threads", "1", "--dir", f"{MODELS}:/models:ro",
           "--dir", f"{WORK}:/data"]
    if preload:
        cmd += ["--nn-preload", model_args]
    return run(cmd + [WASM] + args)


def parse_rows(text):
    """Detection rows as tuples (rank, class, score, x1, y1, x2, y2)."""
    rows, seen = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("#  class"):
            seen = True
            continue
        if not seen:
            continue
        m = ROW.match(line)
        if not m:
            break  # the table ends at the next section
        rows.append((int(m[1]), int(m[2])) + tuple(float(m[i]) for i in range(3, 8)))
    return rows


def compare_boxes(guest_out, raw, img_path, conf="0.25", iou="0.45"):
    """The guest's table must equal detect_reference.py's on the same raw
    output: same count and classes, numbers equal to the printed digit."""
    p = run([PY, os.path.join(TOOLS, "detect_reference.py"), "--output", raw, "--image",
             img_path, "--conf", conf, "--iou", iou, "--check-torchvision"])
    if not check(p.returncode == 0, "detect_reference.py exits 0"):
        return []
    mine, ref = parse_rows(guest_out), parse_rows(p.stdout)
    head = re.compile(r"^(?:geometry|detections) .*$", re.M)
    check(head.findall(guest_out) == head.findall(p.stdout),
          "geometry and detections lines equal the reference's")
    check(len(mine) == len(ref) and len(ref) > 0,
          f"{len(mine)} boxes printed, reference has {len(ref)}")
    check([r[:2] for r in mine] == [r[:2] for r in ref], "same ranks and classes")
    worst = max((abs(a - b) for m, r in zip(mine, ref) for a, b in zip(m[2:], r[2:])),
                default=0.0)
    check(worst <= 0.0051, f"scores and coordinates agree to the printed digit (max diff {worst})")
    check("torchvision batched_nms keeps the same boxes: yes" in p.stdout,
          "torchvision's batched_nms keeps the same boxes")
    return mine


def compare_native(model, din, dout, tag):
    native = os.path.join(WORK, f"native_{tag}.bin")
    q = run([REF, "--model", os.path.join(MODELS, model), "--threads", "1", "--input", din,
             "--shape", f"1,3,{SIDE},{SIDE}", "--output", native])
    if not check(q.returncode == 0, f"wt-native-ref exits 0 (rc={q.returncode})"):
        return
    a, b = open(dout, "rb").read(), open(native, "rb").read()
    check(len(a) == 84 * 8400 * 4, f"output is [1,84,8400] f32 ({len(a)} bytes)")
    check(a == b, "Wasm output is byte-identical to native libtorch")


def detect_run(tag, img, model="yolov8n_frozen.pt", extra=(), preload=True):
    """Run the guest with dumps; returns (stdout, input path, output path)."""
    din, dout = os.path.join(WORK, f"in_{tag}.bin"), os.path.join(WORK, f"out_{tag}.bin")
    args = list(extra) + ["--dump-input", f"/data/in_{tag}.bin", "--dump-output",
                          f"/data/out_{tag}.bin", f"/data/{os.path.basename(img)}"]
    p = guest(f"yolov8n:pytorch:cpu:{os.path.join(MODELS, model)}", args, preload)
    check(p.returncode == 0, f"wasitorch run exits 0 (rc={p.returncode})")
    return p.stdout, din, dout


def check_png(png, img, rows):
    from PIL import Image  # pylint: disable=import-outside-toplevel
    with Image.open(png) as im, Image.open(img) as orig:
        a, o = np.asarray(im.convert("RGB")), np.asarray(orig.convert("RGB"))
    if not check(a.shape == o.shape, f"annotated PNG has the picture's size {o.shape}"):
        return
    changed = (a != o).any(2)
    check(0.001 < changed.mean() < 0.6, f"boxes changed {changed.mean():.1%} of the pixels")
    # The best box is drawn last: the middle of its left edge has its colour.
    _, cls, _, x1, y1, _, y2 = rows[0]
    x, y = min(int(x1), o.shape[1] - 1), min(int((y1 + y2) / 2), o.shape[0] - 1)
    check(tuple(a[y, x]) == PALETTE[cls % 10],
          f"pixel ({x},{y}) on the top box's edge is class {cls}'s colour")


def mode_preload():
    img = image("ref.png", "640x480", 3)
    out, din, dout = detect_run("preload", img, extra=["--out", "/data/annotated.png",
                                                       "--repeat", "2"])
    check(re.search(r"repeat\s+2 runs: median [0-9.]+ ms, p90", out) is not None,
          "--repeat 2 reports median and p90")
    want = open(os.path.join(MODELS, "yolov8n_input.bin"), "rb").read()
    check(open(din, "rb").read() == want, "input equals export_yolov8.py's yolov8n_input.bin")
    compare_native("yolov8n_frozen.pt", din, dout, "preload")
    rows = compare_boxes(out, dout, img)
    m = re.search(r"detections\s+(\d+) of (\d+) candidates", out)
    check(m is not None and int(m[2]) > int(m[1]), "NMS suppressed overlapping boxes")
    check(len({r[1] for r in rows}) >= 2, "boxes of more than one class")
    if rows:
        check_png(os.path.join(WORK, "annotated.png"), img, rows)
    for stage in ("decode", "letterbox", "load", "inference", "postprocess", "annotate"):
        check(re.search(rf"^{stage}\s+[0-9.]+ ms$", out, re.M) is not None, f"{stage} time printed")


def check_padding(din, left, top, new_w, new_h):
    x = np.fromfile(din, "<f4").reshape(3, SIDE, SIDE)
    inside = np.zeros((SIDE, SIDE), bool)
    inside[top:top + new_h, left:left + new_w] = True
    pad = np.float32(114) / np.float32(255)
    check((x[:, ~inside] == pad).all(), "padding is exactly 114/255")
    body = x[:, inside]
    check(body.min() >= 0 and body.max() <= 1 and body.std() > 0.05,
          "content is in [0,1] and not flat")


def mode_letterbox():
    cases = [("portrait.jpg", "250x400", 7, (120, 0, 400, 640)),
             ("small.png", "320x240", 5, (0, 80, 640, 480))]
    for name, size, seed, (left, top, nw, nh) in cases:
        img = image(name, size, seed)
        tag = name.split(".")[0]
        out, din, dout = detect_run(tag, img)
        w, h = size.split("x")
        check(f"geometry    {w}x{h} -> {nw}x{nh} at ({left},{top})" in out,
              f"{name}: letterboxed to {nw}x{nh} at ({left},{top})")
        check_padding(din, left, top, nw, nh)
        compare_native("yolov8n_frozen.pt", din, dout, tag)
        compare_boxes(out, dout, img)


def mode_file():
    img = image("ref.png", "640x480", 3)
    out, din, dout = detect_run("file", img, extra=["--model-file", "/models/yolov8n_frozen.pt",
                                                    "--conf", "0.5", "--iou", "0.2"],
                                preload=False)
    check("(conf 0.50, iou 0.20)" in out, "thresholds from the command line are used")
    compare_native("yolov8n_frozen.pt", din, dout, "file")
    compare_boxes(out, dout, img, "0.5", "0.2")


def mode_mobile():
    img = image("ref.png", "640x480", 3)
    out, din, dout = detect_run("mobile", img, model="yolov8n.ptl")
    compare_native("yolov8n.ptl", din, dout, "mobile")
    compare_boxes(out, dout, img)


def mode_errors():
    image("ref.png", "640x480", 3)
    base = f"yolov8n:pytorch:cpu:{os.path.join(MODELS, 'yolov8n_frozen.pt')}"
    usage = [["--conf", "1", "/data/ref.png"], ["--conf", "nan", "/data/ref.png"],
             ["--iou", "0", "/data/ref.png"], ["--repeat", "0", "/data/ref.png"],
             ["--bogus", "/data/ref.png"], []]
    for args in usage:
        p = guest(base, args, preload=False)  # no model: fails before loading one
        check(p.returncode == 2 and "detect: " in p.stderr, f"{args}: usage error, exit 2")
    cases = [(["--model", "nope", "/data/ref.png"], base,
              r"cannot load model 'nope': not_found \(wasi-nn errno 8\)"),
             (["/data/missing.png"], None, r"cannot read image '/data/missing.png': No such file"),
             (["/models/yolov8n.stamp"], None, r"cannot decode image")]
    mobilenet = os.path.join(MODELS, "mobilenet_v2_frozen.pt")
    if os.path.exists(mobilenet):
        cases.append((["/data/ref.png"], f"yolov8n:pytorch:cpu:{mobilenet}",
                      r"output of 4000 bytes is not a \[1,84,N\] f32 tensor"))
    for args, pre, pat in cases:
        p = guest(pre, args, preload=pre is not None)
        check(p.returncode == 1 and re.search(pat, p.stderr) is not None,
              f"{' '.join(args)}: exit 1 and /{pat}/ (rc={p.returncode})")


def main():
    os.makedirs(WORK, exist_ok=True)
    modes = {"preload": mode_preload, "letterbox": mode_letterbox, "file": mode_file,
             "mobile": mode_mobile, "errors": mode_errors}
    if not check(os.path.exists(os.path.join(MODELS, "yolov8n_frozen.pt")),
                 f"yolov8n models exist in {MODELS}"):
        return 1
    modes[MODE]()
    print(f"{len(FAILS)} failed")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
