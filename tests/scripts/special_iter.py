# Iterator protocol: __iter__ / __next__ / StopIteration with for, list(), sum(), unpacking, zip.
class Countdown:
    def __init__(self, start):
        self.cur = start
    def __iter__(self):
        return self
    def __next__(self):
        if self.cur <= 0:
            raise StopIteration
        self.cur -= 1
        return self.cur + 1
for n in Countdown(3):
    print(n, end=" ")
print()
print(list(Countdown(5)), sum(Countdown(4)), sorted(Countdown(3)), max(Countdown(6)))
a, b, c = Countdown(3)
print(a, b, c)
class Bag:
    def __init__(self, items):
        self.items = items
    def __iter__(self):
        return BagIter(self.items)
class BagIter:
    def __init__(self, items):
        self.items = items
        self.i = 0
    def __iter__(self):
        return self
    def __next__(self):
        if self.i >= len(self.items):
            raise StopIteration
        v = self.items[self.i]
        self.i += 1
        return v
bag = Bag(["x", "y", "z"])
print(list(bag), list(bag), [s.upper() for s in bag])
print(list(zip(bag, Countdown(3))), list(enumerate(bag)), "y" in bag)
it = iter(bag)
print(next(it), next(it), next(it), next(it, "done"))
try:
    next(it)
except StopIteration:
    print("StopIteration")
print(dict(zip(bag, range(3))), tuple(Countdown(2)), "-".join(bag))
