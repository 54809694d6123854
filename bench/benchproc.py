"""benchproc.py — running one benchmark child and measuring it, shared by
bench/models.py, bench/e2e_classify.py and bench/aot_compile.py.

wait4() gives the child's own rusage (its threads and the children it
waited for, e.g. a C compiler), independent of anything else the calling
script ran; a timer kills a hung child, which then ends as a failed run.
"""
import os
import subprocess
import tempfile
import threading
import time


def run_child(cmd, env=None, timeout=900, merge_stderr=False):
    """Runs cmd (env: the complete environment, None = inherit) to its end.
    Returns a dict: rc, wall_ms, cpu_ms (user+system), rusage, stdout,
    stderr ("" when merge_stderr sends it into stdout)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=out if merge_stderr else err,
                             stdin=subprocess.DEVNULL, env=env)
        killer = threading.Timer(timeout, p.kill)
        killer.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = (time.perf_counter() - t0) * 1e3
        killer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"rc": p.returncode, "wall_ms": wall,
                "cpu_ms": (ru.ru_utime + ru.ru_stime) * 1e3, "rusage": ru,
                "stdout": out.read().decode("utf-8", "replace"),
                "stderr": err.read().decode("utf-8", "replace")}
