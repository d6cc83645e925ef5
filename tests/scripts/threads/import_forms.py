# import M, import M as N, from M import a, b as c for the built-in modules.
import sys
import math as m
import time, gc
from math import gcd, floor as fl
from threading import Lock, Thread as T
from queue import Queue, Empty
import threading
import queue
print(sys.__name__, m.__name__, time.__name__, gc.__name__, threading.__name__, queue.__name__)
print(gcd(8, 12), fl(2.5), m.ceil(2.5))
print(type(Lock()).__name__ != "", T is threading.Thread, Queue is queue.Queue, Empty is queue.Empty)
def local_import():
    import math
    return math.isqrt(99)
print(local_import())
try:
    import no_such_module_ftpy_xyz
except ModuleNotFoundError as e:
    print("ModuleNotFoundError", isinstance(e, ImportError))
try:
    from math import no_such_name
except ImportError as e:
    print("ImportError", type(e).__name__)
import math
print(math is m)
