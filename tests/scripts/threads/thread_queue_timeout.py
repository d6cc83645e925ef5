# Queue timeouts across threads: get times out with Empty, put on a full queue times out with Full,
# a blocked get is woken by a put from another thread.
import threading
import queue
import time
q = queue.Queue(maxsize=1)
try:
    q.get(timeout=0.02)
except queue.Empty:
    print("Empty after timeout")
q.put("x")
try:
    q.put("y", timeout=0.02)
except queue.Full:
    print("Full after timeout")
try:
    q.put("y", block=False)
except queue.Full:
    print("Full without blocking")
print(q.get())
received = []
def waiter():
    received.append(q.get(timeout=5))
t = threading.Thread(target=waiter)
t.start()
time.sleep(0.05)
q.put("woken")
t.join()
print(received)
q.put("fill")
def unblocker():
    time.sleep(0.05)
    received.append(q.get())
t = threading.Thread(target=unblocker)
t.start()
q.put("after-space", timeout=5)
t.join()
print(received, q.get(block=False))
try:
    q.get(False)
except queue.Empty:
    print("Empty positional block=False")
