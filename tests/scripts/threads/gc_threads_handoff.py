# Cycles built by one thread and dropped by another: producers put cyclic records on a queue and then
# block on an Event (still alive, so references other threads give up on their objects wait in their
# queues), consumers verify each record, keep some and drop the rest, and the main thread collects while
# the producers are blocked, again after they exit, and again after the consumers hand their kept
# records back and exit too. Every kept record, built by a thread long gone, is intact at the end.
import gc
import queue
import threading

PRODUCERS = 2
CONSUMERS = 2
PER_PRODUCER = 600
KEEP_EVERY = 7

work = queue.Queue(maxsize=64)
handback = queue.Queue()
release_producers = threading.Event()
produced = threading.Semaphore(0)
lock = threading.Lock()
bad = [0]


class Record:
    def __init__(self, pid, i):
        self.pid = pid
        self.i = i
        self.links = [self, {"rec": self, "n": i}]
        self.links.append(self.links)
        self.check = self.ok
    def ok(self):
        return (self.links[0] is self and self.links[1]["rec"] is self and self.links[2] is self.links
                and self.links[1]["n"] == self.i)


def producer(pid):
    mine = []
    for i in range(PER_PRODUCER):
        r = Record(pid, i)
        partner = Record(pid, -i)
        r.partner = partner
        partner.partner = r
        work.put(r)
        if i % 100 == 0:
            mine.append(r)
    produced.release()
    release_producers.wait()
    # The producer's own references to records consumers may have dropped long ago.
    with lock:
        for r in mine:
            if not r.check() or r.partner.partner is not r:
                bad[0] += 1


def consumer(cid):
    kept = []
    seen = 0
    while True:
        r = work.get()
        if r is None:
            break
        seen += 1
        if not r.check() or r.partner.partner is not r or r.partner.i != -r.i:
            with lock:
                bad[0] += 1
        if r.i % KEEP_EVERY == 0:
            kept.append(r)
    handback.put((cid, seen, kept))


producers = [threading.Thread(target=producer, args=(p,)) for p in range(PRODUCERS)]
consumers = [threading.Thread(target=consumer, args=(c,)) for c in range(CONSUMERS)]
for t in consumers + producers:
    t.start()
for _ in producers:
    produced.acquire()
# All produced; consumers may still be draining. Collect while producers are blocked.
for _ in range(3):
    gc.collect()
for _ in consumers:
    work.put(None)
for t in consumers:
    t.join()
gc.collect()
release_producers.set()
for t in producers:
    t.join()
gc.collect()

total_seen = 0
kept_all = []
while not handback.empty():
    cid, seen, kept = handback.get()
    total_seen += seen
    kept_all.extend(kept)
gc.collect()
print("seen:", total_seen, PRODUCERS * PER_PRODUCER, "bad:", bad[0])
want = sorted([(p, i) for p in range(PRODUCERS) for i in range(PER_PRODUCER) if i % KEEP_EVERY == 0])
print("kept:", len(kept_all), sorted([(r.pid, r.i) for r in kept_all]) == want)
print("intact:", all([r.check() and r.partner.check() and r.partner.partner is r for r in kept_all]))
print("sums:", sum([r.i for r in kept_all]), sum([r.partner.i for r in kept_all]))
kept_all = None
print(gc.collect() >= 0)
