# Barrier(n): all parties leave each phase together; wait() returns distinct indices 0..n-1.
import threading
N = 5
bar = threading.Barrier(N)
lock = threading.Lock()
phase_log = []
indices = []
def worker(i):
    for phase in range(3):
        with lock:
            phase_log.append((phase, i))
        idx = bar.wait()
        with lock:
            indices.append(idx)
threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
phases = [p for p, i in phase_log]
print(phases == sorted(phases), len(phase_log))
print(sorted(indices))
print(sorted([i for p, i in phase_log if p == 2]))
two = threading.Barrier(2)
out = []
def partner():
    out.append("partner before")
    two.wait()
    out.append("partner after")
t = threading.Thread(target=partner)
t.start()
two.wait()
t.join()
print(sorted(out))
