#!/usr/bin/env python3
"""Compare ftpy with CPython on the benchmark scripts in tests/bench/py.

usage: compare.py FTPY_BINARY [--only NAME] [--repeat N] [--scaling [--probe CORE_LATENCY]]
                  [--python PYTHON3]

Default mode runs every bm_*.py under FTPY_BINARY and under python3, alternating between the two
interpreters N times (default 3) and keeping the best wall time of each, since the machine is noisy.
Both standard outputs (and exit statuses) must be identical; otherwise the row is marked MISMATCH and
its ratio is left out of the geometric mean. Prints: script, python3 s, ftpy s, ftpy/python3, and
the geometric mean of the valid ratios.

--scaling runs each scale_*.py with 0, 1 and 2 threads under both interpreters instead. Every
thread does the same work, so with 2 threads there is twice the work. The speed-up compares
throughputs, the work done per second once the interpreter has started: speed-up = 2 * (t1 - t0)
/ (t2 - t0), where t0 is the run with no threads (start-up, imports and the script's own set-up
and checks); 2.0 is perfect scaling, 1.0 is no parallelism at all (a GIL). Without t0 a fixed
start-up cost would count as parallelism: python3 takes about 40 ms to start and import
threading, which made a GIL look like a 1.1-1.2x speed-up on a 0.2 s run. With --probe (the
core_latency program the build makes), each row also shows the range of the cache-line round trip
between the two cores, measured before each run pair: a VM's vCPUs move between near and far
cores, and threads that share one list scale in the first state, not in the second.
Then each phases_*.py runs once under each interpreter: it measures inside one process,
alternating phases of 1 and 2 threads, and prints its own speed-ups.

--only NAME keeps the scripts whose file name contains NAME (e.g. "bm_float", "float", "scale_cpu").
Exit status: 0 when every run succeeded and all outputs matched, 1 otherwise.
Runs with FTPY_BINARY=python3 as a smoke test (ratios near 1).
"""
import argparse
import math
import os
import shutil
import subprocess
import sys
import time

BENCH_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "py")
RUN_TIMEOUT_S = 600


def resolve(binary):
    """Absolute path of an interpreter given as a path or a command name on PATH."""
    if os.sep in binary:
        return os.path.abspath(binary)
    found = shutil.which(binary)
    if found is None:
        sys.exit(os.path.basename(sys.argv[0]) + ": interpreter not found: " + binary)
    return found


def real_executable(interp):
    """The binary a CPython command runs: a wrapper script (a pyenv shim, for one) costs tens
    of milliseconds per start that would be counted against CPython otherwise."""
    try:
        out = subprocess.run([interp, "-c", "import sys; print(sys.executable)"],
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return interp
    path = out.stdout.strip()
    return path if out.returncode == 0 and os.path.isabs(path) and os.access(path, os.X_OK) else interp


def run_once(interp, script, args):
    """Runs one benchmark; returns (wall seconds, stdout, exit status, stderr tail)."""
    start = time.perf_counter()
    try:
        proc = subprocess.run([interp, script] + args, cwd=BENCH_DIR, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return float("inf"), b"", "timeout", ""
    wall = time.perf_counter() - start
    err = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
    return wall, proc.stdout, proc.returncode, "\n".join(err)


class Measure:
    """Best-of-N wall time and the output of one (interpreter, script, args) combination.

    Caveat: every repetition must print the same thing; a run that differs from the first one or
    that fails makes the measurement invalid."""

    def __init__(self, label):
        self.label = label
        self.best = float("inf")
        self.stdout = None
        self.status = None
        self.problem = None

    def add(self, result):
        wall, out, status, err = result
        if self.stdout is None:
            self.stdout, self.status = out, status
        elif out != self.stdout or status != self.status:
            self.problem = self.problem or "output changed between repetitions"
        if status != 0:
            detail = "timed out" if status == "timeout" else "exit status " + str(status)
            self.problem = self.problem or detail + (": " + err if err else "")
        self.best = min(self.best, wall)

    def ok(self):
        return self.problem is None


def measure_pair(ftpy, python, script, args, repeat, before_each=None):
    """Alternates the two interpreters `repeat` times so both see the same machine noise."""
    mf, mp = Measure("ftpy"), Measure("python3")
    for _ in range(repeat):
        if before_each:
            before_each()
        mp.add(run_once(python, script, args))
        mf.add(run_once(ftpy, script, args))
    problems = []
    for m in (mp, mf):
        if not m.ok():
            problems.append(m.label + ": " + m.problem)
    if mp.ok() and mf.ok() and mf.stdout != mp.stdout:
        problems.append("MISMATCH: ftpy printed " + short(mf.stdout) + ", python3 printed "
                        + short(mp.stdout))
    return mp, mf, problems


def short(data):
    text = data.decode("utf-8", "replace").strip().replace("\n", " | ")
    return repr(text if len(text) <= 120 else text[:117] + "...")


def pick(prefix, only):
    names = sorted([n for n in os.listdir(BENCH_DIR) if n.startswith(prefix) and n.endswith(".py")])
    if only:
        names = [n for n in names if only in n]
    return names


def compare(ftpy, python, only, repeat):
    names = pick("bm_", only)
    if not names:
        sys.exit("compare.py: no bm_*.py matched")
    print(f"{'script':<16} {'python3 s':>10} {'ftpy s':>10} {'ftpy/python3':>13}")
    ratios = []
    all_ok = True
    for name in names:
        mp, mf, problems = measure_pair(ftpy, python, name, [], repeat)
        if problems:
            all_ok = False
            ratio_text = "invalid"
        else:
            ratio = mf.best / mp.best
            ratios.append(ratio)
            ratio_text = f"{ratio:.2f}"
        print(f"{name[:-3]:<16} {mp.best:>10.3f} {mf.best:>10.3f} {ratio_text:>13}", flush=True)
        for p in problems:
            print("    " + p, flush=True)
    if ratios:
        geo = math.exp(sum([math.log(r) for r in ratios]) / len(ratios))
        print(f"geometric mean ftpy/python3: {geo:.2f} over {len(ratios)} of {len(names)} scripts")
    else:
        print("geometric mean ftpy/python3: n/a (no valid ratio)")
    return all_ok


def probe_ns(probe):
    """The cache-line round trip between two cores (core_latency.cpp), or None."""
    if not probe:
        return None
    try:
        out = subprocess.run([probe], capture_output=True, text=True, timeout=60)
        return int(out.stdout.strip()) if out.returncode == 0 else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def scaling(ftpy, python, only, repeat, probe):
    names = pick("scale_", only)
    phases = pick("phases_", only)
    if not names and not phases:
        sys.exit("compare.py: no scale_*.py or phases_*.py matched")
    print("speed-up = 2 * (t1 - t0) / (t2 - t0), tN = run time with N threads (t0: start-up):")
    print("2.00 is perfect, 1.00 is none")
    if probe:
        print("round trip = a cache line's round trip between the two threads' cores, in ns,")
        print("measured before each run pair (core_latency.cpp): min-max over the script's runs")
    print(f"{'script':<18} {'interp':<8} {'t0 s':>7} {'t1 s':>8} {'t2 s':>8} {'speed-up':>9}"
          + (f" {'round trip':>11}" if probe else ""))
    all_ok = True
    for name in names:
        per_threads = {}
        problems = []
        trips = []
        for n in (0, 1, 2):
            mp, mf, probs = measure_pair(ftpy, python, name, [str(n)], repeat,
                                         lambda: trips.append(probe_ns(probe)))
            per_threads[n] = (mp, mf)
            problems += [f"{n} thread(s): {p}" for p in probs]
        trips = [t for t in trips if t is not None]
        trip_text = f" {min(trips):>5}-{max(trips):<5}" if trips else ""
        for label, idx in (("python3", 0), ("ftpy", 1)):
            t0, t1, t2 = [per_threads[n][idx].best for n in (0, 1, 2)]
            valid = all([per_threads[n][idx].ok() for n in (0, 1, 2)]) and not problems
            valid = valid and t1 > t0 and t2 > t0
            speedup = f"{2 * (t1 - t0) / (t2 - t0):.2f}" if valid else "invalid"
            print(f"{name[:-3]:<18} {label:<8} {t0:>7.3f} {t1:>8.3f} {t2:>8.3f} {speedup:>9}"
                  + trip_text, flush=True)
        for p in problems:
            print("    " + p, flush=True)
        if problems:
            all_ok = False
    for name in phases:
        # Alternates its 1- and 2-thread phases itself and prints its own speed-ups.
        for label, interp in (("python3", python), ("ftpy", ftpy)):
            _, out, status, err = run_once(interp, name, [])
            for line in out.decode("utf-8", "replace").strip().splitlines():
                print(f"{label:<8} {line}", flush=True)
            if status != 0:
                print(f"    {label}: {name} failed ({status}): {err}", flush=True)
                all_ok = False
    return all_ok


def main():
    ap = argparse.ArgumentParser(description="Compare ftpy with CPython on tests/bench/py.")
    ap.add_argument("ftpy", help="the ftpy interpreter binary (python3 works as a smoke test)")
    ap.add_argument("--only", default="", help="run only scripts whose file name contains this")
    ap.add_argument("--repeat", type=int, default=3, help="runs per interpreter; best time is kept")
    ap.add_argument("--scaling", action="store_true", help="run scale_*.py with 1 and 2 threads")
    ap.add_argument("--python", default="python3", help="the CPython to compare with")
    ap.add_argument("--probe", default="",
                    help="with --scaling: core_latency's path, run before each run pair")
    opts = ap.parse_args()
    if opts.repeat < 1:
        sys.exit("compare.py: --repeat must be at least 1")
    ftpy = resolve(opts.ftpy)
    python = real_executable(resolve(opts.python))
    print(f"python3: {python}", flush=True)
    if opts.scaling:
        ok = scaling(ftpy, python, opts.only, opts.repeat, opts.probe)
    else:
        ok = compare(ftpy, python, opts.only, opts.repeat)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
