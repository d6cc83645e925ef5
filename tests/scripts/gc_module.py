# gc API: enable/disable/isenabled, get_count/get_threshold shapes, set_threshold, collect result type.
import gc
print(gc.isenabled())
gc.disable()
print(gc.isenabled())
gc.enable()
print(gc.isenabled())
t = gc.get_threshold()
print(type(t).__name__, len(t), [type(v).__name__ for v in t])
c = gc.get_count()
print(type(c).__name__, len(c), [type(v).__name__ for v in c], min(c) >= 0)
old = gc.get_threshold()
gc.set_threshold(500, 5, 5)
print(gc.get_threshold())
gc.set_threshold(old[0], old[1], old[2])
print(gc.get_threshold() == old)
n = gc.collect()
print(type(n).__name__, n >= 0)
gc.disable()
print(gc.collect() >= 0, gc.isenabled())
gc.enable()
# collect()'s argument: a generation 0-2, positional or by name.
print(gc.collect(0) >= 0, gc.collect(generation=2) >= 0)
for bad in [lambda: gc.collect(1, 2), lambda: gc.collect(generation=5), lambda: gc.collect(gen=1),
            lambda: gc.collect("x"), lambda: gc.collect(-1)]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
