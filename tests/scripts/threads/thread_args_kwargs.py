# Thread(target=, args=, kwargs=): arguments are delivered; targets can be bound methods and closures.
import threading
results = {}
lock = threading.Lock()
def record(key, a, b=0, *rest, scale=1, **extra):
    with lock:
        results[key] = (a + b + sum(rest)) * scale, sorted(extra)
ts = [
    threading.Thread(target=record, args=("p", 1)),
    threading.Thread(target=record, args=("q", 1, 2, 3, 4)),
    threading.Thread(target=record, args=("r", 5), kwargs={"b": 5, "scale": 3}),
    threading.Thread(target=record, kwargs={"key": "s", "a": 1, "z": 0, "y": 0}),
    threading.Thread(target=record, args=["t", 7]),
]
class Counter:
    def __init__(self):
        self.n = 0
    def bump(self, times):
        for _ in range(times):
            self.n += 1
c = Counter()
ts.append(threading.Thread(target=c.bump, args=(100,)))
def make_closure(val):
    def run():
        with lock:
            results["closure"] = val
    return run
ts.append(threading.Thread(target=make_closure("captured")))
for t in ts:
    t.start()
for t in ts:
    t.join()
for k in sorted(results):
    print(k, results[k])
print(c.n)
noop = threading.Thread()
noop.start()
noop.join()
print("thread without target ok")
