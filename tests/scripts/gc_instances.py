# Cycles among class instances (doubly linked nodes, parent/child, instance <-> its attribute dict values)
# are collected while reachable instances are kept with all attributes.
import gc
class Node:
    def __init__(self, val):
        self.val = val
        self.prev = None
        self.next = None
class Tree:
    def __init__(self, name):
        self.name = name
        self.children = []
        self.parent = None
    def add(self, child):
        child.parent = self
        self.children.append(child)
        return child
def linked(n):
    head = Node(0)
    cur = head
    for i in range(1, n):
        nxt = Node(i)
        cur.next = nxt
        nxt.prev = cur
        cur = nxt
    cur.next = head
    head.prev = cur
    return head
for _ in range(20):
    linked(200)
    t = Tree("tmp")
    for i in range(20):
        t.add(Tree("c" + str(i))).add(Tree("gc"))
    gc.collect()
keep = linked(300)
root = Tree("root")
for i in range(10):
    c = root.add(Tree("child" + str(i)))
    c.add(Tree("leaf" + str(i)))
for _ in range(10):
    linked(300)
print(gc.collect() >= 0)
vals = []
n = keep
for _ in range(300):
    vals.append(n.val)
    n = n.next
print(vals == list(range(300)), n is keep, keep.prev.val, keep.prev.next is keep)
print([c.name for c in root.children][:3], root.children[9].children[0].name,
      root.children[5].children[0].parent.parent is root)
class Holder:
    pass
h = Holder()
h.me = h
h.items = [h, {"owner": h}]
del h
print(gc.collect() >= 0)
