# sys: argv, maxsize, recursion limit, _is_gil_enabled (guarded), stdout/stderr write.
import sys
print(len(sys.argv), sys.argv[0].endswith("sys_module.py"), type(sys.argv).__name__)
print(sys.maxsize, sys.maxsize == 9223372036854775807, -sys.maxsize - 1)
print(sys.getrecursionlimit())
print(getattr(sys, "_is_gil_enabled", lambda: False)())
n = sys.stdout.write("hello via stdout\n")
print(n)
sys.stderr.write("to stderr\n")
print(type(sys).__name__, sys.__name__)
print(hasattr(sys, "exit"), callable(sys.exit))
