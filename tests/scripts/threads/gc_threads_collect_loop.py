# Four threads churn every kind of cycle the subset can build (lists, dicts, instances, closures, bound
# methods stored on their instance, classes made inside a function that reach themselves through an
# instance and super()) and each also builds a cyclic structure it keeps, while the main thread calls
# gc.collect() over and over until every worker is done. The garbage never changes a result and every
# survivor is intact afterwards, down to exact sums. (The collections are paced by the workers' progress,
# so a slow build, where one collection takes long, still lets the workers run between them.)
import gc
import threading
import time

N = 4
ITERS = 1200
KEEP_EVERY = 20
STEP = 60  # the main thread collects again once the workers have done this many more iterations
start = threading.Barrier(N + 1)
collected_once = threading.Event()
lock = threading.Lock()
finished = []
results = [None] * N
progress = [0] * N


class Node:
    def __init__(self, v):
        self.v = v
        self.peer = None
        self.get = self.value
    def value(self):
        return self.v


def class_cycle(i):
    class Base:
        def __init__(self, v):
            self.v = v
    class Local(Base):
        tag = i
        def __init__(self, v):
            super().__init__(v + 1)
            self.me = self
            self.kind = Local
        def total(self):
            return Local.tag + self.v
    inst = Local(i)
    Local.last = inst
    inst.bound = inst.total
    return inst.bound()


def closure_cycle(i):
    box = {"n": i}
    def f():
        return box["n"] + i
    box["f"] = f
    def fib(k):
        return k if k < 2 else fib(k - 1) + fib(k - 2)
    box["fib"] = fib
    return box["f"]() + fib(6)


def kept_class(tid):
    class Keeper:
        made = []
        def __init__(self, v):
            self.v = v
            self.cls = Keeper
            self.peers = [self]
            Keeper.made.append(self)
        def link(self, other):
            self.peers.append(other)
            other.peers.append(self)
        def sum_peers(self):
            return sum([p.v for p in self.peers])
    first = Keeper(tid * 1000)
    for k in range(1, 6):
        first.link(Keeper(tid * 1000 + k))
    return first


def worker(tid):
    keep = []
    total = 0
    start.wait()
    for i in range(ITERS):
        progress[tid] = i
        if i == ITERS // 2:
            collected_once.wait()
        a = [i]
        a.append(a)
        b = [a, (a, [a])]
        a.append(b)
        d = {"i": i}
        d["d"] = d
        d["l"] = a
        x = Node(i)
        y = Node(-i)
        x.peer = y
        y.peer = x
        total += x.get() + y.peer.get()          # 2 * i
        total += a[2][1][1][0] is a and d["d"]["l"][0] == i
        total += closure_cycle(i)                # 2 * i + 8
        if i % 4 == 0:
            total += class_cycle(i)              # 2 * i + 1
        if i % KEEP_EVERY == 0:
            n = Node(i)
            n.peer = n
            entry = {"node": n, "list": [n], "tid": tid, "i": i}
            entry["self"] = entry
            entry["list"].append(entry)
            n.owner = entry
            n.fn = closure_cycle
            keep.append(entry)
    root = kept_class(tid)
    results[tid] = (total, keep, root)
    with lock:
        finished.append(tid)


threads = [threading.Thread(target=worker, args=(t,)) for t in range(N)]
for t in threads:
    t.start()
start.wait()
collections = 0
all_nonneg = True
last = -STEP
while True:
    with lock:
        done = len(finished) == N
    if done:
        break
    now = sum(progress)
    if now - last < STEP:
        time.sleep(0.0005)
        continue
    last = now
    if gc.collect() < 0:
        all_nonneg = False
    collections += 1
    collected_once.set()
for t in threads:
    t.join()
print("collections >= 1:", collections >= 1, "non-negative:", all_nonneg)
print("after join:", gc.collect() >= 0, sorted(finished))


def expected_total():
    total = 0
    for i in range(ITERS):
        total += 2 * i + 1 + 2 * i + 8
        if i % 4 == 0:
            total += 2 * i + 1
    return total


ok = True
want = expected_total()
for tid in range(N):
    total, keep, root = results[tid]
    if total != want:
        ok = False
        print("bad total", tid, total, want)
    if len(keep) != ITERS // KEEP_EVERY:
        ok = False
        print("bad keep length", tid, len(keep))
    for j in range(len(keep)):
        e = keep[j]
        n = e["node"]
        if e["self"] is not e or e["list"][0] is not n or e["list"][1] is not e:
            ok = False
        if n.peer is not n or n.owner is not e or n.get() != j * KEEP_EVERY or e["i"] != j * KEEP_EVERY:
            ok = False
        if e["tid"] != tid or n.fn(j) != 2 * j + 8:
            ok = False
    cls = root.cls
    if len(cls.made) != 6 or cls.made[0] is not root or root.sum_peers() != 6 * tid * 1000 + 15:
        ok = False
        print("bad keeper", tid)
    if [p.sum_peers() for p in root.peers[1:]] != [2 * tid * 1000 + k for k in range(1, 6)]:
        ok = False
        print("bad keeper peers", tid)
print("survivors intact:", ok)
print("sample:", results[2][0], [e["i"] for e in results[3][1][:4]], results[1][2].sum_peers())
gc.collect()
print("after final collect:", results[0][1][-1]["node"].peer.owner["i"], results[3][2].peers[5].v)
