# raise forms: class, instance, bare re-raise inside except, re-raise after handling, custom messages.
def a():
    raise ValueError
try:
    a()
except ValueError as e:
    print(type(e).__name__, repr(str(e)), e.args)
def b():
    try:
        raise KeyError("key")
    except KeyError:
        print("handling, then re-raising")
        raise
try:
    b()
except KeyError as e:
    print("outer got", e)
def c():
    try:
        1 / 0
    except ZeroDivisionError as e:
        err = e
        raise
try:
    c()
except ArithmeticError as e:
    print("reraise kept type", type(e).__name__)
def d(kind):
    if kind == 1:
        raise TypeError("bad type")
    if kind == 2:
        raise RuntimeError("bad runtime", 2)
    raise NotImplementedError
for k in [1, 2, 3]:
    try:
        d(k)
    except (TypeError, RuntimeError, NotImplementedError) as e:
        print(type(e).__name__, e.args)
saved = None
try:
    raise IndexError("saved for later")
except IndexError as e:
    saved = e
try:
    raise saved
except IndexError as e:
    print("raised saved instance", e, e is saved)
try:
    raise Exception("generic", 1, 2)
except Exception as e:
    print(e, len(e.args))
