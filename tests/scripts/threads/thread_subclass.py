# Subclassing Thread: run() overridden, super().__init__ with a name, attributes set in run()
# read after join; threads started from threads; a Thread subclass using the target path.
import threading
class Worker(threading.Thread):
    def __init__(self, n, out):
        super().__init__(name="worker-" + str(n))
        self.n = n
        self.out = out
        self.result = None
    def run(self):
        me = threading.current_thread()
        self.result = (self.n * self.n, me is self, me.name)
        with lock:
            self.out.append(self.n)
lock = threading.Lock()
out = []
ws = [Worker(i, out) for i in range(8)]
for w in ws:
    w.start()
for w in ws:
    w.join()
print(sorted(out))
print([w.result for w in ws])
print([w.is_alive() for w in ws], [w.name for w in ws][:2])
class Spawner(threading.Thread):
    def run(self):
        kids = [threading.Thread(target=self.child, args=(k,)) for k in range(3)]
        for k in kids:
            k.start()
        for k in kids:
            k.join()
    def child(self, k):
        with lock:
            out.append(100 + k)
s = Spawner()
s.start()
s.join()
print(sorted(out)[-3:], s.name.startswith("Thread-"))
class Tagged(threading.Thread):
    pass
t = Tagged(target=out.append, args=(-1,))
t.start()
t.join()
print(min(out), isinstance(t, threading.Thread), type(t).__name__)
print(threading.active_count())
