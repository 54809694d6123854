#!/usr/bin/python3
"""export_yolov8.py -- YOLOv8n in plain PyTorch, exported for wasitorch.

Usage:
  /usr/bin/python3 tools/export_yolov8.py --out DIR [--weights FILE] [--seed N]
                   [--bias-demo | --no-bias-demo] [--force]

The network is YOLOv8n written out here (no ultralytics package): Conv-BN-SiLU
blocks, C2f, SPPF, the PAN neck and the decoupled, anchor-free head with DFL;
width 0.25, depth 0.33, 80 classes, 3,157,200 parameters.  Module names follow
Ultralytics' (model.0.conv.weight ... model.22.dfl.conv.weight), so a user's
local state_dict of a trained YOLOv8n loads with --weights, e.g. one saved by
    torch.save(torch.load("yolov8n.pt")["model"].float().state_dict(), "sd.pt")
on a machine that has ultralytics.

Input f32 [1,3,640,640] (RGB, /255, letterboxed), output f32 [1,84,8400]:
rows 0..3 are box centre x, centre y, width, height in input pixels (DFL
expectation, anchors and strides applied), rows 4..83 the 80 class
probabilities (sigmoid).  Anchors are 80x80 + 40x40 + 20x20, row-major per
level, strides 8/16/32.

Writes into DIR:
  yolov8n.pt             traced TorchScript (eval mode)
  yolov8n_frozen.pt      torch.jit.freeze(traced); the backend's `optimize`
                         option applies optimize_for_inference at load (on
                         YOLOv8n that is slower in torch 1.13; measure)
  yolov8n.ptl            optimize_for_mobile(freeze(traced)), lite interpreter
  yolov8n_input.bin      reference input, raw f32 [1,3,640,640]: a synthetic
                         photo-like picture (tools/make_test_image.py, 640x480,
                         seed 3) letterboxed with grey 114 padding
  yolov8n_output.bin     the traced model's output on it, raw f32 [1,84,8400]
  yolov8n.stamp          content hashes of all of the above (the cache)

Each model carries wasitorch_inputs.txt ("f32 -1,3,640,640").

Random weights (no --weights): seeded, BatchNorm running statistics randomised
by train-mode passes (as export_mobilenet.py does), head biases initialised as
Ultralytics does (box 1.0, class log(5/80/(640/stride)^2), so almost nothing
fires).  Such a model detects nothing meaningful; with --bias-demo (the
default for random weights) the class biases of three classes (0 person,
2 car, 16 dog) are then raised (and their weights scaled so the logits
spread with a standard deviation of 3) so that a few percent of the anchors of one
pyramid level each score above 0.5 on the reference picture.  Which anchors
fire still depends on the image, so the guest's decode + class-aware NMS gets
real, overlapping, image-dependent boxes to work on.  --no-bias-demo keeps
the plain initialisation; with --weights the biases are never touched.

Caching: the export takes a while, so DIR/yolov8n.stamp records a hash of this
script, the options and the torch version, plus the SHA-256 of every output.
A run whose key matches and whose files still hash as recorded does nothing
(--force exports anyway).  Outputs are deterministic: same options, same bytes.
"""
import argparse
import hashlib
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.utils.mobile_optimizer import optimize_for_mobile

SIDE = 640
NUM_CLASSES = 80
REG_MAX = 16
STRIDES = (8, 16, 32)
INPUT_SPEC = {"wasitorch_inputs.txt": "f32 -1,3,640,640\n"}
DEMO_CLASSES = ((0, 2), (2, 1), (16, 0))  # (class, pyramid level) pairs
DEMO_FRACTION = 0.03  # share of that level's anchors made to score > 0.5
DEMO_SPREAD = 3.0  # std of a demo class's logits on the reference picture
OUTPUTS = ("yolov8n.pt", "yolov8n_frozen.pt", "yolov8n.ptl",
           "yolov8n_input.bin", "yolov8n_output.bin")


def log(msg):
    print(f"[export_yolov8] {msg}", flush=True)


# ---------------------------------------------------------------- layers

class Conv(nn.Module):
    """Conv2d (no bias, 'same' padding) + BatchNorm + SiLU."""

    def __init__(self, c1, c2, k=1, s=1):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c2, eps=1e-3, momentum=0.03)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class Bottleneck(nn.Module):
    """Two 3x3 Convs, with a residual add when asked and shapes allow."""

    def __init__(self, c1, c2, shortcut):
        super().__init__()
        self.cv1 = Conv(c1, c2, 3)
        self.cv2 = Conv(c2, c2, 3)
        self.add = shortcut and c1 == c2

    def forward(self, x):
        y = self.cv2(self.cv1(x))
        return x + y if self.add else y


class C2f(nn.Module):
    """CSP block with 2 convolutions: split, n bottlenecks whose every
    intermediate result is kept, concatenate all, fuse with a 1x1 Conv."""

    def __init__(self, c1, c2, n, shortcut):
        super().__init__()
        self.c = c2 // 2
        self.cv1 = Conv(c1, 2 * self.c, 1)
        self.cv2 = Conv((2 + n) * self.c, c2, 1)
        self.m = nn.ModuleList(Bottleneck(self.c, self.c, shortcut) for _ in range(n))

    def forward(self, x):
        y = list(self.cv1(x).chunk(2, 1))
        for m in self.m:
            y.append(m(y[-1]))
        return self.cv2(torch.cat(y, 1))


class SPPF(nn.Module):
    """Spatial pyramid pooling (fast): three chained 5x5 max-pools."""

    def __init__(self, c1, c2, k=5):
        super().__init__()
        c_ = c1 // 2
        self.cv1 = Conv(c1, c_, 1)
        self.cv2 = Conv(c_ * 4, c2, 1)
        self.m = nn.MaxPool2d(k, 1, k // 2)

    def forward(self, x):
        y = [self.cv1(x)]
        for _ in range(3):
            y.append(self.m(y[-1]))
        return self.cv2(torch.cat(y, 1))


class Upsample(nn.Module):
    def forward(self, x):
        return nn.functional.interpolate(x, scale_factor=2.0, mode="nearest")


class Concat(nn.Module):
    def forward(self, xs):
        return torch.cat(xs, 1)


class DFL(nn.Module):
    """Distribution focal loss integral: softmax over REG_MAX bins, then the
    expectation, as a fixed 1x1 convolution with weights 0..REG_MAX-1."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(REG_MAX, 1, 1, bias=False).requires_grad_(False)
        self.conv.weight.data[:] = torch.arange(REG_MAX, dtype=torch.float).view(1, REG_MAX, 1, 1)

    def forward(self, x):
        b, _, a = x.shape
        x = x.view(b, 4, REG_MAX, a).transpose(2, 1).softmax(1)
        return self.conv(x).view(b, 4, a)


def make_anchors():
    """Anchor centres (grid cell + 0.5, in feature cells) as [2, 8400] and the
    matching strides as [1, 8400], level by level, row-major."""
    pts, strides = [], []
    for s in STRIDES:
        n = SIDE // s
        sy, sx = torch.meshgrid(torch.arange(n) + 0.5, torch.arange(n) + 0.5, indexing="ij")
        pts.append(torch.stack((sx, sy), -1).view(-1, 2))
        strides.append(torch.full((n * n, 1), float(s)))
    return torch.cat(pts).t().contiguous(), torch.cat(strides).t().contiguous()


class Detect(nn.Module):
    """Decoupled anchor-free head: per level a box branch (4*REG_MAX
    distance bins) and a class branch (80 logits)."""

    def __init__(self, ch):
        super().__init__()
        c2 = max(16, ch[0] // 4, REG_MAX * 4)
        c3 = max(ch[0], min(NUM_CLASSES, 100))
        self.cv2 = nn.ModuleList(nn.Sequential(Conv(x, c2, 3), Conv(c2, c2, 3),
                                               nn.Conv2d(c2, 4 * REG_MAX, 1)) for x in ch)
        self.cv3 = nn.ModuleList(nn.Sequential(Conv(x, c3, 3), Conv(c3, c3, 3),
                                               nn.Conv2d(c3, NUM_CLASSES, 1)) for x in ch)
        self.dfl = DFL()
        anchors, strides = make_anchors()
        self.register_buffer("anchors", anchors, persistent=False)
        self.register_buffer("strides", strides, persistent=False)

    def forward(self, xs):
        b = xs[0].shape[0]
        no = NUM_CLASSES + 4 * REG_MAX
        flat = [torch.cat((self.cv2[i](x), self.cv3[i](x)), 1).view(b, no, -1)
                for i, x in enumerate(xs)]
        box, cls = torch.cat(flat, 2).split((4 * REG_MAX, NUM_CLASSES), 1)
        lt, rb = self.dfl(box).chunk(2, 1)
        a = self.anchors.unsqueeze(0)
        x1y1, x2y2 = a - lt, a + rb
        xywh = torch.cat(((x1y1 + x2y2) / 2, x2y2 - x1y1), 1) * self.strides
        return torch.cat((xywh, cls.sigmoid()), 1)

    def init_biases(self):
        """Ultralytics' initial biases: box 1.0; class log(5/nc/(640/s)^2),
        i.e. a prior of ~5 objects per image spread over the cells."""
        for box, cls, s in zip(self.cv2, self.cv3, STRIDES):
            box[-1].bias.data[:] = 1.0
            cls[-1].bias.data[:] = math.log(5 / NUM_CLASSES / (SIDE / s) ** 2)


class YOLOv8n(nn.Module):
    """Layers 0-9 backbone, 10-21 PAN neck, 22 head; indices as Ultralytics'
    yolov8.yaml so state_dict keys match."""

    def __init__(self):
        super().__init__()
        self.model = nn.ModuleList([
            Conv(3, 16, 3, 2), Conv(16, 32, 3, 2), C2f(32, 32, 1, True),       # 0-2
            Conv(32, 64, 3, 2), C2f(64, 64, 2, True),                           # 3-4  P3
            Conv(64, 128, 3, 2), C2f(128, 128, 2, True),                        # 5-6  P4
            Conv(128, 256, 3, 2), C2f(256, 256, 1, True), SPPF(256, 256),       # 7-9  P5
            Upsample(), Concat(), C2f(384, 128, 1, False),                      # 10-12
            Upsample(), Concat(), C2f(192, 64, 1, False),                       # 13-15 out P3
            Conv(64, 64, 3, 2), Concat(), C2f(192, 128, 1, False),              # 16-18 out P4
            Conv(128, 128, 3, 2), Concat(), C2f(384, 256, 1, False),            # 19-21 out P5
            Detect((64, 128, 256)),                                             # 22
        ])

    def forward(self, x):
        m = self.model
        for i in range(5):
            x = m[i](x)
        p3 = x
        p4 = m[6](m[5](p3))
        p5 = m[9](m[8](m[7](p4)))
        h12 = m[12](m[11]([m[10](p5), p4]))
        h15 = m[15](m[14]([m[13](h12), p3]))
        h18 = m[18](m[17]([m[16](h15), h12]))
        h21 = m[21](m[20]([m[19](h18), p5]))
        return m[22]([h15, h18, h21])


# ---------------------------------------------------------------- building

def calibrate_bn(model, seed, passes=4):
    """Give BatchNorm layers non-trivial running statistics (fresh ones are
    mean 0 / var 1, which hides layout and folding bugs) by train-mode
    passes on random pictures; a high momentum makes a few passes enough."""
    gen = torch.Generator().manual_seed(seed + 1)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = 0.5
    model.train()
    with torch.no_grad():
        for _ in range(passes):
            model(torch.rand(2, 3, SIDE, SIDE, generator=gen))
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = 0.03
    model.eval()


def class_logits(model, x):
    """Class-branch logits per level ([80, cells]) on input x, bias included."""
    head = model.model[22]
    got = {}
    hooks = [head.cv3[i][-1].register_forward_hook(
        lambda _m, _i, out, i=i: got.__setitem__(i, out[0].flatten(1)))
        for i in range(len(STRIDES))]
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return [got[i] for i in range(len(STRIDES))]


def bias_demo(model, x):
    """Raise the class bias of DEMO_CLASSES so that DEMO_FRACTION of their
    level's anchors score above 0.5 on x (see the module docstring)."""
    head = model.model[22]
    logits = class_logits(model, x)
    for cls, lvl in DEMO_CLASSES:
        conv = head.cv3[lvl][-1]
        z = logits[lvl][cls] - conv.bias[cls]
        # Freshly initialised logits barely vary (std ~0.05), so a bias alone
        # would lift every anchor of the level to ~0.5 at once. Spread them
        # first so the scores separate the anchors.
        gain = DEMO_SPREAD / max(z.std().item(), 1e-6)
        conv.weight.data[cls] *= gain
        thr = torch.quantile(z * gain, 1.0 - DEMO_FRACTION).item()
        conv.bias.data[cls] = -thr
        log(f"bias demo: class {cls} on stride {STRIDES[lvl]}: weights x{gain:.2f}, "
            f"bias {-thr:.3f}")


def build_model(args, x):
    torch.manual_seed(args.seed)
    model = YOLOv8n()
    if args.weights:
        log(f"loading state_dict from {args.weights}")
        state = torch.load(args.weights, map_location="cpu")
        if isinstance(state, dict) and "state_dict" in state:
            state = state["state_dict"]
        model.load_state_dict({k: v.float() for k, v in state.items()})
        model.eval()
    else:
        log(f"random weights (seed {args.seed}); randomising BatchNorm statistics")
        model.model[22].init_biases()
        calibrate_bn(model, args.seed)
    if args.bias_demo:
        bias_demo(model, x)
    return model.eval()


def reference_input():
    """make_test_image.py's 640x480 picture (seed 3) letterboxed to 640x640:
    no resampling is needed, 80 grey rows above and below, RGB CHW / 255."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import make_test_image  # pylint: disable=import-outside-toplevel
    img = np.asarray(make_test_image.make_image(640, 480, 3), dtype=np.uint8)
    canvas = np.full((SIDE, SIDE, 3), 114, dtype=np.uint8)
    canvas[80:560] = img
    chw = canvas.transpose(2, 0, 1).astype(np.float32) / np.float32(255.0)
    return torch.from_numpy(np.ascontiguousarray(chw)).unsqueeze(0)


def save_models(model, example, out):
    traced = torch.jit.trace(model, example)
    traced.save(os.path.join(out, "yolov8n.pt"), _extra_files=INPUT_SPEC)
    frozen = torch.jit.freeze(traced)
    frozen.save(os.path.join(out, "yolov8n_frozen.pt"), _extra_files=INPUT_SPEC)
    # Freeze first: optimize_for_mobile folds BatchNorm wrongly otherwise.
    mobile = optimize_for_mobile(torch.jit.freeze(traced))
    mobile._save_for_lite_interpreter(os.path.join(out, "yolov8n.ptl"),
                                      _extra_files=INPUT_SPEC)
    log("wrote yolov8n.pt, yolov8n_frozen.pt, yolov8n.ptl")


def write_raw(path, t):
    t.contiguous().numpy().astype("<f4").tofile(path)
    log(f"wrote {path} ({t.numel() * 4} bytes, shape {list(t.shape)})")


# ---------------------------------------------------------------- caching

def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def cache_key(args):
    """Everything the outputs depend on: this script, the input picture's
    generator, the options (and the weights' content) and torch's version."""
    here = os.path.dirname(os.path.abspath(__file__))
    h = hashlib.sha256()
    for src in (os.path.abspath(__file__), os.path.join(here, "make_test_image.py")):
        h.update(open(src, "rb").read())
    opts = {"seed": args.seed, "bias_demo": args.bias_demo, "torch": torch.__version__,
            "weights": sha256_file(args.weights) if args.weights else None}
    h.update(json.dumps(opts, sort_keys=True).encode())
    return h.hexdigest()


def cached(out, key):
    """True when out/yolov8n.stamp has this key and every output still has
    the hash recorded there (a partial or edited file means re-export)."""
    try:
        with open(os.path.join(out, "yolov8n.stamp"), encoding="utf-8") as f:
            stamp = json.load(f)
        return stamp.get("key") == key and all(
            sha256_file(os.path.join(out, name)) == stamp["files"][name] for name in OUTPUTS)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def write_stamp(out, key):
    stamp = {"key": key, "files": {n: sha256_file(os.path.join(out, n)) for n in OUTPUTS}}
    tmp = os.path.join(out, "yolov8n.stamp.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(stamp, f, indent=1, sort_keys=True)
    os.replace(tmp, os.path.join(out, "yolov8n.stamp"))


# ---------------------------------------------------------------- main

def parse_args():
    ap = argparse.ArgumentParser(description="Export YOLOv8n for wasitorch")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--weights", help="local state_dict file (Ultralytics key names)")
    ap.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    ap.add_argument("--bias-demo", dest="bias_demo", action="store_true", default=None,
                    help="raise three class biases so a few boxes fire (default "
                         "without --weights)")
    ap.add_argument("--no-bias-demo", dest="bias_demo", action="store_false")
    ap.add_argument("--force", action="store_true", help="ignore the cache")
    args = ap.parse_args()
    if args.bias_demo is None:
        args.bias_demo = not args.weights
    return args


def main():
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    key = cache_key(args)
    if not args.force and cached(args.out, key):
        log(f"up to date in {args.out} (yolov8n.stamp); --force re-exports")
        return 0
    torch.set_num_threads(1)
    t0 = time.time()
    example = reference_input()
    model = build_model(args, example)
    log(f"YOLOv8n: {sum(p.numel() for p in model.parameters()):,} parameters")
    save_models(model, example, args.out)
    with torch.inference_mode():
        ref = torch.jit.load(os.path.join(args.out, "yolov8n.pt")).eval()(example)
    write_raw(os.path.join(args.out, "yolov8n_input.bin"), example)
    write_raw(os.path.join(args.out, "yolov8n_output.bin"), ref)
    scores = ref[0, 4:].max(0).values
    log(f"reference output: {int((scores > 0.25).sum())} anchors score > 0.25, "
        f"max score {scores.max().item():.4f}, box w range "
        f"[{ref[0, 2].min().item():.1f}, {ref[0, 2].max().item():.1f}]")
    write_stamp(args.out, key)
    log(f"done in {time.time() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
