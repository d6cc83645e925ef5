# Garbage cycles through lists are collected; live structures that contain cycles survive intact.
import gc
def make_garbage(n):
    for i in range(n):
        a = [i]
        b = [a]
        a.append(b)
        c = []
        c.append(c)
keep = []
for i in range(50):
    x = [i, None]
    x[1] = x
    keep.append(x)
ring = [[k] for k in range(100)]
for k in range(100):
    ring[k].append(ring[(k + 1) % 100])
make_garbage(5000)
print(gc.collect() >= 0)
make_garbage(5000)
gc.collect()
gc.collect()
print(len(keep), all([keep[i][1] is keep[i] and keep[i][0] == i for i in range(50)]))
node = ring[0]
total = 0
for _ in range(250):
    total += node[0]
    node = node[1]
print(total, node[0])
del ring
print(gc.collect() >= 0)
print(sum([k[0] for k in keep]))
