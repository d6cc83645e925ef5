# Constructors: int float str bool list tuple dict from various inputs; repr/str of containers.
print(str(1), str(1.0), str(-2.5), str(None), str(True), str([1, "a"]), str((1,)), str({"a": [1]}))
print(repr(1), repr("a"), repr([1, "a", 2.0]), repr(("x", None)), repr({1: "one"}))
print(float(1), float("1.5"), float("  -2  "), float(True), float("1e3"), float("-0"))
print(bool(0), bool(0.0), bool(""), bool("0"), bool([]), bool([[]]), bool(None), bool(range(0)))
print(list("abc"), list((1, 2)), list(range(3)), list({"a": 1, "b": 2}), list(), list([1]))
print(tuple([1, 2]), tuple("xy"), tuple({"k": 1}), tuple(range(2)))
print(dict([("a", 1), ["b", 2]]), dict(x=1), dict({"a": 1}), dict(zip("ab", [1, 2])))
src = [1, [2]]
cp = list(src)
cp[1].append(3)
cp.append(4)
print(src, cp)
try:
    float("abc")
except ValueError:
    print("ValueError float")
try:
    dict([1, 2])
except TypeError:
    print("TypeError dict")
print(int(float("7.9")), str(int("12")), float(str(0.1)) == 0.1)
