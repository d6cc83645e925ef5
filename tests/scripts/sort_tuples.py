# Sorting lists of tuples: item by item as tuple comparison does (first unequal item decides;
# a prefix sorts first), stable, with every item kind and failures as in CPython.
class Key:
    eq_calls = 0
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        Key.eq_calls += 1
        return isinstance(o, Key) and self.v == o.v
    def __lt__(self, o):
        return self.v < o.v
    def __repr__(self):
        return "Key(" + repr(self.v) + ")"

print(sorted([(3, 1), (1, 2), (3, 0), (1, 1), (2, 9)]))
print(sorted([(1, 2, 3), (1, 2), (1,), (), (0, 5), (1, 2, 2)]))
print(sorted([(2.5, "b"), (1.5, "a"), (2.5, "a"), (-0.0, "z"), (0.0, "y")]))
print(sorted([("pear", 1), ("apple", 2), ("pear", 0), ("", 5), ("apple", 1)]))
print(sorted([(1, 2.0), (1, 1), (1, 1.5), (0, True), (0, False)]))
print(sorted([((1, 2), "x"), ((1,), "y"), ((0, 9), "z"), ((1, 2), "w")]))
print(sorted([(2, "b"), (1, "a"), (2, "a")], reverse=True))
nan = float("nan")
print(sorted([(nan, 2), (nan, 1)], key=lambda t: t[1]), (nan, 1) < (nan, 2), (nan,) < (nan,))
print(sorted([(Key(2), 1), (Key(1), 2), (Key(2), 0)]), Key.eq_calls > 0)
same = Key(7)
print(sorted([(same, 2), (same, 1)]))
print(sorted([(1, "b"), (1, "a")], key=lambda t: t[0]))  # stable: only the first item
words = ["bb", "a", "ccc", "dd", "e"]
print(sorted(words, key=lambda w: (len(w), w)))
print(sorted(words, key=lambda w: (-len(w), w), reverse=True))
pairs = [(v % 5, i) for i, v in enumerate([9, 3, 7, 5, 0, 4, 8, 2, 6, 1] * 3)]
pairs.sort()
print(pairs)
try:
    sorted([(1, "a"), (1, 2)])
except TypeError as e:
    print("TypeError:", e)
try:
    sorted([(1, 2), [1, 2]])
except TypeError as e:
    print("TypeError:", e)
try:
    sorted([(None,), (None,), (1,)])
except TypeError as e:
    print("TypeError:", e)
print(sorted([(None, 1), (None, 0)], key=lambda t: t[1]))
big = [(i * 7919 % 1000, -i) for i in range(3000)]
s = sorted(big)
print(s[:3], s[-3:], all([s[i] <= s[i + 1] for i in range(len(s) - 1)]))
