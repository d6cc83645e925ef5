M = 9223372036854775807
m = -M - 1
# Ranges longer than 2**63 - 1 (ftpy's ints are 64-bit until big ints land) are left out of
# index(); everything else about them is exact.
rs = [range(M - 5, M, 4), range(m, m + 7, 3), range(M, M - 10, -4), range(m + 10, m, -3),
      range(m, M, 2), range(0, M, M), range(M, m, m),
      range(10, 0, -3), range(0), range(5, 5), range(3, 4), range(-5, M), range(m, M), range(M, m, -1)]
for k, r in enumerate(rs):
    print(r, r[0] if r else None, r[-1] if r else None)
    for x in (M, m, M - 1, m + 1, 0, 7, -5, M - 5):
        print(" ", x in r, r.count(x), end="")
        if k < len(rs) - 3:
            try:
                print("", r.index(x), end="")
            except ValueError as e:
                print("", e, end="")
    print()
    try:
        print(" len", len(r))
    except OverflowError as e:
        print(" len OverflowError", e)
    n = 0
    for x in r:
        n += 1
        if n > 5:
            break
        print(" ", x, end="")
    print()
    it = iter(r)
    print(" ", next(it, None), next(it, None), list(zip(range(3), it)))
    print(" ", r == range(r.start, r.stop, r.step), hash(r) == hash(range(r.start, r.stop, r.step)))
print(hash(range(0)) == hash(range(5, 5)), hash(range(3, 4)) == hash(range(3, 9, 10)))
print(range(0) == range(5, 5), range(3, 4) == range(3, 9, 10))
print(list(range(M - 3, M)[::2]), list(range(m + 1, m + 9)[::-4]), range(m, m + 9)[2:7:2])
print(list(reversed(range(M - 7, M, 3))), list(reversed(range(m, m + 7, 3))))
print(1.0 in range(3), "a" in range(3), range(5).index(True), range(5).count(2.0))
try:
    range(3).index(7)
except ValueError as e:
    print(e)
