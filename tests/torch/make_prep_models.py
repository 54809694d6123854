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
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
        from export_yolov8 import YOLOv8n
        torch.manual_seed(5)
        export(YOLOv8n(), 640, args.out, "yolo_like", "yolo_input.bin", 5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
