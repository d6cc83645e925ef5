# Dict comprehensions: key/value expressions, filters, nesting, duplicate keys keep last value.
print({x: x * x for x in range(5)})
print({k: v for k, v in [("a", 1), ("b", 2), ("a", 3)]})
print({w: len(w) for w in "one three five".split() if len(w) > 3})
inv = {v: k for k, v in {"x": 1, "y": 2}.items()}
print(inv)
print({(i, j): i * j for i in range(3) for j in range(3) if i <= j})
print({i: [j for j in range(i)] for i in range(4)})
print({c: "ab".count(c) for c in "abba"})
print({str(n): n % 3 == 0 for n in range(1, 7)})
print({}, {k: 0 for k in []})
