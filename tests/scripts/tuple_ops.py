# tuples: displays, single-element form, index/count, concatenation, comparison, as dict keys.
t = (1, 2, 3, 2)
print(t, len(t), t[0], t[-1], t.index(2), t.count(2), t.count(9), t.index(3, 1))
e = ()
one = (5,)
also = 5,
print(e, one, also, len(e), (1), ((1, 2), (3,)))
print(t + (4,), one * 3, 2 * (1, 2), () + ())
print((1, 2) < (1, 3), (1, 2) == (1, 2), (2,) > (1, 9, 9), (1, 2) != (1, 2.0))
d = {(0, 0): "origin", (1, 2): "point"}
print(d[(0, 0)], d[1, 2])
x, y = (10, 20)
print(x, y)
try:
    t.index(42)
except ValueError:
    print("ValueError")
try:
    t[0] = 9
except TypeError:
    print("TypeError assign")
print(tuple([1, 2]), tuple("ab"), tuple(), tuple(range(3)), tuple({"a": 1, "b": 2}))
print(("a",) * 0, ("x", ("y", ["z"])))
for item in (3, "three", 3.0):
    print(type(item).__name__, end=";")
print()
