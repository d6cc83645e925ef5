# Threads that share one iterator over a list, tuple, str or range get every item exactly
# once between them (CPython's GIL makes each next() atomic; ftpy's iterators must too).
import threading

N = 100000
sources = {
    "list": list(range(N)),
    "tuple": tuple(range(N)),
    "str": "".join([chr(0x41 + i % 26) + chr(0x3b1 + i % 20) for i in range(N // 2)]),
    "range": range(N),
}

def drain(it, out, barrier):
    barrier.wait()
    for x in it:
        out.append(x)

# Four threads drain `it` at once: what each got, and all of it together.
def share(it):
    outs = [[] for _ in range(4)]
    barrier = threading.Barrier(4)
    ts = [threading.Thread(target=drain, args=(it, outs[i], barrier)) for i in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    got = []
    for o in outs:
        got.extend(o)
    return outs, got

for name, seq in sources.items():
    for rnd in range(3):
        it = iter(seq)
        outs, got = share(it)
        ok = len(got) == len(seq) and sorted(got) == sorted(seq)
        # Each thread's own items come in order.
        ordered = all([o == sorted(o) for o in outs]) if name != "str" else True
        print(name, rnd, ok, ordered, next(it, "done"))

# The other built-in iterators, shared the same way: dict keys/values/items, reversed (list,
# tuple, range), enumerate, zip, map, filter and the __getitem__ sequence iterator. Each item
# goes to one thread; none crashes at exhaustion.
class Seq:
    def __init__(self, n):
        self.n = n
    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return i

M = 20000
d = {i: i for i in range(M)}
makers = {
    "dict keys": (lambda: iter(d), list(range(M))),
    "dict values": (lambda: iter(d.values()), list(range(M))),
    "dict items": (lambda: iter(d.items()), [(i, i) for i in range(M)]),
    "reversed list": (lambda: reversed(list(range(M))), list(range(M))),
    "reversed tuple": (lambda: reversed(tuple(range(M))), list(range(M))),
    "reversed range": (lambda: reversed(range(M)), list(range(M))),
    "enumerate": (lambda: enumerate(range(M)), [(i, i) for i in range(M)]),
    "zip": (lambda: zip(range(M), range(M)), [(i, i) for i in range(M)]),
    "map": (lambda: map(lambda x: x * 2, range(M)), [2 * i for i in range(M)]),
    "filter": (lambda: filter(lambda x: x % 3, range(M)), [i for i in range(M) if i % 3]),
    "sequence": (lambda: iter(Seq(M)), list(range(M))),
}
for name, (make, want) in makers.items():
    it = make()
    outs, got = share(it)
    # enumerate and zip pair items from a shared source under a race: only their count and
    # their first elements are checked.
    if name in ("enumerate", "zip"):
        print(name, len(got) == M, sorted([g[0] for g in got]) == list(range(M)), next(it, "done"))
    else:
        print(name, len(got) == len(want), sorted(got) == sorted(want), next(it, "done"))

# An exhausted list iterator stays exhausted when the list grows.
l = [1, 2]
it = iter(l)
print(list(it))
l.append(3)
print(list(it), next(it, "end"))
