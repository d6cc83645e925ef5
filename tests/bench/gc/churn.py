# GC benchmark: memory stays flat under continuous cyclic garbage. Two threads each build and drop
# cycles for SECONDS seconds (sys.argv[1], default 10): two instances pointing at each other, a list
# that contains itself, a closure whose cell holds the closure, and an instance holding a bound method
# of itself. Only the collector can free any of them; automatic collection stays on, and nothing
# here calls gc.collect(). The driver (gc_bench.py) samples the process's RSS while it runs.
# Lines starting with "time " vary from run to run (the driver parses them); every other line is
# identical under ftpy and python3.
import gc
import sys
import threading
import time


class Peer:
    def __init__(self, i):
        self.other = None
        self.payload = [i, i + 1, i + 2, i + 3]


class Holder:
    def __init__(self, i):
        self.callback = self.poke
        self.payload = [i] * 8

    def poke(self):
        return self.payload[0]


def make_closure(i):
    def again():
        return again, i
    return again


def one_round(i):
    """Makes four cycles and drops them; returns a value so the work is not optimised away."""
    a = Peer(i)
    b = Peer(i + 1)
    a.other = b
    b.other = a
    lst = [i, i * 2]
    lst.append(lst)
    f = make_closure(i)
    h = Holder(i)
    return a.payload[0] + len(lst) + f()[1] + h.callback()


def churn(slot, seconds, made):
    deadline = time.perf_counter() + seconds
    rounds = 0
    acc = 0
    while True:
        for i in range(1000):
            acc = (acc + one_round(i)) & 0xFFFF
        rounds += 1000
        if time.perf_counter() >= deadline:
            break
    made[slot] = rounds * 4


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    made = [0, 0]
    threads = [threading.Thread(target=churn, args=(k, seconds, made)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("churn threads", len(threads), "gc enabled", gc.isenabled())
    print("churn both threads made cycles", made[0] > 0 and made[1] > 0)
    print("time churn cycles", made[0], made[1])


main()
