# Queue.task_done/join: join returns once every item put has been marked done by the workers.
import threading
import queue
q = queue.Queue()
processed = []
plock = threading.Lock()
def worker():
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            return
        with plock:
            processed.append(item * 2)
        q.task_done()
workers = [threading.Thread(target=worker, daemon=True) for _ in range(4)]
for w in workers:
    w.start()
for i in range(200):
    q.put(i)
q.join()
print(len(processed), sum(processed))
for _ in workers:
    q.put(None)
q.join()
for w in workers:
    w.join()
print([w.is_alive() for w in workers], q.empty())
try:
    q.task_done()
except ValueError:
    print("ValueError task_done too many")
