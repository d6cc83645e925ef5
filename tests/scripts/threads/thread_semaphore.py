# Semaphore(k) limits concurrent holders to k; counts balance after all workers finish.
import threading
import time
sem = threading.Semaphore(3)
lock = threading.Lock()
state = {"inside": 0, "max": 0, "total": 0}
def worker():
    for _ in range(5):
        with sem:
            with lock:
                state["inside"] += 1
                if state["inside"] > state["max"]:
                    state["max"] = state["inside"]
            time.sleep(0.001)
            with lock:
                state["inside"] -= 1
                state["total"] += 1
threads = [threading.Thread(target=worker) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(state["inside"], state["max"] <= 3, state["max"] >= 1, state["total"])
s1 = threading.Semaphore(1)
print(s1.acquire(), s1.acquire(blocking=False), s1.acquire(timeout=0.01))
s1.release()
print(s1.acquire(blocking=False))
s1.release()
s0 = threading.Semaphore(0)
res = []
def releaser():
    res.append("releasing")
    s0.release()
t = threading.Thread(target=releaser)
t.start()
print(s0.acquire(timeout=5))
t.join()
print(res)
s2 = threading.Semaphore()
print(s2.acquire(), s2.acquire(blocking=False))
