# Benchmark: method calls on small class instances, attribute reads and writes, inheritance and
# super(), special methods (__add__, __eq__, __len__), bound-method calls in loops.
class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def scaled(self, k):
        return Vec(self.x * k, self.y * k)
    def dot(self, o):
        return self.x * o.x + self.y * o.y
    def __eq__(self, o):
        return self.x == o.x and self.y == o.y
class Shape:
    def __init__(self, name):
        self.name = name
        self.hits = 0
    def area(self):
        return 0
    def touch(self):
        self.hits += 1
        return self.hits
class Rect(Shape):
    def __init__(self, w, h):
        super().__init__("rect")
        self.w = w
        self.h = h
    def area(self):
        return self.w * self.h
class Square(Rect):
    def __init__(self, s):
        super().__init__(s, s)
        self.name = "square"
class Circle(Shape):
    def __init__(self, r):
        super().__init__("circle")
        self.r = r
    def area(self):
        return 3 * self.r * self.r
class Stack:
    def __init__(self):
        self.items = []
    def push(self, v):
        self.items.append(v)
    def pop(self):
        return self.items.pop()
    def __len__(self):
        return len(self.items)
    def is_empty(self):
        return len(self.items) == 0
class Account:
    def __init__(self, balance):
        self.balance = balance
        self.ops = 0
    def deposit(self, v):
        self.balance += v
        self.ops += 1
    def withdraw(self, v):
        if v <= self.balance:
            self.balance -= v
            self.ops += 1
            return True
        return False
def vector_work(n):
    acc = Vec(0, 0)
    step = Vec(1, 2)
    total = 0
    for i in range(n):
        acc = acc + step.scaled(i % 5)
        total += acc.dot(step) % 1000
        if acc == step:
            total += 1
    return (total + acc.x + acc.y) % 1000000007
def shape_work(n):
    shapes = []
    for i in range(60):
        k = i % 3
        if k == 0:
            shapes.append(Rect(i + 1, i + 2))
        elif k == 1:
            shapes.append(Square(i + 1))
        else:
            shapes.append(Circle(i + 1))
    total = 0
    for rnd in range(n):
        for s in shapes:
            total += s.area() + s.touch()
    return total % 1000000007
def stack_work(n):
    s = Stack()
    push = s.push
    total = 0
    for i in range(n):
        push(i)
        push(i * 2)
        if len(s) > 50:
            while not s.is_empty():
                total += s.pop()
    return total % 1000000007
def account_work(n):
    accts = [Account(100) for _ in range(10)]
    refused = 0
    for i in range(n):
        a = accts[i % 10]
        a.deposit(i % 7)
        if not a.withdraw(i % 13):
            refused += 1
    return (sum([a.balance for a in accts]) * 1000 + refused + sum([a.ops for a in accts])) % 1000000007
def main():
    check = 0
    check = (check * 131 + vector_work(VEC_N)) % 1000000007
    check = (check * 131 + shape_work(SHAPE_ROUNDS)) % 1000000007
    check = (check * 131 + stack_work(STACK_N)) % 1000000007
    check = (check * 131 + account_work(ACCOUNT_N)) % 1000000007
    print("bm_methods checksum", check)
VEC_N = 680000
SHAPE_ROUNDS = 11300
STACK_N = 900000
ACCOUNT_N = 900000
main()
