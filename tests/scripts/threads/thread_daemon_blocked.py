# Daemon threads blocked at exit (on a Lock, a Queue.get, a Condition, a join of another
# blocked thread) and one still printing do not prevent a prompt exit with status 0.
import threading
import queue
import time
held = threading.Lock()
held.acquire()
q = queue.Queue()
cond = threading.Condition()
def on_lock():
    held.acquire()
def on_queue():
    q.get()
def on_cond():
    with cond:
        cond.wait()
ts = [threading.Thread(target=f, daemon=True) for f in [on_lock, on_queue, on_cond]]
for t in ts:
    t.start()
def joiner():
    ts[0].join()
j = threading.Thread(target=joiner, daemon=True)
j.start()
started = threading.Event()
def printer():
    n = 0
    while True:
        n += 1
        if n == 10:
            started.set()
        if n % 100 == 0:
            time.sleep(0.001)
p = threading.Thread(target=printer, daemon=True)
p.start()
print(started.wait(5))
time.sleep(0.02)
print([t.is_alive() for t in ts + [j, p]], threading.active_count())
print("exiting with daemons blocked")
