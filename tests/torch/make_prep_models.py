#!/usr/bin/python3
"""make_prep_models.py -- models for the preparation-selector tests and the
performance study (docs/torch-performance.md).

Usage: /usr/bin/python3 tests/torch/make_prep_models.py --out DIR [--yolo]

Always writes (small, fast to export):
  prep_convnet.pt         traced Conv-BN-ReLU/SiLU net, 1x3x32x32 input,
                          calibrated BN statistics (unfrozen: eval module)
  prep_convnet_frozen.pt  torch.jit.freeze of the same module
  prep_input.bin          raw f32 [1,3,32,32] input
With --yolo also:
  yolo_like.pt, yolo_like_frozen.pt  a plain-PyTorch YOLOv8n-shaped network
                          (Conv-BN-SiLU, C2f, SPPF, PAN neck, decoupled head
                          with DFL; width 0.25, depth 0.33, 80 classes),
                          input [1,3,640,640] f32, output [1,84,8400].
  yolo_input.bin          raw f32 [1,3,640,640] input

The YOLO-like network stands in for tools/export_yolov8.py until that lands:
what matters for graph preparation is the operator mix (3x3/1x1 convs,
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


class Bottleneck(nn.Module):
    def __init__(self, c1, c2, shortcut=True):
        super().__init__()
        self.cv1 = Conv(c1, c2, 3)
        self.cv2 = Conv(c2, c2, 3)
        self.add = shortcut and c1 == c2

    def forward(self, x):
        y = self.cv2(self.cv1(x))
        return x + y if self.add else y


class C2f(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=False):
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
    def __init__(self, c1, c2, k=5):
        super().__init__()
        c_ = c1 // 2
        self.cv1 = Conv(c1, c_, 1)
        self.cv2 = Conv(c_ * 4, c2, 1)
        self.m = nn.MaxPool2d(k, 1, k // 2)

    def forward(self, x):
        x = self.cv1(x)
        y1 = self.m(x)
        y2 = self.m(y1)
        return self.cv2(torch.cat((x, y1, y2, self.m(y2)), 1))


class Detect(nn.Module):
    """Decoupled head with DFL; anchors are fixed for a 640x640 input."""

    def __init__(self, nc=80, ch=(64, 128, 256), strides=(8, 16, 32), size=640):
        super().__init__()
        self.nc, self.reg = nc, 16
        c2, c3 = max(16, ch[0] // 4, 64), max(ch[0], min(nc, 100))
        self.cv2 = nn.ModuleList(
            nn.Sequential(Conv(x, c2, 3), Conv(c2, c2, 3), nn.Conv2d(c2, 4 * self.reg, 1)) for x in ch)
        self.cv3 = nn.ModuleList(
            nn.Sequential(Conv(x, c3, 3), Conv(c3, c3, 3), nn.Conv2d(c3, nc, 1)) for x in ch)
        self.register_buffer("proj", torch.arange(self.reg, dtype=torch.float32).view(1, self.reg, 1, 1))
        pts, st = [], []
        for s in strides:
            n = size // s
            ys, xs = torch.meshgrid(torch.arange(n) + 0.5, torch.arange(n) + 0.5, indexing="ij")
            pts.append(torch.stack((xs, ys), -1).view(-1, 2))
            st.append(torch.full((n * n, 1), float(s)))
        self.register_buffer("anchors", torch.cat(pts).t().unsqueeze(0))
        self.register_buffer("strides", torch.cat(st).t().unsqueeze(0))

    def forward(self, xs):
        outs = [torch.cat((b(x), c(x)), 1).flatten(2) for x, b, c in zip(xs, self.cv2, self.cv3)]
        y = torch.cat(outs, 2)
        box, cls = y.split((4 * self.reg, self.nc), 1)
        a = box.shape[2]
        dist = box.view(1, 4, self.reg, a).transpose(2, 1).softmax(1)
        dist = (dist * self.proj).sum(1)  # DFL: expectation over 16 bins -> [1,4,a]
        lt, rb = dist.chunk(2, 1)
        x1y1, x2y2 = self.anchors - lt, self.anchors + rb
        xywh = torch.cat(((x1y1 + x2y2) / 2, x2y2 - x1y1), 1) * self.strides
        return torch.cat((xywh, cls.sigmoid()), 1)


class YoloLike(nn.Module):
    def __init__(self):
        super().__init__()
        self.b0, self.b1, self.b2 = Conv(3, 16, 3, 2), Conv(16, 32, 3, 2), C2f(32, 32, 1, True)
        self.b3, self.b4 = Conv(32, 64, 3, 2), C2f(64, 64, 2, True)
        self.b5, self.b6 = Conv(64, 128, 3, 2), C2f(128, 128, 2, True)
        self.b7, self.b8, self.b9 = Conv(128, 256, 3, 2), C2f(256, 256, 1, True), SPPF(256, 256)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.h12, self.h15 = C2f(384, 128), C2f(192, 64)
        self.h16, self.h18 = Conv(64, 64, 3, 2), C2f(192, 128)
        self.h19, self.h21 = Conv(128, 128, 3, 2), C2f(384, 256)
        self.detect = Detect()

    def forward(self, x):
        p3 = self.b4(self.b3(self.b2(self.b1(self.b0(x)))))
        p4 = self.b6(self.b5(p3))
        p5 = self.b9(self.b8(self.b7(p4)))
        n4 = self.h12(torch.cat((self.up(p5), p4), 1))
        o3 = self.h15(torch.cat((self.up(n4), p3), 1))
        o4 = self.h18(torch.cat((self.h16(o3), n4), 1))
        o5 = self.h21(torch.cat((self.h19(o4), p5), 1))
        return self.detect([o3, o4, o5])


class ConvNet(nn.Module):
    """A small net with both activations the selector cares about: ReLU
    (oneDNN-friendly) and SiLU (not converted by 1.13's oneDNN pass)."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(Conv(3, 16, 3, 2, nn.ReLU()), Conv(16, 32, 3, 1), Conv(32, 32, 1, 1, nn.ReLU()))
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(self.body(x).mean((2, 3)))


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--yolo", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(3)
    export(ConvNet(), 32, args.out, "prep_convnet", "prep_input.bin", 3)
    if args.yolo:
        torch.manual_seed(5)
        export(YoloLike(), 640, args.out, "yolo_like", "yolo_input.bin", 5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
