#!/usr/bin/python3
"""quantize_mobilenet.py -- int8 MobileNetV2 for the benchmark (post-training static).

Usage:
  /usr/bin/python3 tools/quantize_mobilenet.py --out DIR [--backend onednn|qnnpack]
        [--weights FILE] [--seed N] [--calib N]

Takes the very float network tools/export_mobilenet.py exports (same seed,
same randomised BatchNorm statistics, or the same local --weights), moves
its weights into torchvision's quantizable MobileNetV2 (identical parameter
names), fuses Conv+BN+ReLU, calibrates observers on seeded
ImageNet-normalised noise plus the reference input, converts to int8 and
writes into DIR:
  mobilenet_v2_int8.pt      traced + frozen TorchScript (quantized:: ops)
  mobilenet_v2_int8.ptl     the same for PyTorch Mobile's lite interpreter
  mobilenet_v2_int8.onnx    QDQ ONNX (opset 13) for ONNX Runtime, exported from
                            the unfrozen trace: torch 1.13's exporter cannot
                            find the packed weights once freezing inlined them
  mobilenet_v2_int8_output.bin  its output on mobilenet_input.bin (raw f32)

Quantised engines in Debian's torch 1.13 are onednn and qnnpack (no
fbgemm). Packed weights are re-packed for the process's engine when a model
is loaded, and libtorch's default engine on x86 is onednn, so the default
--backend matches what wt-native-ref and the wasitorch backend will run.
Input and output stay f32 (QuantStub/DeQuantStub inside the model), so the
classify guest and every runner feed it exactly what they feed the float
model.
"""
import argparse
import os
import sys
import time

import torch
from torch.utils.mobile_optimizer import optimize_for_mobile
from torchvision.models import quantization as tvq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_mobilenet as em  # noqa: E402  (same directory; shares the float model)


def log(msg: str) -> None:
    print(f"[quantize_mobilenet] {msg}", file=sys.stderr, flush=True)


def calibration_batches(seed: int, count: int, reference: torch.Tensor) -> list:
    """Seeded inputs shaped like normalised images: noise with per-channel
    offsets and a smooth component, so activation ranges are not those of
    white noise alone; the reference input is always among them."""
    gen = torch.Generator().manual_seed(seed + 7)
    batches = [reference]
    for _ in range(count):
        base = torch.randn(4, 3, 28, 28, generator=gen)
        smooth = torch.nn.functional.interpolate(base, size=(224, 224), mode="bilinear",
                                                 align_corners=False)
        noise = torch.randn(4, 3, 224, 224, generator=gen) * 0.3
        shift = torch.randn(1, 3, 1, 1, generator=gen) * 0.5
        batches.append(smooth * 1.2 + noise + shift)
    return batches


def quantize(float_model: torch.nn.Module, backend: str, batches: list) -> torch.nn.Module:
    torch.backends.quantized.engine = backend
    q = tvq.mobilenet_v2(weights=None, quantize=False)
    q.load_state_dict(float_model.state_dict())
    q.eval()
    q.fuse_model(is_qat=False)
    q.qconfig = torch.ao.quantization.get_default_qconfig(backend)
    torch.ao.quantization.prepare(q, inplace=True)
    with torch.no_grad():
        for x in batches:
            q(x)
    torch.ao.quantization.convert(q, inplace=True)
    return q.eval()


def main() -> int:
    ap = argparse.ArgumentParser(description="Post-training static int8 quantisation of MobileNetV2")
    ap.add_argument("--out", required=True, help="directory of export_mobilenet.py's files")
    ap.add_argument("--backend", default="onednn", choices=["onednn", "qnnpack"])
    ap.add_argument("--weights", help="local state_dict file (no download)")
    ap.add_argument("--seed", type=int, default=0, help="seed (default 0, as export_mobilenet.py)")
    ap.add_argument("--calib", type=int, default=16, help="calibration batches of 4 (default 16)")
    args = ap.parse_args()
    if args.backend not in torch.backends.quantized.supported_engines:
        raise SystemExit(f"quantize_mobilenet: engine {args.backend} not in this torch "
                         f"({torch.backends.quantized.supported_engines})")
    torch.set_num_threads(1)
    t0 = time.time()
    ref_in_path = os.path.join(args.out, "mobilenet_input.bin")
    if not os.path.exists(ref_in_path):
        raise SystemExit(f"quantize_mobilenet: {ref_in_path} missing: run export_mobilenet.py first")
    raw = bytearray(open(ref_in_path, "rb").read())
    example = torch.frombuffer(raw, dtype=torch.float32).reshape(em.INPUT_SHAPE).clone()

    float_model = em.build_model(args.weights, args.seed)
    q = quantize(float_model, args.backend, calibration_batches(args.seed, args.calib, example))
    with torch.no_grad():
        unfrozen = torch.jit.trace(q, example)
        path = os.path.join(args.out, "mobilenet_v2_int8.onnx")
        torch.onnx.export(unfrozen, (example,), path, opset_version=13,
                          input_names=["input"], output_names=["output"])
        log(f"wrote {path} ({os.path.getsize(path)} bytes, QDQ opset 13)")
        traced = torch.jit.freeze(unfrozen)
        out = traced(example)
        ref = float_model(example)
    path = os.path.join(args.out, "mobilenet_v2_int8.pt")
    traced.save(path, _extra_files=em.INPUT_SPEC)
    log(f"wrote {path} ({os.path.getsize(path)} bytes, engine {args.backend})")
    path = os.path.join(args.out, "mobilenet_v2_int8.ptl")
    optimize_for_mobile(traced)._save_for_lite_interpreter(path, _extra_files=em.INPUT_SPEC)
    log(f"wrote {path} ({os.path.getsize(path)} bytes)")
    path = os.path.join(args.out, "mobilenet_v2_int8_output.bin")
    out.contiguous().numpy().astype("<f4").tofile(path)
    agree = int((out.argmax(1) == ref.argmax(1)).sum())
    log(f"int8 vs float on the reference input: max abs diff {(out - ref).abs().max().item():.4f} "
        f"(logit range {ref.min().item():.3f}..{ref.max().item():.3f}), top-1 agrees: {bool(agree)}")
    log(f"done in {time.time() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
