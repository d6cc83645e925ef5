# is / is not / id: identity is stable, distinct live objects differ, None/True/False are singletons.
a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c, id(a) == id(b), id(a) == id(c), type(id(a)).__name__)
print(None is None, True is True, False is not True, (not None) is True)
class O:
    pass
o1 = O()
o2 = O()
print(o1 is o2, o1 is o1, id(o1) != id(o2), id(o1) == id(o1))
def ret(x):
    return x
print(ret(o1) is o1, [o1][0] is o1, {"k": o1}["k"] is o1)
x = None
if x is None:
    print("x is None")
if o1 is not None:
    print("o1 is not None")
t = (a, c)
print(t[0] is a, t[1] is c)
