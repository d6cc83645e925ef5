# Keyword-only parameters after *args, with and without defaults.
def f(a, *rest, key, flag=False, **extra):
    return a, rest, key, flag, extra
print(f(1, key="k"))
print(f(1, 2, 3, key="k", flag=True))
print(f(1, key=0, other=9))
try:
    f(1, 2)
except TypeError:
    print("TypeError missing key")
def g(*args, sep="-"):
    return sep.join([str(a) for a in args])
print(g(1, 2, 3), g(1, 2, sep="+"), g())
def h(x, y=2, *args, z=3):
    return x, y, args, z
print(h(1), h(1, 5, 6, 7), h(1, z=9))
