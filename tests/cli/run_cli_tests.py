#!/usr/bin/python3
"""Tests of `wasitorch run` as a user meets it: each case runs the CLI and
checks the exit status and the words of the message.

usage: run_cli_tests.py WASITORCH WAT2WASM MODULES_DIR WORK_DIR
Prints "PASS name" or "FAIL name: why" per case; exits 1 if any failed.
"""
import os
import re
import shutil
import subprocess
import sys
import time

TRAP_EXIT = 134


class Runner:
    def __init__(self, exe, wat2wasm, modules, work):
        self.exe, self.wat2wasm, self.modules, self.work = exe, wat2wasm, modules, work
        self.failed = 0

    def wasm(self, name):
        """Assembles modules/NAME.wat into the work dir once."""
        out = os.path.join(self.work, name + ".wasm")
        if not os.path.exists(out):
            subprocess.run([self.wat2wasm, os.path.join(self.modules, name + ".wat"), "-o", out],
                           check=True)
        return out

    def run(self, args, timeout=60):
        start = time.monotonic()
        p = subprocess.run([self.exe] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=timeout, cwd=self.work)
        return p.returncode, p.stdout, p.stderr, time.monotonic() - start

    def case(self, name, args, status, stderr_words=(), stdout_words=(), max_seconds=None):
        try:
            rc, out, err, secs = self.run(args)
        except subprocess.TimeoutExpired:
            return self.fail(name, "did not finish")
        if rc != status:
            return self.fail(name, "exit %d, expected %d; stderr: %s" % (rc, status, err.strip()))
        for w in stderr_words:
            if not re.search(w, err):
                return self.fail(name, "stderr lacks /%s/: %r" % (w, err.strip()))
        for w in stdout_words:
            if not re.search(w, out):
                return self.fail(name, "stdout lacks /%s/: %r" % (w, out.strip()[:300]))
        if max_seconds is not None and secs > max_seconds:
            return self.fail(name, "took %.1f s, more than %.1f s" % (secs, max_seconds))
        print("PASS", name, flush=True)

    def fail(self, name, why):
        print("FAIL %s: %s" % (name, why), flush=True)
        self.failed += 1


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    r = Runner(*sys.argv[1:])
    shutil.rmtree(r.work, ignore_errors=True)
    os.makedirs(r.work)

    r.case("help", ["run", "--help"], 0, stdout_words=[
        r"Usage: wasitorch run", "--dir", "--env", "--nn-preload", "--nn-threads",
        "--max-memory", "--timeout", "Exit status"])
    r.case("top-level help", ["--help"], 0, stdout_words=["run", "inspect"])
    r.case("unknown option", ["run", "--no-such-option", r.wasm("exit")], 1,
           stderr_words=["--no-such-option"])
    r.case("missing module file", ["run", "no/such/app.wasm"], 1,
           stderr_words=["no/such/app.wasm", "No such file"])

    # Malformed: a type section that claims more bytes than the file has.
    bad = os.path.join(r.work, "truncated.wasm")
    with open(bad, "wb") as f:
        f.write(b"\0asm\1\0\0\0\1\5\1\x60\0")
    r.case("malformed module names the offset", ["run", bad], 1,
           stderr_words=["truncated.wasm", r"offset 0x[0-9a-f]+"])
    notwasm = os.path.join(r.work, "notwasm.wasm")
    with open(notwasm, "wb") as f:
        f.write(b"#!/bin/sh\necho hi\n")
    r.case("not a wasm file", ["run", notwasm], 1, stderr_words=["magic|not a wasm|header"])

    r.case("missing import names module and field", ["run", r.wasm("missing_import")], 1,
           stderr_words=[r"env\.host_magic|env.*host_magic"])
    r.case("guest exit code", ["run", r.wasm("exit")], 42)

    traps = r.wasm("traps")
    r.case("trap: unreachable", ["run", traps], TRAP_EXIT,
           stderr_words=["unreachable", r"function 0\b"])
    r.case("trap: out of bounds", ["run", "--invoke", "oob", traps], TRAP_EXIT,
           stderr_words=["out of bounds", r"function 1\b"])
    r.case("trap: divide by zero", ["run", "--invoke", "div", traps, "0"], TRAP_EXIT,
           stderr_words=["divide by zero", r"function 2\b"])
    r.case("invoke prints results", ["run", "--invoke", "div", traps, "1"], 0,
           stdout_words=[r"^1\s*$"])

    r.case("timeout stops an endless loop", ["run", "--timeout", "0.5", r.wasm("spin")],
           TRAP_EXIT, stderr_words=["deadline|timeout"], max_seconds=20)
    r.case("unbounded recursion is a trap", ["run", r.wasm("recurse")], TRAP_EXIT,
           stderr_words=["call stack exhausted"])
    r.case("unbounded recursion with big frames", ["run", r.wasm("recurse_args")], TRAP_EXIT,
           stderr_words=["call stack exhausted|stack"])

    # Fused address+load: the same trap text (kind, function, the load's own
    # offset) as the AOT tier with explicit bounds checks, which translates
    # each Wasm instruction on its own.
    fused = r.wasm("fused_load")
    for fn, args in (("add", ["65530", "3"]), ("addimm", ["7"]), ("subimm", ["1"])):
        try:
            want = r.run(["run", "--engine", "aot", "--bounds-checks", "--invoke", fn, fused] + args,
                         timeout=300)
        except subprocess.TimeoutExpired:
            r.fail("fused load " + fn, "aot run did not finish")
            continue
        if want[0] != TRAP_EXIT or "out of bounds" not in want[2]:
            r.fail("fused load " + fn, "aot reference did not trap: %r" % (want[2],))
            continue
        msg = want[2].strip().splitlines()[-1]  # after any compile progress lines
        r.case("fused load %s traps at the load's offset" % fn,
               ["run", "--invoke", fn, fused] + args, TRAP_EXIT,
               stderr_words=[re.escape(msg)])

    grow = r.wasm("grow")
    r.case("memory.grow within the cap", ["run", grow], 0)
    r.case("memory.grow beyond --max-memory fails cleanly",
           ["run", "--max-memory", "2M", grow], 3)
    r.case("bad --max-memory value", ["run", "--max-memory", "lots", grow], 1,
           stderr_words=["--max-memory"])

    # bench: one row per engine, run options passed through, failures reported.
    r.case("bench --help", ["bench", "--help"], 0, stdout_words=["--runs", "--engine"])
    r.case("bench both tiers", ["bench", "--runs", "2", "--warmup", "1", grow], 0,
           stdout_words=[r"(?m)^interp\s+\d", r"(?m)^aot\s+\d", "median ms"])
    r.case("bench passes run options", ["bench", "--runs", "1", "--engine", "interp", "--",
                                        "--invoke", "div", traps, "1"], 0,
           stdout_words=[r"(?m)^interp\s+\d"])
    r.case("bench reports a failing run", ["bench", "--runs", "1", "--engine", "interp",
                                           "--", "--invoke", "div", traps, "0"], 1,
           stderr_words=["exited with status 134"])
    r.case("bench: unknown engine", ["bench", "--engine", "jit", grow], 2,
           stderr_words=["unknown engine 'jit'"])
    r.case("bench: no module", ["bench", "--runs", "3"], 2, stderr_words=["no module"])

    if r.failed:
        print("%d case(s) failed" % r.failed)
        sys.exit(1)
    print("all CLI cases passed")


if __name__ == "__main__":
    main()
