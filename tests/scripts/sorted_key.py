# sorted/list.sort: key=, reverse=, stability (reverse keeps equal elements in original order).
data = [("bob", 25), ("alice", 30), ("carol", 25), ("dave", 30), ("eve", 22)]
print(sorted(data))
print(sorted(data, key=lambda p: p[1]))
print(sorted(data, key=lambda p: p[1], reverse=True))
print(sorted(data, key=lambda p: (-p[1], p[0])))
words = ["banana", "Apple", "cherry", "apple", "Banana", "date"]
print(sorted(words), sorted(words, key=len), sorted(words, key=lambda w: w.lower()))
print(sorted(words, key=len, reverse=True))
print(sorted([3, 1, 2], reverse=True), sorted("hello"), sorted((5, 4)), sorted({"b": 1, "a": 2}))
print(sorted([]), sorted([1]), sorted([2.5, 1, -3, 0.0]))
nums = [5, -2, 3, -8, 0]
print(sorted(nums, key=abs), sorted(nums, key=lambda n: n * n, reverse=True))
recs = [{"n": "x", "v": 3}, {"n": "y", "v": 1}, {"n": "z", "v": 3}]
recs.sort(key=lambda r: r["v"])
print([r["n"] for r in recs])
recs.sort(key=lambda r: r["v"], reverse=True)
print([r["n"] for r in recs])
orig = [3, 1, 2]
s = sorted(orig)
print(orig, s)
big = [(i * 7919) % 1000 for i in range(1000)]
sb = sorted(big)
print(sb[:5], sb[-5:], all([sb[i] <= sb[i + 1] for i in range(len(sb) - 1)]))
stable = sorted([(i % 3, i) for i in range(12)], key=lambda t: t[0])
print(stable)
try:
    sorted([1, "a"])
except TypeError:
    print("TypeError mixed")
