# Very long chains closed into one cycle (nested lists, instances, dicts, tuples inside lists) become
# garbage and are collected: freeing them must not recurse once per link (the C stack would overflow),
# neither on the main thread nor on threads, whose stacks are smaller. Two threads drop and collect
# their own chains at the same time; a kept chain of the same shape is walked end to end afterwards.
import gc
import threading

LINKS = 12000


class Node:
    def __init__(self, nxt, v):
        self.nxt = nxt
        self.v = v


def deep_lists(n):
    head = []
    x = head
    for i in range(n):
        x = [x, i]
    head.append(x)


def deep_nodes(n):
    first = Node(None, 0)
    x = first
    for i in range(1, n):
        x = Node(x, i)
    first.nxt = x
    return first


def deep_dicts(n):
    head = {}
    x = head
    for i in range(n):
        x = {"in": x, "i": i}
    head["loop"] = x


def deep_tuples(n):
    head = []
    x = (head,)
    for i in range(n):
        x = (x, [i])
    head.append(x)


def churn():
    deep_lists(LINKS)
    deep_nodes(LINKS)
    deep_dicts(LINKS)
    deep_tuples(LINKS)
    return gc.collect() >= 0


print("main:", churn())
results = [None, None]
start = threading.Barrier(2)


def worker(k):
    start.wait()
    results[k] = churn()


ts = [threading.Thread(target=worker, args=(k,)) for k in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("threads:", results)

kept = deep_nodes(LINKS)
deep_lists(LINKS)
print(gc.collect() >= 0)
total = 0
count = 0
x = kept.nxt
while x is not kept:
    total += x.v
    count += 1
    x = x.nxt
print("kept chain:", count, total, kept.nxt.v)
kept = None
x = None
print(gc.collect() >= 0)
