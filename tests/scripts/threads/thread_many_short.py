# Many short-lived threads started in waves; each returns its result through a shared dict.
import threading
results = {}
def square(i):
    results[i] = i * i
for wave in range(5):
    ts = [threading.Thread(target=square, args=(wave * 20 + i,)) for i in range(20)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
print(len(results), sum(results.values()), results[99])
print(threading.active_count())
