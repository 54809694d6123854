#!/usr/bin/python3
"""run.py — CPU kernel benchmark: native gcc -O2 vs wasitorch tiers.

Builds every kernel in bench/kernels/ natively (gcc -O2) and for
wasm32-wasi (clang-14 -O2, scalar and -msimd128, plus the hand-SIMD resize),
runs them interleaved N times under each engine `wasitorch run` offers
(interp always; aot when `wasitorch run --help` lists it), checks that every
build prints the same checksum, and writes medians and slowdown ratios to
bench/results/kernels.json and kernels.md (kernels-quick.* with --quick).
It also measures the start-up time of a hello-world module against a native
hello. --check is the quick correctness pass for CI (checksums only). The
AOT engine compiles with wasitorch's own choice of C compiler ($CC, else
cc); the results header names it.

Each kernel times its own hot loop (CLOCK_PROCESS_CPUTIME_ID and
CLOCK_MONOTONIC), so ratios exclude process start-up and module translation;
whole-process wall and CPU time are recorded too. Ratios use the kernels'
CPU time because this machine is shared: wall time includes waiting for a
core, CPU time does not. Standard library only; run with /usr/bin/python3.
"""
import argparse
import json
import math
import os
import platform
import re
import shlex
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
KERNELS = ["intmix", "resize", "raymarch", "nms"]
COMMON_FLAGS = ["-O2", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror"]
WASM_CC = ["clang-14", "--target=wasm32-wasi", "--sysroot=/usr"]
# Build variants: name -> (compiler command, extra flags, suffix).
BUILDS = {
    "native": (["gcc"], ["-lm"], ""),
    "wasm": (WASM_CC, [], ".wasm"),
    "wasm-simd": (WASM_CC, ["-msimd128"], ".simd.wasm"),
    "wasm-hand": (WASM_CC, ["-msimd128", "-DBK_HAND_SIMD"], ".hand.wasm"),
}
HAND_KERNELS = {"resize"}  # kernels with a hand-written SIMD variant
LINE_RE = re.compile(r"^BK kernel=(\S+) scale=(\d+) checksum=(0x[0-9a-f]+) "
                     r"wall_ms=([0-9.]+) cpu_ms=([0-9.]+)$", re.M)


def log(msg):
    """Progress goes to stderr so stdout stays clean for callers."""
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Run the CPU kernel suite natively and under wasitorch; "
                    "write bench/results/kernels.{json,md}.")
    p.add_argument("--wasitorch", help="wasitorch binary (default: first of "
                   "build/bin, build-kernels/bin under the repo)")
    p.add_argument("--build-dir", help="where kernels are compiled "
                   "(default: <wasitorch build dir>/bench-kernels)")
    p.add_argument("--out-dir", default=os.path.join(REPO, "bench", "results"),
                   help="results directory (default: bench/results)")
    p.add_argument("--reps", type=int, help="repetitions per run (default 5; quick 3)")
    p.add_argument("--scale", type=int, help="work multiplier passed to each kernel "
                   "(default 8, ~0.3-0.5 s natively; quick 2)")
    p.add_argument("--kernels", default=",".join(KERNELS),
                   help="comma-separated subset of: " + ",".join(KERNELS))
    p.add_argument("--engines", help="comma-separated engines to run (default: all "
                   "that 'wasitorch run --help' lists, else interp)")
    p.add_argument("--no-simd", action="store_true", help="skip the -msimd128 builds")
    p.add_argument("--native-cc", default="gcc",
                   help="compiler of the native baseline (default gcc; e.g. clang-14)")
    p.add_argument("--native-flags", default="",
                   help="extra flags for the native baseline (e.g. -funroll-loops)")
    p.add_argument("--aot-cflags", help="passed as `wasitorch run --cflags` to the aot and "
                   "auto engines (default: the runtime's -O2)")
    p.add_argument("--hello-reps", type=int, help="start-up repetitions (default 30; quick 10)")
    p.add_argument("--quick", action="store_true", help="small scale, fewer repetitions")
    p.add_argument("--check", action="store_true", help="correctness only: every build once "
                   "at scale 1, checksums must agree; no timing files written (for CI)")
    p.add_argument("--timeout", type=float, default=900.0, help="seconds per run (default 900)")
    p.add_argument("--cpu", default="last", help="CPU every run is pinned to: a number, "
                   "'last' (default: the highest CPU this process may use) or 'none'. "
                   "On a shared VM one virtual CPU can be ~1.4x slower than another "
                   "(a busy sibling thread); unpinned runs then land on either, and "
                   "medians mix the two speeds")
    p.add_argument("--render", metavar="JSON", help="only rewrite the Markdown next to an "
                   "existing kernels JSON (after a format change); runs nothing")
    a = p.parse_args(argv)
    if a.check:
        a.reps, a.scale = 1, 1
    a.reps = a.reps or (3 if a.quick else 5)
    a.scale = a.scale or (2 if a.quick else 8)
    a.hello_reps = a.hello_reps or (10 if a.quick else 30)
    a.kernels = [k for k in a.kernels.split(",") if k]
    for k in a.kernels:
        if k not in KERNELS:
            p.error("unknown kernel " + k)
    if a.cpu not in ("last", "none") and not a.cpu.isdigit():
        p.error("--cpu takes a number, 'last' or 'none'")
    return a


def pin_cpu(choice):
    """Pins this process, and so every child it starts, to one CPU; returns it or None."""
    if choice == "none" or not hasattr(os, "sched_setaffinity"):
        return None
    cpu = max(os.sched_getaffinity(0)) if choice == "last" else int(choice)
    try:
        os.sched_setaffinity(0, {cpu})
    except OSError as e:
        log("cannot pin to CPU %d (%s); runs are not pinned" % (cpu, e))
        return None
    return cpu


def find_wasitorch(arg):
    if arg:
        return os.path.abspath(arg)
    for b in ("build", "build-kernels"):
        cand = os.path.join(REPO, b, "bin", "wasitorch")
        if os.access(cand, os.X_OK):
            return cand
    sys.exit("run.py: no wasitorch binary found; build it or pass --wasitorch")


def detect_engines(wt):
    """Engines named near `--engine` in `wasitorch run --help` (e.g.
    '--engine aot|interp|auto'); returns (engines, has --engine, has --compile)."""
    out = subprocess.run([wt, "run", "--help"], capture_output=True, text=True).stdout
    lines = out.splitlines()
    at = next((i for i, l in enumerate(lines) if "--engine" in l), None)
    if at is None:
        return ["interp"], False, "--compile" in out
    text = " ".join(lines[at:at + 3])
    names = [e for e in ("interp", "aot") if re.search(r"\b%s\b" % e, text)]
    return names or ["interp"], True, "--compile" in out


def build_one(src, out, cc, flags):
    """Compiles src if out is missing or older than any kernel source."""
    deps = [src] + [os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith(".h")]
    if os.path.exists(out) and all(os.path.getmtime(d) <= os.path.getmtime(out) for d in deps):
        return True
    cmd = cc + COMMON_FLAGS + ["-I", HERE, src, "-o", out] + flags
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        log("build failed: " + " ".join(cmd) + "\n" + r.stderr)
        return False
    return True


def native_build(args):
    """The native baseline's (compiler, flags, file suffix); a non-default
    compiler or flags get their own file so builds never mix."""
    extra = shlex.split(args.native_flags)
    tag = "" if args.native_cc == "gcc" and not extra else \
        "." + re.sub(r"[^A-Za-z0-9_.=-]+", "_", "-".join([args.native_cc] + extra))
    return [args.native_cc], BUILDS["native"][1] + extra, tag


def build_all(args, bdir):
    """Builds kernels and hello; returns {(kernel, build): path}."""
    os.makedirs(bdir, exist_ok=True)
    paths = {}
    for k in args.kernels + ["hello"]:
        src = os.path.join(HERE, ("k_%s.c" % k) if k != "hello" else "hello.c")
        for b, (cc, flags, suffix) in BUILDS.items():
            if b == "native":
                cc, flags, suffix = native_build(args)
            if b == "wasm-hand" and k not in HAND_KERNELS:
                continue
            if k == "hello" and b not in ("native", "wasm"):
                continue
            if args.no_simd and b != "native" and "-msimd128" in flags:
                continue
            out = os.path.join(bdir, k + suffix)
            log("build %-9s %-9s" % (k, b))
            if not build_one(src, out, cc, flags):
                sys.exit("run.py: build failed")
            paths[(k, b)] = out
    return paths


def run_measured(cmd, timeout):
    """Runs cmd; returns (stdout, stderr, exit code, process wall ms, process CPU ms).

    CPU time is the RUSAGE_CHILDREN delta around the call (we run one child
    at a time), so it covers the whole process: start-up, load, translation.
    """
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        rc, err = -1, err + "\n(timeout)"
    wall = (time.perf_counter() - t0) * 1e3
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)) * 1e3
    return out, err, rc, wall, cpu


class Variant:
    """One way of running a kernel: a build plus (for wasm) an engine."""

    def __init__(self, label, build, engine):
        self.label, self.build, self.engine = label, build, engine

    def command(self, ctx, path, arg):
        if self.engine is None:
            return [path, arg]
        cmd = [ctx["wasitorch"], "run"]
        if ctx["engine_flag"]:
            cmd += ["--engine", self.engine]
        if ctx.get("aot_cflags") and self.engine in ("aot", "auto"):
            cmd += ["--cflags", ctx["aot_cflags"]]
        return cmd + [path, arg]


def make_variants(engines, paths, kernels):
    """native first, then per engine: scalar, auto-vectorised SIMD, hand SIMD."""
    vs = [Variant("native", "native", None)]
    for e in engines:
        for b, tag in (("wasm", ""), ("wasm-simd", "-simd"), ("wasm-hand", "-hand")):
            if any((k, b) in paths for k in kernels):
                vs.append(Variant(e + tag, b, e))
    return vs


def probe(ctx, variants, paths, kernels):
    """Runs each wasm variant once at scale 1: detects unsupported features
    (e.g. SIMD in an engine without it) and fills an AOT cache before timing."""
    ok = {}
    for v in variants:
        for k in kernels:
            if (k, v.build) not in paths:
                continue
            if v.engine is None:
                ok[(k, v.label)] = None
                continue
            cmd = v.command(ctx, paths[(k, v.build)], "1")
            if v.engine == "aot" and ctx["compile_flag"]:
                cmd.insert(2, "--compile")
            out, err, rc, _, _ = run_measured(cmd, ctx["timeout"])
            # Only a refusal (non-zero exit) means "unsupported"; a run that exits
            # 0 without a result line is left in, so the timed runs report it.
            if rc != 0:
                reason = (err.strip().splitlines() or ["exit %d" % rc])[-1]
                log("skip  %-9s %-11s %s" % (k, v.label, reason))
                ok[(k, v.label)] = reason
            else:
                ok[(k, v.label)] = None
    return ok


def one_run(ctx, v, path, scale):
    out, err, rc, pwall, pcpu = run_measured(v.command(ctx, path, str(scale)), ctx["timeout"])
    m = LINE_RE.search(out)
    if rc != 0 or not m:
        why = "no result line" if rc == 0 else "exit %d" % rc
        return {"error": (err.strip().splitlines() or [why])[-1]}
    return {"checksum": m.group(3), "kernel_wall_ms": float(m.group(4)),
            "kernel_cpu_ms": float(m.group(5)), "proc_wall_ms": pwall, "proc_cpu_ms": pcpu}


def run_kernels(ctx, args, variants, paths, skipped):
    """Interleaved repetitions: rep -> kernel -> variant, so slow drifts in
    machine load hit every variant alike."""
    runs = {k: {v.label: [] for v in variants} for k in args.kernels}
    todo = [(k, v) for k in args.kernels for v in variants
            if (k, v.build) in paths and not skipped.get((k, v.label))]
    n, total = 0, len(todo) * args.reps
    for rep in range(args.reps):
        for k, v in todo:
            n += 1
            r = one_run(ctx, v, paths[(k, v.build)], args.scale)
            runs[k][v.label].append(r)
            what = r.get("error") or "%.1f ms cpu" % r["kernel_cpu_ms"]
            log("[%d/%d] rep %d %-9s %-11s %s" % (n, total, rep + 1, k, v.label, what))
    return runs


def median_of(rs, key):
    xs = [r[key] for r in rs if key in r and not math.isnan(r[key])]
    return statistics.median(xs) if xs else None


def summarise(args, variants, runs, skipped):
    """Medians, checksum agreement and ratios vs native per kernel."""
    res = {}
    for k in args.kernels:
        res[k] = {}
        nat = median_of(runs[k]["native"], "kernel_cpu_ms")
        natw = median_of(runs[k]["native"], "kernel_wall_ms")
        for v in variants:
            rs = runs[k].get(v.label, [])
            if not rs:
                if skipped.get((k, v.label)):
                    res[k][v.label] = {"skipped": skipped[(k, v.label)]}
                continue
            e = {key: median_of(rs, key) for key in
                 ("kernel_cpu_ms", "kernel_wall_ms", "proc_cpu_ms", "proc_wall_ms")}
            e["checksums"] = sorted({r["checksum"] for r in rs if "checksum" in r})
            e["errors"] = [r["error"] for r in rs if "error" in r]
            e["runs"] = rs
            if nat and e["kernel_cpu_ms"]:
                e["ratio_cpu"] = e["kernel_cpu_ms"] / nat
                e["ratio_wall"] = e["kernel_wall_ms"] / natw
            res[k][v.label] = e
        sums = {c for e in res[k].values() for c in e.get("checksums", [])}
        res[k]["_checksum_ok"] = len(sums) == 1
        res[k]["_checksum"] = sorted(sums)
    return res


def geomeans(args, variants, res):
    """Geometric mean of ratios per variant, over kernels where it ran."""
    g = {}
    for v in variants[1:]:
        for key in ("ratio_cpu", "ratio_wall"):
            xs = [res[k][v.label][key] for k in args.kernels
                  if key in res[k].get(v.label, {})]
            if xs:
                g.setdefault(v.label, {})[key] = math.exp(sum(map(math.log, xs)) / len(xs))
                g[v.label]["kernels"] = len(xs)
    return g


def hello_startup(ctx, args, paths):
    """Whole-process time of hello: native vs `wasitorch run`, interleaved."""
    out = {}
    cmds = {"native": [paths[("hello", "native")]]}
    for e in ctx["engines"]:
        v = Variant(e, "wasm", e)
        cmds[e] = v.command(ctx, paths[("hello", "wasm")], "")[:-1]
    for _ in range(2):  # warm the page cache (and an AOT cache) first
        for c in cmds.values():
            run_measured(c, ctx["timeout"])
    samples = {name: [] for name in cmds}
    for i in range(args.hello_reps):
        for name, c in cmds.items():
            _, _, rc, wall, cpu = run_measured(c, ctx["timeout"])
            if rc == 0:
                samples[name].append((wall, cpu))
    for name, xs in samples.items():
        if xs:
            out[name] = {"wall_ms": statistics.median(w for w, _ in xs),
                         "cpu_ms": statistics.median(c for _, c in xs), "n": len(xs)}
    log("hello: " + ", ".join("%s %.2f ms" % (n, e["wall_ms"]) for n, e in out.items()))
    return out


def machine_info(ctx):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), cpu)
    except OSError:
        pass
    rev = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    cc = {}
    for name, c in (("gcc", "gcc"), ("clang", "clang-14")):
        r = subprocess.run([c, "--version"], capture_output=True, text=True)
        cc[name] = (r.stdout.splitlines() or ["?"])[0]
    ver = subprocess.run([ctx["wasitorch"], "version"], capture_output=True, text=True)
    return {"cpu": cpu, "cores": os.cpu_count(), "loadavg_start": os.getloadavg(),
            "wasitorch_version": (ver.stdout.strip().splitlines() or ["?"])[0],
            "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "git_rev": rev, "wasitorch": ctx["wasitorch"], "compilers": cc,
            "python": platform.python_version()}


def fmt(x, nd=1):
    return "—" if x is None else ("%.*f" % (nd, x))


def hello_markdown(doc):
    """Start-up table: hello under each runner vs native."""
    L = ["", "## Start-up (hello world, whole process)", "",
         "| runner | wall ms | CPU ms | wall − native | CPU − native |", "|---|---|---|---|---|"]
    nat = doc["hello"].get("native")
    for name, e in doc["hello"].items():
        d = ("%.2f | %.2f" % (e["wall_ms"] - nat["wall_ms"], e["cpu_ms"] - nat["cpu_ms"])
             if nat and name != "native" else "— | —")
        L.append("| %s | %.2f | %.2f | %s |" % (name, e["wall_ms"], e["cpu_ms"], d))
    L += ["", "Both rows include the cost of spawning a process from Python; the "
          "difference is the runtime's own start-up (load, validate, translate, "
          "instantiate, WASI set-up)."]
    L += ["", "Anchors: wasm3 ~1 ms, WAMR ~6.5 ms. Whole-process medians per kernel "
          "(including start-up and translation) are in kernels.json.", ""]
    return L


def write_markdown(path, doc, variants):
    """Human summary: kernel CPU-time table with ratios, geomeans, start-up."""
    cols = [v.label for v in variants]
    m = doc["machine"]
    native = m.get("native_build", "gcc -O2 -ffp-contract=off")
    L = ["# Kernel benchmark: native %s vs wasitorch" % native, "",
         "Generated by `bench/kernels/run.py` on %s (repo at git %s; `%s`). CPU: %s, %d "
         "cores, load average %.1f at start, %.1f at end. Scale %d, %d repetitions, "
         "medians; times are the kernels' own CPU time of the hot loop "
         "(`CLOCK_PROCESS_CPUTIME_ID`), ratios are vs native (`%s`); AOT compiler %s, cflags %s; %s."
         % (m["date_utc"], m["git_rev"], m.get("wasitorch_version", "?"), m["cpu"],
            m["cores"], m["loadavg_start"][0], m.get("loadavg_end", [0])[0], doc["scale"],
            doc["reps"], native, m.get("aot_cc", "cc (default)"), m.get("aot_cflags", "-O2 (default)"),
            "every run pinned to CPU %d" % m["pinned_cpu"] if m.get("pinned_cpu") is not None
            else "runs not pinned to a CPU"), "",
         "| kernel | " + " | ".join("%s ms | ×" % c if c != "native" else "native ms"
                                    for c in cols) + " | checksum |",
         "|---" * (2 * len(cols)) + "|---|"]
    for k, r in doc["kernels"].items():
        cells = []
        for c in cols:
            e = r.get(c, {})
            if c == "native":
                cells.append(fmt(e.get("kernel_cpu_ms")))
            elif "skipped" in e:
                cells += ["n/a", "—"]
            else:
                cells += [fmt(e.get("kernel_cpu_ms")), fmt(e.get("ratio_cpu"), 2)]
        ok = "ok" if r["_checksum_ok"] else "**MISMATCH** " + " ".join(r["_checksum"])
        L.append("| %s | %s | %s %s |" % (k, " | ".join(cells), ok,
                                          r["_checksum"][0] if r["_checksum_ok"] else ""))
    g = doc["geomean"]
    nk = len(doc["kernels"])

    def gcell(c):
        e = g.get(c, {})
        if "ratio_cpu" not in e:
            return "| | — "
        note = "" if e["kernels"] == nk else " (%d of %d kernels)" % (e["kernels"], nk)
        return "| | **%s**%s " % (fmt(e["ratio_cpu"], 2), note)
    L.append("| **geomean** | " + "".join(gcell(c) for c in cols[1:]) + "| |")
    L += ["", "Wall-clock ratios (kernel hot loop, `CLOCK_MONOTONIC`; noisier on a shared "
          "machine): " + ", ".join("%s %s×" % (c, fmt(g[c].get("ratio_wall"), 2))
                                   for c in cols[1:] if c in g) + ".", ""]
    simd = [(c, c.replace("-simd", "")) for c in cols if c.endswith("-simd")]
    for c, base in simd:
        rows = []
        for k, r in doc["kernels"].items():
            a, b = r.get(c, {}).get("kernel_cpu_ms"), r.get(base, {}).get("kernel_cpu_ms")
            if a and b:
                rows.append("%s %.2f" % (k, a / b))
        if rows:
            L.append("SIMD vs scalar (%s / %s time, <1 is faster): %s." % (c, base, ", ".join(rows)))
    L += hello_markdown(doc)
    with open(path, "w") as f:
        f.write("\n".join(L))


def check_only(args, variants, runs, skipped):
    """--check: every variant that ran must print the native checksum."""
    bad = 0
    for k in args.kernels:
        want = {r.get("checksum") for r in runs[k]["native"]}
        for v in variants:
            for r in runs[k].get(v.label, []):
                if "error" in r or {r["checksum"]} != want:
                    log("FAIL %s %s: %s (native %s)" % (k, v.label, r.get("error") or
                                                       r["checksum"], sorted(want)))
                    bad += 1
    n = sum(len(runs[k][v.label]) for k in args.kernels for v in variants)
    log("check: %d runs, %d failed, %d variants skipped as unsupported" %
        (n, bad, sum(1 for x in skipped.values() if x)))
    return 1 if bad else 0


def render_only(path):
    with open(path) as f:
        doc = json.load(f)
    variants = [Variant(v["label"], v["build"], v["engine"]) for v in doc["variants"]]
    out = os.path.splitext(path)[0] + ".md"
    write_markdown(out, doc, variants)
    log("wrote " + out)
    return 0


def main(argv):
    args = parse_args(argv)
    if args.render:
        return render_only(args.render)
    wt = find_wasitorch(args.wasitorch)
    cpu = pin_cpu(args.cpu)
    engines, flag, compile_flag = detect_engines(wt)
    if args.engines:
        engines = [e for e in args.engines.split(",") if e]
    ctx = {"wasitorch": wt, "engines": engines, "engine_flag": flag,
           "compile_flag": compile_flag, "timeout": args.timeout,
           "aot_cflags": args.aot_cflags}
    bdir = args.build_dir or os.path.join(os.path.dirname(os.path.dirname(wt)), "bench-kernels")
    log("wasitorch %s, engines %s, build dir %s" % (wt, ",".join(engines), bdir))
    machine = machine_info(ctx)
    machine["native_build"] = " ".join([args.native_cc] + COMMON_FLAGS[:2] +
                                       shlex.split(args.native_flags))
    machine["aot_cflags"] = args.aot_cflags or "-O2 (default)"
    machine["aot_cc"] = os.environ.get("CC") or "cc (default)"  # wasitorch compile's compiler
    machine["pinned_cpu"] = cpu
    paths = build_all(args, bdir)
    variants = make_variants(engines, paths, args.kernels)
    skipped = probe(ctx, variants, paths, args.kernels)
    runs = run_kernels(ctx, args, variants, paths, skipped)
    if args.check:
        return check_only(args, variants, runs, skipped)
    hello = hello_startup(ctx, args, paths)
    res = summarise(args, variants, runs, skipped)
    doc = {"machine": machine, "scale": args.scale, "reps": args.reps, "quick": args.quick,
           "variants": [{"label": v.label, "build": v.build, "engine": v.engine}
                        for v in variants],
           "module_bytes": {"%s%s" % (k, BUILDS[b][2]): os.path.getsize(p)
                            for (k, b), p in paths.items() if b != "native"},
           "kernels": res, "geomean": geomeans(args, variants, res), "hello": hello}
    doc["machine"]["loadavg_end"] = os.getloadavg()
    os.makedirs(args.out_dir, exist_ok=True)
    # --quick never overwrites the full run's figures (same rule as models.py).
    stem = os.path.join(args.out_dir, "kernels-quick" if args.quick else "kernels")
    with open(stem + ".json", "w") as f:
        json.dump(doc, f, indent=1)
    write_markdown(stem + ".md", doc, variants)
    bad = [k for k in args.kernels if not res[k]["_checksum_ok"]]
    for label, g in doc["geomean"].items():
        log("geomean %-11s %.2fx (cpu), %.2fx (wall)" % (label, g["ratio_cpu"], g["ratio_wall"]))
    if bad:
        log("CHECKSUM MISMATCH: " + ", ".join(bad))
        return 2
    log("wrote %s.{json,md}" % stem)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
