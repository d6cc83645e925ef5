# Bound methods remember their instance; can be stored, passed, called later; built-in type methods too.
class Acc:
    def __init__(self):
        self.items = []
    def add(self, x):
        self.items.append(x)
        return self
a = Acc()
b = Acc()
add_a = a.add
add_b = b.add
for i in range(3):
    add_a(i)
add_b("x")
print(a.items, b.items)
ops = [a.add, b.add]
for op in ops:
    op("shared")
print(a.items, b.items)
lst = []
push = lst.append
push(1)
push(2)
print(lst)
upper = "abc".upper
print(upper(), list(map("-".join, [["a", "b"], ["c"]])))
d = {}
setter = d.setdefault
setter("k", []).append(1)
print(d)
class Greeter:
    def __init__(self, name):
        self.name = name
    def greet(self, other):
        return self.name + " greets " + other
gs = [Greeter(n).greet for n in ["ann", "ben"]]
print([g("you") for g in gs])
m = Greeter("zed").greet
print(m("me"), Greeter.greet(Greeter("raw"), "call"))
