# Cycles referenced only from other threads must survive the main thread's collections: a local of a
# thread blocked in Event.wait, Queue.get, Lock.acquire, Condition.wait, Barrier.wait, Thread.join or a
# time.sleep loop; locals all along a thread's recursion that waits at the bottom; a thread that keeps
# running and re-checks its cycle at every step; items sitting in a queue nobody reads yet; and a
# cycle that only a Thread's args still hold. Every thread verifies its cycle after the collections and
# reports numbers only, so the output does not depend on the interleaving.
import gc
import queue
import threading
import time


class Ring:
    def __init__(self, tag, n):
        self.tag = tag
        self.nodes = [{"i": k} for k in range(n)]
        for k in range(n):
            self.nodes[k]["next"] = self.nodes[(k + 1) % n]
            self.nodes[k]["ring"] = self
        self.me = self
        self.get = self.total
    def total(self):
        t = 0
        node = self.nodes[0]
        for _ in range(len(self.nodes)):
            if node["ring"] is not self:
                return -1
            t += node["i"]
            node = node["next"]
        return t if node is self.nodes[0] and self.me is self else -2


def garbage(n):
    for i in range(n):
        r = Ring("g", 4)
        r.extra = [r, {"r": r}]


NAMES = ["event", "queue", "lock", "condition", "barrier", "join", "sleep", "recursion", "runner", "args"]
results = {}
results_lock = threading.Lock()
ready = threading.Semaphore(0)
go = threading.Event()


def report(name, value):
    with results_lock:
        results[name] = value


def t_event():
    r = Ring("event", 10)
    ready.release()
    go.wait()
    report("event", r.get())


work_q = queue.Queue()
def t_queue():
    r = Ring("queue", 11)
    ready.release()
    item = work_q.get()
    report("queue", r.total() * 1000 + item.total())


held = threading.Lock()
held.acquire()
def t_lock():
    r = Ring("lock", 12)
    ready.release()
    with held:
        report("lock", r.total())


cond = threading.Condition()
cond_flag = [False]
def t_condition():
    r = Ring("condition", 13)
    with cond:
        ready.release()
        while not cond_flag[0]:
            cond.wait()
    report("condition", r.total())


barrier = threading.Barrier(2)
def t_barrier():
    r = Ring("barrier", 14)
    ready.release()
    barrier.wait()
    report("barrier", r.total())


def t_join(other):
    r = Ring("join", 15)
    ready.release()
    other.join()
    report("join", r.total())


def t_sleep():
    r = Ring("sleep", 16)
    ready.release()
    while not go.is_set():
        time.sleep(0.002)
    report("sleep", r.total())


def descend(depth):
    r = Ring("rec", depth + 2)
    if depth == 0:
        ready.release()
        go.wait()
        return r.total()
    return descend(depth - 1) + r.total()
def t_recursion():
    report("recursion", descend(20))


runner_stop = threading.Event()
def t_runner():
    r = Ring("runner", 9)
    bad = 0
    steps = 0
    ready.release()
    while not runner_stop.is_set() or steps < 50:
        if r.total() != 36:
            bad += 1
        steps += 1
    report("runner", bad)


def t_args(box):
    ready.release()
    go.wait()
    report("args", box[0].total() + (1 if box[1] is box else 0))


ev_thread = threading.Thread(target=t_event)
threads = [
    ev_thread,
    threading.Thread(target=t_queue),
    threading.Thread(target=t_lock),
    threading.Thread(target=t_condition),
    threading.Thread(target=t_barrier),
    threading.Thread(target=t_join, args=(ev_thread,)),
    threading.Thread(target=t_sleep),
    threading.Thread(target=t_recursion),
    threading.Thread(target=t_runner),
]
box = [Ring("args", 8)]
box.append(box)
threads.append(threading.Thread(target=t_args, args=(box,)))
del box
for t in threads:
    t.start()
for _ in threads:
    ready.acquire()

# Items only a queue holds: nobody reads store_q until the end.
store_q = queue.Queue()
for k in range(3):
    store_q.put(Ring("item" + str(k), k + 5))

ok = True
for round_ in range(5):
    garbage(200)
    if gc.collect() < 0:
        ok = False
print("collections done:", ok)

# Release everyone.
go.set()
work_q.put(Ring("work", 6))
held.release()
with cond:
    cond_flag[0] = True
    cond.notify_all()
barrier.wait()
runner_stop.set()
for t in threads:
    t.join()
print(gc.collect() >= 0)
print([(name, results[name]) for name in NAMES])
left = []
while not store_q.empty():
    left.append(store_q.get().total())
print("left in queue:", left, work_q.empty())
