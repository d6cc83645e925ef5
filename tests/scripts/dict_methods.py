# dict methods: get keys values items pop setdefault update copy clear.
d = {"a": 1, "b": 2}
print(d.get("a"), d.get("z"), d.get("z", 0), d.get("a", 0))
print(d.setdefault("a", 100), d.setdefault("c", 3), d.setdefault("d"), d)
print(d.pop("d"), d.pop("z", "default"), d)
try:
    d.pop("z")
except KeyError as e:
    print("KeyError", e)
d.update({"b": 20, "e": 5})
print(d)
d.update([("f", 6)])
d.update(g=7, a=-1)
print(d)
c = d.copy()
c["new"] = 1
print(len(d), len(c), "new" in d)
print(list(d.keys()), list(d.values()), list(d.items()))
d.clear()
print(d, len(d))
lists = {}
for word in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    lists.setdefault(word[0], []).append(word)
print(lists)
print({}.get("x", [1]), d.update({}), d)
