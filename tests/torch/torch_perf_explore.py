#!/usr/bin/python3
"""torch_perf_explore.py -- the measurements behind docs/torch-performance.md.

Usage: /usr/bin/python3 tests/torch/torch_perf_explore.py --model FROZEN.pt
           --shape 1,3,224,224 [--threads 1] [--repeat 30] [--only "NAME;NAME..."]

Loads a *traced* or *frozen* TorchScript file, builds every variant (graph
preparation x process setting) and warms it up, then times forward()
round-robin over the variants (so changes in machine load hit all alike)
with libtorch 1.13 through its Python binding (the same C++ kernels the
backend calls; the Python overhead is a few microseconds per call).
Prints, per variant, the minimum and median wall ms, the median CPU ms of
the calling thread (= all the work at one thread) and the max abs
difference to the as-is output.
Not a CTest test: timings depend on the machine's load.
"""
import argparse
import statistics
import sys
import time

import torch


def channels_last_params(mod):
    """Copies 4-d parameters/buffers of a scripted module to channels-last
    memory format (before freezing, so the folded constants keep it)."""
    for name, p in list(mod.named_parameters()) + list(mod.named_buffers()):
        if p.dim() == 4:
            owner = mod
            parts = name.split(".")
            for part in parts[:-1]:
                owner = getattr(owner, part)
            setattr(owner, parts[-1], p.detach().contiguous(memory_format=torch.channels_last))


def prepare(path, name):
    m = torch.jit.load(path).eval() if "training" in dir(torch.jit.load(path)) else torch.jit.load(path)
    frozen = "training" not in [n for n, _ in m.named_attributes()] if hasattr(m, "named_attributes") else False
    if name == "asis":
        return m
    if name.startswith("cl_"):
        if not frozen:
            channels_last_params(m)
        name = name[3:]
    f = m if frozen else torch.jit.freeze(m)
    if name == "freeze":
        return f
    if name == "ofi":
        return torch.jit.optimize_for_inference(f)
    raise ValueError(name)


def timed_call(fn, x, setting):
    """One forward() with the variant's setting switched on around it."""
    if setting is not None:
        apply_setting(setting, True)
    try:
        t0, c0 = time.perf_counter(), time.thread_time()
        out = fn(x)
        return (time.perf_counter() - t0) * 1e3, (time.thread_time() - c0) * 1e3, out
    finally:
        if setting is not None:
            apply_setting(setting, False)


VARIANTS = {
    # name: (preparation, setting applied before, channels-last input)
    "asis": ("asis", None, False),
    "freeze": ("freeze", None, False),
    "ofi": ("ofi", None, False),
    "freeze+cl": ("cl_freeze", None, True),
    "ofi+cl": ("cl_ofi", None, True),
    "freeze,no-mkldnn": ("freeze", "no_mkldnn", False),
    "freeze+cl,no-mkldnn": ("cl_freeze", "no_mkldnn", True),
    "freeze,no-profiling": ("freeze", "no_profiling", False),
    "freeze,no-optimize": ("freeze", "no_optimize", False),
    "freeze,cpu-fuser": ("freeze", "cpu_fuser", False),
    "freeze+cl,cpu-fuser": ("cl_freeze", "cpu_fuser", True),
    "freeze,flush-denormal": ("freeze", "flush_denormal", False),
    "freeze,llga": ("freeze", "llga", False),
    "freeze+cl,llga": ("cl_freeze", "llga", True),
    "ofi,flush-denormal": ("ofi", "flush_denormal", False),
    "freeze+cl,flush-denormal": ("cl_freeze", "flush_denormal", True),
    "ofi+cl,flush-denormal": ("cl_ofi", "flush_denormal", True),
}


def apply_setting(setting, on):
    if setting == "no_mkldnn":
        torch.backends.mkldnn.enabled = not on
    elif setting == "no_profiling":
        torch._C._jit_set_profiling_executor(not on)
    elif setting == "no_optimize":
        torch._C._set_graph_executor_optimize(not on)
    elif setting == "cpu_fuser":
        torch._C._jit_override_can_fuse_on_cpu(on)
        torch._C._jit_set_texpr_fuser_enabled(True)
    elif setting == "llga":
        torch.jit.enable_onednn_fusion(on)
    elif setting == "flush_denormal":
        torch.set_flush_denormal(on)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--shape", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--only", default="", help="variant names separated by ;")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    shape = [int(s) for s in args.shape.split(",")]
    x = torch.rand(*shape, generator=torch.Generator().manual_seed(1))
    names = args.only.split(";") if args.only else list(VARIANTS)
    with torch.inference_mode():
        ref = prepare(args.model, "asis")(x)
        ready = {}
        for name in names:  # build + warm up each variant under its setting
            prep, setting, cl = VARIANTS[name]
            try:
                if setting != "no_optimize":  # freezing needs the graph optimizer
                    apply_setting(setting, True)
                m = prepare(args.model, prep)
                apply_setting(setting, False)
                xi = x.contiguous(memory_format=torch.channels_last) if cl else x
                for _ in range(args.warmup):
                    _, _, out = timed_call(m, xi, setting)
                ready[name] = (m, xi, setting, out)
            except Exception as e:  # report and go on: some variants fail on some models
                apply_setting(setting, False)
                print(f"{name:24s} t={args.threads} FAILED: {str(e).splitlines()[0]}", flush=True)
        walls = {n: [] for n in ready}
        cpus = {n: [] for n in ready}
        for _ in range(args.repeat):  # round-robin: machine load hits every variant alike
            for name, (m, xi, setting, _) in ready.items():
                w, c, _ = timed_call(m, xi, setting)
                walls[name].append(w)
                cpus[name].append(c)
    for name, (_, _, _, out) in ready.items():
        out = out.to_dense() if out.is_mkldnn else out
        diff = (out - ref).abs().max().item()
        rel = diff / max(ref.abs().max().item(), 1e-30)
        w = sorted(walls[name])
        print(f"{name:24s} t={args.threads} min {w[0]:8.2f} ms  median {statistics.median(w):8.2f} ms  "
              f"thread-cpu median {statistics.median(cpus[name]):8.2f} ms  maxdiff {diff:.3e} (rel {rel:.1e})",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
