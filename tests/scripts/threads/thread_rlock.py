# RLock: the owner may re-acquire it; other threads wait until it is fully released.
import threading
rl = threading.RLock()
depth_log = []
def recurse(n):
    with rl:
        depth_log.append(n)
        if n > 0:
            recurse(n - 1)
recurse(5)
print(depth_log)
print(rl.acquire(), rl.acquire(), rl.acquire(blocking=False))
rl.release()
rl.release()
rl.release()
total = [0]
def worker():
    for _ in range(2000):
        with rl:
            with rl:
                total[0] += 1
threads = [threading.Thread(target=worker) for _ in range(6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(total[0])
rl.acquire()
got = []
def try_other():
    got.append(rl.acquire(blocking=False))
    got.append(rl.acquire(timeout=0.02))
t = threading.Thread(target=try_other)
t.start()
t.join()
rl.release()
print(got)
def take_and_release():
    ok = rl.acquire(timeout=5)
    got.append(ok)
    if ok:
        rl.release()
t = threading.Thread(target=take_and_release)
t.start()
t.join()
print(got)
try:
    rl.release()
except RuntimeError:
    print("RuntimeError release unowned")
