#!/usr/bin/python3
"""detect_reference.py -- YOLOv8 post-processing in Python, the reference
for examples/detect.

Usage:
  /usr/bin/python3 tools/detect_reference.py --output RAW.bin
        (--image IMG | --image-size WxH) [--conf 0.25] [--iou 0.45]
        [--side 640] [--max-det 300] [--check-torchvision]

RAW.bin is the raw little-endian f32 [1, 84, N] output of a YOLOv8 model
(e.g. the guest's --dump-output, or yolov8n_output.bin of
tools/export_yolov8.py). The image (or its size) gives the letterbox
geometry needed to map boxes back to the original picture. Prints the same
table as the guest ("detections ..." line, header, one row per box), so the
two can be compared line by line.

The rules, identical to examples/detect/postproc.c and letterbox.c:
  geometry  g = min(side/w, side/h) in double; new = floor(w*g + 0.5) clamped
            to 1..side; left = (side - new_w) // 2, top likewise; scale =
            float32(g)
  decode    per anchor the best class (strictly greater wins, so ties go
            to the lower class; a NaN best so far is replaced by the next
            score, so NaN only wins when every score is NaN, and a NaN
            best is never above conf); keep anchors with best
            > conf; x1 = cx - w*0.5, x2 = cx + w*0.5 (y likewise), float32
  order     descending score, ties by ascending anchor
  NMS       greedy: keep a box unless a kept box of the same class has
            IoU > iou; at most max_det boxes
  IoU       iw = min(x2) - max(x1), ih likewise; 0 unless both > 0;
            inter / (area_a + area_b - inter), 0 unless the union is > 0
  unbox     v' = (v - pad) / scale, clamped to [0, w] / [0, h]
All box arithmetic is float32 in the same operation order as the C code,
so the printed numbers come out identical, not merely close.

--check-torchvision also runs torchvision.ops.batched_nms on the same
candidates and prints whether it keeps the same boxes (an independent
implementation; it needs distinct scores to be comparable).
"""
import argparse
import math
import sys

import numpy as np

F32 = np.float32
CLASSES = 80


def letterbox_geometry(w, h, side):
    """(new_w, new_h, left, top, scale) exactly as lb_compute() does."""
    gain = min(side / w, side / h)
    new_w = min(max(int(math.floor(w * gain + 0.5)), 1), side)
    new_h = min(max(int(math.floor(h * gain + 0.5)), 1), side)
    return new_w, new_h, (side - new_w) // 2, (side - new_h) // 2, F32(gain)


def candidates(raw, conf):
    """Boxes above conf as a dict of float32/int arrays, in anchor order."""
    scores = raw[4:]
    best = scores[0].copy()
    cls = np.zeros(best.shape, dtype=np.int64)
    for c in range(1, scores.shape[0]):
        upd = (scores[c] > best) | np.isnan(best)
        best[upd] = scores[c][upd]
        cls[upd] = c
    idx = np.nonzero(best > F32(conf))[0]
    cx, cy, w, h = (raw[i][idx] for i in range(4))
    half = F32(0.5)
    return {"x1": cx - w * half, "y1": cy - h * half, "x2": cx + w * half,
            "y2": cy + h * half, "score": best[idx], "cls": cls[idx], "anchor": idx}


def pick_min(a, b):
    # C's `a < b ? a : b`, which differs from np.minimum for NaN.
    return np.where(a < b, a, b)


def pick_max(a, b):
    return np.where(a > b, a, b)


def iou_many(kept, box):
    """IoU of `box` (a row of 4 float32) with each row of `kept` ([k,4])."""
    iw = pick_min(kept[:, 2], box[2]) - pick_max(kept[:, 0], box[0])
    ih = pick_min(kept[:, 3], box[3]) - pick_max(kept[:, 1], box[1])
    inter = iw * ih
    area_a = (kept[:, 2] - kept[:, 0]) * (kept[:, 3] - kept[:, 1])
    area_b = (box[2] - box[0]) * (box[3] - box[1])
    uni = area_a + area_b - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = np.where(uni > 0, inter / uni, F32(0))
    return np.where((iw > 0) & (ih > 0), iou, F32(0)).astype(F32)


def nms(cand, iou_thr, max_det):
    """Indices into cand of the kept boxes, best first."""
    order = sorted(range(len(cand["score"])),
                   key=lambda i: (-float(cand["score"][i]), int(cand["anchor"][i])))
    xyxy = np.stack([cand[k] for k in ("x1", "y1", "x2", "y2")], 1).astype(F32)
    kept = []
    for i in order:
        if len(kept) >= max_det:
            break
        same = [k for k in kept if cand["cls"][k] == cand["cls"][i]]
        if same and (iou_many(xyxy[same], xyxy[i]) > F32(iou_thr)).any():
            continue
        kept.append(i)
    return kept


def unletterbox(v, pad, scale, limit):
    v = (v - F32(pad)) / scale
    return np.where(v < 0, F32(0), np.where(v > F32(limit), F32(limit), v)).astype(F32)


def torchvision_agrees(cand, kept, iou_thr, max_det):
    import torch  # pylint: disable=import-outside-toplevel
    from torchvision.ops import batched_nms  # pylint: disable=import-outside-toplevel
    boxes = torch.from_numpy(np.stack([cand[k] for k in ("x1", "y1", "x2", "y2")], 1))
    keep = batched_nms(boxes, torch.from_numpy(cand["score"]),
                       torch.from_numpy(cand["cls"]), float(F32(iou_thr)))
    return keep[:max_det].tolist() == kept


def parse_args(argv):
    ap = argparse.ArgumentParser(description="YOLOv8 post-processing reference")
    ap.add_argument("--output", required=True, help="raw f32 [1,84,N] model output")
    ap.add_argument("--image", help="the original image (for its size)")
    ap.add_argument("--image-size", help="WxH of the original image")
    ap.add_argument("--conf", type=float, default=0.25)
    ap.add_argument("--iou", type=float, default=0.45)
    ap.add_argument("--side", type=int, default=640)
    ap.add_argument("--max-det", type=int, default=300)
    ap.add_argument("--check-torchvision", action="store_true")
    a = ap.parse_args(argv)
    if bool(a.image) == bool(a.image_size):
        ap.error("give exactly one of --image and --image-size")
    if a.image:
        from PIL import Image  # pylint: disable=import-outside-toplevel
        with Image.open(a.image) as im:
            a.w, a.h = im.size
    else:
        a.w, a.h = (int(v) for v in a.image_size.lower().split("x"))
    return a


def main(argv=None):
    a = parse_args(argv)
    raw = np.fromfile(a.output, dtype="<f4").astype(F32)
    rows = 4 + CLASSES
    if raw.size == 0 or raw.size % rows:
        print(f"detect_reference: {a.output} is not a [1,{rows},N] f32 tensor", file=sys.stderr)
        return 1
    raw = raw.reshape(rows, -1)
    new_w, new_h, left, top, scale = letterbox_geometry(a.w, a.h, a.side)
    print(f"geometry    {a.w}x{a.h} -> {new_w}x{new_h} at ({left},{top}) in "
          f"{a.side}x{a.side}, scale {float(scale):.6f}")
    cand = candidates(raw, a.conf)
    kept = nms(cand, a.iou, a.max_det)
    x1 = unletterbox(cand["x1"][kept], left, scale, a.w)
    y1 = unletterbox(cand["y1"][kept], top, scale, a.h)
    x2 = unletterbox(cand["x2"][kept], left, scale, a.w)
    y2 = unletterbox(cand["y2"][kept], top, scale, a.h)
    print(f"detections  {len(kept)} of {len(cand['score'])} candidates "
          f"(conf {float(F32(a.conf)):.2f}, iou {float(F32(a.iou)):.2f})")
    print("   #  class    score        x1        y1        x2        y2")
    for r, k in enumerate(kept):
        print(f"{r + 1:4d}  {int(cand['cls'][k]):5d}  {float(cand['score'][k]):.5f}  "
              f"{float(x1[r]):8.2f}  {float(y1[r]):8.2f}  {float(x2[r]):8.2f}  "
              f"{float(y2[r]):8.2f}")
    if a.check_torchvision:
        ok = torchvision_agrees(cand, kept, a.iou, a.max_det)
        print(f"torchvision batched_nms keeps the same boxes: {'yes' if ok else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
