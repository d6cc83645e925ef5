# Threads insert, update, read and delete keys of one shared dict (disjoint keys per thread, plus
# lock-protected shared keys); final contents are exact.
import threading
shared = {}
lock = threading.Lock()
shared["hits"] = 0
def worker(tid):
    prefix = "t" + str(tid) + "_"
    for i in range(1500):
        shared[prefix + str(i)] = i
    for i in range(0, 1500, 2):
        del shared[prefix + str(i)]
    for i in range(1, 1500, 2):
        shared[prefix + str(i)] += 1
    seen = 0
    for i in range(1500):
        if (prefix + str(i)) in shared:
            seen += 1
        with lock:
            shared["hits"] += 1
    shared[prefix + "seen"] = seen
ts = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(len(shared), shared["hits"])
print([shared["t" + str(i) + "_seen"] for i in range(8)])
print(sum([v for k, v in shared.items() if k != "hits" and not k.endswith("seen")]))
print(shared["t0_1"], shared["t7_1499"], "t3_0" in shared)
