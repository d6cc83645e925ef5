# GC benchmark: how long a stop-the-world request waits for running threads. Two threads stay busy
# in bytecode: one in a while loop of integer arithmetic, one in a loop calling a small function.
# Meanwhile the main thread calls gc.collect() COLLECTIONS times (sys.argv[1], default 200), sleeping
# 10 ms before each, so every collection has to stop two threads that are in the middle of a loop.
# The time-to-stop figures come from ftpy's `-X stats` report on standard error; under python3 the
# script only runs for comparison (a GIL has nothing to stop).
# Lines starting with "time " vary from run to run (the driver, gc_bench.py, parses them); every
# other line is identical under ftpy and python3.
import gc
import sys
import threading
import time

stop = [False]
ready = [0, 0]
spins = [0, 0]


def arith_loop(slot):
    """Integer arithmetic in a while loop: only backward jumps, no calls."""
    x = 1
    n = 0
    ready[slot] = 1
    while not stop[0]:
        x = (x * 1103515245 + 12345) % 2147483648
        n += 1
    spins[slot] = n


def small(a, b):
    return (a + b) & 1023


def call_loop(slot):
    """A loop whose body is a call to a small Python function."""
    x = 0
    n = 0
    ready[slot] = 1
    while not stop[0]:
        x = small(x, n)
        n += 1
    spins[slot] = n


def main():
    collections = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    gc.collect()  # whatever start-up and imports left behind, before counting anything
    threads = [threading.Thread(target=arith_loop, args=(0,)),
               threading.Thread(target=call_loop, args=(1,))]
    for t in threads:
        t.start()
    while ready[0] + ready[1] < 2:
        time.sleep(0.001)
    found = 0
    start = time.perf_counter()
    for _ in range(collections):
        time.sleep(0.01)
        found += gc.collect()
    elapsed = time.perf_counter() - start
    stop[0] = True
    for t in threads:
        t.join()
    print("stop collections", collections, "threads", len(threads))
    print("stop unreachable found", found)
    print("stop both threads ran", spins[0] > 0 and spins[1] > 0)
    print("time stop seconds", f"{elapsed:.3f}", "spins", spins[0], spins[1])


main()
