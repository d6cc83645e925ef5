# An uncaught exception prints a traceback to stderr and exits with status 1; earlier output is kept.
def inner(d):
    return d["missing"]
def outer():
    print("in outer")
    return inner({})
print("start")
try:
    outer()
except KeyError:
    print("first time caught")
outer()
print("not printed")
