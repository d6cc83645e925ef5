# __name__ on classes, functions, lambdas, methods' functions, modules and exceptions; instances' __class__.
import math
import threading
def func():
    pass
class Cls:
    def meth(self):
        pass
class Sub(Cls):
    pass
print(func.__name__, Cls.__name__, Sub.__name__, (lambda: 0).__name__, Cls.meth.__name__)
print(math.__name__, threading.__name__, ValueError.__name__, Exception("x").__class__.__name__)
s = Sub()
print(s.__class__.__name__, s.__class__ is Sub, type(s.meth).__name__)
print((1).__class__.__name__, "s".__class__.__name__, [].__class__.__name__, None.__class__.__name__)
def outer():
    def inner():
        pass
    return inner
print(outer().__name__)
