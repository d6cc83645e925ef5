# Truthiness of every built-in type and bool arithmetic.
vals = [None, False, True, 0, 1, -1, 0.0, 0.5, "", "a", [], [0], (), (0,), {}, {"k": 0},
        range(0), range(1)]
for v in vals:
    print(repr(v), bool(v), not v)
print(True + True, True * 10, False * 3, -True, True / 2)
print(True == 1, False == 0, True is True, type(True).__name__)
print(bool(), bool("False"), str(True), repr(False))
n = 0
if not n:
    print("zero is falsy")
if [1] and "x" and 3:
    print("all truthy")
print(int(True) + int(False))
