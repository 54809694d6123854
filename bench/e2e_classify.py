#!/usr/bin/python3
"""e2e_classify.py — the MobileNetV2 demo end to end: native vs interpreter vs AOT.

One program, three ways: examples/classify built natively with gcc -O2
(bench/native: classify-native, whose wasi_ephemeral_nn shim drives the same
libwasitorch_torch.so), and classify.wasm on `wasitorch run` under the
interpreter and under the AOT tier. Every run does the demo's whole pipeline
in one process: start-up, model preload (frozen MobileNetV2, freeze +
optimize_for_inference, 1 intra-op thread), PNG decode, resize + normalise,
inference --repeat times, top-5.

Reported per variant, medians over N interleaved rounds (the order rotates
each round so no variant always runs first after an idle gap):
  decode / preprocess ms     classify's own timings (monotonic clock)
  inference first / steady   first inference, and the median of --repeat
  pipeline ms                decode + preprocess + first inference
  process wall / CPU ms      whole process, CPU from os.wait4's rusage
                             (user + system of the child and its threads)
  peak RSS, minor faults     ru_maxrss and ru_minflt from the same wait4
Ratios interp/native and aot/native are medians of per-round ratios. Every
run's --dump-output must equal the native run's byte for byte (checked, and
recorded as "identical").

The AOT artifact is compiled once up front into a private cache (not timed;
its compile time is recorded), so timed AOT runs load it from the cache as
`wasitorch run --engine aot` does on a warm machine.

Writes bench/results/e2e-classify.{json,md}; progress goes to stderr.
Standard library only; run with /usr/bin/python3.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

from benchproc import run_child

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
MODEL = "mobilenet_v2_frozen.pt"
VARIANTS = ("native", "interp", "aot")
METRICS = [  # key, label, unit
    ("decode_ms", "decode", "ms"),
    ("preprocess_ms", "preprocess", "ms"),
    ("infer_first_ms", "inference first", "ms"),
    ("infer_steady_ms", "inference steady", "ms"),
    ("pipeline_ms", "decode+preprocess+first inference", "ms"),
    ("proc_wall_ms", "process wall", "ms"),
    ("proc_cpu_ms", "process CPU", "ms"),
    ("peak_rss_mib", "peak RSS", "MiB"),
    ("minor_faults", "minor page faults", "count"),
]
PATTERNS = {
    "decode_ms": r"^decode\s+([0-9.]+) ms",
    "preprocess_ms": r"^preprocess\s+([0-9.]+) ms",
    "load_ms": r"^load\s+([0-9.]+) ms",
    "infer_first_ms": r"^inference\s+([0-9.]+) ms",
    "infer_steady_ms": r"^repeat\s+\d+ runs: median ([0-9.]+) ms",
}


def log(msg):
    sys.stderr.write("[e2e] " + msg + "\n")
    sys.stderr.flush()


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="MobileNetV2 demo (decode + preprocess + inference) end to end: "
                    "classify natively (gcc -O2), in the interpreter and as AOT; writes "
                    "bench/results/e2e-classify.{json,md}.")
    p.add_argument("build", nargs="?", default=os.path.join(REPO, "build"),
                   help="build directory with bin/wasitorch, bin/classify-native, "
                        "guests/classify.wasm (default: build)")
    p.add_argument("--models", help="folder with %s and imagenet_classes.txt "
                   "(default: BUILD/models)" % MODEL)
    p.add_argument("--image", help="input image (default: BUILD/data/demo.png, made with "
                   "tools/make_test_image.py's defaults as scripts/demo.sh does if missing)")
    p.add_argument("--rounds", type=int, help="interleaved rounds (default 7; quick 3)")
    p.add_argument("--repeat", type=int,
                   help="classify --repeat: inferences per process (default 20; quick 10)")
    p.add_argument("--quick", action="store_true", help="fewer rounds and repetitions")
    p.add_argument("--threads", type=int, default=1, help="intra-op threads (default 1)")
    p.add_argument("--optimize", default="ofi", choices=["none", "freeze", "ofi"],
                   help="graph preparation, as --nn-optimize=MODE (default ofi, the demo's)")
    p.add_argument("--out-dir", default=os.path.join(HERE, "results"),
                   help="results directory (default: bench/results)")
    p.add_argument("--name", help="output file stem (default e2e-classify; quick: "
                   "e2e-classify-quick)")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    p.add_argument("--commit", help="commit the binaries were built from, for the report "
                   "(default: this checkout's HEAD)")
    a = p.parse_args(argv)
    a.rounds = a.rounds or (3 if a.quick else 7)
    a.repeat = a.repeat or (10 if a.quick else 20)
    a.name = a.name or ("e2e-classify-quick" if a.quick else "e2e-classify")
    if a.rounds < 1 or a.repeat < 2:
        p.error("--rounds must be >= 1 and --repeat >= 2 (steady needs a median)")
    a.build = os.path.abspath(a.build)
    a.models = os.path.abspath(a.models or os.path.join(a.build, "models"))
    return a


class Setup:
    """Paths, environment and command line of each variant."""

    def __init__(self, a, work):
        self.a, self.work = a, work
        self.wt = os.path.join(a.build, "bin", "wasitorch")
        self.native = os.path.join(a.build, "bin", "classify-native")
        self.wasm = os.path.join(a.build, "guests", "classify.wasm")
        self.model = os.path.join(a.models, MODEL)
        self.labels = os.path.join(a.models, "imagenet_classes.txt")
        self.image = os.path.abspath(a.image or os.path.join(a.build, "data", "demo.png"))
        self.cache = os.path.join(work, "aot-cache")
        for path in (self.wt, self.native, self.wasm, self.model, self.labels):
            if not os.path.exists(path):
                sys.exit("e2e_classify.py: missing %s (build classify-native, guest_classify, "
                         "wasitorch, wasitorch_torch; export the model)" % path)

    def env(self, variant):
        env = dict(os.environ)
        env["XDG_CACHE_HOME"] = self.cache  # AOT artifacts: private, compiled up front
        if variant == "native":
            env["WT_NATIVE_NN_PRELOAD"] = "mobilenet:pytorch:cpu:" + self.model
            env["WT_NATIVE_NN_OPTIMIZE"] = self.a.optimize
            env["WT_NATIVE_NN_THREADS"] = str(self.a.threads)
        return env

    def command(self, variant, dump):
        """dump: host path of the --dump-output file."""
        guest_args = ["--repeat", str(self.a.repeat)]
        if variant == "native":
            return [self.native] + guest_args + ["--labels", self.labels,
                                                 "--dump-output", dump, self.image]
        return [self.wt, "run", "--engine", variant,
                "--dir", os.path.dirname(self.labels) + ":/models:ro",
                "--dir", os.path.dirname(self.image) + ":/img:ro",
                "--dir", self.work + ":/out",
                "--nn-preload", "mobilenet:pytorch:cpu:" + self.model,
                "--nn-optimize=" + self.a.optimize, "--nn-threads", str(self.a.threads),
                self.wasm] + guest_args + [
                "--labels", "/models/" + os.path.basename(self.labels),
                "--dump-output", "/out/" + os.path.basename(dump),
                "/img/" + os.path.basename(self.image)]


def one_run(s, variant, reference):
    """One timed process; returns its record (or {"error": ...})."""
    dump = os.path.join(s.work, "out-%s.bin" % variant)
    if os.path.exists(dump):
        os.remove(dump)
    c = run_child(s.command(variant, dump), env=s.env(variant), timeout=s.a.timeout)
    out, ru = c["stdout"], c["rusage"]
    if c["rc"] != 0:
        return {"error": (c["stderr"].strip().splitlines() or ["exit %d" % c["rc"]])[-1]}
    r = {"proc_wall_ms": c["wall_ms"], "proc_cpu_ms": c["cpu_ms"],
         "peak_rss_mib": ru.ru_maxrss / 1024.0, "minor_faults": ru.ru_minflt}
    for key, pat in PATTERNS.items():
        m = re.search(pat, out, re.M)
        if not m:
            return {"error": "no '%s' line in classify's output" % key}
        r[key] = float(m.group(1))
    r["pipeline_ms"] = r["decode_ms"] + r["preprocess_ms"] + r["infer_first_ms"]
    r["top5"] = re.findall(r"^ *\d+ +(\d+) +[0-9.]+ ", out, re.M)
    with open(dump, "rb") as f:
        r["_output"] = f.read()
    r["identical"] = reference is None or r["_output"] == reference
    return r


def prepare(s):
    """Demo image if missing; AOT artifact compiled into the private cache."""
    if not os.path.exists(s.image):
        os.makedirs(os.path.dirname(s.image), exist_ok=True)
        log("making %s (tools/make_test_image.py defaults, as scripts/demo.sh)" % s.image)
        subprocess.run([sys.executable, os.path.join(REPO, "tools", "make_test_image.py"),
                        "--out", s.image], check=True)
    log("compiling classify.wasm for the AOT tier (not timed)")
    t0 = time.perf_counter()
    cmd = s.command("aot", os.path.join(s.work, "warm.bin"))
    p = subprocess.run(cmd, env=s.env("aot"), capture_output=True, text=True,
                       timeout=s.a.timeout)
    if p.returncode != 0:
        sys.exit("e2e_classify.py: AOT compile run failed:\n" + p.stderr)
    return (time.perf_counter() - t0) * 1e3


def run_rounds(s):
    runs = {v: [] for v in VARIANTS}
    reference = None
    for rnd in range(s.a.rounds):
        order = VARIANTS[rnd % 3:] + VARIANTS[:rnd % 3]
        for v in order:  # round 1 starts with native: its output is the reference
            r = one_run(s, v, reference)
            if v == "native" and reference is None and "error" not in r:
                reference = r["_output"]
                r["identical"] = True
            runs[v].append(r)
            what = r.get("error") or "pipeline %.1f ms, steady %.2f ms, wall %.0f ms, cpu %.0f ms%s" % (
                r["pipeline_ms"], r["infer_steady_ms"], r["proc_wall_ms"], r["proc_cpu_ms"],
                "" if r["identical"] else ", OUTPUT DIFFERS")
            log("round %d/%d %-6s %s" % (rnd + 1, s.a.rounds, v, what))
    return runs


def summarise(runs):
    res = {}
    for v in VARIANTS:
        ok = [r for r in runs[v] if "error" not in r]
        e = {"runs": [{k: x for k, x in r.items() if k != "_output"} for r in runs[v]],
             "errors": [r["error"] for r in runs[v] if "error" in r],
             "identical": bool(ok) and all(r["identical"] for r in ok)}
        for key, _, _ in METRICS + [("load_ms", "", "")]:
            xs = [r[key] for r in ok]
            e[key] = statistics.median(xs) if xs else None
        res[v] = e
    for v in ("interp", "aot"):
        pairs = list(zip(runs[v], runs["native"]))
        res[v]["ratio"] = {}
        for key, _, _ in METRICS:
            xs = [x[key] / n[key] for x, n in pairs
                  if "error" not in x and "error" not in n and n[key] > 0]
            res[v]["ratio"][key] = statistics.median(xs) if xs else None
    return res


def fmt(x, digits=2):
    return "–" if x is None else ("%.*f" % (digits, x))


def markdown(doc):
    a, res = doc["settings"], doc["results"]
    L = ["# MobileNetV2 demo end to end: native vs interpreter vs AOT", "",
         "Generated by `bench/e2e_classify.py` on %s at commit %s; %s, %d cores (shared), "
         "load average %s at start, %s at end." % (doc["date"], doc["commit"], doc["cpu"],
                                                    doc["cores"], doc["load_start"],
                                                    doc["load_end"]), "",
         "The same C program (examples/classify + the SDK) built natively with gcc -O2 "
         "(`classify-native`, bench/native) and as classify.wasm on `wasitorch run "
         "--engine interp|aot`; preload of %s, --nn-optimize=%s, %d intra-op thread(s), "
         "image %s, `--repeat %d`. Medians over %d interleaved rounds; ratios are medians "
         "of per-round ratios. Process CPU is user+system time from wait4. AOT artifact "
         "compiled once up front into a private cache (%.0f ms, not timed)."
         % (MODEL, a["optimize"], a["threads"], a["image"], a["repeat"], a["rounds"],
            doc["aot_compile_ms"]), "",
         "| metric | native | interp | AOT | interp/native | AOT/native |",
         "|---|---:|---:|---:|---:|---:|"]
    for key, label, unit in METRICS:
        d = 0 if key.startswith("proc") or unit != "ms" else 2
        L.append("| %s (%s) | %s | %s | %s | %s | %s |" % (
            label, unit, fmt(res["native"][key], d), fmt(res["interp"][key], d),
            fmt(res["aot"][key], d), fmt(res["interp"]["ratio"][key]),
            fmt(res["aot"]["ratio"][key])))
    L += ["", "Outputs: " + ", ".join(
        "%s %s" % (v, "identical to native" if res[v]["identical"] else "DIFFERENT")
        for v in ("interp", "aot")) + " (raw logits, byte for byte, every run)."]
    errs = {v: res[v]["errors"] for v in VARIANTS if res[v]["errors"]}
    if errs:
        L += ["", "Errors: " + json.dumps(errs)]
    return "\n".join(L) + "\n"


def git_commit():
    p = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                       capture_output=True, text=True)
    return p.stdout.strip() or "unknown"


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
            return m.group(1).strip() if m else platform.machine()
    except OSError:
        return platform.machine()


def main(argv):
    a = parse_args(argv)
    load_start = " ".join("%.2f" % x for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="e2e-classify-") as work:
        s = Setup(a, work)
        compile_ms = prepare(s)
        runs = run_rounds(s)
    res = summarise(runs)
    doc = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "commit": a.commit or git_commit(), "cpu": cpu_name(), "cores": os.cpu_count(),
           "load_start": load_start,
           "load_end": " ".join("%.2f" % x for x in os.getloadavg()),
           "settings": {"rounds": a.rounds, "repeat": a.repeat, "threads": a.threads,
                        "optimize": a.optimize, "image": os.path.basename(s.image),
                        "model": MODEL},
           "aot_compile_ms": compile_ms, "results": res}
    os.makedirs(a.out_dir, exist_ok=True)
    base = os.path.join(a.out_dir, a.name)
    with open(base + ".json", "w") as f:
        json.dump(doc, f, indent=1)
    md = markdown(doc)
    with open(base + ".md", "w") as f:
        f.write(md)
    log("wrote %s.json and %s.md" % (base, base))
    sys.stdout.write(md)
    bad = [v for v in VARIANTS if not res[v]["identical"] or res[v]["errors"]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
