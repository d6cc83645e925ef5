# Classes: __init__, methods, instance attributes, bound methods, __class__, __name__.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def norm2(self):
        return self.x * self.x + self.y * self.y
    def move(self, dx, dy):
        self.x += dx
        self.y += dy
        return self
p = Point(3, 4)
print(p.x, p.y, p.norm2())
p.move(1, 1).move(1, 1)
print(p.x, p.y)
m = p.norm2
print(m(), type(m).__name__, type(p).__name__, p.__class__.__name__, Point.__name__)
print(Point.norm2(p), isinstance(p, Point), type(p) is Point, p.__class__ is Point)
p.extra = "dynamic"
print(p.extra)
q = Point(0, 0)
print(hasattr(q, "extra"), hasattr(p, "extra"))
class Empty:
    pass
e = Empty()
print(type(e).__name__, type(Empty).__name__)
try:
    e.missing
except AttributeError as err:
    print(type(err).__name__, err)
class NoInit:
    def hello(self):
        return "hello from " + type(self).__name__
print(NoInit().hello())
try:
    Point(1)
except TypeError:
    print("TypeError missing arg")
objs = [Point(i, i) for i in range(3)]
print([o.norm2() for o in objs])
