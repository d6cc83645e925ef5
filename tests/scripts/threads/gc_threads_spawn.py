# Threads start and exit while collections run: one thread calls gc.collect() over and over while the
# main thread starts short-lived workers in small batches, and each worker also collects as it starts
# (while its batch mates are being created) and as it ends (while they may be exiting). Each worker
# builds cycles, hands a chain of them back through a shared list and exits, so collections meet
# threads being created, threads handing their heaps over on exit, and objects whose creator is gone.
# Results are exact.
import gc
import threading
import time

BATCHES = 6
PER_BATCH = 3
ITERS = 100
stop = threading.Event()
first_collect = threading.Event()
handed = []
handed_lock = threading.Lock()
collections = [0]


class Cell:
    def __init__(self, wid, i):
        self.wid = wid
        self.i = i
        self.me = self
        self.ring = [self, [self]]
        self.ring[1].append(self.ring)


def collector():
    while not stop.is_set():
        gc.collect()
        collections[0] += 1
        first_collect.set()
        time.sleep(0.002)


def worker(wid):
    # Collect at once, while the main thread is still starting this worker's batch mates.
    gc.collect()
    total = 0
    last = None
    for i in range(ITERS):
        c = Cell(wid, i)
        d = {"c": c, "prev": last}
        d["self"] = d
        c.d = d
        last = d
        total += c.ring[1][0].i
        junk = [c.i, {"w": wid}]
        junk[1]["junk"] = junk
    # The chain of dicts through "prev" is kept: its creator is about to exit.
    with handed_lock:
        handed.append((wid, total, last))
    # And again on the way out, while batch mates may be exiting.
    gc.collect()


coll = threading.Thread(target=collector)
coll.start()
first_collect.wait()
wid = 0
for b in range(BATCHES):
    batch = []
    for k in range(PER_BATCH):
        batch.append(threading.Thread(target=worker, args=(wid,)))
        wid += 1
    for t in batch:
        t.start()
    for t in batch:
        t.join()
stop.set()
coll.join()
print("collector ran:", collections[0] >= 1, "workers:", len(handed))
print(gc.collect() >= 0)
ok = True
for wid, total, last in handed:
    if total != ITERS * (ITERS - 1) // 2:
        ok = False
    n = 0
    d = last
    while d is not None:
        c = d["c"]
        if d["self"] is not d or c.d is not d or c.me is not c or c.wid != wid or c.i != ITERS - 1 - n:
            ok = False
        if c.ring[0] is not c or c.ring[1][1] is not c.ring:
            ok = False
        n += 1
        d = d["prev"]
    if n != ITERS:
        ok = False
print("chains intact:", ok, sorted([h[0] for h in handed]) == list(range(BATCHES * PER_BATCH)))
handed = None
print(gc.collect() >= 0)
