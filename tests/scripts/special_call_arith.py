# __call__, __add__, __sub__, __mul__ (also via +=), returning new instances.
class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)
    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)
    def __eq__(self, o):
        return self.x == o.x and self.y == o.y
    def __repr__(self):
        return "Vec(" + str(self.x) + ", " + str(self.y) + ")"
a = Vec(1, 2)
b = Vec(10, 20)
print(a + b, b - a, a * 3, a + b * 2, (a + b) * 2 - a)
c = a
c += b
print(c, a, c is a)
c -= Vec(1, 1)
c *= 10
print(c, a + b == Vec(11, 22))
class Adder:
    def __init__(self, n):
        self.n = n
    def __call__(self, x, scale=1):
        return (x + self.n) * scale
add5 = Adder(5)
print(add5(1), add5(1, scale=10), callable(add5), callable(a), list(map(add5, [0, 1, 2])))
class Stateful:
    def __init__(self):
        self.calls = 0
    def __call__(self):
        self.calls += 1
        return self.calls
s = Stateful()
s()
s()
print(s(), s.calls)
try:
    a + 1
except AttributeError:
    print("AttributeError from __add__ body")
try:
    a()
except TypeError:
    print("TypeError not callable")
class Text:
    def __init__(self, s):
        self.s = s
    def __mul__(self, n):
        return Text(self.s * n)
    def __add__(self, o):
        return Text(self.s + o.s)
print((Text("ab") * 3 + Text("!")).s)
