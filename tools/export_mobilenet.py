#!/usr/bin/python3
"""export_mobilenet.py -- export torchvision's MobileNetV2 for wasitorch.

Usage:
  /usr/bin/python3 tools/export_mobilenet.py --out DIR [--weights FILE] [--seed N]

Writes into DIR:
  mobilenet_v2.pt         traced TorchScript (eval mode)
  mobilenet_v2_frozen.pt  torch.jit.freeze(traced): constants folded; load it
                          with the backend's `optimize` option for the fastest
                          CPU graph (optimize_for_inference cannot be saved in
                          torch 1.13, so it happens at load time in C++)
  mobilenet_v2.ptl        optimize_for_mobile(freeze(traced)) for PyTorch
                          Mobile's lite interpreter
  imagenet_classes.txt    the 1000 ImageNet class names, one per line
  mobilenet_input.bin     reference input, raw little-endian f32 [1,3,224,224]
  mobilenet_output.bin    the traced model's output on it, raw f32 [1,1000]

Each model carries the extra file wasitorch_inputs.txt ("f32 -1,3,-1,-1"),
which the wasitorch backend uses to reject wrongly shaped inputs early.

Without --weights no download happens: the network gets seeded random
weights, and its BatchNorm running statistics are randomised by a few
train-mode forward passes on random data.  A fresh torchvision model has
running mean 0 / variance 1, which in eval mode collapses every logit to
~1e-9 and hides real bugs (wrong layout, wrong BN folding) behind zeros.
With --weights FILE, a local state_dict (e.g. torchvision's
mobilenet_v2-b0353104.pth) is loaded instead and the statistics are kept.
"""
import argparse
import os
import sys
import time

import torch
import torchvision
from torch.utils.mobile_optimizer import optimize_for_mobile
from torchvision.models import MobileNet_V2_Weights

INPUT_SHAPE = (1, 3, 224, 224)
# Declared input (dtype, dims; -1 = any size), stored in each model as the
# extra file wasitorch_inputs.txt. The backend checks inputs against it:
# PyTorch Mobile's XNNPACK convolutions in torch 1.13 do not check the
# channel count and read out of bounds when given too few channels.
INPUT_SPEC = {"wasitorch_inputs.txt": "f32 -1,3,-1,-1\n"}


def log(msg: str) -> None:
    print(f"[export_mobilenet] {msg}", flush=True)


def calibrate_bn(model: torch.nn.Module, seed: int, passes: int = 4) -> None:
    """Give BatchNorm layers non-trivial running statistics.

    Train-mode passes update running_mean/var from batch statistics; a high
    momentum makes a few passes enough.  Inputs are shifted and scaled so the
    statistics differ per channel and are far from the 0/1 defaults."""
    gen = torch.Generator().manual_seed(seed + 1)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.momentum = 0.5
    model.train()
    with torch.no_grad():
        for _ in range(passes):
            x = torch.randn(8, *INPUT_SHAPE[1:], generator=gen) * 1.5 + 0.25
            model(x)
    model.eval()


def build_model(weights: str, seed: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    model = torchvision.models.mobilenet_v2(weights=None)
    if weights:
        log(f"loading state_dict from {weights}")
        state = torch.load(weights, map_location="cpu")
        if isinstance(state, dict) and "state_dict" in state:
            state = state["state_dict"]
        model.load_state_dict(state)
    else:
        log(f"random weights (seed {seed}); randomising BatchNorm statistics")
        calibrate_bn(model, seed)
    return model.eval()


def write_raw(path: str, t: torch.Tensor) -> None:
    # Raw little-endian bytes, the layout a WASI-NN guest hands over.
    t.contiguous().numpy().astype("<f4").tofile(path)
    log(f"wrote {path} ({t.numel() * 4} bytes, shape {list(t.shape)})")


def save_models(model: torch.nn.Module, example: torch.Tensor, out: str) -> None:
    traced = torch.jit.trace(model, example)
    path = os.path.join(out, "mobilenet_v2.pt")
    traced.save(path, _extra_files=INPUT_SPEC)
    log(f"wrote {path}")

    frozen = torch.jit.freeze(traced)
    path = os.path.join(out, "mobilenet_v2_frozen.pt")
    frozen.save(path, _extra_files=INPUT_SPEC)
    log(f"wrote {path}")

    # Freeze before optimize_for_mobile: on an unfrozen trace it folds
    # BatchNorm with the default statistics (outputs collapse to ~1e-9).
    mobile = optimize_for_mobile(torch.jit.freeze(traced))
    path = os.path.join(out, "mobilenet_v2.ptl")
    mobile._save_for_lite_interpreter(path, _extra_files=INPUT_SPEC)
    log(f"wrote {path}")


def write_classes(out: str) -> None:
    # torchvision ships the category names in its weights metadata, so this
    # needs no network access even when the weights themselves are absent.
    names = MobileNet_V2_Weights.IMAGENET1K_V1.meta["categories"]
    path = os.path.join(out, "imagenet_classes.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(names) + "\n")
    log(f"wrote {path} ({len(names)} classes)")


def main() -> int:
    ap = argparse.ArgumentParser(description="Export MobileNetV2 for wasitorch")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--weights", help="local state_dict file (no download)")
    ap.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    t0 = time.time()

    model = build_model(args.weights, args.seed)
    gen = torch.Generator().manual_seed(args.seed + 2)
    example = torch.randn(*INPUT_SHAPE, generator=gen)
    save_models(model, example, args.out)
    write_classes(args.out)

    with torch.inference_mode():
        ref = torch.jit.load(os.path.join(args.out, "mobilenet_v2.pt")).eval()(example)
    write_raw(os.path.join(args.out, "mobilenet_input.bin"), example)
    write_raw(os.path.join(args.out, "mobilenet_output.bin"), ref)
    top = torch.topk(ref[0], 5)
    log(f"reference top-5 indices {top.indices.tolist()}, "
        f"logit range [{ref.min().item():.3f}, {ref.max().item():.3f}]")
    log(f"done in {time.time() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
