# Cycles that pass through the built-in helper objects rather than plain containers: list, tuple, dict,
# range and str iterators, dict views, enumerate/zip/map/filter/reversed objects, bound methods of
# built-in and user methods, exception args, functions' defaults and keyword-only defaults, and a
# with-statement manager. Garbage of each shape is collected; kept ones, some half consumed, go on
# yielding exactly the values they would have yielded without the collection.
import gc


class Box:
    def __init__(self, v):
        self.v = v
    def get(self):
        return self.v


def churn(i):
    lst = [i, i + 1]
    it = iter(lst)
    lst.append(it)
    d = {"i": i}
    d["keys"] = d.keys()
    d["items"] = iter(d.items())
    d["vals"] = d.values()
    t_list = []
    t = (t_list, i)
    t_list.append(iter(t))
    e = enumerate(lst)
    lst.append(e)
    z = zip(lst, [lst])
    lst.append(z)
    m = map(lambda x: lst, lst)
    lst.append(m)
    f = filter(lambda x: lst is not None, lst)
    lst.append(f)
    r = reversed(lst)
    lst.append(r)
    lst.append(lst.append)
    lst.append(d.get)
    b = Box(lst)
    b.getter = b.get
    lst.append(b)
    rng = range(i, i + 5)
    holder = [iter(rng), rng, iter("abc")]
    holder.append(holder)
    err = ValueError("bad", i)
    err.args = (err, i)
    def dflt(x=lst, *, y=d):
        return x, y
    lst.append(dflt)
    return len(lst)


total = 0
for i in range(1500):
    total += churn(i)
print("churned:", total)
print(gc.collect() >= 0)

# Kept shapes, partly consumed before the collection.
data = [10, 20, 30, 40, 50]
it = iter(data)
data.append(it)
first = next(it)
table = {"a": 1, "b": 2, "c": 3, "kit": None}
kit = iter(table)
vit = iter(table.values())
table["kit"] = kit
next(kit)
next(vit)
en = enumerate(data, 100)
data.append(en)
next(en)
zp = zip(data, range(3, 100))
data.append(zp)
next(zp)
mp = map(lambda x: x if isinstance(x, int) else -1, data)
data.append(mp)
next(mp)
ft = filter(lambda x: isinstance(x, int) and x > 15, data)
data.append(ft)
rv = reversed([1, 2, 3, data])
data.append(rv)
next(rv)
rit = iter(range(7, 12))
next(rit)
sit = iter("xyzw")
next(sit)
holder = [rit, sit]
holder.append(holder)
appender = data.append
data.append(appender)
b = Box(data)
b.getter = b.get
data.append(b)
err = KeyError("k")
err.args = ("k", err)
def with_defaults(a=data, *, k=table):
    return len(a) > 5 and "a" in k
data.append(with_defaults)

for i in range(500):
    churn(i)
print(gc.collect() >= 0)
gc.collect()

print(first, next(it), next(it), [next(kit), next(kit)], [next(vit), next(vit)])
print(next(en)[0], next(zp)[1], next(mp), next(ft), next(ft), next(rv), next(rv))
print(list(rit), list(sit), holder[2] is holder)
appender(99)
print(data[-1], b.getter() is data, err.args[1] is err, with_defaults())
rest = list(it)
print(rest[:2], rest[2] is it, rest[3] is en, len(rest), len(data))
