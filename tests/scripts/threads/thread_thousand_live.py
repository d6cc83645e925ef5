# A thousand threads alive at once, each allocating and holding objects while it waits, then
# all released together (ftpy once allowed 64: each thread's GC heap takes a 32 MiB segment
# of its interpreter's arena, which was 2 GiB).
import threading

N = 1000
lock = threading.Lock()
arrived = threading.Condition(lock)
count = [0]
go = threading.Event()
results = [None] * N

def work(i):
    mine = [(i, j, [j] * 3) for j in range(20)]
    with arrived:
        count[0] += 1
        arrived.notify_all()
    go.wait()
    results[i] = sum([t[1] + len(t[2]) for t in mine])

threads = [threading.Thread(target=work, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
with arrived:
    while count[0] < N:
        arrived.wait()
print("alive at once:", count[0], threading.active_count() - 1)
go.set()
for t in threads:
    t.join()
print(len(results), results[0], results[-1], sum(results))
print("after join:", threading.active_count())
