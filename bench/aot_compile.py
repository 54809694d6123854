#!/usr/bin/python3
"""aot_compile.py — what the AOT tier costs at compile time, per module.

For every module we ship or benchmark — guests/classify.wasm, detect.wasm,
minimal.wasm, bench/models_guest.wasm (BUILD/bench-work, when bench/models.py
has built it), the kernel suite's modules and hello (BUILD/bench-kernels,
from bench/kernels/run.py) — runs `wasitorch compile` (default flags, -O2)
N times, each with a cold cache (a fresh XDG_CACHE_HOME, so the compiler
identity is probed again and nothing is reused), and records:
  Wasm bytes            the input module
  C bytes               the generated C ("compiling (N bytes of C)")
  compile wall / CPU    the whole `wasitorch compile` process: translation
                        plus the C compiler; CPU from os.wait4's rusage,
                        which includes the compiler processes it waited for
  artifact bytes        the .cwasm (shared object + metadata)
Medians over the rounds (default 3), modules interleaved within a round.
--build-missing first builds what is absent: models_guest.wasm with
sdk/bin/wasitorch-cc (the flags bench/models.py uses) and the kernel modules
with `bench/kernels/run.py --check --engines interp`.

Writes bench/results/aot-compile.{json,md}; progress goes to stderr.
Standard library only; run with /usr/bin/python3.
"""
import argparse
import datetime
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

from benchproc import run_child

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
C_BYTES_RE = re.compile(r"compiling \((\d+) bytes of C\)")
GUEST_FLAGS = ["-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", "-Wshadow",
               "-Wstrict-prototypes", "-Wmissing-prototypes", "-Wvla"]


def log(msg):
    sys.stderr.write("[aot-compile] " + msg + "\n")
    sys.stderr.flush()


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Compile every shipped or benchmarked module with `wasitorch compile` "
                    "from a cold cache; record Wasm, C and artifact sizes and compile "
                    "wall/CPU time; write bench/results/aot-compile.{json,md}.")
    p.add_argument("build", nargs="?", default=os.path.join(REPO, "build"),
                   help="build directory with bin/wasitorch and guests/ (default: build)")
    p.add_argument("--rounds", type=int, default=3, help="compiles per module (default 3)")
    p.add_argument("--cflags", help="passed as `wasitorch compile --cflags` "
                   "(default: the CLI's own, -O2)")
    p.add_argument("--build-missing", action="store_true",
                   help="build models_guest.wasm and the kernel modules when absent")
    p.add_argument("--out-dir", default=os.path.join(HERE, "results"),
                   help="results directory (default: bench/results)")
    p.add_argument("--name", default="aot-compile", help="output file stem")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds per compile")
    p.add_argument("--commit", help="commit wasitorch was built from, for the report "
                   "(default: this checkout's HEAD)")
    a = p.parse_args(argv)
    if a.rounds < 1:
        p.error("--rounds must be >= 1")
    a.build = os.path.abspath(a.build)
    return a


def build_missing(a, wt):
    """models_guest.wasm and the kernel modules, when absent."""
    mg = os.path.join(a.build, "bench-work", "models_guest.wasm")
    if not os.path.exists(mg):
        os.makedirs(os.path.dirname(mg), exist_ok=True)
        log("building %s (sdk/bin/wasitorch-cc)" % mg)
        subprocess.run([os.path.join(REPO, "sdk", "bin", "wasitorch-cc")] + GUEST_FLAGS +
                       [os.path.join(HERE, "models_guest.c"), "-o", mg], check=True)
    if not glob.glob(os.path.join(a.build, "bench-kernels", "*.wasm")):
        log("building the kernel modules (bench/kernels/run.py --check --engines interp)")
        subprocess.run([sys.executable, os.path.join(HERE, "kernels", "run.py"), "--check",
                        "--engines", "interp", "--wasitorch", wt], check=True,
                       stdout=subprocess.DEVNULL)


def modules(a):
    """(label, path) of every module found, in a fixed order."""
    found = []
    for name in ("classify", "detect", "minimal"):
        found.append(("guests/%s.wasm" % name, os.path.join(a.build, "guests", name + ".wasm")))
    found.append(("bench/models_guest.wasm",
                  os.path.join(a.build, "bench-work", "models_guest.wasm")))
    for path in sorted(glob.glob(os.path.join(a.build, "bench-kernels", "*.wasm"))):
        found.append(("bench-kernels/" + os.path.basename(path), path))
    have = [(label, path) for label, path in found if os.path.exists(path)]
    for label, path in found:
        if not os.path.exists(path):
            log("skip %s: %s not built" % (label, path))
    return have


def compile_once(a, wt, path, work):
    """One cold compile; returns its record (or {"error": ...})."""
    cache = tempfile.mkdtemp(prefix="cache-", dir=work)
    out = os.path.join(work, "out.cwasm")
    if os.path.exists(out):
        os.remove(out)
    cmd = [wt, "compile", "-o", out] + (["--cflags", a.cflags] if a.cflags else []) + [path]
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    # the child's rusage includes the compiler processes it waited for
    c = run_child(cmd, env=env, timeout=a.timeout)
    text = c["stderr"]
    shutil.rmtree(cache, ignore_errors=True)
    if c["rc"] != 0 or not os.path.exists(out):
        return {"error": (text.strip().splitlines() or ["exit %d" % c["rc"]])[-1]}
    m = C_BYTES_RE.search(text)
    return {"wall_ms": c["wall_ms"], "cpu_ms": c["cpu_ms"],
            "c_bytes": int(m.group(1)) if m else None, "artifact_bytes": os.path.getsize(out),
            "peak_rss_mib": c["rusage"].ru_maxrss / 1024.0}


def run_all(a, wt, mods, work):
    runs = {label: [] for label, _ in mods}
    for rnd in range(a.rounds):
        for label, path in mods:
            r = compile_once(a, wt, path, work)
            runs[label].append(r)
            log("round %d/%d %-32s %s" % (rnd + 1, a.rounds, label, r.get("error") or
                "%.2f s wall, %.2f s cpu, %d B C -> %d B artifact" % (
                    r["wall_ms"] / 1e3, r["cpu_ms"] / 1e3, r["c_bytes"] or -1,
                    r["artifact_bytes"])))
    return runs


def summarise(mods, runs):
    res = []
    for label, path in mods:
        ok = [r for r in runs[label] if "error" not in r]
        e = {"module": label, "wasm_bytes": os.path.getsize(path), "runs": runs[label],
             "errors": [r["error"] for r in runs[label] if "error" in r]}
        for key in ("wall_ms", "cpu_ms", "c_bytes", "artifact_bytes", "peak_rss_mib"):
            xs = [r[key] for r in ok if r.get(key) is not None]
            e[key] = statistics.median(xs) if xs else None
        res.append(e)
    return res


def kib(n):
    return "–" if n is None else "%.1f" % (n / 1024.0)


def ratio(x, y):
    return "–" if not x or not y else "%.1f" % (x / y)


def markdown(doc):
    L = ["# AOT compile cost per module", "",
         "Generated by `bench/aot_compile.py` on %s at commit %s; %s, C compiler `%s`, "
         "flags %s. Each module compiled %d times by `wasitorch compile`, each time with a "
         "cold cache (fresh XDG_CACHE_HOME); medians. Wall and CPU cover the whole "
         "command (translation to C plus the C compiler; CPU from wait4, compiler "
         "processes included). Load average %s at start, %s at end." % (
             doc["date"], doc["commit"], doc["cpu"], doc["cc"], doc["cflags"], doc["rounds"],
             doc["load_start"], doc["load_end"]), "",
         "| module | Wasm KiB | C KiB | C/Wasm | compile wall s | compile CPU s | "
         "artifact KiB | artifact/Wasm |",
         "|---|---:|---:|---:|---:|---:|---:|---:|"]
    tw = tc = 0.0
    for e in doc["modules"]:
        s = lambda v: "–" if v is None else "%.2f" % (v / 1e3)  # noqa: E731
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            e["module"], kib(e["wasm_bytes"]), kib(e["c_bytes"]),
            ratio(e["c_bytes"], e["wasm_bytes"]), s(e["wall_ms"]), s(e["cpu_ms"]),
            kib(e["artifact_bytes"]), ratio(e["artifact_bytes"], e["wasm_bytes"])))
        tw += e["wall_ms"] or 0
        tc += e["cpu_ms"] or 0
    L += ["", "All %d modules: %.1f s wall, %.1f s CPU in total." % (
        len(doc["modules"]), tw / 1e3, tc / 1e3)]
    errs = {e["module"]: e["errors"] for e in doc["modules"] if e["errors"]}
    if errs:
        L += ["", "Errors: " + json.dumps(errs)]
    return "\n".join(L) + "\n"


def tool_line(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    return (p.stdout.splitlines() or ["?"])[0].strip()


def main(argv):
    a = parse_args(argv)
    wt = os.path.join(a.build, "bin", "wasitorch")
    if not os.access(wt, os.X_OK):
        sys.exit("aot_compile.py: no %s" % wt)
    if a.build_missing:
        build_missing(a, wt)
    mods = modules(a)
    if not mods:
        sys.exit("aot_compile.py: no modules found under %s" % a.build)
    load_start = " ".join("%.2f" % x for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="aot-compile-") as work:
        runs = run_all(a, wt, mods, work)
    cpu = tool_line(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"])
    doc = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "commit": a.commit or tool_line(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]),
           "cpu": cpu, "cc": tool_line([os.environ.get("CC", "cc"), "--version"]),
           "cflags": a.cflags or "-O2 (default)", "rounds": a.rounds,
           "load_start": load_start,
           "load_end": " ".join("%.2f" % x for x in os.getloadavg()),
           "modules": summarise(mods, runs)}
    os.makedirs(a.out_dir, exist_ok=True)
    base = os.path.join(a.out_dir, a.name)
    with open(base + ".json", "w") as f:
        json.dump(doc, f, indent=1)
    md = markdown(doc)
    with open(base + ".md", "w") as f:
        f.write(md)
    log("wrote %s.json and %s.md" % (base, base))
    sys.stdout.write(md)
    return 1 if any(e["errors"] for e in doc["modules"]) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
