# Classes referring to themselves and to their instances (class attributes holding instances, a registry
# of all instances, methods stored on instances) survive collections with their state.
import gc
class Registry:
    all = []
    default = None
    def __init__(self, name):
        self.name = name
        self.cls = Registry
        Registry.all.append(self)
Registry.default = Registry("default")
Registry.self_ref = Registry
for i in range(50):
    Registry("r" + str(i))
def temp_classes(n):
    for i in range(n):
        class Temp:
            pass
        Temp.me = Temp
        t = Temp()
        t.cls = Temp
gc.collect()
temp_classes(300)
print(gc.collect() >= 0)
print(len(Registry.all), Registry.default.name, Registry.self_ref is Registry, Registry.all[10].cls is Registry)
print([r.name for r in Registry.all[:3]], Registry.all[-1].name)
class Chain:
    def __init__(self, parent):
        self.parent = parent
        self.bound = self.describe
    def describe(self):
        return "chain"
c = None
for i in range(200):
    c = Chain(c)
gc.collect()
depth = 0
x = c
while x is not None:
    depth += 1
    x = x.parent
print(depth, c.bound(), c.parent.bound())
