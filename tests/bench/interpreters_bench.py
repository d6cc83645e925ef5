#!/usr/bin/env python3
"""Subinterpreter figures (issue: subinterpreters), ftpy next to CPython 3.13's _interpreters.

usage: interpreters_bench.py FTPY [--cpython PYTHON3.13] [--rounds N]

Measured in one command, the two interpreters' runs alternated (these machines are shared and
noisy): the best of --rounds (default 3) for times, the median for speed-ups:
  1. create + exec of a one-line program + close, per interpreter (targets: <= 1 ms, and at
     most 1/20 of CPython 3.13's);
  2. two interpreters running CPU-bound code, each in its own thread: speed-up over one
     (target: >= 1.9x);
  3. a queue round trip between two interpreters (put in one, get in the other and back):
     median latency (ftpy only: CPython 3.13's queues have no blocking get);
  4. the resident memory of an idle interpreter: RSS growth per interpreter over 20 created
     and left idle.
The CPython baseline is pyenv's CPython 3.13.0 (`PYENV_VERSION=3.13.0 python3.13`), which
has _interpreters; without it the CPython columns say "n/a".
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

CYCLES = 300

# Each program is written once, for both interpreters: MOD, CREATE, EXEC(i, src) and
# CLOSE(i) are filled in with interpreters' or _interpreters' spelling (API below).
CYCLE = """
import MOD, time
N = COUNT
start = time.monotonic()
for k in range(N):
    interp = CREATE
    EXEC(interp, "x = 1")
    CLOSE(interp)
print((time.monotonic() - start) / N)
"""

WORK = """
def spin(n):
    total = 0
    i = 0
    while i < n:
        total += i * i % 7
        i += 1
    return total
spin(3000000)
"""

SCALING = """
import MOD, threading, time
WORK = %r
def timed(k):
    interps = [CREATE for i in range(k)]
    threads = [threading.Thread(target=lambda w=w: EXEC(w, WORK)) for w in interps]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    for w in interps:
        CLOSE(w)
    return elapsed
# Interleaved, best of three each: the first run of a process pays for warming up.
ones, twos = [], []
for r in range(3):
    ones.append(timed(1))
    twos.append(timed(2))
print(min(ones), min(twos))
""" % WORK

API = {
    "ftpy": {"MOD": "interpreters", "CREATE": "interpreters.create()",
             "EXEC": "EXEC_F", "CLOSE": "CLOSE_F", "COUNT": str(CYCLES)},
    "cpython": {"MOD": "_interpreters", "CREATE": "_interpreters.create()",
                "EXEC": "_interpreters.exec", "CLOSE": "_interpreters.destroy",
                "COUNT": str(CYCLES // 10)},
}
FTPY_HELPERS = """
def EXEC_F(i, src):
    i.exec(src)
def CLOSE_F(i):
    i.close()
"""


def program(template, which):
    text = template
    for key, value in API[which].items():
        text = text.replace(key, value)
    if which == "ftpy":
        # The helpers go after the imports line, so that both spellings are plain calls.
        first, rest = text.lstrip("\n").split("\n", 1)
        text = first + "\n" + FTPY_HELPERS + rest
    return text


FTPY_ROUND_TRIP = """
import interpreters, threading, time
N = 2000
ping = interpreters.create_queue()
pong = interpreters.create_queue()
echo = interpreters.create()
echo.prepare_main(ping=ping, pong=pong)
t = threading.Thread(target=echo.exec, args=('''
while True:
    v = ping.get()
    if v is None:
        break
    pong.put(v)
''',))
t.start()
samples = []
for i in range(N):
    start = time.monotonic()
    ping.put(i)
    pong.get()
    samples.append(time.monotonic() - start)
ping.put(None)
t.join()
echo.close()
samples.sort()
print(samples[N // 2])
"""

IDLE_RSS = """
import %s, sys, time
print("base", flush=True)
time.sleep(0.5)
keep = [%s for i in range(20)]
print("made", flush=True)
time.sleep(0.5)
"""


def run(cmd, env=None, timeout=600):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError("%s failed: %s" % (cmd[0], r.stderr[-500:]))
    return r.stdout.split()


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def idle_rss(cmd, env):
    """RSS growth (KiB) per idle interpreter: 20 created after a baseline sample."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert p.stdout.readline().strip() == "base"
        time.sleep(0.3)
        base = rss_kib(p.pid)
        assert p.stdout.readline().strip() == "made"
        made = rss_kib(p.pid)
    finally:
        p.wait(timeout=60)
    return (made - base) / 20


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ftpy")
    ap.add_argument("--cpython", default=shutil.which("python3.13") or "python3.13")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    env313 = dict(os.environ, PYENV_VERSION="3.13.0")
    have313 = True
    try:
        run([a.cpython, "-c", "import _interpreters"], env=env313, timeout=60)
    except (OSError, RuntimeError, subprocess.TimeoutExpired):
        have313 = False

    cycle_f, cycle_c, scale_f, scale_c = [], [], [], []
    for _ in range(a.rounds):
        cycle_f.append(float(run([a.ftpy, "-c", program(CYCLE, "ftpy")])[0]))
        if have313:
            cycle_c.append(float(run([a.cpython, "-c", program(CYCLE, "cpython")],
                                     env=env313)[0]))
        one, two = map(float, run([a.ftpy, "-c", program(SCALING, "ftpy")]))
        scale_f.append(one / two * 2)  # two do twice the work of one
        if have313:
            one, two = map(float, run([a.cpython, "-c", program(SCALING, "cpython")],
                                      env=env313))
            scale_c.append(one / two * 2)
    rtt = statistics.median(float(run([a.ftpy, "-c", FTPY_ROUND_TRIP])[0])
                            for _ in range(a.rounds))
    rss_f = idle_rss([a.ftpy, "-c", IDLE_RSS % ("interpreters", "interpreters.create()")],
                     None)
    rss_c = idle_rss([a.cpython, "-c", IDLE_RSS % ("_interpreters", "_interpreters.create()")],
                     env313) if have313 else None

    def ms(v):
        return "%.3f ms" % (v * 1e3)

    best_f = min(cycle_f)
    print("create + exec + close, per interpreter: ftpy %s, CPython 3.13 %s%s"
          % (ms(best_f), ms(min(cycle_c)) if have313 else "n/a",
             ", ratio 1/%.0f" % (min(cycle_c) / best_f) if have313 else ""))
    print("  target <= 1 ms: %s; <= 1/20 of CPython 3.13: %s"
          % ("met" if best_f <= 1e-3 else "MISSED",
             ("met" if min(cycle_c) / best_f >= 20 else "MISSED") if have313 else "n/a"))
    print("2 interpreters x CPU-bound in 2 threads, speed-up over 1: ftpy %.2fx, "
          "CPython 3.13 %s (target >= 1.9x: %s)"
          % (statistics.median(scale_f),
             "%.2fx" % statistics.median(scale_c) if have313 else "n/a",
             "met" if statistics.median(scale_f) >= 1.9 else "MISSED"))
    print("queue round trip between two interpreters, median: ftpy %.1f us" % (rtt * 1e6))
    print("resident memory of an idle interpreter: ftpy %.0f KiB, CPython 3.13 %s"
          % (rss_f, "%.0f KiB" % rss_c if rss_c is not None else "n/a"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
