# Event: set/clear/is_set/wait(timeout) handshakes between threads.
import threading
ev = threading.Event()
print(ev.is_set(), ev.wait(0.01), ev.wait(timeout=0.01))
ready = threading.Event()
go = threading.Event()
log = []
def worker(i):
    ready_count.append(i)
    if len(ready_count) == 4:
        ready.set()
    go.wait()
    with lock:
        log.append(i)
ready_count = []
lock = threading.Lock()
threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
print(ready.wait(5))
print(len(log))
go.set()
for t in threads:
    t.join()
print(sorted(log), go.is_set())
go.clear()
print(go.is_set(), go.wait(0.01))
ev.set()
print(ev.wait(), ev.wait(0), ev.is_set())
ping = threading.Event()
pong = threading.Event()
rounds = []
def ponger():
    for i in range(5):
        ping.wait()
        ping.clear()
        rounds.append("pong" + str(i))
        pong.set()
t = threading.Thread(target=ponger)
t.start()
for i in range(5):
    rounds.append("ping" + str(i))
    ping.set()
    pong.wait()
    pong.clear()
t.join()
print(rounds)
