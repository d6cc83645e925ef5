# Lock-protected counters give exact totals; with-statement and explicit acquire/release both work.
import threading
counter = 0
lock = threading.Lock()
stats = {"with": 0, "explicit": 0}
def inc_with(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1
            stats["with"] += 1
def inc_explicit(n):
    global counter
    for _ in range(n):
        lock.acquire()
        try:
            counter += 1
            stats["explicit"] += 1
        finally:
            lock.release()
threads = []
for i in range(8):
    target = inc_with if i % 2 == 0 else inc_explicit
    threads.append(threading.Thread(target=target, args=(5000,)))
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter, stats)
print(lock.locked(), lock.acquire(), lock.locked())
print(lock.acquire(blocking=False), lock.acquire(timeout=0.01))
lock.release()
print(lock.locked())
try:
    lock.release()
except RuntimeError:
    print("RuntimeError release unlocked")
