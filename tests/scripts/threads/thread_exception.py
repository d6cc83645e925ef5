# An exception escaping a thread's target is reported on stderr; the thread ends, the program continues
# and exits with status 0.
import threading
results = []
def bad():
    results.append("bad started")
    raise ValueError("escaped from thread")
def good():
    results.append("good ran")
t = threading.Thread(target=bad)
t.start()
t.join()
print(results, t.is_alive())
t2 = threading.Thread(target=good)
t2.start()
t2.join()
print(results)
def many_bad(i):
    if i % 2:
        raise RuntimeError("odd " + str(i))
    with lock:
        results.append(i)
lock = threading.Lock()
ts = [threading.Thread(target=many_bad, args=(i,)) for i in range(6)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted([r for r in results if isinstance(r, int)]))
print("main still fine")
