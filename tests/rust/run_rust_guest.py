#!/usr/bin/python3
"""Runs the Rust wasi-nn guest on `wasitorch run` and compares its output
tensor with wt-native-ref's on the same model, input and thread count.

usage: run_rust_guest.py file|name WASITORCH NATIVE_REF GUEST.wasm MODELS WORK
  file  the guest reads the model through WASI (std::fs) and calls `load`
  name  the runtime preloads the model; the guest calls `load_by_name`
"""
import os
import shutil
import subprocess
import sys


def run(cmd):
    print("+", " ".join(cmd), flush=True)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(p.stdout, end="")
    return p.returncode, p.stdout


def main():
    if len(sys.argv) != 7 or sys.argv[1] not in ("file", "name"):
        sys.exit(__doc__)
    mode, runtime, native_ref, guest, models, work = sys.argv[1:]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    model = os.path.join(models, "mobilenet_v2.pt")
    tensor = os.path.join(models, "mobilenet_input.bin")
    native_out = os.path.join(work, "native.bin")
    rc, _ = run([native_ref, "--model", model, "--input", tensor, "--shape", "1,3,224,224",
                 "--threads", "1", "--output", native_out])
    if rc != 0:
        sys.exit("FAIL native reference exited %d" % rc)

    cmd = [runtime, "run", "--dir", models + ":/models:ro", "--dir", work + ":/out",
           "--nn-threads", "1"]
    if mode == "file":
        cmd += [guest, "--model-file", "/models/mobilenet_v2.pt"]
    else:
        cmd += ["--nn-preload", "mnv2:pytorch:cpu:" + model, guest, "--model-name", "mnv2"]
    cmd += ["/models/mobilenet_input.bin", "/out/guest.bin", "1,3,224,224"]
    rc, out = run(cmd)
    if rc != 0 or "nn_rust: ok, 4000 output bytes" not in out:
        sys.exit("FAIL Rust guest exited %d" % rc)
    with open(native_out, "rb") as f:
        want = f.read()
    with open(os.path.join(work, "guest.bin"), "rb") as f:
        got = f.read()
    if got != want:
        diff = sum(a != b for a, b in zip(got, want))
        sys.exit("FAIL guest output differs from native (%d vs %d bytes, %d differ)"
                 % (len(got), len(want), diff))
    print("PASS %s: %d bytes equal to wt-native-ref" % (mode, len(got)))


if __name__ == "__main__":
    main()
