# One starred target in unpacking: head/tail/middle, empty star, nested, in for.
first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = (1, 2, 3)
print(init, last)
a, *mid, z = "abcdef"
print(a, mid, z)
a, *mid, z = [1, 2]
print(a, mid, z)
*all_, = range(3)
print(all_)
for h, *t in [(1, 2, 3), (4,), (5, 6)]:
    print(h, t)
(x, *y), w = [1, 2, 3], 4
print(x, y, w)
try:
    a, *b, c = [1]
except ValueError:
    print("ValueError")
head, *tail = {"k1": 1, "k2": 2, "k3": 3}
print(head, tail)
