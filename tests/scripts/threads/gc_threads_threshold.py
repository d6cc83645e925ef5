# Automatic collections started by allocation counts, from whichever thread crosses the threshold: a low
# threshold makes them frequent while four threads churn cycles and keep some; meanwhile the threads
# also change the threshold, read it back, read the counts and switch automatic collection off and on.
# Every kept structure is intact at the end, and the gc settings end where the main thread put them.
import gc
import threading

N = 4
ITERS = 1500
old = gc.get_threshold()
gc.set_threshold(100, 5, 5)
start = threading.Barrier(N)
kept = [None] * N
shape_errors = [0] * N


class Pair:
    def __init__(self, v):
        self.v = v
        self.other = None
        self.box = [self]


def worker(tid):
    keep = []
    start.wait()
    for i in range(ITERS):
        a = Pair(i)
        b = Pair(-i)
        a.other = b
        b.other = a
        a.box.append(b.box)
        b.box.append(a.box)
        d = {"a": a}
        d["d"] = d
        if i % 25 == 0:
            keep.append(d)
        if i % 100 == tid:
            gc.set_threshold(50 + tid * 25 + i % 7, 4 + tid, 6)
            t = gc.get_threshold()
            c = gc.get_count()
            if len(t) != 3 or len(c) != 3 or t[0] < 50 or min(c) < 0:
                shape_errors[tid] += 1
        if tid == 0 and i % 150 == 75:
            gc.disable()
            junk = [[k] for k in range(30)]
            for j in junk:
                j.append(junk)
            gc.enable()
    kept[tid] = keep


threads = [threading.Thread(target=worker, args=(t,)) for t in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
gc.set_threshold(old[0], old[1], old[2])
print(gc.get_threshold() == old, gc.isenabled(), shape_errors)
print(gc.collect() >= 0)
ok = True
for tid in range(N):
    keep = kept[tid]
    if len(keep) != ITERS // 25:
        ok = False
    for j in range(len(keep)):
        d = keep[j]
        a = d["a"]
        b = a.other
        if d["d"] is not d or b.other is not a or a.v != j * 25 or b.v != -j * 25:
            ok = False
        if a.box[0] is not a or a.box[1] is not b.box or b.box[1] is not a.box or b.box[0] is not b:
            ok = False
print(ok, [len(k) for k in kept], sum([d["a"].v for k in kept for d in k]))
