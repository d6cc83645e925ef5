# Producer -> workers -> consumer pipeline over queue.Queue with sentinels; results sorted before printing.
import threading
import queue
jobs = queue.Queue(maxsize=10)
results = queue.Queue()
N_WORKERS = 4
N_JOBS = 400
def producer():
    for i in range(N_JOBS):
        jobs.put(i)
    for _ in range(N_WORKERS):
        jobs.put(None)
def worker(wid):
    while True:
        item = jobs.get()
        if item is None:
            results.put(("done", wid))
            return
        results.put(("result", item * item))
collected = []
done = []
def consumer():
    while len(done) < N_WORKERS:
        kind, val = results.get()
        if kind == "done":
            done.append(val)
        else:
            collected.append(val)
threads = [threading.Thread(target=producer), threading.Thread(target=consumer)]
threads += [threading.Thread(target=worker, args=(w,)) for w in range(N_WORKERS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(collected), sum(collected), sorted(done))
print(sorted(collected)[:5], sorted(collected)[-2:])
print(jobs.empty(), results.empty(), jobs.qsize(), results.qsize())
