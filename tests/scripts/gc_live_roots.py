# Cycles that are still reachable from outside must survive gc.collect(), wherever the outside reference
# lives: a module global, a local of a frame further down the call stack that is still running, a value
# on the evaluation stack in the middle of an expression or call, the iterator of a running for loop,
# a with statement's context manager, an exception being handled or propagating through finally, a
# closure cell, a default argument, *args / **kwargs of a running call. Each shape is checked after the
# collection, with garbage of the same shape made around it so the collector has work to do.
import gc


class Ring:
    def __init__(self, tag, n):
        self.tag = tag
        self.nodes = [{"i": k, "tag": tag} for k in range(n)]
        for k in range(n):
            self.nodes[k]["next"] = self.nodes[(k + 1) % n]
            self.nodes[k]["ring"] = self
        self.me = self
        self.get = self.total
    def total(self):
        t = 0
        node = self.nodes[0]
        for _ in range(len(self.nodes)):
            t += node["i"]
            if node["ring"] is not self or node["tag"] != self.tag:
                return -1
            node = node["next"]
        return t if node is self.nodes[0] else -2
    def __enter__(self):
        return self
    def __exit__(self, et, ev, tb):
        return False


def garbage(n):
    for i in range(n):
        Ring("g", 3)


def collect():
    garbage(50)
    gc.collect()
    return 0


# A module global, rebound through a list that contains itself.
GLOBAL_RING = Ring("global", 10)
GLOBAL_LIST = [GLOBAL_RING]
GLOBAL_LIST.append(GLOBAL_LIST)
collect()
print("global:", GLOBAL_RING.total(), GLOBAL_LIST[1][1][0] is GLOBAL_RING)


# Locals of every frame of a recursion that is still running; the collection happens at the bottom.
def descend(depth):
    mine = Ring("d" + str(depth), depth + 2)
    if depth == 0:
        collect()
        return [mine.get()]
    below = descend(depth - 1)
    return below + [mine.total()]
print("frames:", descend(12))


# Values on the evaluation stack while the collection runs inside the same expression or call.
def add3(a, b, c):
    return a.total() + c.total() + b
print("stack:", [Ring("s1", 5).total(), collect(), Ring("s2", 6).total()],
      add3(Ring("a1", 4), collect(), Ring("a2", 7)),
      Ring("m", 8).me.get() + collect(), Ring("r", 3).total() + Ring("q", 4).me.nodes[collect()]["i"])


# The only reference held by a running for loop's iterator, and by a dict view iterator.
def loop_only():
    out = []
    for r in [Ring("l" + str(k), k + 2) for k in range(4)]:
        collect()
        out.append(r.total())
    for key in {"k" + str(k): Ring("v", 2) for k in range(3)}:
        collect()
        out.append(key)
    return out
print("for:", loop_only())


# A with statement's context manager, held only by the with block.
def with_only():
    with Ring("w", 6) as r:
        collect()
        first = r.total()
    with Ring("w1", 3), Ring("w2", 4) as r2:
        collect()
        second = r2.total()
    return first, second
print("with:", with_only())


# An exception being handled, and one propagating through finally, carrying a cycle.
class Carrier(Exception):
    pass
def raise_carrier(n):
    c = Carrier("carry", n)
    c.ring = Ring("exc", n)
    c.ring.exc = c
    raise c
def handled():
    try:
        raise_carrier(5)
    except Carrier as e:
        collect()
        return e.ring.total(), e.ring.exc is e, e.args
def through_finally():
    try:
        raise_carrier(6)
    finally:
        collect()
def catch_outer():
    try:
        through_finally()
    except Carrier as e:
        return e.ring.total(), e.args
print("except:", handled(), catch_outer())


# A closure cell, a default argument and a class attribute: reachable from a live function or class.
def make_reader():
    ring = Ring("cell", 9)
    def read():
        return ring.total() + (1 if ring.me is ring else 0)
    return read
reader = make_reader()
def with_default(x, r=Ring("default", 5)):
    return r.total() + x
class Owner:
    ring = Ring("class", 4)
    ring.owner_cls = None
Owner.ring.owner_cls = Owner
collect()
print("cell/default/class:", reader(), with_default(100), Owner.ring.total(), Owner.ring.owner_cls is Owner)


# *args and **kwargs of a running call.
def star(*args, **kwargs):
    collect()
    return [a.total() for a in args], sorted([(k, v.total()) for k, v in kwargs.items()])
print("star:", star(Ring("p1", 3), Ring("p2", 4), x=Ring("kx", 5), y=Ring("ky", 2)))


# A chain of cycles where only the head is referenced: the whole chain stays.
head = Ring("h0", 3)
cur = head
for k in range(1, 30):
    nxt = Ring("h" + str(k), 3)
    cur.after = nxt
    nxt.before = cur
    cur = nxt
del cur, nxt
collect()
count = 0
node = head
while True:
    if node.total() != 3 or node.tag != "h" + str(count):
        break
    count += 1
    if not hasattr(node, "after"):
        break
    if node.after.before is not node:
        break
    node = node.after
print("chain:", count, node.tag)

# Dropping the last outside reference makes the same shape garbage; the program is unaffected.
del head, GLOBAL_LIST[0]
print(gc.collect() >= 0, GLOBAL_RING.total(), len(GLOBAL_LIST), GLOBAL_LIST[0] is GLOBAL_LIST)
