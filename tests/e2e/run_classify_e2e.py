#!/usr/bin/python3
"""classify.wasm on the real runtime vs the native libtorch reference.

    run_classify_e2e.py MODE WASITORCH WT_NATIVE_REF CLASSIFY_WASM MODELS_DIR
                        MAKE_TEST_IMAGE.py WORKDIR

MODE is one of
  preload   --nn-preload mobilenet:pytorch:cpu:<frozen .pt>, load_by_name
  file      --model-file /models/<frozen .pt>: the bytes cross guest memory
  optimize  preload plus --nn-optimize, against wt-native-ref --optimize
  mobile    preload of the PyTorch Mobile .ptl (lite interpreter)
  errors    error paths on the real host: unknown model name, a file that
            is no model, a missing image (exit 1, errno named on stderr)

Runs `wasitorch run` with one intra-op thread, takes the guest's input dump
into `wt-native-ref --threads 1` and asserts the outputs are byte-identical,
that the printed top-5 is the native output's top-5 (ties to lower index),
and that the guest's input dump is the same in every mode (same image, same
preprocessing). Exit 0 = pass.
"""
import os
import re
import subprocess
import sys

import numpy as np

MODE, WT, REF, WASM, MODELS, MKIMG, WORK = sys.argv[1:8]
FROZEN = "mobilenet_v2_frozen.pt"
FAILS = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        FAILS.append(what)
    return cond


def run(cmd):
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    sys.stdout.write(p.stdout)
    sys.stderr.write(p.stderr)
    return p


def errors(img):
    """Each failure must exit 1 with a message naming the cause."""
    base = [WT, "run", "--nn-threads", "1", "--dir", f"{MODELS}:/models:ro",
            "--dir", f"{WORK}:/data", "--nn-preload",
            f"mobilenet:pytorch:cpu:{os.path.join(MODELS, FROZEN)}", WASM]
    cases = [
        (["--model", "nope", "/data/x.png"], r"cannot load model 'nope': not_found \(wasi-nn errno 8\)"),
        (["--model-file", "/models/imagenet_classes.txt", "/data/x.png"],
         r"cannot load model file '/models/imagenet_classes.txt': [a-z_]+ \(wasi-nn errno [1-9]\d*\)"),
        (["/data/missing.png"], r"cannot read image '/data/missing.png': No such file"),
        (["/models/imagenet_classes.txt"], r"cannot decode image"),
    ]
    for args, pat in cases:
        p = run(base + args)
        check(p.returncode == 1 and re.search(pat, p.stderr) is not None,
              f"{' '.join(args)}: exit 1 and /{pat}/ (rc={p.returncode})")
    print(f"{len(FAILS)} failed")
    return 1 if FAILS else 0


def main():
    os.makedirs(WORK, exist_ok=True)
    img = os.path.join(WORK, "x.png")
    if not os.path.exists(img):
        subprocess.run([sys.executable, MKIMG, "--out", img, "--size", "320x240",
                        "--seed", "5"], check=True)
    if MODE == "errors":
        return errors(img)
    model = "mobilenet_v2.ptl" if MODE == "mobile" else FROZEN
    if not check(os.path.exists(os.path.join(MODELS, model)), f"model {model} exists in {MODELS}"):
        return 1
    din, dout = f"in_{MODE}.bin", f"out_{MODE}.bin"
    cmd = [WT, "run", "--nn-threads", "1", "--dir", f"{MODELS}:/models:ro",
           "--dir", f"{WORK}:/data"]
    if MODE != "file":
        cmd += ["--nn-preload", f"mobilenet:pytorch:cpu:{os.path.join(MODELS, model)}"]
    if MODE == "optimize":
        cmd += ["--nn-optimize"]
    cmd += [WASM]
    if MODE == "file":
        cmd += ["--model-file", f"/models/{model}"]
    if MODE == "optimize":
        cmd += ["--repeat", "3"]
    labels = os.path.join(MODELS, "imagenet_classes.txt")
    if os.path.exists(labels):
        cmd += ["--labels", "/models/imagenet_classes.txt"]
    cmd += ["/data/x.png", "--dump-input", f"/data/{din}", "--dump-output", f"/data/{dout}"]
    p = run(cmd)
    if not check(p.returncode == 0, f"wasitorch run exits 0 (rc={p.returncode})"):
        return 1
    rows = re.findall(r"^\s*([1-5])\s+(\d+)\s+([0-9.]+)\s+(.*)$", p.stdout, re.M)
    check([int(r[0]) for r in rows] == [1, 2, 3, 4, 5], "top-5 table printed")
    if MODE == "optimize":
        check(re.search(r"repeat\s+3 runs: median [0-9.]+ ms, p90", p.stdout) is not None,
              "--repeat 3 reports median and p90")

    ref = [REF, "--model", os.path.join(MODELS, model), "--threads", "1",
           "--input", os.path.join(WORK, din), "--shape", "1,3,224,224",
           "--output", os.path.join(WORK, f"native_{MODE}.bin")]
    if MODE == "optimize":
        ref.append("--optimize")
    q = run(ref)
    if not check(q.returncode == 0, f"wt-native-ref exits 0 (rc={q.returncode})"):
        return 1
    wasm_out = open(os.path.join(WORK, dout), "rb").read()
    native_out = open(os.path.join(WORK, f"native_{MODE}.bin"), "rb").read()
    check(len(wasm_out) == 4000, f"output is 1000 f32 ({len(wasm_out)} bytes)")
    check(wasm_out == native_out, "Wasm output is byte-identical to native libtorch")
    logits = np.frombuffer(native_out, "<f4").astype(np.float64)
    check(np.ptp(logits) > 1e-3, "logits are not degenerate")
    want = sorted(range(logits.size), key=lambda i: (-logits[i], i))[:5]
    check([int(r[1]) for r in rows] == want, f"printed top-5 {[int(r[1]) for r in rows]} == native {want}")
    # Every mode classifies the same image: the input tensors must agree.
    for other in ("preload", "file", "optimize", "mobile"):
        path = os.path.join(WORK, f"in_{other}.bin")
        if other != MODE and os.path.exists(path):
            same = open(path, "rb").read() == open(os.path.join(WORK, din), "rb").read()
            check(same, f"input dump equals the {other} run's")
    print(f"{len(FAILS)} failed")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
