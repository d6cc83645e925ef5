# Chained assignment binds every target to the same object, left to right.
a = b = c = 0
print(a, b, c)
x = y = []
x.append(1)
print(x, y, x is y)
d = {}
d["k"] = d["j"] = 5
print(d)
class O:
    pass
o = O()
o.p = o.q = "same"
print(o.p, o.q)
i = lst = None
lst = [0, 0, 0]
i = lst[i if i else 0] = 2
print(i, lst)
p, q = r = (1, 2)
print(p, q, r)
