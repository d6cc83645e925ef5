# Container protocol: __len__ __getitem__ __setitem__ __delitem__ __contains__ __bool__.
class Grid:
    def __init__(self, w, h):
        self.w = w
        self.h = h
        self.cells = {}
    def __len__(self):
        return self.w * self.h
    def __getitem__(self, pos):
        if pos in self.cells:
            return self.cells[pos]
        return "."
    def __setitem__(self, pos, val):
        self.cells[pos] = val
    def __delitem__(self, pos):
        del self.cells[pos]
    def __contains__(self, val):
        return val in self.cells.values()
g = Grid(3, 2)
g[0, 0] = "#"
g[(2, 1)] = "@"
print(len(g), g[0, 0], g[1, 1], g[2, 1], "#" in g, "x" in g, "@" not in g)
del g[0, 0]
print(g[0, 0], "#" in g, bool(g))
g[1, 1] = "o"
g[1, 1] += "O"
print(g[1, 1])
class Empty:
    def __len__(self):
        return 0
print(bool(Empty()), not Empty(), len(Empty()))
if not Empty():
    print("empty is falsy")
class Flag:
    def __init__(self, on):
        self.on = on
    def __bool__(self):
        return self.on
    def __len__(self):
        return 99
print(bool(Flag(True)), bool(Flag(False)), len(Flag(False)), "yes" if Flag(True) else "no")
class Seq:
    def __init__(self, n):
        self.n = n
    def __getitem__(self, i):
        if i < 0 or i >= self.n:
            raise IndexError("seq index out of range")
        return i * i
    def __len__(self):
        return self.n
s = Seq(5)
print(s[3], len(s))
try:
    s[9]
except IndexError as e:
    print(type(e).__name__, e)
try:
    del g[9, 9]
except KeyError as e:
    print("KeyError", e)
