# The cyclic garbage collector at work: two threads build doubly linked rings (each node points
# at its neighbours, so reference counting alone never frees a ring) and drop them, while the
# main thread asks for collections. Run it with `build/ftpy -X stats examples/gc_cycles.py` to
# see the collector's figures (collections, objects collected, pauses, time-to-stop) at exit.
import gc
import threading
import time


class Node:
    def __init__(self, value):
        self.value = value
        self.prev = None
        self.next = None


def ring(n):
    """A ring of n nodes; returns the sum of the values walking it once."""
    head = Node(0)
    node = head
    for i in range(1, n):
        nxt = Node(i)
        node.next = nxt
        nxt.prev = node
        node = nxt
    node.next = head
    head.prev = node
    total = 0
    node = head
    for _ in range(n):
        total += node.value
        node = node.next
    return total


results = [0, 0]


def worker(slot, rounds):
    total = 0
    for _ in range(rounds):
        total += ring(50)  # the ring becomes garbage when ring() returns
    results[slot] = total


threads = [threading.Thread(target=worker, args=(k, 2000)) for k in range(2)]
for t in threads:
    t.start()
found = 0
while any([t.is_alive() for t in threads]):
    found += gc.collect()  # every collection stops both workers for its pause
    time.sleep(0.005)
for t in threads:
    t.join()
found += gc.collect()

# Every ring summed to 0 + 1 + ... + 49 = 1225.
print("rings walked:", 2 * 2000, "sums ok:", results == [1225 * 2000, 1225 * 2000])
print("unreachable objects found by gc.collect():", "some" if found > 0 else "none")
