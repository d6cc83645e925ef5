# def: positional parameters, defaults, keyword calls, return values, mutable default shared.
def add(a, b=10, c=100):
    return a + b + c
print(add(1), add(1, 2), add(1, 2, 3), add(1, c=5), add(c=1, b=2, a=3))
def no_return():
    pass
print(no_return(), no_return.__name__)
def multi():
    return 1, "two", [3]
r = multi()
print(r, type(r).__name__)
def append_to(x, acc=[]):
    acc.append(x)
    return acc
print(append_to(1), append_to(2), append_to(3, []))
def early(n):
    if n > 0:
        return "positive"
    return
print(early(1), early(-1))
default = 5
def uses_default(x=default):
    return x
default = 6
print(uses_default())
for bad in [lambda: add(), lambda: add(1, 2, 3, 4), lambda: add(1, d=4), lambda: add(1, a=2)]:
    try:
        bad()
    except TypeError:
        print("TypeError")
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(20))
def outer():
    def inner(v):
        return v * 2
    return inner(21)
print(outer())
f = add
print(f(0, 0, 0), f is add, callable(f))
