# Several producers and consumers share one bounded Queue; every item arrives exactly once,
# put/get block and time out as specified, task_done/join count the work.
import threading
import queue
q = queue.Queue(maxsize=5)
N_PROD = 4
N_CONS = 4
PER = 250
got = []
glock = threading.Lock()
def producer(p):
    for i in range(PER):
        q.put(p * PER + i)
def consumer():
    while True:
        item = q.get()
        if item is not None:
            with glock:
                got.append(item)
        q.task_done()
        if item is None:
            return
cons = [threading.Thread(target=consumer) for _ in range(N_CONS)]
prods = [threading.Thread(target=producer, args=(p,)) for p in range(N_PROD)]
for t in cons + prods:
    t.start()
for t in prods:
    t.join()
q.join()
print(len(got), sorted(got) == list(range(N_PROD * PER)), q.qsize(), q.unfinished_tasks)
for _ in cons:
    q.put(None)
for t in cons:
    t.join()
print(q.empty(), q.full(), [t.is_alive() for t in cons])
small = queue.Queue(1)
small.put_nowait("a")
try:
    small.put_nowait("b")
except queue.Full:
    print("Full from put_nowait")
print(small.get_nowait())
try:
    small.get_nowait()
except queue.Empty:
    print("Empty from get_nowait")
try:
    small.get(timeout=-1)
except ValueError:
    print("ValueError negative timeout")
