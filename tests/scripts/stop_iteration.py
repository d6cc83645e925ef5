# StopIteration from next() on exhausted iterators; default values; manual iteration loops.
it = iter(range(2))
vals = []
while True:
    try:
        vals.append(next(it))
    except StopIteration:
        break
print(vals)
try:
    next(iter({}))
except StopIteration as e:
    print("StopIteration", e.args)
e = StopIteration("value")
print(e.args, str(e))
class Once:
    def __init__(self):
        self.done = False
    def __iter__(self):
        return self
    def __next__(self):
        if self.done:
            raise StopIteration("finished")
        self.done = True
        return "only"
print(list(Once()), [x for x in Once()])
o = Once()
print(next(o), next(o, "dflt"))
