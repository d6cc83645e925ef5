# Function decorators: simple, with arguments, stacked (applied bottom-up), preserving args.
calls = []
def trace(fn):
    def wrapper(*args, **kwargs):
        calls.append(fn.__name__)
        return fn(*args, **kwargs)
    return wrapper
@trace
def add(a, b):
    return a + b
print(add(2, 3), add(b=1, a=2), calls, add.__name__)
def repeat(n):
    def deco(fn):
        def wrapper(*args):
            return [fn(*args) for _ in range(n)]
        return wrapper
    return deco
@repeat(3)
def hello(name):
    return "hi " + name
print(hello("bob"))
def tag(t):
    def deco(fn):
        def wrapper():
            return "<" + t + ">" + fn() + "</" + t + ">"
        return wrapper
    return deco
@tag("b")
@tag("i")
def text():
    return "x"
print(text())
registry = {}
def register(fn):
    registry[fn.__name__] = fn
    return fn
@register
def alpha():
    return 1
@register
def beta():
    return 2
print(list(registry), registry["beta"](), alpha())
def memo(fn):
    cache = {}
    def wrapper(n):
        if n not in cache:
            cache[n] = fn(n)
        return cache[n]
    return wrapper
@memo
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80))
class K:
    @trace
    def method(self, v):
        return v * 2
print(K().method(21), calls[-1])
