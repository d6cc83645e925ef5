# Shared list used as a work pool: threads pop under a lock and push results to another list;
# every item is processed exactly once.
import threading
pool = list(range(3000))
out = []
lock = threading.Lock()
def worker():
    while True:
        with lock:
            if not pool:
                return
            item = pool.pop()
        out.append(item * 3)
ts = [threading.Thread(target=worker) for _ in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(len(pool), len(out), sum(out), sorted(out)[:3], sorted(out)[-1])
readers_ok = []
data = [i * i for i in range(500)]
def reader():
    ok = True
    for _ in range(20):
        for i in range(len(data)):
            if data[i] != i * i:
                ok = False
    readers_ok.append(ok)
rs = [threading.Thread(target=reader) for _ in range(6)]
for t in rs:
    t.start()
for t in rs:
    t.join()
print(readers_ok)
