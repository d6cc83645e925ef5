# __repr__ and __str__: print, str(), repr(), f-strings, containers use repr of elements.
class Both:
    def __repr__(self):
        return "Both(r)"
    def __str__(self):
        return "both-s"
class OnlyRepr:
    def __repr__(self):
        return "OnlyRepr()"
class OnlyStr:
    def __str__(self):
        return "only-str"
b = Both()
r = OnlyRepr()
s = OnlyStr()
print(b, r, s)
print(str(b), repr(b), str(r), repr(r), str(s))
print([b, r], (b,), {"k": b})
print(f"{b} {b!r} {r}")
print(str([r, r]))
class Money:
    def __init__(self, cents):
        self.cents = cents
    def __repr__(self):
        return "Money(" + str(self.cents) + ")"
    def __str__(self):
        return "$" + str(self.cents // 100) + "." + str(self.cents % 100).zfill(2)
m = Money(12345)
print(m, repr(m), [m], str([m]))
class Sub(Money):
    pass
print(Sub(5), [Sub(7)])
