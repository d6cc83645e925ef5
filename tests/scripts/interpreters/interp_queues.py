# Queues between interpreters: blocking and timeouts, QueueEmpty and QueueFull, sizes, and a
# queue passed through a queue and through prepare_main.
import interpreters
import threading
import time

q = interpreters.create_queue()
print(q.maxsize, q.qsize(), q.empty(), q.full(), repr(q) == "Queue(" + str(q.id) + ")")

a = interpreters.create()
a.prepare_main(q=q)
a.exec("q.put('from a')\nq.put((1, 2.5, None))\nprint('a put', q.qsize())")
print(q.get(), q.get(), q.empty())

# Empty: get_nowait and a timed get raise QueueEmpty (a QueueError, a RuntimeError).
try:
    q.get_nowait()
except interpreters.QueueEmpty as e:
    print("empty:", isinstance(e, interpreters.QueueError), isinstance(e, RuntimeError))
start = time.monotonic()
try:
    q.get(timeout=0.2)
except interpreters.QueueEmpty:
    waited = time.monotonic() - start
    print("timed out", waited >= 0.15, waited < 5)

# Full: a bounded queue.
small = interpreters.create_queue(maxsize=2)
small.put(1)
small.put_nowait(2)
print(small.full(), small.qsize(), small.maxsize)
try:
    small.put_nowait(3)
except interpreters.QueueFull:
    print("full")
try:
    small.put(3, timeout=0.1)
except interpreters.QueueFull:
    print("still full")
print(small.get(), small.get(), small.empty())

# Blocking: a get in a subinterpreter waits for a put made later by the main interpreter.
replies = interpreters.create_queue()
a.prepare_main(requests=small, replies=replies)
def serve():
    a.exec("""
while True:
    item = requests.get()
    if item is None:
        break
    replies.put(item * 2)
""")
t = threading.Thread(target=serve)
t.start()
time.sleep(0.05)
for i in range(5):
    small.put(i)
small.put(None)
t.join()
print([replies.get(timeout=5) for i in range(5)])

# A queue through a queue: the receiver gets a handle on the same queue.
carrier = interpreters.create_queue()
inner = interpreters.create_queue()
a.prepare_main(carrier=carrier)
carrier.put(inner)
a.exec("""
got = carrier.get()
print(type(got).__name__, got.qsize())
got.put('through the inner queue')
carrier.put((got, 'and back'))
""")
print(inner.get(timeout=5))
back, word = carrier.get(timeout=5)
print(back == inner, back.id == inner.id, word)

# Negative and bad timeouts are errors of the caller.
for bad in [-1, "soon"]:
    try:
        q.get(timeout=bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__)
a.close()
print("done")
