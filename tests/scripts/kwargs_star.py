# *args and **kwargs in definitions and calls; ordering of received keyword args.
def f(a, *args, **kwargs):
    return a, args, kwargs
print(f(1))
print(f(1, 2, 3))
print(f(1, x=2, y=3))
print(f(1, 2, z=3, w=4))
print(f(*[1, 2, 3]))
print(f(**{"a": 1, "b": 2}))
print(f(0, *(1, 2), *[3], k=1, **{"m": 2}, n=3))
def g(x, y, z):
    return x * 100 + y * 10 + z
args = [1, 2, 3]
print(g(*args), g(1, *[2, 3]), g(**{"z": 3, "y": 2, "x": 1}), g(1, **{"z": 3, "y": 2}))
def total(*nums):
    s = 0
    for n in nums:
        s += n
    return s
print(total(), total(1), total(1, 2, 3, 4), total(*range(10)))
def show(**kw):
    return [k + "=" + str(v) for k, v in kw.items()]
print(show(b=2, a=1, c=3))
try:
    g(1, 2, 3, x=1)
except TypeError:
    print("TypeError multiple values")
def wrapper(*a, **k):
    return g(*a, **k)
print(wrapper(4, z=6, y=5))
print(type(f(1)[1]).__name__, type(f(1)[2]).__name__)
