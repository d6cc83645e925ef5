# Four threads build and drop cycles and keep a live structure each while the main thread calls
# gc.collect() in a bounded loop; every live structure is intact at the end.
import gc
import threading
N = 4
done = threading.Event()
finished = []
lock = threading.Lock()
kept = [None] * N
class Cell:
    def __init__(self, v):
        self.v = v
        self.other = None
def worker(tid):
    live = []
    for i in range(1500):
        a = Cell(i)
        b = Cell(-i)
        a.other = b
        b.other = a
        lst = [a, b]
        lst.append(lst)
        d = {"l": lst}
        d["d"] = d
        if i % 10 == 0:
            live.append(d)
    kept[tid] = live
    with lock:
        finished.append(tid)
ts = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
for t in ts:
    t.start()
collections = 0
while collections < 200:
    gc.collect()
    collections += 1
    with lock:
        if len(finished) == N and collections >= 5:
            break
for t in ts:
    t.join()
print(gc.collect() >= 0, sorted(finished), collections >= 5)
ok = True
for tid in range(N):
    live = kept[tid]
    if len(live) != 150:
        ok = False
    for j in range(len(live)):
        d = live[j]
        a, b, lst = d["l"][0], d["l"][1], d["l"][2]
        if d["d"] is not d or lst is not d["l"] or a.other is not b or b.other is not a:
            ok = False
        if a.v != j * 10 or b.v != -j * 10:
            ok = False
print(ok, [len(k) for k in kept])
