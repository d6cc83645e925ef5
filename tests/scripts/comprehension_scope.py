# Comprehensions have their own scope: loop variables do not leak; they see enclosing names.
x = "outer"
squares = [x for x in range(3)]
print(x, squares)
d = {k: k for k in range(2)}
try:
    print(k)
except NameError as e:
    print(type(e).__name__, e)
def f(n):
    factor = 10
    return [i * factor for i in range(n)]
print(f(3))
def g():
    items = []
    vals = [items.append(i) for i in range(3)]
    return items, vals
print(g())
y = 5
print([y + i for i in range(3)])
def make():
    base = 100
    fns = [lambda v, b=b: v + b + base for b in range(2)]
    return [fn(1) for fn in fns]
print(make())
def counter_in_comp():
    total = 0
    def add(v):
        nonlocal total
        total += v
        return total
    return [add(i) for i in range(5)], total
print(counter_in_comp())
