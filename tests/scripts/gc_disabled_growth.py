# With automatic collection disabled, cycles accumulate but the program stays correct; an explicit
# collect() reclaims them, and re-enabling restores automatic collection.
import gc
gc.disable()
class Pair:
    def __init__(self):
        self.peer = None
for i in range(20000):
    a = Pair()
    b = Pair()
    a.peer = b
    b.peer = a
print(gc.isenabled(), gc.collect() >= 0)
gc.enable()
for i in range(20000):
    a = Pair()
    a.peer = a
print(gc.isenabled(), gc.collect() >= 0, a.peer is a)
