# With sys.setrecursionlimit(10**8), unbounded recursion runs until the thread's frame stack is
# full, then raises RecursionError (it once ran the process out of memory building the
# traceback and aborted). CPython 3.11 itself ends in a C stack overflow or SystemError, so
# the test checks only for a clean end.
import sys
sys.setrecursionlimit(10**8)

def f(n):
    return f(n + 1)

try:
    f(0)
except RecursionError:
    print("RecursionError caught")
f(0)
