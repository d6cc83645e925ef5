# Closure cells shared between threads: one thread rebinds a nonlocal (each new value a fresh
# object, so the old one is released) while others read it. Every read sees a whole value
# that some write stored; no freed object is ever read (ThreadSanitizer and ASan check that
# in CI's checked builds).
import threading

def make():
    box = [0]
    count = 0
    def writer(n):
        nonlocal box, count
        for i in range(n):
            box = [i + 1]
            count += 0
    def reader(n, seen):
        last = 0
        bad = 0
        for _ in range(n):
            v = box[0]
            if v < last:
                bad += 1  # one writer, values only grow
            last = v
        seen.append(bad)
    def final():
        return box[0]
    return writer, reader, final

writer, reader, final = make()
seen = []
ts = [threading.Thread(target=writer, args=(60000,))]
ts += [threading.Thread(target=reader, args=(60000, seen)) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(final(), seen)

# Two writers rebinding one counter through `nonlocal`: the cell stays consistent (the count
# itself may lose updates, as in CPython: += is a read then a write).
def counter():
    n = 0
    def bump(k):
        nonlocal n
        for _ in range(k):
            n = n + 1
    def get():
        return n
    return bump, get

bump, get = counter()
ts = [threading.Thread(target=bump, args=(20000,)) for _ in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(0 < get() <= 60000)

# A deleted cell read from another thread raises NameError, never crashes.
def deleter():
    x = [1]
    def read():
        try:
            return x
        except NameError:
            return "unbound"
    def drop():
        nonlocal x
        del x
    return read, drop

read, drop = deleter()
drop()
out = []
t = threading.Thread(target=lambda: out.append(read()))
t.start()
t.join()
print(out)
