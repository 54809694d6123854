#!/usr/bin/python3
"""prep_bench_table.py -- the per-model preparation table of
docs/torch-performance.md, measured through the backend with prep-bench.

Usage: /usr/bin/python3 tests/torch/prep_bench_table.py --bench BUILD/bin/prep-bench
           --backend BUILD/lib/wasitorch/libwasitorch_torch.so
           --case NAME:MODEL:INPUT:SHAPE [--case ...] [--threads 1,2] [--repeat 20]
           [--modes asis,freeze,ofi,freeze_cl,ofi_cl,auto] [--rounds 2]

Each (case, threads, mode) runs in a fresh process; the whole sweep runs
`rounds` times and keeps, per cell, the run with the lowest minimum (the
machine is shared: load only ever adds time). Auto runs use an empty cache
directory so the selector measures. Prints a Markdown table of the minimum
and median wall ms per inference (and median CPU ms at one thread) plus
what auto picked.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

LINE = re.compile(r"load +([\d.]+) ms first +([\d.]+) ms median +([\d.]+) ms p90 +([\d.]+) ms cpu +([\d.]+) ms min +([\d.]+) ms")


def run_one(args, case, threads, mode, cache):
    name, model, inp, shape = case
    env = dict(os.environ, WASITORCH_PREP_CACHE=cache, WASITORCH_PREP_LOG=os.path.join(cache, "log"))
    env.pop("WASITORCH_NN_OPTIMIZE", None)
    cmd = [args.bench, "--backend", args.backend, "--model", model, "--input", inp, "--shape", shape,
           "--threads", str(threads), "--mode", mode, "--warmup", "3", "--repeat", str(args.repeat)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    m = LINE.search(out.stdout)
    if not m:
        return None, out.stderr.strip().splitlines()[-1:] or ["?"]
    pick = ""
    if mode == "auto":
        log = open(os.path.join(cache, "log")).read()
        picks = re.findall(r"-> (\w+)", log)
        pick = picks[-1] if picks else "?"
    return [float(v) for v in m.groups()], pick


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--backend", required=True)
    ap.add_argument("--case", action="append", required=True)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--modes", default="asis,freeze,ofi,freeze_cl,ofi_cl,auto")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    cases = [c.split(":") for c in args.case]
    threads = [int(t) for t in args.threads.split(",")]
    modes = args.modes.split(",")
    best, picks = {}, {}
    for _ in range(args.rounds):
        for case in cases:
            for t in threads:
                for mode in modes:
                    with tempfile.TemporaryDirectory() as cache:
                        res, pick = run_one(args, case, t, mode, cache)
                    key = (case[0], t, mode)
                    print(f"# {key}: {res} {pick}", file=sys.stderr, flush=True)
                    if res is None:
                        continue
                    if key not in best or res[5] < best[key][5]:
                        best[key] = res
                    if pick:
                        picks.setdefault(key, []).append(pick)
    print("| model | threads | " + " | ".join(modes) + " |")
    print("|---|---|" + "---|" * len(modes))
    for case in cases:
        for t in threads:
            cells = []
            for mode in modes:
                r = best.get((case[0], t, mode))
                cell = "failed" if r is None else f"{r[5]:.1f} / {r[2]:.1f}" + (f" (cpu {r[4]:.1f})" if t == 1 else "")
                if mode == "auto" and (case[0], t, mode) in picks:
                    cell += " → " + "/".join(picks[(case[0], t, mode)])
                cells.append(cell)
            print(f"| {case[0]} | {t} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
