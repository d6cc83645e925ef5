# lambda: defaults, closures, immediate calls, as sort keys, in data structures.
sq = lambda x: x * x
print(sq(7), (lambda: "no args")(), (lambda a, b=2: a + b)(1), (lambda *a, **k: (a, k))(1, z=2))
ops = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b}
print(ops["add"](3, 4), ops["mul"](3, 4))
adders = [lambda x, n=n: x + n for n in range(3)]
print([f(10) for f in adders])
late = [lambda x: x + n for n in range(3)]
print([f(10) for f in late])
print(sorted([(1, "b"), (0, "c"), (2, "a")], key=lambda p: p[1]))
compose = lambda f, g: lambda x: f(g(x))
inc_then_sq = compose(sq, lambda x: x + 1)
print(inc_then_sq(4), sq.__name__)
print(list(map(lambda s: s.upper(), ["a", "b"])), list(filter(lambda v: v > 1, [0, 1, 2, 3])))
