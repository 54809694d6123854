#!/usr/bin/python3
"""export_onnx.py -- convert a saved TorchScript model to ONNX for the benchmark.

Usage:
  /usr/bin/python3 tools/export_onnx.py --model M.pt --out M.onnx
        [--shape 1,3,224,224] [--opset 13] [--input IN.bin]

The model is the same traced TorchScript file the wasitorch and libtorch
runners load, so every contender runs the same weights: torch.onnx.export
re-traces the ScriptModule's forward on an example input of --shape (the
raw f32 file --input when given, else seeded noise).  There is no
onnxruntime for Python on this machine, so the numerical check against the
native reference is the ONNX Runtime runner's job (bench/ort/run_ort.mjs
--reference prints the max abs difference).

Quantised TorchScript models (tools/quantize_mobilenet.py) export to the
QDQ form (QuantizeLinear/DequantizeLinear around float ops) that ONNX
Runtime fuses back into integer kernels; that needs opset >= 13.
Only Debian's python3-torch is needed: torch 1.13's exporter writes the
protobuf itself, without the `onnx` Python package.
"""
import argparse
import os
import sys
import time

import torch


def log(msg: str) -> None:
    print(f"[export_onnx] {msg}", file=sys.stderr, flush=True)


def parse_shape(text: str) -> list:
    dims = [int(d) for d in text.split(",") if d]
    if not dims or any(d <= 0 for d in dims):
        raise SystemExit(f"export_onnx: bad --shape '{text}'")
    return dims


def example_input(shape: list, path: str) -> torch.Tensor:
    """The reference input when given (raw little-endian f32), else seeded noise."""
    if path:
        data = open(path, "rb").read()
        t = torch.frombuffer(bytearray(data), dtype=torch.float32)
        return t.reshape(shape).clone()
    return torch.randn(*shape, generator=torch.Generator().manual_seed(0))


def main() -> int:
    ap = argparse.ArgumentParser(description="Export a TorchScript model to ONNX")
    ap.add_argument("--model", required=True, help="TorchScript file (traced)")
    ap.add_argument("--out", required=True, help="ONNX file to write")
    ap.add_argument("--shape", default="1,3,224,224", help="input shape (default 1,3,224,224)")
    ap.add_argument("--opset", type=int, default=13, help="ONNX opset (default 13)")
    ap.add_argument("--input", help="raw f32 input used as the tracing example")
    args = ap.parse_args()
    torch.set_num_threads(1)
    t0 = time.time()
    shape = parse_shape(args.shape)
    model = torch.jit.load(args.model, map_location="cpu").eval()
    example = example_input(shape, args.input)
    with torch.no_grad():
        out = model(example)
        torch.onnx.export(model, (example,), args.out, opset_version=args.opset,
                          input_names=["input"], output_names=["output"],
                          do_constant_folding=True)
    size = os.path.getsize(args.out)
    shape_out = list(out.shape) if isinstance(out, torch.Tensor) else "non-tensor"
    log(f"wrote {args.out} ({size} bytes, opset {args.opset}, output {shape_out}) "
        f"in {time.time() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
