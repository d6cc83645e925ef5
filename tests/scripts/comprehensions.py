# List comprehensions: filters, nested for, nested comprehensions, calling functions, conditional values.
print([x * x for x in range(6)])
print([x for x in range(20) if x % 3 == 0 if x % 2 == 0])
print([(x, y) for x in range(3) for y in range(x)])
print([[r * c for c in range(1, 4)] for r in range(1, 4)])
matrix = [[1, 2, 3], [4, 5, 6]]
print([row[i] for i in range(3) for row in matrix])
print([[row[i] for row in matrix] for i in range(3)])
print([c.upper() for c in "hello" if c != "l"])
print([w for w in "a bb ccc dddd".split() if len(w) % 2 == 0])
print(["even" if n % 2 == 0 else "odd" for n in range(4)])
print([k + "=" + str(v) for k, v in {"a": 1, "b": 2}.items()])
print([x for x in []], [i for i in range(3) if False])
print(sum([i for i in range(101)]), len([0 for _ in range(50)]))
flat = [y for x in [[1, 2], [3], [], [4, 5]] for y in x]
print(flat)
print([(i, j, k) for i in range(2) for j in range(2) for k in range(2) if i + j + k == 2])
def sq(n):
    return n * n
print([sq(n) for n in [sq(m) for m in range(4)]])
print([a + b for a, b in zip([1, 2, 3], [10, 20, 30])])
print([x for x in range(10) if x > 2 and x < 7 or x == 9])
