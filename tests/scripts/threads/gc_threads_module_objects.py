# Module-level classes, functions and data that threads use (ftpy switches these to per-thread reference
# counts when threads start, so only the collector can tell whether they are still referenced) are
# unbound from the module while threads still hold them, collected, used again from those threads,
# kept only by instances after the threads exit, and finally dropped. Each round binds a fresh class
# to the same global name and starts new threads; instances kept from every round must still know
# their class and run its methods. Nothing printed depends on the interleaving.
import gc
import threading

N = 3
ROUNDS = 4


class Point:
    def __init__(self, x):
        self.x = x
        self.me = self
    def double(self):
        return self.x * 2


def helper(p):
    return p.double() + 1


DATA = [Point(i) for i in range(10)]
DATA.append(DATA)
TABLE = {"k": Point(100)}
TABLE["self"] = TABLE

ready = threading.Barrier(N + 1)
go = threading.Event()
results = [None] * N
made = [None] * N


def worker(tid):
    cls = Point
    fn = helper
    data = DATA
    table = TABLE
    mine = [cls(tid * 100 + k) for k in range(40)]
    for p in mine:
        p.owner = mine
    ready.wait()
    go.wait()
    total = 0
    for p in mine:
        total += fn(p)
    results[tid] = (total, sum([d.x for d in data[:10]]), data[10] is data, table["self"]["k"].double(),
                    cls.__name__, type(mine[0]) is cls)
    made[tid] = mine


threads = [threading.Thread(target=worker, args=(t,)) for t in range(N)]
for t in threads:
    t.start()
ready.wait()
# The threads hold the only references left (plus instances pointing at their class).
del Point, helper, DATA, TABLE
for _ in range(3):
    junk = [[k] for k in range(50)]
    for j in junk:
        j.append(junk)
    del junk
    gc.collect()
go.set()
for t in threads:
    t.join()
print([r[:2] for r in results])
print([r[2:] for r in results])
# The threads are gone: their per-thread counts must have been handed over.
print(gc.collect() >= 0)
cls0 = type(made[0][0])
print(cls0.__name__, all([type(p) is cls0 for m in made for p in m]), made[2][5].double(),
      all([p.owner is m and p.me is p for m in made for p in m]))
del cls0
made = None
print(gc.collect() >= 0)


# Rounds: a fresh class bound to one global each time, used by new threads, instances kept across rounds.
survivors = []
survivors_lock = threading.Lock()


def define(r):
    global Current
    class K:
        tag = r
        def __init__(self, v):
            self.v = v
            self.cls = K
            self.peer = self
        def value(self):
            return K.tag * 1000 + self.v
    K.table = {"round": r, "cls": K}
    Current = K


def round_worker(tid, r, start):
    start.wait()
    cls = Current
    kept = None
    for i in range(300):
        obj = cls(i)
        obj.peer = cls(-i)
        obj.peer.peer = obj
        if i == tid * 10 + r:
            kept = obj
        if i % 100 == 0:
            gc.collect()
    with survivors_lock:
        survivors.append(kept)


for r in range(ROUNDS):
    define(r)
    start = threading.Barrier(N)
    ts = [threading.Thread(target=round_worker, args=(t, r, start)) for t in range(N)]
    for t in ts:
        t.start()
    gc.collect()
    for t in ts:
        t.join()
Current = None
print(gc.collect() >= 0)
vals = sorted([s.value() for s in survivors])
print(len(survivors), vals)
print(all([s.cls.table["cls"] is s.cls and s.peer.peer is s and type(s) is s.cls for s in survivors]),
      sorted([(s.cls.tag, s.peer.v) for s in survivors])[:4])
survivors = []
print(gc.collect() >= 0)
