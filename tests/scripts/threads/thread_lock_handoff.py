# Lock handshakes: a Lock acquired by one thread may be released by another; blocking
# acquires time out; Condition with its default RLock and wait_for; a held lock is not
# reported as owned by a Condition built on it from another thread.
import threading
gate = threading.Lock()
gate.acquire()
log = []
def opener():
    log.append("opener releases")
    gate.release()
t = threading.Thread(target=opener)
t.start()
print(gate.acquire(timeout=5), log)
t.join()
print(gate.locked())
def try_take(res):
    res.append(gate.acquire(timeout=0.02))
    res.append(gate.acquire(blocking=False))
res = []
t = threading.Thread(target=try_take, args=(res,))
t.start()
t.join()
gate.release()
print(res, gate.locked())
cond = threading.Condition()
box = []
def fill():
    for i in range(5):
        with cond:
            box.append(i)
            cond.notify()
t = threading.Thread(target=fill)
with cond:
    t.start()
    print(cond.wait_for(lambda: len(box) == 5, timeout=5), box)
    with cond:
        print("re-entered the default RLock")
    print(cond.wait_for(lambda: len(box) > 5, timeout=0.02))
t.join()
c2 = threading.Condition(threading.Lock())
try:
    c2.wait(0.01)
except RuntimeError:
    print("RuntimeError wait without lock")
rl = threading.RLock()
try:
    rl.release()
except RuntimeError:
    print("RuntimeError RLock release unowned")
