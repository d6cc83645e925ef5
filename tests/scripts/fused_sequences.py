# Sequences the compiler fuses (a local op a local, a local op the stack, a local indexed by a
# constant): every operand type, failure and jump into the middle must behave as unfused code.
class Num:
    def __init__(self, v):
        self.v = v
    def __add__(self, o):
        return Num(self.v + (o.v if isinstance(o, Num) else o))
    def __radd__(self, o):
        return Num(o + self.v)
    def __getitem__(self, i):
        return self.v * 10 + i
    def __repr__(self):
        return "Num(" + repr(self.v) + ")"

def locals_op_locals(a, b):
    r = []
    for f in (lambda: a + b, lambda: a - b, lambda: a * b):
        try:
            r.append(f())
        except TypeError as e:
            r.append("TypeError: " + str(e))
    try:
        r.append(a - b)
    except TypeError as e:
        r.append("direct: " + str(e))
    return r

for a, b in [(3, 4), (2.5, 0.5), (7, 2.0), (1.5, 2), ("ab", "cd"), ([1], [2]), (Num(1), Num(2)),
             (Num(5), 3), (4, Num(6)), (True, 2), (2**61, 3), (-2**61, 2)]:
    print(locals_op_locals(a, b))

def divisions(a, b):
    out = []
    for f in (lambda: a / b, lambda: a // b, lambda: a % b):
        try:
            out.append(f())
        except ZeroDivisionError as e:
            out.append("ZeroDivisionError: " + str(e))
    try:
        out.append(a / b)
    except ZeroDivisionError as e:
        out.append("direct: " + str(e))
    return out

print(divisions(7, 2), divisions(7.0, 2.0), divisions(7, 0), divisions(7.0, 0.0), divisions(-7, 2))

def stack_op_local(x, y):
    return (x * 2) + y, (x * 2.0) - y, [x] + [y]

print(stack_op_local(3, 4), stack_op_local(1.5, 0.25))

def unbound(flag, right):
    p = 2
    if flag:
        q = 1
    try:
        return p + q if right else q + q  # the unbound local on either side
    except UnboundLocalError as e:
        return "UnboundLocalError: " + str(e)

print(unbound(True, False), unbound(False, False), unbound(True, True), unbound(False, True))

def inplace(a, b):
    before = a
    a += b
    return a, a is before, before

print(inplace([1, 2], [3]), inplace(1, 2), inplace(0.5, 0.25), inplace("x", "y"), inplace((1,), (2,)))

def middle(c, a, b, d):
    # the jump lands on the second instruction of a fused sequence
    return (a if c else b) + d

print(middle(True, 1, 2, 10), middle(False, 1, 2, 10), middle(True, 1.5, 2, 0.25),
      middle(False, "p", "q", "r"))

def subscripts(s):
    out = []
    for get in (lambda: s[0], lambda: s[-1], lambda: s[2], lambda: s[-3]):
        try:
            out.append(get())
        except IndexError as e:
            out.append("IndexError: " + str(e))
        except KeyError as e:
            out.append("KeyError: " + str(e))
        except TypeError as e:
            out.append("TypeError: " + str(e))
    return out

for s in ([10, 20, 30], (1, 2), "xyz", {0: "zero", -1: "minus"}, [], (), Num(4), range(5)):
    print(subscripts(s))

def grow_while_indexing():
    items = [0]
    total = 0
    for i in range(100):
        items.append(i)
        total += items[0] + items[-1]
        items[0] = i
    return total, len(items)

print(grow_while_indexing())

def floats(n):
    acc = 0.0
    x = 1.0
    for i in range(n):
        y = x * x
        acc += y
        acc -= x
        x = x + 0.5
    return acc, x

print(floats(10))

def ints_overflow(a):
    b = a
    return a * b, a + b, a - b - b, a << 1 if a < 2**40 else None

print(ints_overflow(3), ints_overflow(2**31), ints_overflow(-(2**31)), ints_overflow(2**30))

def compare(a, b):
    return a < b, a == b, a >= b

print(compare(1, 2), compare(2.0, 2), compare("a", "b"))
