# Threads mutate their own instances freely and one shared instance under a lock; class-level
# attribute reads are shared by all threads.
import threading
class Stats:
    scale = 2
    def __init__(self):
        self.count = 0
        self.total = 0
    def add(self, v):
        self.count += 1
        self.total += v * self.scale
own = [Stats() for _ in range(6)]
shared = Stats()
lock = threading.Lock()
def worker(i):
    s = own[i]
    for v in range(1000):
        s.add(v)
        if v % 10 == 0:
            with lock:
                shared.add(v)
ts = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print([(s.count, s.total) for s in own])
print(shared.count, shared.total)
