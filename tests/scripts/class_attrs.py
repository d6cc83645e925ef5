# Class attributes vs instance attributes, shadowing, shared mutable class attrs, getattr/setattr/delattr-like del.
class Counter:
    instances = 0
    shared = []
    kind = "counter"
    def __init__(self):
        Counter.instances += 1
        self.id = Counter.instances
    def describe(self):
        return self.kind + "#" + str(self.id)
a = Counter()
b = Counter()
print(Counter.instances, a.instances, a.id, b.id)
a.kind = "special"
print(a.describe(), b.describe(), Counter.kind)
del a.kind
print(a.describe())
a.shared.append(1)
b.shared.append(2)
print(Counter.shared)
Counter.kind = "renamed"
print(b.describe())
setattr(b, "dyn", 5)
print(getattr(b, "dyn"), getattr(b, "nope", "default"), getattr(Counter, "kind"))
class Config:
    debug = False
    level = 1
    def toggle(self):
        self.debug = not self.debug
c = Config()
c.toggle()
print(c.debug, Config.debug)
def free_function(self):
    return "attached " + str(self.level)
Config.attached = free_function
print(c.attached())
Config.level = 7
print(c.attached())
