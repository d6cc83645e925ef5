# Cycles through closures and function cells (a function referring to itself, closures stored in the
# objects they capture) are collected; live closures keep working afterwards.
import gc
def make_recursive():
    def fact(n):
        return 1 if n <= 1 else n * fact(n - 1)
    return fact
def make_cycle():
    state = {}
    def get():
        return state
    state["getter"] = get
    return None
class Widget:
    def __init__(self, name):
        self.name = name
        self.handlers = []
    def on(self, fn):
        self.handlers.append(fn)
def make_widget_cycle(i):
    w = Widget("w" + str(i))
    w.on(lambda: w.name)
for i in range(3000):
    make_recursive()
    make_cycle()
    make_widget_cycle(i)
print(gc.collect() >= 0)
fact = make_recursive()
w = Widget("kept")
w.on(lambda: w.name.upper())
counter_box = [0]
def bump():
    counter_box[0] += 1
    return counter_box[0]
w.on(bump)
for i in range(3000):
    make_cycle()
gc.collect()
print(fact(10), [h() for h in w.handlers], bump())
