#!/usr/bin/python3
"""make_prep_models.py -- models for the preparation-selector tests and the
performance study (docs/torch-performance.md).

Usage: /usr/bin/python3 tests/torch/make_prep_models.py --out DIR [--yolo]

Always writes (small, fast to export):
  prep_convnet.pt         traced Conv-BN-ReLU/SiLU net, 1x3x32x32 input,
                          calibrated BN statistics (unfrozen: eval module)
  prep_convnet_frozen.pt  torch.jit.freeze of the same module
  prep_input.bin          raw f32 [1,3,32,32] input
  prep_fusenet.pt         traced net with every pattern the "fused"
                          preparation rewrites (src/nn/torch/dnnl_fuse.cpp)
                          and the cases it must leave to ATen, input
                          [1,3,20,18]; output one flat f32 vector
  prep_fusenet_frozen.pt  the same, frozen (its conv parameters load back
                          as list constructions, not constants)
  prep_fuse_input.bin     raw f32 [1,3,20,18] input
  prep_fuse_input_odd.bin raw f32 [1,3,17,23] input (another shape)
  prep_bad_stride.pt      scripted conv2d, then one with stride 0 (hostile)
With --yolo also:
  yolo_like.pt, yolo_like_frozen.pt  tools/export_yolov8.py's YOLOv8n with
                          randomised BN statistics (no bias demo),
                          input [1,3,640,640] f32, output [1,84,8400].
  yolo_input.bin          raw f32 [1,3,640,640] input

For graph preparation what matters is the operator mix (3x3/1x1 convs,
SiLU everywhere, concat, upsample, max-pool, DFL softmax), not the weights.
BatchNorm statistics are randomised so that folding bugs cannot hide
behind the 0/1 defaults.
"""
import argparse
import os
import sys

import torch
from torch import nn

SPEC = {"wasitorch_inputs.txt": "f32 -1,3,-1,-1\n"}


class Conv(nn.Module):
    """Conv2d + BatchNorm + activation, as in ultralytics' Conv."""

    def __init__(self, c1, c2, k=1, s=1, act=None):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c2)
        self.act = act if act is not None else nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class ConvNet(nn.Module):
    """A small net with both activations the selector cares about: ReLU
    (oneDNN-friendly) and SiLU (not converted by 1.13's oneDNN pass)."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(Conv(3, 16, 3, 2, nn.ReLU()), Conv(16, 32, 3, 1), Conv(32, 32, 1, 1, nn.ReLU()))
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(self.body(x).mean((2, 3)))


class FuseNet(nn.Module):
    """One of each chain the fused preparation rewrites (11 in all), with
    every intermediate in the output so that a wrong border pixel anywhere
    shows: conv+relu, conv+ReLU6, conv+SiLU with stride 2 on odd sizes,
    conv+add+relu, conv+add without bias, grouped dilated conv+clamp, a
    1-channel conv (oneDNN has only its reference kernel: ATen runs it), a
    broadcasting add (left to ATen at run time), depthwise conv+ReLU6,
    linear+relu and linear without bias."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, 1, 1)
        self.c2 = nn.Conv2d(8, 16, 1)
        self.c3 = nn.Conv2d(16, 16, 3, 2, 1)
        self.c4 = nn.Conv2d(16, 16, 1)
        self.c5 = nn.Conv2d(16, 16, 3, 1, 1, bias=False)
        self.cg = nn.Conv2d(16, 16, 3, 1, 2, dilation=2, groups=4)
        self.c1ch = nn.Conv2d(16, 1, 1)
        self.cbc = nn.Conv2d(16, 16, 1)
        self.cdw = nn.Conv2d(16, 16, 3, 1, 1, groups=16)
        self.l1 = nn.Linear(16, 12)
        self.l2 = nn.Linear(12, 5, bias=False)
        with torch.no_grad():  # so that both ReLU6 clip at 6, not only at 0
            self.c2.weight.mul_(40)
            self.cdw.weight.mul_(8)

    def forward(self, x):
        a = torch.relu(self.c1(x))
        b = nn.functional.relu6(self.c2(a))
        c = nn.functional.silu(self.c3(b))
        d = torch.relu(self.c4(c) + c)
        e = self.c5(d) + d
        f = torch.clamp(self.cg(e), -1.0, 1.0)
        g = self.c1ch(f)
        h = self.cbc(f) + f.mean((2, 3), keepdim=True)
        dw = nn.functional.relu6(self.cdw(f))
        v = torch.relu(self.l1(dw.mean((2, 3))))
        w = self.l2(v)
        parts = [a, b, c, d, e, f, g, h, dw, v, w]
        return torch.cat([p.flatten(1) for p in parts], 1)


def calibrate(model, size, seed):
    """Randomise BN running statistics with train-mode passes (momentum 1)."""
    gen = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = 1.0
    model.train()
    with torch.no_grad():
        for _ in range(2):
            model(torch.rand(1, 3, size, size, generator=gen) * 2 - 0.5)
    model.eval()


def export(model, size, out, stem, input_name, seed):
    torch.manual_seed(seed)
    calibrate(model, size, seed)
    x = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(seed + 7))
    with torch.no_grad():
        traced = torch.jit.trace(model, x)
    traced.save(os.path.join(out, stem + ".pt"), _extra_files=SPEC)
    torch.jit.freeze(traced).save(os.path.join(out, stem + "_frozen.pt"), _extra_files=SPEC)
    with open(os.path.join(out, input_name), "wb") as f:
        f.write(x.contiguous().numpy().astype("<f4").tobytes())


def export_fusenet(out):
    torch.manual_seed(11)
    model = FuseNet().eval()
    gen = torch.Generator().manual_seed(12)
    x = torch.randn(1, 3, 20, 18, generator=gen)
    with torch.no_grad():
        traced = torch.jit.trace(model, x)
    # No input spec: a wrongly shaped input must reach the fused ops (the
    # backend would refuse it before the model runs otherwise).
    traced.save(os.path.join(out, "prep_fusenet.pt"))
    torch.jit.freeze(traced).save(os.path.join(out, "prep_fusenet_frozen.pt"))
    for name, t in (("prep_fuse_input.bin", x), ("prep_fuse_input_odd.bin", torch.randn(1, 3, 17, 23, generator=gen))):
        with open(os.path.join(out, name), "wb") as f:
            f.write(t.contiguous().numpy().astype("<f4").tobytes())


class BadStride(nn.Module):
    """A scripted convolution with stride 0: never valid, but a model file
    can say so. The fused preparation must leave it to ATen's error instead
    of dividing by zero."""

    def __init__(self):
        super().__init__()
        self.ok = nn.Parameter(torch.randn(3, 3, 3, 3))
        self.w = nn.Parameter(torch.randn(4, 3, 3, 3))

    def forward(self, x):
        y = nn.functional.conv2d(x, self.ok, None, [1, 1], [1, 1])  # fused
        return nn.functional.conv2d(y, self.w, None, [0, 0])  # left to ATen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--yolo", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(3)
    export(ConvNet(), 32, args.out, "prep_convnet", "prep_input.bin", 3)
    export_fusenet(args.out)
    torch.jit.script(BadStride().eval()).save(os.path.join(args.out, "prep_bad_stride.pt"))
    if args.yolo:
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
        from export_yolov8 import YOLOv8n
        torch.manual_seed(5)
        export(YOLOv8n(), 640, args.out, "yolo_like", "yolo_input.bin", 5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
