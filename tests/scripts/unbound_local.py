# Assignment anywhere in a function makes a name local: reading it first raises UnboundLocalError.
x = 10
def f():
    print(x)
    x = 5
try:
    f()
except UnboundLocalError as e:
    print("UnboundLocalError", isinstance(e, NameError))
def g(flag):
    if flag:
        y = 1
    return y
print(g(True))
try:
    g(False)
except NameError as e:
    print(type(e).__name__)
def h():
    z = 1
    del z
    return z
try:
    h()
except UnboundLocalError:
    print("after del")
def ok():
    return x
print(ok())
