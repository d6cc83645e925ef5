# dict views: iterate in insertion order, reflect later changes, support len and in.
d = {"one": 1, "two": 2, "three": 3}
ks = d.keys()
vs = d.values()
its = d.items()
print(len(ks), len(vs), len(its), "one" in ks, 2 in vs, ("two", 2) in its, ("two", 3) in its)
d["four"] = 4
print(list(ks), list(vs), list(its))
for k in d:
    print(k, d[k])
for k, v in d.items():
    print(k, "->", v)
total = 0
for v in d.values():
    total += v
print(total, sorted(d.keys()), sorted(d.values(), reverse=True))
try:
    for k in d:
        d[k + "!"] = 0
except RuntimeError as e:
    print(type(e).__name__)
for k in list(d.keys()):
    if k.endswith("!"):
        del d[k]
print(d)
print(list(zip(d.keys(), d.values())) == list(d.items()))
