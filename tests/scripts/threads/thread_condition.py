# Condition: bounded buffer with wait/notify, notify_all wakes every waiter, wait(timeout) returns False.
import threading
cond = threading.Condition()
buf = []
CAP = 3
consumed = []
def producer():
    for i in range(60):
        with cond:
            while len(buf) >= CAP:
                cond.wait()
            buf.append(i)
            cond.notify_all()
def consumer():
    while True:
        with cond:
            while not buf:
                cond.wait()
            item = buf.pop(0)
            cond.notify_all()
        if item is None:
            return
        consumed.append(item)
cons = [threading.Thread(target=consumer) for _ in range(3)]
prod = threading.Thread(target=producer)
for t in cons:
    t.start()
prod.start()
prod.join()
with cond:
    for _ in cons:
        while len(buf) >= CAP:
            cond.wait()
        buf.append(None)
        cond.notify_all()
for t in cons:
    t.join()
print(len(consumed), sorted(consumed) == list(range(60)))
with cond:
    print(cond.wait(0.01), cond.wait(timeout=0.01))
state = {"go": False, "woken": 0, "waiting": 0}
def sleeper():
    with cond:
        state["waiting"] += 1
        cond.notify_all()
        while not state["go"]:
            cond.wait()
        state["woken"] += 1
ts = [threading.Thread(target=sleeper) for _ in range(5)]
for t in ts:
    t.start()
with cond:
    while state["waiting"] < 5:
        cond.wait()
    state["go"] = True
    cond.notify_all()
for t in ts:
    t.join()
print(state)
c2 = threading.Condition()
flag = []
def setter():
    with c2:
        flag.append(1)
        c2.notify()
with c2:
    t = threading.Thread(target=setter)
    t.start()
    while not flag:
        c2.wait()
t.join()
print(flag)
try:
    cond.notify()
except RuntimeError:
    print("RuntimeError notify without lock")
