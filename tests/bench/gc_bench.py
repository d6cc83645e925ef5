#!/usr/bin/env python3
"""The garbage collector's figures: pause, time-to-stop and memory under churn (tests/bench/gc).

usage: gc_bench.py FTPY_BINARY [--python PYTHON3] [--only pause|stop|churn] [--seconds N]
                   [--repeat N] [--rss-limit-mb MB]

pause  gc/pause.py builds 1M live tracked objects and times gc.collect() 7 times; it runs under
       python3 and FTPY_BINARY alternately, N times each (default 3), and the median and max are
       taken over all collections of an interpreter. Prints ms, ns per object, peak RSS and the
       ratio ftpy/python3 of the medians. Target: ftpy's median pause shorter than python3's.
stop   gc/stop.py keeps 2 threads busy in bytecode loops while the main thread collects 200 times;
       it runs N times under FTPY_BINARY -X stats, whose report on standard error gives the
       stop-the-world time-to-stop (median of the runs' medians, max of their maxima), and once
       under python3 for its wall time. Target: median time-to-stop at most 100 us.
churn  gc/churn.py makes cyclic garbage in 2 threads for --seconds (default 10) under each
       interpreter while this driver samples the child's VmRSS every 0.25 s; the peak is the
       child's ru_maxrss from os.wait4. Prints RSS at 2 s (or at a fifth of a shorter run), at the
       end, the peak, and one sample per second. The samples after 2 s are cut into halves A and
       B; since RSS saw-tooths between collections, the maxima are compared. Target: flat, i.e.
       max B at most 20% (or 5 MB) above max A.

Every script's standard output, apart from its lines starting with "time ", must be the same under
both interpreters and in every repetition. Exit status: 0 when every run succeeded (exit status 0,
matching outputs, the `-X stats` report present), 1 otherwise; a missed target is printed but does
not fail the run, the machine being noisy. A child whose RSS passes --rss-limit-mb is killed and
counts as a failed run. Runs with FTPY_BINARY=python3 as a smoke test (ratios near 1, no stats).
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

from compare import resolve  # tests/bench/compare.py, beside this script

GC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gc")
POLL_S = 0.05
RSS_EVERY_S = 0.25
PAUSE_TARGET_RATIO = 1.0
STOP_TARGET_US = 100.0
FLAT_RATIO = 1.2
FLAT_SLACK_KB = 5 * 1024

STATS_PATTERNS = {
    "collections": (r"^gc collections: (\d+)$", int),
    "collected": (r"^gc objects collected: (\d+)$", int),
    "pause": (r"^gc pause ms: count (\d+) median (\S+) max (\S+)$", None),
    "stw_requests": (r"^stop-the-world requests: (\d+)$", int),
    "tts": (r"^stop-the-world time-to-stop us: median (\S+) max (\S+)$", None),
}


def parse_stats(stderr):
    """The `-X stats` report as a dict, or None when standard error has no "ftpy stats:" block.

    Caveat: a block with a line missing or malformed is None too (the interface is exact)."""
    lines = stderr.splitlines()
    if "ftpy stats:" not in lines:
        return None
    block = "\n".join(lines[lines.index("ftpy stats:") + 1:])
    stats = {}
    for key, (pattern, conv) in STATS_PATTERNS.items():
        m = re.search(pattern, block, re.MULTILINE)
        if m is None:
            return None
        if conv is not None:
            stats[key] = conv(m.group(1))
        elif key == "pause":
            stats[key] = (int(m.group(1)), float(m.group(2)), float(m.group(3)))
        else:
            stats[key] = (float(m.group(1)), float(m.group(2)))
    return stats


def read_status_kb(pid, field):
    """A "VmRSS"-style field of /proc/PID/status in kB, or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


class Run:
    """One child process: wall seconds, stdout (bytes), exit status or "timeout"/"killed", stderr
    text, RSS samples [(seconds since start, kB)], the peak RSS in kB (ru_maxrss) and the parsed
    `-X stats` report (None when not asked for or absent)."""

    def __init__(self):
        self.wall = 0.0
        self.stdout = b""
        self.status = None
        self.stderr = ""
        self.samples = []
        self.peak_kb = 0
        self.stats = None

    def stable_stdout(self):
        """Standard output without the timing lines, which differ from run to run."""
        return b"\n".join([l for l in self.stdout.splitlines() if not l.startswith(b"time ")])

    def time_line(self, prefix):
        """The words after `prefix` on the first "time ..." line that starts with it, or None."""
        for line in self.stdout.decode("utf-8", "replace").splitlines():
            if line.startswith(prefix + " "):
                return line[len(prefix) + 1:].split()
        return None

    def problem(self):
        if self.status == 0:
            return None
        if self.status == "timeout":
            detail = "timed out"
        elif self.status == "killed":
            detail = "killed: its RSS passed --rss-limit-mb"
        else:
            detail = "exit status " + str(self.status)
        tail = "\n".join(self.stderr.strip().splitlines()[-3:])
        return detail + (": " + tail if tail else "")


def run_child(argv, timeout_s, rss_limit_kb):
    """Runs argv in GC_DIR, sampling its VmRSS every RSS_EVERY_S; reaps it with os.wait4 for the
    peak RSS. Output goes to temporary files, so a chatty child can never block on a full pipe.

    Caveat: the process is killed (status "timeout" or "killed") past timeout_s or rss_limit_kb."""
    run = Run()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=GC_DIR, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        next_sample = 0.0
        while True:
            pid, wstatus, rusage = os.wait4(proc.pid, os.WNOHANG)
            now = time.perf_counter() - start
            if pid != 0:
                run.wall = now
                run.peak_kb = rusage.ru_maxrss
                code = os.waitstatus_to_exitcode(wstatus)
                proc.returncode = code  # reaped here; keeps Popen from waiting again
                if run.status is None:
                    run.status = code
                break
            if now >= next_sample:
                rss = read_status_kb(proc.pid, "VmRSS")
                if rss is not None:
                    run.samples.append((now, rss))
                    if rss > rss_limit_kb and run.status is None:
                        run.status = "killed"
                        os.kill(proc.pid, signal.SIGKILL)
                next_sample += RSS_EVERY_S
            if now > timeout_s and run.status is None:
                run.status = "timeout"
                os.kill(proc.pid, signal.SIGKILL)
            time.sleep(POLL_S)
        out.seek(0)
        err.seek(0)
        run.stdout = out.read()
        run.stderr = err.read().decode("utf-8", "replace")
    return run


def median(values):
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return float("nan")
    if n % 2 == 1:
        return ordered[n // 2]
    return (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def mb(kb):
    return f"{kb / 1024:.1f}"


def short(data):
    text = data.decode("utf-8", "replace").strip().replace("\n", " | ")
    return repr(text if len(text) <= 120 else text[:117] + "...")


def target_text(met):
    return "met" if met else "MISSED"


class Bench:
    """Runs the three scripts; collects the problems that make the exit status 1."""

    def __init__(self, ftpy, python, opts):
        self.ftpy = ftpy
        self.python = python
        self.opts = opts
        self.rss_limit_kb = opts.rss_limit_mb * 1024
        # With FTPY_BINARY=python3 (smoke test) there is no `-X stats` report to expect.
        self.expect_stats = os.path.realpath(ftpy) != os.path.realpath(python)
        self.problems = []

    def run(self, label, interp, script, args, timeout_s, stats):
        argv = [interp] + (["-X", "stats"] if stats else []) + [script] + args
        run = run_child(argv, timeout_s, self.rss_limit_kb)
        p = run.problem()
        if p:
            self.problem(f"{label} {script}: {p}")
        run.stats = parse_stats(run.stderr) if stats else None
        if stats and run.stats is None and self.expect_stats and run.status == 0:
            self.problem(f"{label} {script}: no (or malformed) `-X stats` report on stderr")
        return run

    def problem(self, text):
        self.problems.append(text)
        print("    " + text, flush=True)

    def check_same(self, script, runs):
        """Every successful run of the script printed the same (non-timing) output."""
        ok_runs = [(label, r) for label, r in runs if r.status == 0]
        if not ok_runs:
            return
        first_label, first = ok_runs[0]
        for label, r in ok_runs[1:]:
            if r.stable_stdout() != first.stable_stdout():
                self.problem(f"MISMATCH in {script}: {first_label} printed "
                             f"{short(first.stable_stdout())}, {label} printed "
                             f"{short(r.stable_stdout())}")
                return

    def pause(self):
        repeat = self.opts.repeat
        print(f"== pause: gc.collect() over 1M live tracked objects "
              f"(7 collections x {repeat} runs per interpreter)", flush=True)
        runs = {"python3": [], "ftpy": []}
        for _ in range(repeat):
            runs["python3"].append(self.run("python3", self.python, "pause.py", [], 600, False))
            runs["ftpy"].append(self.run("ftpy", self.ftpy, "pause.py", [], 600, True))
        self.check_same("pause.py", [(l, r) for l in runs for r in runs[l]])
        objects = None
        for r in runs["python3"] + runs["ftpy"]:
            words = r.stdout.decode("utf-8", "replace").split()
            if r.status == 0 and len(words) >= 3 and words[:2] == ["pause", "objects"]:
                objects = int(words[2])
        print(f"{'interp':<8} {'median ms':>10} {'max ms':>9} {'ns/object':>10} {'peak RSS MB':>12}")
        medians = {}
        for label in ("python3", "ftpy"):
            pauses = []
            for r in runs[label]:
                words = r.time_line("time pause_ms all") if r.status == 0 else None
                pauses += [float(w) for w in words or []]
            peak = max([r.peak_kb for r in runs[label]])
            if not pauses or not objects:
                print(f"{label:<8} {'n/a':>10} {'n/a':>9} {'n/a':>10} {mb(peak):>12}")
                continue
            med = median(pauses)
            medians[label] = med
            print(f"{label:<8} {med:>10.2f} {max(pauses):>9.2f} {med * 1e6 / objects:>10.1f} "
                  f"{mb(peak):>12}", flush=True)
        reports = [r.stats for r in runs["ftpy"] if r.stats]
        if reports:
            print(f"ftpy -X stats, gc pause ms: median {median([s['pause'][1] for s in reports]):.2f}"
                  f" max {max([s['pause'][2] for s in reports]):.2f} over"
                  f" {sum([s['pause'][0] for s in reports])} collections (warm-up ones included)")
        if "python3" in medians and "ftpy" in medians:
            ratio = medians["ftpy"] / medians["python3"]
            print(f"ftpy/python3 median pause: {ratio:.2f}; target below {PAUSE_TARGET_RATIO:.2f}: "
                  f"{target_text(ratio < PAUSE_TARGET_RATIO)}", flush=True)
        else:
            print("ftpy/python3 median pause: n/a (no valid figures)", flush=True)

    def stop(self):
        repeat = self.opts.repeat
        print(f"== stop: time-to-stop-the-world with 2 threads in bytecode loops "
              f"(200 collections x {repeat} runs)", flush=True)
        ftpy_runs = [self.run("ftpy", self.ftpy, "stop.py", [], 600, True) for _ in range(repeat)]
        py_run = self.run("python3", self.python, "stop.py", [], 600, False)
        self.check_same("stop.py", [("ftpy", r) for r in ftpy_runs] + [("python3", py_run)])
        print(f"{'run':<8} {'wall s':>7} {'STW reqs':>9} {'tts median us':>14} {'tts max us':>11} "
              f"{'pause median ms':>16}")
        tts_medians = []
        tts_maxima = []
        for k, r in enumerate(ftpy_runs):
            s = r.stats
            if r.status != 0 or s is None:
                print(f"{'ftpy ' + str(k + 1):<8} {r.wall:>7.2f} {'n/a':>9} {'n/a':>14} {'n/a':>11} "
                      f"{'n/a':>16}", flush=True)
                continue
            tts_medians.append(s["tts"][0])
            tts_maxima.append(s["tts"][1])
            print(f"{'ftpy ' + str(k + 1):<8} {r.wall:>7.2f} {s['stw_requests']:>9} "
                  f"{s['tts'][0]:>14.1f} {s['tts'][1]:>11.1f} {s['pause'][1]:>16.3f}", flush=True)
        print(f"{'python3':<8} {py_run.wall:>7.2f} {'-':>9} {'-':>14} {'-':>11} {'-':>16}")
        if tts_medians:
            med = median(tts_medians)
            print(f"ftpy time-to-stop: median {med:.1f} us (median of the runs' medians), max "
                  f"{max(tts_maxima):.1f} us; target at most {STOP_TARGET_US:.0f} us: "
                  f"{target_text(med <= STOP_TARGET_US)}", flush=True)
        else:
            print("ftpy time-to-stop: n/a (no `-X stats` report)", flush=True)

    def churn(self):
        seconds = self.opts.seconds
        early_s = min(2.0, seconds / 5)
        print(f"== churn: cyclic garbage from 2 threads for {seconds:g} s "
              f"(RSS sampled every {RSS_EVERY_S} s)", flush=True)
        timeout = seconds * 3 + 60
        arg = [f"{seconds:g}"]
        runs = [("ftpy", self.run("ftpy", self.ftpy, "churn.py", arg, timeout, True)),
                ("python3", self.run("python3", self.python, "churn.py", arg, timeout, False))]
        self.check_same("churn.py", runs)
        print(f"{'interp':<8} {'cycles made':>12} {'RSS@' + f'{early_s:g}' + 's MB':>12} "
              f"{'end MB':>7} {'peak MB':>8} {'max A MB':>9} {'max B MB':>9} {'B/A':>6} "
              f"{'collections':>12}  flat")
        for label, r in runs:
            made = r.time_line("time churn cycles")
            made_text = str(sum([int(w) for w in made])) if made and r.status == 0 else "n/a"
            colls = str(r.stats["collections"]) if r.stats else "-"
            after = [(t, kb) for t, kb in r.samples if t >= early_s]
            if len(after) < 2:
                print(f"{label:<8} {made_text:>12} {'n/a':>12} {'n/a':>7} {mb(r.peak_kb):>8} "
                      f"{'n/a':>9} {'n/a':>9} {'n/a':>6} {colls:>12}  n/a", flush=True)
                continue
            mid = (after[0][0] + after[-1][0]) / 2
            max_a = max([kb for t, kb in after if t < mid])
            max_b = max([kb for t, kb in after if t >= mid])
            flat = max_b <= max(max_a * FLAT_RATIO, max_a + FLAT_SLACK_KB)
            print(f"{label:<8} {made_text:>12} {mb(after[0][1]):>12} {mb(after[-1][1]):>7} "
                  f"{mb(r.peak_kb):>8} {mb(max_a):>9} {mb(max_b):>9} {max_b / max_a:>6.2f} "
                  f"{colls:>12}  {target_text(flat and r.status == 0)}", flush=True)
        for label, r in runs:
            per_second = []
            second = 1.0
            for t, kb in r.samples:
                if t >= second:
                    per_second.append(mb(kb))
                    second = int(t) + 1.0
            print(f"{label} RSS MB each second: {' '.join(per_second) or 'n/a'}")
        print(f"target: flat, max B (highest RSS in the second half of the run after {early_s:g} s)"
              f" at most {(FLAT_RATIO - 1) * 100:.0f}% (or {FLAT_SLACK_KB // 1024} MB) above max A"
              f" (the first half)", flush=True)


def main():
    ap = argparse.ArgumentParser(description="The garbage collector's figures (tests/bench/gc).")
    ap.add_argument("ftpy", help="the ftpy interpreter binary (python3 works as a smoke test)")
    ap.add_argument("--python", default="python3", help="the CPython to compare with")
    ap.add_argument("--only", choices=["pause", "stop", "churn"], help="run one benchmark only")
    ap.add_argument("--seconds", type=float, default=10.0, help="length of the churn run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per interpreter for pause and stop")
    ap.add_argument("--rss-limit-mb", type=int, default=4096,
                    help="kill a child whose RSS grows past this (a leak must not take the box down)")
    opts = ap.parse_args()
    if opts.repeat < 1 or opts.seconds <= 0:
        sys.exit("gc_bench.py: --repeat and --seconds must be positive")
    bench = Bench(resolve(opts.ftpy), resolve(opts.python), opts)
    for name in ("pause", "stop", "churn"):
        if opts.only in (None, name):
            getattr(bench, name)()
    if bench.problems:
        print(f"{len(bench.problems)} problem(s); exit status 1")
    sys.exit(1 if bench.problems else 0)


if __name__ == "__main__":
    main()
