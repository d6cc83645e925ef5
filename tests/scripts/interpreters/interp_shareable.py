# Every shareable type crosses (a copy built in the receiver); every other value is refused
# with NotShareableError, a ValueError, before anything is bound.
import interpreters

a = interpreters.create()
q = interpreters.create_queue()
a.prepare_main(q=q)

values = [None, True, False, 0, -7, 9223372036854775807, -9223372036854775808, 1.5, -0.0,
          float("inf"), "", "text", "ünïcødé ✓", (), (1,), (1, ("two", (3.0, None)), False)]
for v in values:
    q.put(v)
    a.exec("x = q.get()\nq.put((x, type(x).__name__))")
    back, name = q.get()
    print(repr(back), name, back == v, type(back) is type(v))

a.prepare_main({"mapping_name": 5}, kw_name="kw")
a.exec("print(mapping_name, kw_name)")

class Thing:
    pass
def f():
    pass
refused = [[1], {"a": 1}, Thing(), Thing, f, (1, [2]), range(3), print, q.put]
for v in refused:
    try:
        q.put(v)
        print("shared?", v)
    except interpreters.NotShareableError as e:
        print(type(v).__name__, isinstance(e, ValueError), interpreters.is_shareable(v))
print(q.qsize())

# prepare_main binds nothing when one value is refused.
try:
    a.prepare_main(ok=1, bad=[1])
except interpreters.NotShareableError:
    print("refused")
a.exec("""
try:
    print(ok)
except NameError:
    print('ok was not bound')
""")
print(all([interpreters.is_shareable(v) for v in values]), interpreters.is_shareable(q))
a.close()
