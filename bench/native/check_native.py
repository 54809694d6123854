#!/usr/bin/python3
"""classify-native vs the Wasm guest on `wasitorch run` (interpreter).

    check_native.py MODE --native BIN --wasitorch BIN --wasm classify.wasm
                    --models DIR --make-image tools/make_test_image.py --work DIR

MODE
  equal     both run the demo (demo.png from make_test_image.py's defaults,
            preload "mobilenet" of mobilenet_v2_frozen.pt, --nn-optimize, one
            thread); the input dumps, output logits and top-5 lines must be
            identical byte for byte, and both must exit 0
  file      as equal, but both read the model file themselves and pass its
            bytes to `load` (--model-file) instead of load_by_name
  mismatch  the same as equal, but the native side prepares the graph differently
            (WT_NATIVE_NN_OPTIMIZE=none): the logits must then differ, which
            shows the comparison can see a last-bit difference
  errors    the shim's error paths: an unknown model name exits 1 naming
            not_found, a file that is no model exits 1 with one clean message,
            a bad WT_NATIVE_NN_* setting or preload exits 1 before main
Prints "ok   ..." / "FAIL ..." per check; exit 0 when nothing failed.
"""
import argparse
import os
import re
import subprocess
import sys

FAILS = []
MODEL = "mobilenet_v2_frozen.pt"
TOP_RE = re.compile(r"^ *\d+ +\d+ +[0-9.]+ +.*$", re.M)


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        FAILS.append(what)
    return cond


def run(cmd, env=None):
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)
    sys.stdout.write(p.stdout)
    sys.stderr.write(p.stderr)
    return p


def native_env(a, optimize="ofi", preload=None):
    env = dict(os.environ)
    env["WT_NATIVE_NN_PRELOAD"] = preload or "mobilenet:pytorch:cpu:" + os.path.join(a.models, MODEL)
    env["WT_NATIVE_NN_OPTIMIZE"] = optimize
    env["WT_NATIVE_NN_THREADS"] = "1"
    return env


def run_pair(a, img, optimize, model_file):
    """Runs the guest and the native build on img; returns (wasm, native) as
    (process, input dump bytes, output dump bytes)."""
    res = []
    wasm = [a.wasitorch, "run", "--dir", a.models + ":/models:ro", "--dir", a.work + ":/data",
            "--nn-preload", "mobilenet:pytorch:cpu:" + os.path.join(a.models, MODEL),
            "--nn-optimize", "--nn-threads", "1", a.wasm]
    if model_file:
        wasm += ["--model-file", "/models/" + MODEL]
    wasm += ["--labels", "/models/imagenet_classes.txt", "--dump-input", "/data/wasm_in.bin",
             "--dump-output", "/data/wasm_out.bin", "/data/demo.png"]
    nat = [a.native] + (["--model-file", os.path.join(a.models, MODEL)] if model_file else [])
    nat += ["--labels", os.path.join(a.models, "imagenet_classes.txt"),
           "--dump-input", os.path.join(a.work, "native_in.bin"),
           "--dump-output", os.path.join(a.work, "native_out.bin"), img]
    for tag, cmd, env in (("wasm", wasm, None), ("native", nat, native_env(a, optimize))):
        for f in (tag + "_in.bin", tag + "_out.bin"):
            if os.path.exists(os.path.join(a.work, f)):
                os.remove(os.path.join(a.work, f))
        p = run(cmd, env)
        dumps = []
        for f in (tag + "_in.bin", tag + "_out.bin"):
            path = os.path.join(a.work, f)
            dumps.append(open(path, "rb").read() if os.path.exists(path) else b"")
        res.append((p, dumps[0], dumps[1]))
    return res


def compare(a, img, optimize, want_equal, model_file=False):
    (pw, wi, wo), (pn, ni, no) = run_pair(a, img, optimize, model_file)
    check(pw.returncode == 0, "wasm guest exits 0 (rc=%d)" % pw.returncode)
    check(pn.returncode == 0, "classify-native exits 0 (rc=%d)" % pn.returncode)
    check(len(wi) == 3 * 224 * 224 * 4, "wasm input dump has 602112 bytes (%d)" % len(wi))
    check(len(wo) == 1000 * 4, "wasm output dump has 1000 f32 logits (%d bytes)" % len(wo))
    check(wi == ni, "input tensors (decode + preprocess) identical byte for byte")
    if want_equal:
        check(wo == no, "output logits identical byte for byte")
        tw, tn = TOP_RE.findall(pw.stdout), TOP_RE.findall(pn.stdout)
        check(len(tw) == 5 and tw == tn, "top-5 lines identical (%d vs %d lines)"
              % (len(tw), len(tn)))
    else:
        diff = sum(x != y for x, y in zip(wo, no)) if len(wo) == len(no) else -1
        check(len(no) == len(wo) and wo != no,
              "native without graph optimisation gives different logits (%d bytes differ)" % diff)


def errors(a, img):
    p = run([a.native, "--model", "nope", img], native_env(a))
    check(p.returncode == 1 and "not_found" in p.stderr,
          "unknown model name: exit 1 and not_found (rc=%d)" % p.returncode)
    p = run([a.native, "--model-file", os.path.join(a.models, "imagenet_classes.txt"), img],
            native_env(a))
    check(p.returncode == 1 and "cannot load model file" in p.stderr
          and "load: load:" not in p.stderr and p.stderr.count("wasi-nn: load: ") == 1,
          "a file that is no model: exit 1, one 'wasi-nn: load: ...' line (rc=%d)" % p.returncode)
    p = run([a.native, img], native_env(a, preload="mobilenet:pytorch"))
    check(p.returncode == 1 and "NAME:ENCODING:TARGET:PATH" in p.stderr,
          "malformed WT_NATIVE_NN_PRELOAD: exit 1 naming the syntax (rc=%d)" % p.returncode)
    p = run([a.native, img], native_env(a, preload="m:pytorch:cpu:/nonexistent.pt"))
    check(p.returncode == 1 and "cannot load /nonexistent.pt" in p.stderr,
          "missing model file: exit 1 naming the path (rc=%d)" % p.returncode)
    p = run([a.native, img], native_env(a, optimize="fast"))
    check(p.returncode == 1 and "WT_NATIVE_NN_OPTIMIZE" in p.stderr,
          "bad WT_NATIVE_NN_OPTIMIZE: exit 1 (rc=%d)" % p.returncode)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["equal", "file", "mismatch", "errors"])
    for opt in ("native", "wasitorch", "wasm", "models", "make_image", "work"):
        ap.add_argument("--" + opt.replace("_", "-"), required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    if not check(os.path.exists(os.path.join(a.models, MODEL)), "model %s in %s" % (MODEL, a.models)):
        return 1
    img = os.path.join(a.work, "demo.png")
    if not os.path.exists(img):  # scripts/demo.sh's image: the tool's defaults
        subprocess.run([sys.executable, a.make_image, "--out", img], check=True)
    if a.mode == "errors":
        errors(a, img)
    else:
        compare(a, img, "none" if a.mode == "mismatch" else "ofi", a.mode != "mismatch",
                a.mode == "file")
    print("%d failed" % len(FAILS))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
