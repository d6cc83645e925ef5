# with several context managers: entered left to right, exited right to left, nesting.
order = []
class R:
    def __init__(self, n, fail_enter=False):
        self.n = n
        self.fail_enter = fail_enter
    def __enter__(self):
        if self.fail_enter:
            raise RuntimeError("enter failed " + self.n)
        order.append("+" + self.n)
        return self
    def __exit__(self, t, v, tb):
        order.append("-" + self.n + ("!" if t else ""))
        return False
with R("a") as a, R("b") as b, R("c"):
    order.append("body " + a.n + b.n)
print(order)
order.clear()
try:
    with R("x"), R("y", fail_enter=True), R("z"):
        order.append("never")
except RuntimeError as e:
    print("caught", e)
print(order)
order.clear()
try:
    with R("p"), R("q"):
        raise IndexError("in body")
except IndexError:
    pass
print(order)
order.clear()
with R("outer"):
    with R("inner"):
        order.append("deep")
print(order)
