# sys._is_gil_enabled() is False in ftpy; CPython 3.11 lacks it, so the check is guarded.
import sys
import threading
print(getattr(sys, "_is_gil_enabled", lambda: False)())
out = []
def f():
    out.append(getattr(sys, "_is_gil_enabled", lambda: False)())
t = threading.Thread(target=f)
t.start()
t.join()
print(out)
