# del on names, subscripts (list and dict), attributes, and tuples of targets.
x = 5
del x
try:
    print(x)
except NameError as e:
    print(type(e).__name__, e)
a = [0, 1, 2, 3, 4]
del a[1]
del a[-1]
print(a)
d = {"a": 1, "b": 2, "c": 3}
del d["b"]
print(d)
class C:
    pass
c = C()
c.attr = 1
c.other = 2
del c.attr
print(hasattr(c, "attr"), hasattr(c, "other"))
try:
    del c.attr
except AttributeError:
    print("AttributeError")
p, q = 1, 2
del p, q
try:
    p
except NameError as e:
    print(e)
lst = [[1, 2], [3, 4]]
del lst[0][1]
print(lst)
try:
    del a[10]
except IndexError:
    print("IndexError")
