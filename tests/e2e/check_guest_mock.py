#!/usr/bin/python3
"""End-to-end test of the classify guest and the SDK against a mock host.

    check_guest_mock.py CLASSIFY.wasm MOCK_HOST.mjs MAKE_TEST_IMAGE.py WORKDIR

Runs classify.wasm on Node's WASI with tests/e2e/mock_nn_host.mjs as the
wasi_ephemeral_nn host (no wasitorch runtime or libtorch needed) and checks:
the exact input tensor bytes (against numpy for a 224x224 image, where no
resampling happens), that the dumps equal what the host received/returned,
the printed top-5 and softmax against numpy, output-buffer sizing on
too_large, --model-file bytes, and every error path's exit status and text.
"""
import json
import os
import re
import subprocess
import sys

import numpy as np
from PIL import Image

WASM, MOCK, MKIMG, WORK = sys.argv[1:5]
FAILS = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILS.append(what)


def run(*args, record="rec.json"):
    """Run the guest under the mock; returns (rc, stdout, stderr, record)."""
    rp = os.path.join(WORK, record)
    if os.path.exists(rp):
        os.unlink(rp)
    p = subprocess.run(["node", "--no-warnings", MOCK, rp, WASM, "--dir",
                        f"{WORK}:/data", "--", *args],
                       capture_output=True, text=True, timeout=600)
    rec = json.load(open(rp)) if os.path.exists(rp) else None
    return p.returncode, p.stdout, p.stderr, rec


def top5(stdout):
    """[(rank, class, prob, name)] from classify's table."""
    rows = re.findall(r"^\s*(\d+)\s+(\d+)\s+([0-9.]+)\s+(.*)$", stdout, re.M)
    return [(int(r), int(c), float(p), n) for r, c, p, n in rows]


def expected_input(png):
    """ImageNet normalisation in float32, the guest's operation order."""
    px = np.asarray(Image.open(png).convert("RGB")).astype(np.float32)
    mean = np.array([0.485, 0.456, 0.406], np.float32)
    std = np.array([0.229, 0.224, 0.225], np.float32)
    x = (px / np.float32(255.0) - mean) / std
    return np.ascontiguousarray(x.transpose(2, 0, 1)).astype("<f4").tobytes()


def b64(s):
    import base64
    return base64.b64decode(s)


def test_exact_224():
    png = os.path.join(WORK, "x224.png")
    subprocess.run([sys.executable, MKIMG, "--out", png, "--size", "224x224",
                    "--seed", "3"], check=True)
    with open(os.path.join(WORK, "labels.txt"), "w") as f:
        f.write("".join(f"name {i}\r\n" for i in range(1000)))
    rc, out, err, rec = run("/data/x224.png", "--labels", "/data/labels.txt",
                            "--dump-input", "/data/in.bin", "--dump-output=/data/out.bin",
                            "--repeat", "4")
    check(rc == 0, f"224x224 run exits 0 (rc={rc}, stderr={err.strip()!r})")
    if rc != 0:
        return
    din = open(os.path.join(WORK, "in.bin"), "rb").read()
    dout = open(os.path.join(WORK, "out.bin"), "rb").read()
    check(din == expected_input(png), "input tensor is bit-exact ImageNet CHW f32")
    check(din == b64(rec["input"]), "--dump-input equals the bytes set_input received")
    check(rec["input_dims"] == [1, 3, 224, 224], "dims are [1,3,224,224]")
    check(dout == b64(rec["output"]), "--dump-output equals the bytes the host returned")
    calls = rec["calls"]
    check(calls.get("compute") == 4 and calls.get("set_input") == 4, "--repeat 4 runs 4 times")
    check(calls.get("get_output_too_large") is None and calls.get("get_output") == 4,
          "4000-byte output fits the SDK's first 4096-byte buffer: one call per run")
    logits = np.frombuffer(dout, "<f4").astype(np.float64)
    prob = np.exp(logits - logits.max())
    prob /= prob.sum()
    want = sorted(range(1000), key=lambda i: (-prob[i], i))[:5]
    rows = top5(out)
    check([r[1] for r in rows] == want, f"top-5 classes {[r[1] for r in rows]} == {want}")
    check([r[0] for r in rows] == [1, 2, 3, 4, 5], "ranks 1..5")
    check(all(abs(r[2] - prob[r[1]]) < 2e-6 for r in rows), "softmax probabilities")
    check(all(r[3] == f"name {r[1]}" for r in rows), "label names (CRLF file)")
    check(re.search(r"repeat\s+4 runs: median [0-9.]+ ms, p90 [0-9.]+ ms", out) is not None,
          "median/p90 line printed")
    for stage in ("decode", "preprocess", "load", "inference"):
        check(re.search(rf"^{stage}\s+[0-9.]+ ms", out, re.M) is not None, f"{stage} time printed")


def test_jpeg_resize_and_model_file():
    jpg = os.path.join(WORK, "big.jpg")
    subprocess.run([sys.executable, MKIMG, "--out", jpg, "--size", "500x375",
                    "--seed", "9"], check=True)
    model = os.path.join(WORK, "model.pt")
    blob = bytes((i * 7 + 3) % 251 for i in range(300000))
    open(model, "wb").write(blob)
    rc, out, err, rec = run("--model-file", "/data/model.pt", "/data/big.jpg",
                            "--dump-input", "/data/in2.bin")
    check(rc == 0, f"JPEG + --model-file exits 0 (stderr={err.strip()!r})")
    if rc != 0:
        return
    import hashlib
    check(rec["loaded"] == {"len": len(blob), "sha256": hashlib.sha256(blob).hexdigest()},
          "load received the model file's exact bytes in one builder")
    check("load_by_name" not in rec["calls"], "--model-file does not use load_by_name")
    x = np.frombuffer(open(os.path.join(WORK, "in2.bin"), "rb").read(), "<f4")
    lo = (0 - 0.485) / 0.229 - 1e-4
    hi = (1 - 0.406) / 0.225 + 1e-4
    check(x.size == 3 * 224 * 224 and x.min() >= lo and x.max() <= hi,
          "resized JPEG input is in the normalised range")
    check("500x375" in out and len(top5(out)) == 5, "JPEG size reported, 5 rows printed")


def test_errors():
    open(os.path.join(WORK, "junk.png"), "wb").write(b"this is not an image\n")
    cases = [
        (("/data/nope.png",), 1, r"cannot read image '/data/nope.png': No such file"),
        (("/data/junk.png",), 1, r"cannot decode image '/data/junk.png'"),
        (("--model", "resnet", "/data/x224.png"), 1, r"cannot load model 'resnet': not_found"),
        (("--model-file", "/data/none.pt", "/data/x224.png"), 1, r"cannot load model file '/data/none.pt': No such file"),
        (("--labels", "/data/none.txt", "/data/x224.png"), 1, r"cannot read labels"),
        ((), 2, r"no image given"),
        (("--repeat", "0", "/data/x224.png"), 2, r"--repeat wants a count"),
        (("--repeat",), 2, r"--repeat needs a value"),
        (("--bogus", "/data/x224.png"), 2, r"unknown option '--bogus'"),
        (("--model", "a", "--model-file", "b", "/data/x224.png"), 2, r"not both"),
        (("a.png", "b.png"), 2, r"more than one image"),
    ]
    for args, want_rc, pat in cases:
        rc, out, err, _ = run(*args)
        check(rc == want_rc and re.search(pat, err) is not None,
              f"{' '.join(args) or '(no args)'} -> rc {rc}, {err.strip()!r}")
    rc, out, err, _ = run("--help")
    check(rc == 0 and out.startswith("usage: classify"), "--help prints usage, exits 0")


def main():
    os.makedirs(WORK, exist_ok=True)
    test_exact_224()
    test_jpeg_resize_and_model_file()
    test_errors()
    print(f"{len(FAILS)} failed")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
