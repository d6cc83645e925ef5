# Messages of the common built-in errors, as documented to match CPython.
def show(fn):
    try:
        fn()
    except Exception as e:
        print(type(e).__name__ + ":", e)
class T:
    pass
show(lambda: 1 / 0)
show(lambda: [1, 2, 3][3])
show(lambda: undefined_variable)
show(lambda: {"a": 1}["b"])
show(lambda: {1: 1}[2])
show(lambda: {(1, "x"): 1}[(2, "y")])
show(lambda: T().a)
show(lambda: 1 + "s")
show(lambda: None + 1)
show(lambda: 1.5 + "s")
show(lambda: (1).nope)
class Sub(T):
    def __init__(self):
        self.present = 1
show(lambda: Sub().absent)
def uses_missing():
    return also_missing + 1
show(uses_missing)
# Only the type is documented for these; the message is not printed.
def show_type(fn):
    try:
        fn()
    except Exception as e:
        print(type(e).__name__)
show_type(lambda: int("nope"))
show_type(lambda: [].pop())
show_type(lambda: "s" + 1)
show_type(lambda: len(5))
show_type(lambda: (1, 2)[5])
show_type(lambda: "abc"[10])
