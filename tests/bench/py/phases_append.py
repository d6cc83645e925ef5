# Scaling benchmark, measured inside one process: threads appending to one shared list, run in
# alternating phases of 1 and 2 threads (the same appends per thread), so that both counts see
# the same machine state: on a VM that moves its vCPUs between near and far cores every few
# seconds, two separate processes can each catch a different one. Two loops:
#   tight: `shared.append(i)` and nothing else (the lock is busy about half the time);
#   work:  some arithmetic per item before the append (as scale_append.py).
# speed-up = 2 * (total time of the 1-thread phases) / (total time of the 2-thread phases): the
# ratio of throughputs, with no start-up in it. usage: phases_append.py [ROUNDS]
import sys
import threading
import time

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
shared = []


def tight(n):
    for i in range(n):
        shared.append(i)


def work(n):
    append = shared.append
    acc = 0
    for i in range(n):
        v = (i * 31) % 1000
        acc = (acc + v * v + (v ^ (i & 1023))) % 1000003
        append(v & 127)


def phase(loop, n, threads):
    global shared
    shared = []
    ts = [threading.Thread(target=loop, args=(n,)) for k in range(threads)]
    start = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    elapsed = time.perf_counter() - start
    if len(shared) != threads * n:
        raise RuntimeError("lost appends: " + str(len(shared)) + " of " + str(threads * n))
    return elapsed


def measure(name, loop, n):
    one = 0.0
    two = 0.0
    for r in range(ROUNDS):
        # Alternate the order too, so that a drift in the machine's speed favours neither.
        if r % 2 == 0:
            one += phase(loop, n, 1)
            two += phase(loop, n, 2)
        else:
            two += phase(loop, n, 2)
            one += phase(loop, n, 1)
    print(f"phases_append {name:<5} speed-up {2 * one / two:.2f} (1 thread {one / ROUNDS * 1000:.1f} ms,"
          f" 2 threads {two / ROUNDS * 1000:.1f} ms, {ROUNDS} rounds)")


measure("tight", tight, 1000000)
measure("work", work, 300000)
