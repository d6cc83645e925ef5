# Self-referential shapes that gc_class_self_ref.py, gc_closures.py and gc_cycles_*.py do not build:
# method defaults that reference their class or its instances, classes with a base and super() made and
# dropped in a loop, instances whose attribute dict reaches the instance through several containers,
# caught exceptions kept in a list that the exception references, mutually recursive inner functions,
# a dict that contains itself through its own values, and cycles that pass through tuples inside lists.
# Garbage versions are made in bulk and collected; kept versions must work unchanged afterwards.
import gc


# Method defaults that reference the class and an instance of it: class -> function -> defaults -> class.
class Config:
    registry = []
    def __init__(self, name):
        self.name = name
        Config.registry.append(self)
Config.default = Config("default")
def describe(self, cls=Config, fallback=Config.default):
    return self.name + "/" + cls.__name__ + "/" + fallback.name
Config.describe = describe
def rename(self, new, _seen=[Config.default]):
    _seen.append(self)
    self.name = new
    return len(_seen)
Config.rename = rename


def make_class_family(i):
    class Base:
        count = 0
        def __init__(self, v):
            self.v = v
            Base.count += 1
    class Child(Base):
        def __init__(self, v):
            super().__init__(v * 3)
            self.me = self
            self.kind = Child
        def total(self):
            return self.v + Child.offset
    Child.offset = i
    proto = Child(i)
    def clone(self, proto=proto, cls=Child):
        return cls(self.v // 3 + proto.v // 3)
    Child.clone = clone
    Child.proto = proto
    Base.children = [proto, proto.clone()]
    return Base.children[1].total()


# An instance whose attributes lead back to it through a list, a dict and a tuple.
class Holder:
    def __init__(self, tag):
        self.tag = tag
        self.me = self
        self.box = [self, {"owner": self, "pair": (self, tag)}]
        self.meth = self.get_tag
    def get_tag(self):
        return self.tag


class AppError(Exception):
    pass


def exception_cycle(i):
    holder = []
    try:
        if i % 2 == 0:
            raise AppError("app", i)
        raise KeyError(i)
    except (AppError, KeyError) as e:
        holder.append(e)
        e.holder = holder
        e.extra = {"exc": e, "i": i}
    return len(holder[0].args)


def mutual(n):
    def is_even(k):
        return True if k == 0 else is_odd(k - 1)
    def is_odd(k):
        return False if k == 0 else is_even(k - 1)
    return is_even(n)


def self_dict(i):
    d = {"i": i}
    d["me"] = d
    d["list"] = [d, [d]]
    d["tuple"] = (d, (d, i))
    return d["tuple"][1][0]["list"][1][0]["i"]


def tuple_cycle(i):
    outer = []
    inner = [i]
    t = (outer, inner, (inner, outer))
    outer.append(t)
    inner.append(t)
    inner.append([t, (t,)])
    return outer[0][2][0][0]


checks = 0
for i in range(400):
    checks += make_class_family(i)
    h = Holder(i)
    checks += h.meth()
    checks += exception_cycle(i)
    checks += mutual(i % 20)
    checks += self_dict(i)
    checks += tuple_cycle(i)
print("garbage made:", checks)
print(gc.collect() >= 0)

# Kept versions, collected around and then used.
names = []
for n in ["a", "b", "c"]:
    names.append(Config(n).describe())
keep_family = make_class_family(7)
kept_holder = Holder("kept")
kept_errors = []
for i in range(4):
    try:
        raise AppError("kept", i)
    except AppError as e:
        kept_errors.append(e)
        e.holder = kept_errors
        e.me = e
kept_dict = {"name": "self"}
kept_dict["me"] = kept_dict
kept_dict["deep"] = [(kept_dict, [kept_dict])]
kept_outer = []
kept_t = (kept_outer, ["x"], (kept_outer,))
kept_outer.append(kept_t)
kept_outer.append((kept_t, 1))
is_even = None
def make_even():
    def ev(k):
        return True if k == 0 else od(k - 1)
    def od(k):
        return False if k == 0 else ev(k - 1)
    return ev
is_even = make_even()

for i in range(400):
    make_class_family(i)
    exception_cycle(i)
    tuple_cycle(i)
print(gc.collect() >= 0)
gc.collect()

print(names, len(Config.registry), Config.registry[2].describe())
print(Config.registry[1].rename("B"), Config.registry[1].rename("BB"), Config.registry[1].name)
print(Config.default.describe(), Config.describe is describe, Config.registry[0] is Config.default)
print(keep_family)
print(kept_holder.me.box[1]["pair"][0].get_tag(), kept_holder.box[0] is kept_holder, kept_holder.meth())
print([e.args for e in kept_errors], all([e.holder is kept_errors and e.me is e for e in kept_errors]))
print(str(kept_errors[2]), repr(kept_errors[3]))
print(kept_dict["me"]["me"]["name"], kept_dict["deep"][0][0] is kept_dict,
      kept_dict["deep"][0][1][0]["deep"][0][1][0] is kept_dict, sorted(kept_dict.keys()))
print(kept_outer[0][0] is kept_outer, kept_outer[0][1], kept_outer[1][0][2][0] is kept_outer, kept_outer[1][1])
print(is_even(10), is_even(7), mutual(9))
