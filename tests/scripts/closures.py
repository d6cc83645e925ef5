# Closures capture variables (cells) of enclosing function scopes, not values.
def make_counter():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc
c1 = make_counter()
c2 = make_counter()
print(c1(), c1(), c1(), c2())
def make_multipliers():
    return [lambda x, i=i: x * i for i in range(4)]
print([m(2) for m in make_multipliers()])
def outer():
    x = "outer"
    def middle():
        def inner():
            return x
        return inner
    res = middle()
    x = "changed after"
    return res()
print(outer())
def accumulator(start):
    total = [start]
    def add(n):
        total[0] += n
        return total[0]
    return add
acc = accumulator(100)
acc(10)
print(acc(5))
def shared():
    v = 0
    def get():
        return v
    def put(n):
        nonlocal v
        v = n
    return get, put
get, put = shared()
put(42)
print(get())
def loop_closures():
    fns = []
    for i in range(3):
        def f():
            return i
        fns.append(f)
    return [f() for f in fns]
print(loop_closures())
def deep(a):
    def l1(b):
        def l2(c):
            def l3(d):
                return a + b + c + d
            return l3
        return l2
    return l1
print(deep(1)(2)(3)(4))
