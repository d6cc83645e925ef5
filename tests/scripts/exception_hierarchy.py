# Built-in exception class hierarchy (issubclass relationships and catching by base).
pairs = [
    ("ZeroDivisionError", ZeroDivisionError, ArithmeticError),
    ("OverflowError", OverflowError, ArithmeticError),
    ("ArithmeticError", ArithmeticError, Exception),
    ("KeyError", KeyError, LookupError),
    ("IndexError", IndexError, LookupError),
    ("LookupError", LookupError, Exception),
    ("UnboundLocalError", UnboundLocalError, NameError),
    ("NameError", NameError, Exception),
    ("RecursionError", RecursionError, RuntimeError),
    ("NotImplementedError", NotImplementedError, RuntimeError),
    ("RuntimeError", RuntimeError, Exception),
    ("ModuleNotFoundError", ModuleNotFoundError, ImportError),
    ("ImportError", ImportError, Exception),
    ("ValueError", ValueError, Exception),
    ("TypeError", TypeError, Exception),
    ("AttributeError", AttributeError, Exception),
    ("StopIteration", StopIteration, Exception),
    ("AssertionError", AssertionError, Exception),
    ("MemoryError", MemoryError, Exception),
    ("Exception", Exception, BaseException),
    ("SystemExit", SystemExit, BaseException),
    ("KeyboardInterrupt", KeyboardInterrupt, BaseException),
]
for name, cls, base in pairs:
    print(name, cls.__name__ == name, issubclass(cls, base), issubclass(cls, Exception))
print(issubclass(KeyError, IndexError), issubclass(TypeError, ValueError), issubclass(BaseException, Exception))
try:
    cls = PythonFinalizationError
    ok = issubclass(cls, RuntimeError) and cls.__name__ == "PythonFinalizationError"
except NameError:
    ok = True
print("PythonFinalizationError is a RuntimeError:", ok)
for exc in [ZeroDivisionError("z"), KeyError("k"), MemoryError(), NotImplementedError("n")]:
    try:
        raise exc
    except LookupError:
        print("LookupError branch", type(exc).__name__)
    except ArithmeticError:
        print("ArithmeticError branch", type(exc).__name__)
    except RuntimeError:
        print("RuntimeError branch", type(exc).__name__)
    except Exception:
        print("Exception branch", type(exc).__name__)
try:
    raise KeyboardInterrupt
except Exception:
    print("wrong: Exception caught KeyboardInterrupt")
except BaseException as e:
    print("BaseException caught", type(e).__name__)
try:
    raise SystemExit(0)
except Exception:
    print("wrong")
except SystemExit as e:
    print("SystemExit caught, code", e.code)
