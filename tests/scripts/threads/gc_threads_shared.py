# Worker threads mutate shared containers that hold cyclic structures (one list, one dict, attributes of
# one instance) while a separate collector thread calls gc.collect() until told to stop (paced by the
# workers' progress, so that slow builds still let the workers run between collections). Objects are
# published, replaced (the old cycle turns into garbage while others may be reading the container) and
# deleted concurrently with collections; the final contents are exact.
import gc
import threading
import time

N = 4
ITERS = 1001
STEP = 60  # the collector collects again once the workers have done this many more iterations
progress = [0] * N
shared_list = []
slots = [None] * N
shared_dict = {}
lock = threading.Lock()
start = threading.Barrier(N + 1)
stop = threading.Event()
halfway = [threading.Event() for _ in range(N)]
collected_mid = threading.Event()


class Hub:
    def __init__(self):
        self.counter = 0
        self.items = []
        self.me = self


hub = Hub()


class Item:
    def __init__(self, tid, i):
        self.tid = tid
        self.i = i
        self.ring = [self, {"owner": self, "i": i}]
        self.ring.append(self.ring)
        self.check = self.valid
    def valid(self):
        return self.ring[0] is self and self.ring[1]["owner"] is self and self.ring[2] is self.ring


def make_cycle(tid, i):
    it = Item(tid, i)
    d = {"item": it, "key": (tid, i)}
    d["self"] = d
    it.back = d
    return d


def worker(tid):
    reads_ok = True
    start.wait()
    for i in range(ITERS):
        progress[tid] = i
        if i == ITERS // 2:
            halfway[tid].set()
            collected_mid.wait()
        d = make_cycle(tid, i)
        # Replace this thread's slot: the previous cycle becomes garbage.
        old = slots[tid]
        slots[tid] = d
        if old is not None and (old["item"].i != i - 1 or not old["item"].check()):
            reads_ok = False
        # Every 10th cycle is kept for good in the shared list.
        if i % 10 == 0:
            shared_list.append(d)
        # The shared dict gets a key per iteration; all but every 5th are deleted again.
        key = str(tid) + ":" + str(i)
        shared_dict[key] = d
        if i % 5 != 0:
            del shared_dict[key]
        # Current cycle on the hub (replaced), plus a locked counter and a kept list.
        setattr(hub, "cur" + str(tid), d)
        with lock:
            hub.counter += i
            if i % 50 == 0:
                hub.items.append(d["item"])
        # Read back a neighbour's slot while it may be being replaced.
        other = slots[(tid + 1) % N]
        if other is not None and not (other["self"] is other and other["item"].check()):
            reads_ok = False
    return reads_ok


ok_flags = [None] * N


def run(tid):
    ok_flags[tid] = worker(tid)


collections = [0]


def collector():
    start.wait()
    for e in halfway:
        e.wait()
    gc.collect()
    collections[0] += 1
    collected_mid.set()
    last = sum(progress)
    while not stop.is_set():
        now = sum(progress)
        if now - last < STEP:
            time.sleep(0.0005)
            continue
        last = now
        gc.collect()
        collections[0] += 1


workers = [threading.Thread(target=run, args=(t,)) for t in range(N)]
coll = threading.Thread(target=collector)
coll.start()
for t in workers:
    t.start()
for t in workers:
    t.join()
stop.set()
coll.join()
print("collector ran:", collections[0] >= 1, "concurrent reads ok:", ok_flags)
print(gc.collect() >= 0)

ok = True
# shared_list: ITERS // 10 entries per thread, each an intact cycle.
print("list:", len(shared_list), len(shared_list) == N * len(range(0, ITERS, 10)))
seen = {}
for d in shared_list:
    tid, i = d["key"]
    if d["self"] is not d or d["item"].back is not d or not d["item"].check() or d["item"].i != i:
        ok = False
    seen[d["key"]] = True
print("list keys distinct:", len(seen) == len(shared_list),
      sorted([d["key"] for d in shared_list if d["key"][1] < 30]))
# shared_dict: exactly the keys with i % 5 == 0.
want_keys = sorted([str(t) + ":" + str(i) for t in range(N) for i in range(ITERS) if i % 5 == 0])
print("dict:", len(shared_dict), sorted(shared_dict.keys()) == want_keys)
for key in shared_dict:
    d = shared_dict[key]
    tid, i = d["key"]
    if key != str(tid) + ":" + str(i) or d["self"] is not d or not d["item"].check():
        ok = False
# slots and hub attributes hold the last cycle of each thread; the same object in both places.
print("slots:", [s["key"] for s in slots])
print("hub:", [getattr(hub, "cur" + str(t)) is slots[t] for t in range(N)], hub.me is hub)
print("counter:", hub.counter, N * (ITERS * (ITERS - 1) // 2))
print("hub items:", len(hub.items), sorted([(x.tid, x.i) for x in hub.items])[:5],
      sum([x.i for x in hub.items]))
for x in hub.items:
    if not x.check() or x.back["item"] is not x:
        ok = False
# Slot cycles are shared with the list when their index is a multiple of 10.
print("shared identity:", [s is shared_list_entry for s in slots for shared_list_entry in shared_list
                           if shared_list_entry["key"] == s["key"]])
print("all intact:", ok)
shared_list.clear()
shared_dict.clear()
print(gc.collect() >= 0, len(hub.items), slots[0]["item"].check())
