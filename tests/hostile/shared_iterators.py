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

for name, seq in sources.items():
    for rnd in range(3):
        it = iter(seq)
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
        ok = len(got) == len(seq) and sorted(got) == sorted(seq)
        # Each thread's own items come in order.
        ordered = all([o == sorted(o) for o in outs]) if name != "str" else True
        print(name, rnd, ok, ordered, next(it, "done"))

# An exhausted list iterator stays exhausted when the list grows.
l = [1, 2]
it = iter(l)
print(list(it))
l.append(3)
print(list(it), next(it, "end"))
