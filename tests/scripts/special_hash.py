# __hash__ with __eq__ makes instances usable as dict keys; default hash is identity-based.
class Key:
    def __init__(self, a, b):
        self.a = a
        self.b = b
    def __eq__(self, other):
        return self.a == other.a and self.b == other.b
    def __hash__(self):
        return hash((self.a, self.b))
    def __repr__(self):
        return "Key(" + str(self.a) + "," + str(self.b) + ")"
d = {}
d[Key(1, 2)] = "first"
d[Key(3, 4)] = "second"
d[Key(1, 2)] = "replaced"
print(len(d), d[Key(1, 2)], Key(3, 4) in d, Key(5, 6) in d, list(d))
print(hash(Key(1, 2)) == hash(Key(1, 2)), type(hash(Key(0, 0))).__name__)
class Ident:
    pass
i1, i2 = Ident(), Ident()
m = {i1: "one", i2: "two"}
print(m[i1], m[i2], len(m), hash(i1) == hash(i1))
print(hash(1) == hash(1), hash("abc") == hash("abc"), hash((1, "a")) == hash((1, "a")))
print(type(hash("x")).__name__, type(hash(3.5)).__name__, type(hash(None)).__name__)
for bad in [[1], {"a": 1}]:
    try:
        hash(bad)
    except TypeError:
        print("TypeError unhashable", type(bad).__name__)
class Unhashable:
    def __eq__(self, other):
        return True
try:
    hash(Unhashable())
except TypeError:
    print("TypeError eq without hash")
