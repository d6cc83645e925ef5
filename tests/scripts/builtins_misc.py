# Assorted built-ins: len, abs, min, max, sum, any, all, round, divmod, pow, hex, bin, ord, chr, callable, object.
print(len("abc"), len([1, 2]), len((1,)), len({"a": 1}), len(range(7)), len(""))
print(abs(-5), abs(5), abs(-2.5), abs(0), abs(True))
print(min(3, 1, 2), max(3, 1, 2), min([4, 2, 8]), max((4, 2, 8)), min("bca"), max("bca"))
print(min([3, -4, 2], key=abs), max(["aa", "b", "cccc", "dd"], key=len), max(range(10), key=lambda v: v % 4))
print(min(["bb", "a", "cc"], key=len), max([1, 3, 3], key=lambda v: -v), max("a", "b"))
print(sum([1, 2, 3]), sum([]), sum([0.5, 0.25]), sum(range(10), 100), sum((1, 2)), sum([[1], [2]], []))
print(any([]), any([0, "", None]), any([0, 1]), all([]), all([1, "a", [0]]), all([1, 0]))
print(divmod(17, 5), divmod(-17, 5), pow(2, 8), pow(2, 8, 10), pow(2.0, 3))
print(hex(0), hex(4096), bin(255), bin(-1), ord("a"), ord("€"), chr(97), chr(8364), repr(chr(10)))
print(callable(len), callable(print), callable(lambda: 0), callable(1), callable("s"), callable(int))
class C:
    def m(self):
        pass
print(callable(C), callable(C()), callable(C().m))
o = object()
print(type(o).__name__, isinstance(o, object), isinstance(5, object), o == o, o != object())
for bad in [lambda: min([]), lambda: max([]), lambda: chr(-1), lambda: ord("ab")]:
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__)
print(round(5.5), round(6.5), round(-1.25, 1), round(0.1 + 0.2, 10), round(12), round(1.23456e5, 1))
