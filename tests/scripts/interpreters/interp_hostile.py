# Bad arguments and hostile values: every one a clear Python error in the caller or an
# ExecutionFailed, never a crash; the interpreters stay usable.
import interpreters

a = interpreters.create()
q = interpreters.create_queue()
a.prepare_main(q=q)

def show(f):
    try:
        f()
        print("no error")
    except interpreters.ExecutionFailed as e:
        print("ExecutionFailed", e.excinfo.type, e.excinfo.msg[:60])
    except Exception as e:
        print(type(e).__name__)

# Nesting: a tuple nested past the recursion limit is refused; a moderate one crosses.
deep = ()
for i in range(50000):
    deep = (deep,)
show(lambda: q.put(deep))
mid = ()
for i in range(300):
    mid = (mid, i)
q.put(mid)
a.exec("""
v = q.get()
depth = 0
while v:
    v = v[0]
    depth += 1
print('depth', depth)
""")

# Arguments of the wrong type.
show(lambda: a.prepare_main({1: 2}))
show(lambda: a.prepare_main([("x", 1)]))
show(lambda: interpreters.Interpreter("1"))
show(lambda: interpreters.Interpreter(True))
show(lambda: interpreters.create_queue("big"))
show(lambda: a.exec(None))
show(lambda: q.get(timeout=float("nan")))

# Hostile source.
show(lambda: a.exec("\0"))
show(lambda: a.exec("def f(:\n"))
show(lambda: a.exec("x = " + "(" * 300 + ")" * 300))
show(lambda: a.exec("def r(n):\n    return r(n + 1)\nr(0)"))
show(lambda: a.exec("""
class Bad(Exception):
    def __str__(self):
        raise ValueError('no str')
raise Bad()
"""))
show(lambda: a.exec("import sys\nsys.exit('bye')"))
show(lambda: a.exec("x = 'y' * (2 ** 62)"))
big = "\n".join(["v" + str(i) + " = " + str(i) for i in range(20000)])
show(lambda: a.exec(big))
a.exec("print(v19999, 'still usable')")

# Unbounded when maxsize <= 0; many large items.
neg = interpreters.create_queue(-5)
for i in range(100):
    neg.put("z" * 100000)
print(neg.qsize(), neg.full(), neg.maxsize)
a.prepare_main(neg=neg)
a.exec("total = 0\nwhile not neg.empty():\n    total += len(neg.get())\nprint(total)")

# A chain of 200,000 queues, each holding the next: freed without a deep recursion.
head = interpreters.create_queue()
for i in range(200000):
    nxt = interpreters.create_queue()
    nxt.put(head)
    head = nxt
del head
del nxt
print("chain freed")

# A refused value whose repr raises: still NotShareableError.
class BadRepr:
    def __repr__(self):
        raise ValueError("no repr")
show(lambda: q.put(BadRepr()))

# A subinterpreter's thread cannot close its own interpreter.
a.exec("""
import threading, interpreters
out = []
def closer():
    try:
        interpreters.get_current().close()
    except interpreters.InterpreterError as e:
        out.append(str(e))
t = threading.Thread(target=closer)
t.start()
t.join()
print(out)
""")
a.close()
print("done")
