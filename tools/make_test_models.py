#!/usr/bin/python3
"""make_test_models.py -- tiny TorchScript models for the backend tests.

Usage: /usr/bin/python3 tools/make_test_models.py --out DIR

Every model is scripted (not traced) so its behaviour does not depend on an
example input, and every weight comes from a fixed seed, so running the tool
twice gives the same files.  Written files (all under DIR):

  echo_f16.pt echo_f32.pt echo_f64.pt echo_u8.pt echo_i32.pt echo_i64.pt
                  forward(x) -> x.clone(): bit-exact round trip per dtype;
                  raises if x does not have the file's dtype
  cast_f64.pt     forward(x) -> x.to(float64): output dtype differs from input
  tuple2.pt       forward(x) -> (x + 1, x.sum()): two outputs, different sizes
  nested.pt       forward(x) -> (x, [x * 2, (x * 3).to(int32)]): nested list
  dict.pt         forward(x) -> {"z": x, "a": x.sum()}: insertion order z, a
  two_inputs.pt   forward(a, b) -> a + 2 * b
  raises.pt       forward(x) raises "wt-test: negative input" when x.sum() < 0
  linear.pt       nn.Linear(4, 3), fixed weights: a model with a fixed shape
  linear.ptl      the same model for PyTorch Mobile's lite interpreter, with
                  the declared input "f32 -1,4" (extra file wasitorch_inputs.txt)
  linear_frozen.pt  torch.jit.freeze(linear): no "training" attribute left
  corrupt.pt      a damaged copy of linear.pt (truncated, bytes flipped)
"""
import argparse
import os
import sys
from typing import Dict, List, Tuple

import torch


class Echo(torch.nn.Module):
    """Returns a copy of its input, after checking that the input arrived
    with the dtype this file was made for (so a backend that maps tensor
    types wrongly fails loudly instead of echoing the same bytes)."""

    def __init__(self, dtype: torch.dtype):
        super().__init__()
        self.dtype = dtype

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dtype != self.dtype:
            raise TypeError("wt-test: unexpected input dtype")
        return x.clone()


class CastF64(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.float64)


class Tuple2(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return x + 1, x.sum()


class Nested(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        return x, [x * 2, (x * 3).to(torch.int32)]


class DictOut(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        # "z" first on purpose: the backend must keep insertion order, not
        # sort the keys.
        out: Dict[str, torch.Tensor] = {}
        out["z"] = x
        out["a"] = x.sum()
        return out


class TwoInputs(torch.nn.Module):
    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return a + 2 * b


class Raises(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if bool(x.sum() < 0):
            raise ValueError("wt-test: negative input")
        return x * 2


# The WASI-NN tensor types and the libtorch dtypes they map to.
DTYPES = {
    "f16": torch.float16,
    "f32": torch.float32,
    "f64": torch.float64,
    "u8": torch.uint8,
    "i32": torch.int32,
    "i64": torch.int64,
}


def linear_model() -> torch.nn.Module:
    """A 4->3 linear layer whose weights are small exact binary fractions,
    so its outputs are easy to check by hand in the tests."""
    lin = torch.nn.Linear(4, 3)
    with torch.no_grad():
        lin.weight.copy_(torch.arange(12, dtype=torch.float32).reshape(3, 4) / 4)
        lin.bias.copy_(torch.tensor([0.5, -1.0, 2.0]))
    return lin.eval()


def save(module: torch.nn.Module, out: str, name: str) -> None:
    scripted = torch.jit.script(module.eval())
    path = os.path.join(out, name)
    scripted.save(path)
    print(f"wrote {path}")


def write_corrupt(out: str) -> None:
    """A truncated zip with flipped bytes: the loader must reject it with
    a message, not crash."""
    with open(os.path.join(out, "linear.pt"), "rb") as f:
        data = bytearray(f.read())
    data = data[: len(data) // 2]
    for i in range(64, len(data), 97):
        data[i] ^= 0x5A
    path = os.path.join(out, "corrupt.pt")
    with open(path, "wb") as f:
        f.write(bytes(data))
    print(f"wrote {path}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="output directory")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)

    for tag, dtype in DTYPES.items():
        save(Echo(dtype), args.out, f"echo_{tag}.pt")
    save(CastF64(), args.out, "cast_f64.pt")
    save(Tuple2(), args.out, "tuple2.pt")
    save(Nested(), args.out, "nested.pt")
    save(DictOut(), args.out, "dict.pt")
    save(TwoInputs(), args.out, "two_inputs.pt")
    save(Raises(), args.out, "raises.pt")

    lin = linear_model()
    save(lin, args.out, "linear.pt")
    scripted = torch.jit.script(lin)
    frozen = torch.jit.freeze(scripted)
    frozen.save(os.path.join(args.out, "linear_frozen.pt"))
    print(f"wrote {os.path.join(args.out, 'linear_frozen.pt')}")
    ptl = os.path.join(args.out, "linear.ptl")
    # Declares its input (see export_mobilenet.py): the backend must reject
    # a [1,5] input before forward().
    scripted._save_for_lite_interpreter(
        ptl, _extra_files={"wasitorch_inputs.txt": "f32 -1,4\n"})
    print(f"wrote {ptl}")
    write_corrupt(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
