# type(), isinstance, issubclass, hasattr, getattr, setattr, type names of built-in values.
import sys
def f():
    pass
class K:
    def m(self):
        pass
vals = [None, True, 1, 1.5, "s", [], (), {}, range(1), f, K, K(), K().m, sys, ValueError("x"), lambda: 0]
print([type(v).__name__ for v in vals])
print(type(1) is int, type("") is str, type([]) is list, type(()) is tuple, type({}) is dict)
print(type(1.0) is float, type(True) is bool, type(None).__name__, type(type(1)).__name__)
print(isinstance(True, int), isinstance(1, bool), isinstance(1, float), isinstance(1.0, (int, float)))
print(isinstance("s", str), isinstance([], (tuple, list)), isinstance(K(), K), isinstance(K, type))
print(issubclass(bool, int), issubclass(int, bool), issubclass(K, object), issubclass(ValueError, (KeyError, Exception)))
k = K()
print(hasattr(k, "m"), hasattr(k, "zz"), hasattr("s", "upper"), hasattr([], "append"), hasattr(K, "m"))
setattr(k, "val", 7)
print(getattr(k, "val"), getattr(k, "missing", None), k.val, getattr("abc", "upper")())
try:
    getattr(k, "missing")
except AttributeError as e:
    print("AttributeError", e)
print(int.__name__, str.__name__, list.__name__, dict.__name__, tuple.__name__, float.__name__, bool.__name__)
print(int("5") + 1, str(5) + "1", list("ab"), type(K.m).__name__)
