# queue.Queue used from one thread: FIFO order, qsize/empty/full, Empty and Full, task_done/join.
import queue
q = queue.Queue()
print(q.empty(), q.qsize(), q.full())
for i in range(5):
    q.put(i * i)
print(q.empty(), q.qsize(), q.full())
print([q.get() for _ in range(5)])
try:
    q.get(block=False)
except queue.Empty:
    print("Empty (non-blocking)")
try:
    q.get(timeout=0.01)
except queue.Empty:
    print("Empty (timeout)")
b = queue.Queue(maxsize=2)
b.put("a")
b.put("b")
print(b.full(), b.qsize())
try:
    b.put("c", block=False)
except queue.Full:
    print("Full (non-blocking)")
try:
    b.put("c", timeout=0.01)
except queue.Full:
    print("Full (timeout)")
print(b.get(), b.get(), b.empty())
j = queue.Queue()
j.put(1)
j.put(2)
j.get()
j.task_done()
j.get()
j.task_done()
j.join()
print("join returned")
print(issubclass(queue.Empty, Exception), issubclass(queue.Full, Exception))
q.put(None)
q.put([1, 2])
q.put({"k": "v"})
print(q.get(), q.get(), q.get(True, 1.0))
