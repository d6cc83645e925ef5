# Collections started from Python code that built-in machinery calls back (special methods, key
# functions, map/filter functions, __exit__, __repr__ in an f-string) while that machinery holds the only
# references to cyclic objects: the items being sorted, the value a user iterator is producing, the
# container a for loop walks, the object whose repr is being formatted. All of them must survive.
import gc


class Cyc:
    def __init__(self, v):
        self.v = v
        self.me = self
        self.ring = [self]
        self.ring.append(self.ring)
    def ok(self):
        return self.me is self and self.ring[0] is self and self.ring[1] is self.ring
    def __repr__(self):
        gc.collect()
        return "Cyc(" + str(self.v) + ("" if self.ok() else "!") + ")"
    def __lt__(self, other):
        gc.collect()
        return self.v < other.v
    def __eq__(self, other):
        gc.collect()
        return isinstance(other, Cyc) and self.v == other.v
    def __hash__(self):
        gc.collect()
        return self.v


def make(vs):
    return [Cyc(v) for v in vs]


def key_collect(c):
    gc.collect()
    return -c.v


# Sorting temporaries: the only references are the argument list being sorted and the result.
print("sorted:", [c.v for c in sorted(make([3, 1, 2, 5, 4]))], [c.v for c in sorted(make([3, 1, 2]), key=key_collect)])
lst = make([9, 7, 8])
lst.sort()
print("sort:", [c.v for c in lst], min(make([4, 2, 6])).v, max(make([4, 2, 6]), key=key_collect).v)


# A user iterator whose __next__ builds a fresh cycle and collects before returning it.
class Source:
    def __init__(self, n):
        self.n = n
        self.i = 0
        self.me = self
    def __iter__(self):
        return self
    def __next__(self):
        if self.i >= self.n:
            raise StopIteration
        self.i += 1
        c = Cyc(self.i)
        gc.collect()
        return c
print("iter:", [c.v for c in Source(4)], sum([c.v for c in Source(5) if c.ok()]), list(map(lambda c: c.ok(), Source(2))))


# A container with __getitem__ / __len__ / __contains__ that collect; the container is a temporary.
class Seq:
    def __init__(self, items):
        self.items = items
        self.me = self
    def __len__(self):
        gc.collect()
        return len(self.items)
    def __getitem__(self, i):
        gc.collect()
        return self.items[i]
    def __contains__(self, x):
        gc.collect()
        return x in self.items
print("seq:", len(Seq(make([1, 2, 3]))), Seq(make([5, 6]))[1].v, Cyc(6) in Seq(make([5, 6])), Cyc(7) in Seq(make([5, 6])))


# A callable object that collects while its own call is in progress, and the arguments in flight.
class Fn:
    def __init__(self):
        self.me = self
    def __call__(self, a, b):
        gc.collect()
        return a.v + b.v + (1 if self.me is self else 0)
print("call:", Fn()(Cyc(10), Cyc(20)), list(map(Fn(), make([1, 2]), make([3, 4]))),
      [c.v for c in filter(lambda c: (gc.collect() == -1) or c.v % 2 == 0, make([1, 2, 3, 4]))])


# Dict keys with __hash__ / __eq__ that collect; the dict and the lookup key are temporaries.
d = {}
for c in make([1, 2, 3]):
    d[c] = c.ring
print("dict:", [k.v for k in d], d[Cyc(2)][0].v, Cyc(4) in d, Cyc(3) in {Cyc(3): 0})


# __exit__ that collects while the manager and an exception carrying a cycle are in flight.
class Mgr:
    def __init__(self):
        self.me = self
        self.log = []
    def __enter__(self):
        gc.collect()
        return self
    def __exit__(self, et, ev, tb):
        gc.collect()
        if ev is not None:
            self.log.append(ev.args[0].v + (100 if ev.args[0].ok() else 0))
        return True
with Mgr() as m:
    raise ValueError(Cyc(5))
print("with:", m.log, m.me is m)


# repr/str of temporaries inside f-strings and containers.
print(f"fmt: {Cyc(1)!r} {make([2, 3])} {str(Cyc(4))} {repr((Cyc(5), [Cyc(6)]))}")
print(gc.collect() >= 0)
