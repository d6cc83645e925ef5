# dict: displays, get/set/del, membership, len, KeyError, nested and non-str keys.
d = {"a": 1, "b": 2}
d["c"] = 3
d["a"] = 10
print(d, len(d), d["b"], "a" in d, "z" in d, "z" not in d)
del d["b"]
print(d)
try:
    print(d["missing"])
except KeyError as e:
    print(type(e).__name__, e, e.args)
try:
    del d["nope"]
except KeyError as e:
    print("del", e)
try:
    d[[1]] = 2
except TypeError:
    print("TypeError unhashable")
m = {1: "int", 2.5: "float", "s": "str", (1, 2): "tuple", None: "none", False: "bool"}
print(m)
print(m[1], m[2.5], m[(1, 2)], m[None])
e = {}
print(e, len(e), bool(e))
nested = {"x": {"y": {"z": [1, 2]}}}
nested["x"]["y"]["z"].append(3)
print(nested)
counts = {}
for w in "the cat and the hat and the bat".split():
    counts[w] = counts.get(w, 0) + 1
print(counts)
print({"a": 1, "a": 2})
print(dict(), dict(a=1, b=2), dict([("x", 1), ("y", 2)]), dict({"k": "v"}), dict([]))
print(dict({"a": 1}, b=2), dict([("a", 1)], a=5))
