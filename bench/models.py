#!/usr/bin/python3
"""models.py -- wasitorch's model benchmark: MobileNetV2 and YOLOv8n, side by side.

Usage:
  /usr/bin/python3 bench/models.py BUILD_DIR [--quick] [--rounds R] [--repeat N]
        [--threads 1,2] [--models mobilenet_v2,yolov8n] [--no-ort] [--no-int8]
        [--out DIR]

Contenders, per model and thread count, all on the same model weights and the
same input tensor:
  native      tools/native/wt-native-ref (libtorch C++), TorchScript frozen,
              frozen + optimize_for_inference ("ofi"), and frozen + the
              backend's oneDNN rewrite ("fused", wt-native-ref --fuse)
  wasitorch   per engine tier the CLI offers (interp, and aot when `run
              --help` lists --engine), the model either preloaded by the host
              (--nn-preload) or read by the guest through WASI and passed to
              load() as bytes (--model-file). Steady state: bench/models_guest.c
              (wt-native-ref's loop inside Wasm, compiled at bench time with
              sdk/bin/wasitorch-cc; wall and process CPU time per inference).
              Cold: the real application, examples/classify or examples/detect
              (decode, resize, inference, top-5/NMS). One extra contender,
              "wasitorch-app", takes its steady figure from the application's
              own `--repeat N` (wall time only).
              The graph preparation is pinned (WASITORCH_NN_OPTIMIZE=none|ofi|fused);
              "auto" (the backend's measured choice) is shown when it exists.
  mobile      wt-native-ref --mobile on the .ptl (PyTorch Mobile lite interpreter)
  ort         bench/ort/run_ort.mjs on the ONNX export (onnxruntime-node)
  int8        the same runners on the post-training-quantised MobileNetV2

Method (see docs/benchmarks.md): contenders run interleaved, one process
at a time, in rounds whose order rotates. In each round every contender
runs twice: a cold run (one inference: process start -> result -> exit;
wall, CPU and peak RSS from wait4) and a steady run (--repeat N; the
runner's own median and p90 of the N per-inference wall and process-CPU
times, the first inference included for every runner). Figures are medians
over rounds; ratios are medians of the per-round ratios (a contender and
its counterpart ran minutes apart at most, so drift of the machine's load
cancels better than in a ratio of medians). Before the
rounds, one untimed priming run per contender writes its output, which is
compared with the native TorchScript output (max abs diff).

Writes DIR/models.json (every raw figure), DIR/models.md (the tables) and,
with Debian's python3-matplotlib, DIR/models.png. --quick (1 thread, 2
rounds, short repeats, MobileNetV2 only) writes models-quick.* instead so
it never overwrites a full run. Progress goes to stderr. Stdlib only.
"""
import argparse
import array
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

from benchproc import run_child

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = "/usr/bin/python3"
TOOLS = os.path.join(ROOT, "tools")

# What each model family needs: guest, preload name, shape, files per variant.
FAMILIES = {
    "mobilenet_v2": {
        "guest": "classify.wasm", "preload": "mobilenet", "shape": "1,3,224,224",
        "guest_args": ["--labels", "/models/imagenet_classes.txt"],
        "repeat": 21, "quick_repeat": 11,
        "files": {
            "fp32": {"pt": "mobilenet_v2_frozen.pt", "ptl": "mobilenet_v2.ptl",
                     "onnx": "mobilenet_v2.onnx"},
            "int8": {"pt": "mobilenet_v2_int8.pt", "ptl": "mobilenet_v2_int8.ptl",
                     "onnx": "mobilenet_v2_int8.onnx"},
        },
    },
    "yolov8n": {
        "guest": "detect.wasm", "preload": "yolov8n", "shape": "1,3,640,640",
        "guest_args": [], "repeat": 11, "quick_repeat": 5,
        "files": {"fp32": {"pt": "yolov8n_frozen.pt", "ptl": "yolov8n.ptl",
                           "onnx": "yolov8n.onnx"}},
    },
}

STEADY_RE = re.compile(r"repeat\s+(\d+) runs: median ([\d.]+) ms, p90 ([\d.]+) ms")
NATIVE_RE = re.compile(r"wall median ([\d.]+) ms p90 ([\d.]+) ms; cpu median ([\d.]+) ms p90 ([\d.]+) ms")
LOAD_RE = re.compile(r"load wall ([\d.]+) ms")
DIFF_RE = re.compile(r"max abs diff ([\d.eE+-]+)")
GUEST_STAGE_RE = re.compile(r"^(decode|preprocess|letterbox|load|inference|postprocess)\s+([\d.]+) ms", re.M)


def progress(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def run_timed(argv, timeout=900, env=None):
    """Runs argv to completion; returns rc, wall ms (fork to reap), CPU ms of
    the child (user+sys from wait4) and its peak RSS in KiB, plus output.
    env: variables added to this process's environment."""
    r = run_child(argv, env=None if env is None else {**os.environ, **env}, timeout=timeout,
                  merge_stderr=True)
    return {"rc": r["rc"], "wall_ms": r["wall_ms"], "cpu_ms": r["cpu_ms"],
            "maxrss_kb": r["rusage"].ru_maxrss, "text": r["stdout"]}


def check(res, argv):
    """A failed run stops the benchmark: a figure from a broken run is worse than none."""
    if res["rc"] != 0:
        raise SystemExit(f"bench: command failed (exit {res['rc']}):\n  {' '.join(argv)}\n{res['text'][-2000:]}")
    return res


class Ctx:
    """Paths and switches of one benchmark invocation."""

    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build)
        self.bin = os.path.join(self.build, "bin")
        self.guests = os.path.join(self.build, "guests")
        self.models = os.path.join(self.build, "models")
        self.work = os.path.join(self.build, "bench-work")
        self.wasitorch = os.path.join(self.bin, "wasitorch")
        self.native = os.path.join(self.bin, "wt-native-ref")
        self.ort_runner = os.path.join(ROOT, "bench", "ort", "run_ort.mjs")
        self.node = shutil.which("node")
        os.makedirs(self.work, exist_ok=True)
        for path in (self.wasitorch, self.native):
            if not os.access(path, os.X_OK):
                raise SystemExit(f"bench: {path} missing: build first (make build)")
        self.engines = self.detect_engines()
        self.auto = self.backend_has_auto()
        self.fused = self.has_fused()
        self.guest_loop = os.path.join(self.work, "models_guest.wasm")
        self.ort = (not args.no_ort and self.node is not None and
                    os.path.isdir(os.path.join(ROOT, "bench", "ort", "node_modules", "onnxruntime-node")))

    def backend_has(self, marker):
        """Whether the built torch backend contains `marker` (a feature's
        name compiled into it); False when there is no backend."""
        lib = os.path.join(self.build, "lib", "wasitorch", "libwasitorch_torch.so")
        try:
            with open(lib, "rb") as f:
                return marker in f.read()
        except OSError:
            return False

    def backend_has_auto(self):
        """The torch backend's measured preparation choice (optimize mode
        auto, WASITORCH_NN_OPTIMIZE=auto) exists in newer builds only."""
        return self.backend_has(b"WASITORCH_NN_OPTIMIZE")

    def has_fused(self):
        """The backend's oneDNN "fused" preparation, and wt-native-ref's
        --fuse for its native counterpart (builds with libdnnl-dev only)."""
        if not self.backend_has(b"wasitorch::conv2d_fused"):
            return False
        usage = subprocess.run([self.native, "--help"], capture_output=True, text=True)
        return "--fuse" in usage.stdout + usage.stderr

    def detect_engines(self):
        """interp always; aot when the CLI documents an --engine choice with it."""
        text = subprocess.run([self.wasitorch, "run", "--help"], capture_output=True, text=True).stdout
        if re.search(r"--engine\b.*aot", text):
            return ["interp", "aot"]
        return ["interp"]


# ----------------------------------------------------------------- setup

def ensure(path, argv, what):
    """Runs a generator once when its output is missing (model export etc.)."""
    if os.path.exists(path):
        return
    progress(f"{what} ({os.path.basename(path)} missing)")
    check(run_timed(argv, timeout=3600), argv)
    if not os.path.exists(path):
        raise SystemExit(f"bench: {' '.join(argv)} did not write {path}")


def prepare_models(ctx, family):
    """Exports what the family's contenders need; returns False when the
    family cannot run here (e.g. YOLOv8n before its tool and guest exist)."""
    m = ctx.models
    if family == "mobilenet_v2":
        ensure(os.path.join(m, "mobilenet_v2_frozen.pt"),
               [PY, os.path.join(TOOLS, "export_mobilenet.py"), "--out", m], "exporting MobileNetV2")
        if not ctx.args.no_int8:
            ensure(os.path.join(m, "mobilenet_v2_int8.onnx"),
                   [PY, os.path.join(TOOLS, "quantize_mobilenet.py"), "--out", m],
                   "quantising MobileNetV2 to int8")
    else:
        tool = os.path.join(TOOLS, "export_yolov8.py")
        if not os.path.exists(tool) or not os.path.exists(os.path.join(ctx.guests, "detect.wasm")):
            progress("yolov8n: tools/export_yolov8.py or guests/detect.wasm missing, skipped")
            return False
        ensure(os.path.join(m, "yolov8n_frozen.pt"), [PY, tool, "--out", m], "exporting YOLOv8n")
    spec = FAMILIES[family]
    if ctx.ort:
        traced = os.path.join(m, spec["files"]["fp32"]["pt"])
        ensure(os.path.join(m, spec["files"]["fp32"]["onnx"]),
               [PY, os.path.join(TOOLS, "export_onnx.py"), "--model", traced, "--shape", spec["shape"],
                "--out", os.path.join(m, spec["files"]["fp32"]["onnx"])], f"exporting {family} to ONNX")
    return True


def build_guest_loop(ctx):
    """Compiles bench/models_guest.c with the SDK's wasitorch-cc (the
    project's own warning flags) when the module is missing or older."""
    src = os.path.join(ROOT, "bench", "models_guest.c")
    if os.path.exists(ctx.guest_loop) and os.path.getmtime(ctx.guest_loop) >= os.path.getmtime(src):
        return
    progress("compiling bench/models_guest.c (wasitorch-cc)")
    argv = [os.path.join(ROOT, "sdk", "bin", "wasitorch-cc"), "-O2", "-std=c11", "-Wall", "-Wextra", "-Werror",
            "-Wshadow", "-Wstrict-prototypes", "-Wmissing-prototypes", "-Wvla", src, "-o", ctx.guest_loop]
    check(run_timed(argv), argv)


def prepare_input(ctx, family):
    """A photo-like JPEG, and the exact tensor the guest makes of it (the
    guest's --dump-input), which the native and ORT runners are fed."""
    image = os.path.join(ctx.work, "bench.jpg")
    ensure(image, [PY, os.path.join(TOOLS, "make_test_image.py"), "--out", image, "--size", "640x480",
                   "--seed", "5"], "making the benchmark image")
    tensor = os.path.join(ctx.work, f"{family}_input.bin")
    spec = FAMILIES[family]
    model = os.path.join(ctx.models, spec["files"]["fp32"]["pt"])
    argv = [ctx.wasitorch, "run", "--dir", f"{ctx.models}:/models:ro", "--dir", f"{ctx.work}:/work",
            "--nn-preload", f"{spec['preload']}:pytorch:cpu:{model}",
            os.path.join(ctx.guests, spec["guest"])] + spec["guest_args"] + [
            "--dump-input", f"/work/{family}_input.bin", "/work/bench.jpg"]
    if not os.path.exists(tensor):
        check(run_timed(argv), argv)
    return image, tensor


# ----------------------------------------------------------- contenders

def contender(cid, runner, variant, prep, threads, **kw):
    c = {"id": cid, "runner": runner, "variant": variant, "prep": prep, "threads": threads,
         "engine": kw.get("engine", "-"), "load": kw.get("load", "-"), "file": kw["file"]}
    tag = f"{prep} {variant}" if variant != "fp32" and prep != variant else prep
    wasm = runner.startswith("wasitorch")
    c["label"] = " · ".join(x for x in (runner, c["engine"] if wasm else "", c["load"] if wasm else "", tag) if x)
    return c


def contenders(ctx, family, threads):
    """The contender list of one (model, threads) group, in base order."""
    spec, out = FAMILIES[family], []
    variants = ["fp32"] + (["int8"] if "int8" in spec["files"] and not ctx.args.no_int8 else [])
    for v in variants:
        files = spec["files"][v]
        preps = ["frozen", "frozen+ofi"] + (["fused"] if ctx.fused else []) if v == "fp32" else ["int8"]
        for prep in preps:
            out.append(contender(f"native-{v}-{prep}", "native", v, prep, threads, file=files["pt"]))
            for eng in ctx.engines:
                loads = ["preload", "file"] if prep == "frozen+ofi" else ["preload"]
                for load in loads:
                    out.append(contender(f"wasm-{eng}-{load}-{v}-{prep}", "wasitorch", v, prep, threads,
                                         engine=eng, load=load, file=files["pt"]))
            if prep == "frozen+ofi":
                out.append(contender(f"app-{ctx.engines[0]}-preload-{v}-{prep}", "wasitorch-app", v, prep,
                                     threads, engine=ctx.engines[0], load="preload", file=files["pt"]))
        if v == "fp32" and ctx.auto:
            out.append(contender(f"wasm-{ctx.engines[0]}-preload-{v}-auto", "wasitorch", v, "auto", threads,
                                 engine=ctx.engines[0], load="preload", file=files["pt"]))
        out.append(contender(f"mobile-{v}", "mobile", v, "ptl", threads, file=files["ptl"]))
        if ctx.ort:
            out.append(contender(f"ort-{v}", "ort", v, "onnx", threads, file=files["onnx"]))
    return out


PREP_ENV = {"frozen": "none", "frozen+ofi": "ofi", "fused": "fused", "int8": "none", "auto": "auto"}


def env_for(ctx, c):
    """Pins the backend's graph preparation; the auto mode's cache lives in
    the work directory so a benchmark never reuses a stale user cache."""
    if not c["runner"].startswith("wasitorch"):
        return None
    return {"WASITORCH_NN_OPTIMIZE": PREP_ENV[c["prep"]],
            "WASITORCH_PREP_CACHE": os.path.join(ctx.work, "prep-cache")}


def argv_for(ctx, family, c, repeat, out_file, cold=False):
    """The command line of contender c timing `repeat` inferences (the
    application guest for wasitorch cold runs, else the timing loop)."""
    spec = FAMILIES[family]
    model = os.path.join(ctx.models, c["file"])
    tensor = os.path.join(ctx.work, f"{family}_input.bin")
    t = str(c["threads"])
    if c["runner"] in ("native", "mobile"):
        argv = [ctx.native, "--model", model, "--input", tensor, "--shape", spec["shape"], "--threads", t,
                "--repeat", str(repeat), "--include-first", "--output", out_file]
        if c["prep"] == "frozen+ofi":
            argv.append("--optimize")
        if c["prep"] == "fused":
            argv.append("--fuse")
        if c["runner"] == "mobile":
            argv.append("--mobile")
        return argv
    if c["runner"] == "ort":
        return [ctx.node, ctx.ort_runner, "--model", model, "--input", tensor, "--shape", spec["shape"],
                "--threads", t, "--repeat", str(repeat), "--include-first", "--output", out_file]
    argv = [ctx.wasitorch, "run"]
    if len(ctx.engines) > 1:
        argv += ["--engine", c["engine"]]
    argv += ["--dir", f"{ctx.models}:/models:ro", "--dir", f"{ctx.work}:/work", "--nn-threads", t]
    if c["prep"] == "frozen+ofi":
        argv.append("--nn-optimize")
    guest_model = ["--model-file", f"/models/{c['file']}"]
    if c["load"] == "preload":
        argv += ["--nn-preload", f"{spec['preload']}:pytorch:cpu:{model}"]
        guest_model = ["--model", spec["preload"]]
    out = f"/work/{os.path.basename(out_file)}"
    if cold or c["runner"] == "wasitorch-app":
        return argv + [os.path.join(ctx.guests, spec["guest"])] + guest_model + spec["guest_args"] + [
            "--repeat", str(repeat), "--dump-output", out, "/work/bench.jpg"]
    return argv + [ctx.guest_loop] + guest_model + [
        "--input", f"/work/{family}_input.bin", "--shape", spec["shape"], "--repeat", str(repeat),
        "--include-first", "--output", out]


# ------------------------------------------------------------ measuring

def parse_steady(c, text):
    """(median, p90, runner CPU median or None) of the per-inference wall times."""
    if c["runner"] == "wasitorch-app":
        m = STEADY_RE.search(text)
        if m:
            return float(m.group(2)), float(m.group(3)), None
        m = re.search(r"^inference\s+([\d.]+) ms", text, re.M)  # --repeat 1 prints one latency
        return (float(m.group(1)), float(m.group(1)), None) if m else (None, None, None)
    m = NATIVE_RE.search(text)
    if not m:
        return None, None, None
    return float(m.group(1)), float(m.group(2)), float(m.group(3))


def parse_stages(c, text):
    """Where a cold run's time went, as the runner itself reports it."""
    if c["runner"].startswith("wasitorch"):
        stages = {k: float(v) for k, v in GUEST_STAGE_RE.findall(text)}
        if "letterbox" in stages:
            stages["preprocess"] = stages.pop("letterbox")
        return stages
    load = LOAD_RE.search(text)
    first = NATIVE_RE.search(text)
    return {"load": float(load.group(1)) if load else None,
            "inference": float(first.group(1)) if first else None}


def measure(ctx, family, c, repeat):
    """One cold run and one steady run of contender c."""
    out_file = os.path.join(ctx.work, f"out-{family}-{c['id']}-t{c['threads']}.bin")
    env = env_for(ctx, c)
    cold_argv = argv_for(ctx, family, c, 1, out_file, cold=True)
    cold = check(run_timed(cold_argv, env=env), cold_argv)
    steady_argv = argv_for(ctx, family, c, repeat, out_file)
    steady = check(run_timed(steady_argv, env=env), steady_argv)
    med, p90, rcpu = parse_steady(c, steady["text"])
    if med is None:
        raise SystemExit(f"bench: no timing line from {' '.join(steady_argv)}:\n{steady['text'][-1500:]}")
    return {"cold_wall_ms": cold["wall_ms"], "cold_cpu_ms": cold["cpu_ms"],
            "cold_rss_kb": cold["maxrss_kb"], "stages": parse_stages(c, cold["text"]),
            "steady_wall_ms": steady["wall_ms"], "steady_cpu_ms": steady["cpu_ms"],
            "steady_rss_kb": steady["maxrss_kb"], "median_ms": med, "p90_ms": p90,
            "cpu_median_ms": rcpu, "repeat": repeat}


def read_f32(path):
    a = array.array("f")
    with open(path, "rb") as f:
        a.frombytes(f.read())
    return a


def max_abs_diff(path, ref_path):
    out, ref = read_f32(path), read_f32(ref_path)
    if len(out) != len(ref):
        return None
    return max((abs(x - y) for x, y in zip(out, ref)), default=0.0)


def prime(ctx, family, cs):
    """Untimed first run of each contender (fills caches, e.g. an AOT
    artifact); its output is checked against the native TorchScript output
    of the same variant (the first native contender of each variant)."""
    refs = {}
    for c in cs:
        out_file = os.path.join(ctx.work, f"prime-{family}-{c['id']}-t{c['threads']}.bin")
        argv = argv_for(ctx, family, c, 1, out_file)
        check(run_timed(argv, env=env_for(ctx, c)), argv)
        if c["runner"].startswith("wasitorch"):  # the application's output must match too
            app = argv_for(ctx, family, c, 1, out_file + ".app", cold=True)
            check(run_timed(app, env=env_for(ctx, c)), app)
            c["app_output_equal"] = read_f32(out_file + ".app") == read_f32(out_file)
        if c["runner"] == "native" and c["variant"] not in refs:
            refs[c["variant"]] = out_file
        c["max_abs_diff"] = max_abs_diff(out_file, refs[c["variant"]])
        c["reference"] = os.path.basename(refs[c["variant"]])
        same = {True: ", application output identical", False: ", APPLICATION OUTPUT DIFFERS"}
        progress(f"  primed {c['label']}: max abs diff {c['max_abs_diff']:.3g} vs native"
                 f"{same.get(c.get('app_output_equal'), '')}")


def run_group(ctx, family, threads, rounds, repeat):
    """All rounds of one (model, threads) group; returns its contenders with samples."""
    cs = contenders(ctx, family, threads)
    progress(f"{family}, {threads} thread(s): {len(cs)} contenders, {rounds} rounds, --repeat {repeat}")
    prime(ctx, family, cs)
    for c in cs:
        c["samples"] = []
    for r in range(rounds):
        order = cs[r % len(cs):] + cs[:r % len(cs)]  # rotate so no one always goes first
        for i, c in enumerate(order):
            s = measure(ctx, family, c, repeat)
            c["samples"].append(s)
            progress(f"  {family} t={threads} round {r + 1}/{rounds} [{i + 1}/{len(cs)}] {c['label']}: "
                     f"median {s['median_ms']:.2f} ms, cold {s['cold_wall_ms']:.0f} ms, "
                     f"rss {s['steady_rss_kb'] / 1024:.0f} MiB")
    for c in cs:
        c["summary"] = summarise(c["samples"])
    return cs


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarise(samples):
    """Medians over rounds of every per-round figure."""
    s = {k: med([x[k] for x in samples]) for k in
         ("median_ms", "p90_ms", "cpu_median_ms", "cold_wall_ms", "cold_cpu_ms")}
    s["peak_rss_mib"] = med([max(x["cold_rss_kb"], x["steady_rss_kb"]) for x in samples]) / 1024
    keys = sorted({k for x in samples for k in x["stages"]})
    s["cold_stages_ms"] = {k: med([x["stages"].get(k) for x in samples]) for k in keys}
    return s


def baselines(ctx, families):
    """Process start costs, to split cold time: the runtime alone (no
    libtorch), the application guest's start (module decode + translation,
    --help), the runtime with the backend dlopen'ed and a model preloaded
    but a guest that exits at once (models_guest without arguments exits
    2), and the native runner's start with libtorch linked (--help)."""
    cmds = [("wasitorch run --help", [ctx.wasitorch, "run", "--help"]),
            ("wt-native-ref --help (libtorch linked)", [ctx.native, "--help"])]
    if ctx.node:
        cmds.append(("node -e 0", [ctx.node, "-e", "0"]))
    for fam in families:
        spec = FAMILIES[fam]
        model = os.path.join(ctx.models, spec["files"]["fp32"]["pt"])
        run = [ctx.wasitorch, "run", "--nn-threads", "1"]
        cmds.append((f"wasitorch run {spec['guest']} --help (module load only)",
                     run + [os.path.join(ctx.guests, spec["guest"]), "--help"]))
        cmds.append((f"wasitorch run --nn-preload {spec['files']['fp32']['pt']} (backend dlopen + model load, "
                     "guest exits at once)", run + ["--nn-preload", f"{spec['preload']}:pytorch:cpu:{model}",
                                                    ctx.guest_loop]))
    res = {}
    for name, argv in cmds:
        walls = [run_timed(argv, env={"WASITORCH_NN_OPTIMIZE": "none"})["wall_ms"] for _ in range(5)]
        res[name] = statistics.median(walls)
        progress(f"baseline {name}: {res[name]:.0f} ms")
    return res


# ------------------------------------------------------------- reporting

def fmt(v, digits=2):
    return "–" if v is None else f"{v:.{digits}f}"


def counterpart(cs, c):
    """The native contender with c's variant and preparation."""
    for n in cs:
        if n["runner"] == "native" and n["variant"] == c["variant"] and n["prep"] == c["prep"]:
            return n
    return None


def auto_counterpart(cs):
    """What auto is compared with natively: the fastest native fp32
    preparation, which is what auto should have found (fused where it
    exists, else frozen+ofi)."""
    return "fused" if any(c["runner"] == "native" and c["prep"] == "fused" for c in cs) else "frozen+ofi"


def paired(c, n, key):
    """Median over rounds of c's figure over n's figure in the same round."""
    vals = [a[key] / b[key] for a, b in zip(c["samples"], n["samples"])
            if a.get(key) is not None and b.get(key)]
    return statistics.median(vals) if vals else None


def ratios(cs):
    """Per wasitorch contender: steady wall, CPU and cold ratios to native
    with the same preparation (auto: see auto_counterpart), speed-up over PyTorch
    Mobile and ratio to ONNX Runtime; all paired per round."""
    by = {(c["runner"], c["variant"]): c for c in cs if c["runner"] in ("mobile", "ort")}
    out = []
    for c in cs:
        n = counterpart(cs, c if c["prep"] != "auto" else {**c, "prep": auto_counterpart(cs)})
        if not c["runner"].startswith("wasitorch") or n is None:
            continue
        mob, ort = by.get(("mobile", c["variant"])), by.get(("ort", c["variant"]))
        out.append({"id": c["id"], "label": c["label"], "vs": n["label"],
                    "steady": paired(c, n, "median_ms"), "p90": paired(c, n, "p90_ms"),
                    "cpu": paired(c, n, "cpu_median_ms"), "cold": paired(c, n, "cold_wall_ms"),
                    "mobile_speedup": paired(mob, c, "median_ms") if mob else None,
                    "mobile_speedup_cpu": paired(mob, c, "cpu_median_ms") if mob else None,
                    "vs_ort": paired(c, ort, "median_ms") if ort else None,
                    "vs_ort_cpu": paired(c, ort, "cpu_median_ms") if ort else None,
                    "cold_vs_ort": paired(c, ort, "cold_wall_ms") if ort else None})
    return out


def table_main(cs):
    rows = ["| contender | median ms | p90 ms | CPU median ms | cold ms | peak RSS MiB | max abs diff |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for c in cs:
        s = c["summary"]
        diff = "–" if c.get("max_abs_diff") is None else f"{c['max_abs_diff']:.2g}"
        if c.get("app_output_equal") is False:
            diff += " (application output differs!)"
        rows.append(f"| {c['label']} | {fmt(s['median_ms'])} | {fmt(s['p90_ms'])} | "
                    f"{fmt(s['cpu_median_ms'])} | {fmt(s['cold_wall_ms'], 0)} | "
                    f"{fmt(s['peak_rss_mib'], 0)} | {diff} |")
    return rows


def table_cold(cs):
    """Cold time split into what the runner reports and the rest (process
    start, runtime and libtorch loading, preload, teardown)."""
    rows = ["| contender | cold ms | guest decode | guest preprocess | model load (seen by program) "
            "| first inference | rest |", "|---|---:|---:|---:|---:|---:|---:|"]
    for c in cs:
        if c["runner"] not in ("wasitorch", "native", "ort") or c["variant"] != "fp32":
            continue
        s, st = c["summary"], c["summary"]["cold_stages_ms"]
        known = sum(v for v in st.values() if v is not None)
        rows.append(f"| {c['label']} | {fmt(s['cold_wall_ms'], 0)} | {fmt(st.get('decode'), 1)} | "
                    f"{fmt(st.get('preprocess'), 1)} | {fmt(st.get('load'), 1)} | "
                    f"{fmt(st.get('inference'), 1)} | {fmt(s['cold_wall_ms'] - known, 0)} |")
    return rows


def table_ratios(rs):
    rows = ["| wasitorch contender | vs native | steady ×native (CPU) | p90 ×native | cold ×native "
            "| × faster than Mobile (CPU) | ×ORT (CPU) | cold ×ORT |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rs:
        rows.append(f"| {r['label']} | {r['vs']} | {fmt(r['steady'], 3)} ({fmt(r['cpu'], 3)}) | "
                    f"{fmt(r['p90'], 3)} | {fmt(r['cold'], 2)} | {fmt(r['mobile_speedup'], 2)} "
                    f"({fmt(r['mobile_speedup_cpu'], 2)}) | {fmt(r['vs_ort'], 2)} ({fmt(r['vs_ort_cpu'], 2)}) | "
                    f"{fmt(r['cold_vs_ort'], 2)} |")
    return rows


def write_markdown(path, result):
    lines = [f"# Model benchmark{' (quick run)' if result['quick'] else ''}", "",
             f"Generated by `bench/run.sh` on {result['date']} at commit {result['commit']}; "
             f"{result['machine']['cpu']}, {result['machine']['cores']} cores (shared), "
             f"libtorch {result['machine']['libtorch']}, onnxruntime-node {result['machine']['ort']}. "
             f"Load average {result['machine']['loadavg_start']} at start, "
             f"{result['machine']['loadavg_end']} at end.", "",
             "Medians over interleaved rounds. Steady: per-inference wall time, median and p90 of "
             "`--repeat N` in one process, first inference included; CPU median: process CPU time "
             "per inference (all threads), measured inside the runner (wasitorch: "
             "bench/models_guest.c via WASI's process CPU clock; wasitorch-app: the classify/detect "
             "guest's own --repeat, wall only). Cold: process start to exit with one inference "
             "(wasitorch: the application guest, image decode included). Peak RSS from wait4. "
             "Ratios are medians of per-round ratios. Max abs diff is to the native TorchScript "
             "output of the same variant. Method: docs/benchmarks.md.", ""]
    for g in result["groups"]:
        lines += [f"## {g['model']}, {g['threads']} thread(s) — {g['rounds']} rounds, --repeat {g['repeat']}", "",
                  f"Run {g.get('date', result['date'])}, commit {g.get('commit', result['commit'])}, "
                  f"load average {g.get('loadavg', '?')} at the end of the group.", ""]
        lines += table_main(g["contenders"]) + [""]
        lines += ["Ratios (below 1 is faster for wasitorch, except '× faster than Mobile'):", ""]
        lines += table_ratios(g["ratios"]) + [""]
        lines += ["Cold start, where the time goes (ms, medians):", ""]
        lines += table_cold(g["contenders"]) + [""]
    lines += ["## Process start baselines (ms, median of 5)", "", "| command | wall ms |", "|---|---:|"]
    lines += [f"| `{k}` | {v:.1f} |" for k, v in result["baselines"].items()] + [""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def write_plot(path, result):
    """Bars of steady median and cold time per contender, one row per model."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        progress("python3-matplotlib not installed: no plot (apt-get install python3-matplotlib)")
        return False
    models = sorted({g["model"] for g in result["groups"]})
    fig, axes = plt.subplots(len(models), 2, figsize=(15, 5.5 * len(models)), squeeze=False)
    for row, model in enumerate(models):
        groups = [g for g in result["groups"] if g["model"] == model]
        for col, (key, title) in enumerate((("median_ms", "steady-state latency, median (ms)"),
                                            ("cold_wall_ms", "cold: process start → result → exit (ms)"))):
            ax = axes[row][col]
            labels = [c["label"] for c in groups[0]["contenders"]]
            width = 0.8 / len(groups)
            for k, g in enumerate(groups):
                vals = [c["summary"][key] for c in g["contenders"]]
                ax.barh([i + k * width for i in range(len(vals))], vals, height=width,
                        label=f"{g['threads']} thread(s)")
            ax.set_yticks([i + width * (len(groups) - 1) / 2 for i in range(len(labels))])
            ax.set_yticklabels(labels, fontsize=8)
            ax.invert_yaxis()
            ax.set_xscale("log")  # latencies span 3 ms (int8 ORT) to seconds (2 threads on a busy machine)
            ax.set_title(f"{model}: {title}, log scale", fontsize=10)
            ax.grid(axis="x", alpha=0.3)
            ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


# ------------------------------------------------------------------ main

def machine_info(ctx):
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    dpkg = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libtorch-dev"], capture_output=True, text=True)
    ort = "not installed"
    pkg = os.path.join(ROOT, "bench", "ort", "node_modules", "onnxruntime-node", "package.json")
    if ctx.ort and os.path.exists(pkg):
        with open(pkg, encoding="utf-8") as f:
            ort = json.load(f)["version"]
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
            "libtorch": dpkg.stdout.strip() or "unknown", "ort": ort,
            "node": subprocess.run([ctx.node, "--version"], capture_output=True, text=True).stdout.strip()
            if ctx.node else None,
            "engines": ctx.engines, "loadavg_start": " ".join(open("/proc/loadavg").read().split()[:3])}


def git_commit():
    r = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return r.stdout.strip() or "unknown"


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="bench/models.py",
        description="MobileNetV2 / YOLOv8n: wasitorch vs native libtorch, PyTorch Mobile and ONNX Runtime.",
        epilog="Results: bench/results/models.{json,md,png} (quick: models-quick.*). Progress on stderr.")
    ap.add_argument("build", nargs="?", default="build", help="build directory (default: build)")
    ap.add_argument("--quick", action="store_true",
                    help="1 thread, 2 rounds, short repeats, MobileNetV2 only (a few minutes)")
    ap.add_argument("--rounds", type=int, help="interleaved rounds (default 3, quick 2)")
    ap.add_argument("--repeat", type=int, help="inferences per steady run (default per model: 21 / 11)")
    ap.add_argument("--threads", help="comma list of thread counts (default 1,2; quick 1)")
    ap.add_argument("--models", help="comma list of %s (default all that exist)" % ",".join(FAMILIES))
    ap.add_argument("--no-ort", action="store_true", help="leave ONNX Runtime out")
    ap.add_argument("--no-int8", action="store_true", help="leave the int8 variants out")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"), help="results directory")
    ap.add_argument("--report-only", action="store_true",
                    help="measure nothing: rewrite the Markdown and the plot from the existing JSON")
    a = ap.parse_args(argv)
    a.rounds = a.rounds or (2 if a.quick else 3)
    a.threads = [int(t) for t in (a.threads or ("1" if a.quick else "1,2")).split(",")]
    a.models = (a.models or ("mobilenet_v2" if a.quick else ",".join(FAMILIES))).split(",")
    for m in a.models:
        if m not in FAMILIES:
            ap.error(f"unknown model {m}")
    if a.rounds < 1 or (a.repeat is not None and a.repeat < 2) or min(a.threads) < 1:
        ap.error("--rounds >= 1, --repeat >= 2 and thread counts >= 1")
    return a


def keep_other_models(path, result):
    """A run limited with --models replaces only its own models' groups:
    the other models' groups of the previous result file are kept (each
    group carries the date and load average of the run that made it)."""
    done = {g["model"] for g in result["groups"]}
    try:
        with open(path, encoding="utf-8") as f:
            old = json.load(f)
    except (OSError, ValueError):
        return
    kept = [g for g in old.get("groups", []) if g["model"] not in done]
    result["groups"] = kept + result["groups"]
    result["baselines"] = {**old.get("baselines", {}), **result["baselines"]}


def report_only(args):
    stem = os.path.join(args.out, "models-quick" if args.quick else "models")
    with open(stem + ".json", encoding="utf-8") as f:
        result = json.load(f)
    write_markdown(stem + ".md", result)
    write_plot(stem + ".png", result)
    progress(f"rewrote {stem}.md and {stem}.png from {stem}.json")
    return 0


def main(argv):
    args = parse_args(argv)
    if args.report_only:
        return report_only(args)
    ctx = Ctx(args)
    t0 = time.time()
    result = {"quick": args.quick, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "commit": git_commit(), "machine": machine_info(ctx), "groups": []}
    progress(f"engines {ctx.engines}; ONNX Runtime {'on' if ctx.ort else 'off'}; "
             f"load average {result['machine']['loadavg_start']}")
    build_guest_loop(ctx)
    families = [f for f in args.models if prepare_models(ctx, f)]
    result["baselines"] = baselines(ctx, families)
    for family in families:
        prepare_input(ctx, family)
        repeat = args.repeat or FAMILIES[family]["quick_repeat" if args.quick else "repeat"]
        for threads in args.threads:
            cs = run_group(ctx, family, threads, args.rounds, repeat)
            result["groups"].append({"model": family, "threads": threads, "rounds": args.rounds,
                                     "repeat": repeat, "contenders": cs, "ratios": ratios(cs),
                                     "date": result["date"], "commit": result["commit"],
                                     "loadavg": " ".join(open("/proc/loadavg").read().split()[:3])})
    result["machine"]["loadavg_end"] = " ".join(open("/proc/loadavg").read().split()[:3])
    result["seconds"] = round(time.time() - t0)
    os.makedirs(args.out, exist_ok=True)
    stem = os.path.join(args.out, "models-quick" if args.quick else "models")
    keep_other_models(stem + ".json", result)
    with open(stem + ".json", "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    write_markdown(stem + ".md", result)
    plotted = write_plot(stem + ".png", result)
    progress(f"done in {result['seconds']} s: {stem}.json, {stem}.md" + (f", {stem}.png" if plotted else ""))
    sys.stdout.write(open(stem + ".md", encoding="utf-8").read())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
