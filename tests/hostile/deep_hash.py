# hash() of a tuple nested 200,000 deep recurses per level: ftpy raises RecursionError.
# (CPython 3.11 itself overflows its C stack here, so the test checks only for a clean end.)
a = ()
for i in range(200000):
    a = (a,)
try:
    print(hash(a))
except RecursionError:
    print("RecursionError")
d = {}
try:
    d[a] = 1
except RecursionError:
    print("RecursionError")
