# Rich comparisons __eq__ __ne__ __lt__ __le__ __gt__ __ge__; sorting and min/max use them.
class Version:
    def __init__(self, major, minor):
        self.major = major
        self.minor = minor
    def key(self):
        return (self.major, self.minor)
    def __eq__(self, other):
        return self.key() == other.key()
    def __lt__(self, other):
        return self.key() < other.key()
    def __le__(self, other):
        return self.key() <= other.key()
    def __gt__(self, other):
        return self.key() > other.key()
    def __ge__(self, other):
        return self.key() >= other.key()
    def __repr__(self):
        return "v" + str(self.major) + "." + str(self.minor)
    def __hash__(self):
        return hash(self.key())
a, b, c = Version(1, 2), Version(1, 10), Version(1, 2)
print(a == c, a != c, a == b, a != b, a < b, a <= c, b > a, b >= b, a > b)
vs = [Version(2, 0), Version(1, 5), Version(1, 0), Version(3, 1)]
print(sorted(vs), min(vs), max(vs), sorted(vs, reverse=True))
print(a in [b, c], vs.index(Version(1, 0)), vs.count(Version(3, 1)))
class OnlyEq:
    def __init__(self, v):
        self.v = v
    def __eq__(self, other):
        return isinstance(other, OnlyEq) and self.v == other.v
print(OnlyEq(1) == OnlyEq(1), OnlyEq(1) != OnlyEq(1), OnlyEq(1) != OnlyEq(2), OnlyEq(1) == 1)
class CustomNe:
    def __ne__(self, other):
        return "custom-ne"
print(CustomNe() != 5)
class Plain:
    pass
p = Plain()
print(p == p, p == Plain(), p != Plain())
try:
    Plain() < Plain()
except TypeError:
    print("TypeError unorderable")
