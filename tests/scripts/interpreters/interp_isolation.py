# Nothing is shared: names, modules, sys settings, classes and builtins are each
# interpreter's own.
import interpreters
import sys

secret = "main only"
class Point:
    pass

a = interpreters.create()
b = interpreters.create()

a.exec("import math\nvalue = 'a'")
b.exec("value = 'b'")
a.exec("print('a has', value)")
b.exec("print('b has', value)")

# A module imported in one interpreter is a new module object in the other.
b.exec("""
import sys
print('math' in sys.modules)
import math
print(math.sqrt(16.0))
""")
print("math" in sys.modules)

# sys settings: the recursion limit is per interpreter; argv is a copy.
a.exec("import sys\nsys.setrecursionlimit(123)\nprint(sys.getrecursionlimit())")
b.exec("print(sys.getrecursionlimit())")
print(sys.getrecursionlimit())
a.exec("sys.argv.append('extra')\nprint(len(sys.argv))")
print(len(sys.argv))

# Rebinding a builtin name in one interpreter's __main__ changes nothing elsewhere.
a.exec("len = lambda x: -1\nprint(len([1, 2]))")
b.exec("print(len([1, 2]))")
print(len([1, 2]))

# The main interpreter's names and classes are not visible.
for name in ["secret", "Point"]:
    try:
        a.exec("print(" + name + ")")
    except interpreters.ExecutionFailed as e:
        print(e.excinfo.type)

# Each has its own threading module and main thread object.
a.exec("import threading\nprint(threading.current_thread().name, threading.active_count())")
import threading
print(threading.current_thread().name, threading.active_count())

# Each has its own collector.
a.exec("""
import gc
class Cycle:
    pass
for i in range(100):
    c = Cycle()
    c.me = c
del c
print(gc.collect() >= 100)
""")
a.close()
b.close()
print("done")
