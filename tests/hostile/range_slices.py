# Every slice of ranges at the 64-bit edges, with bounds past either end: the same ranges as
# CPython. A result whose start, stop or step needs more than 64 bits prints "big" (ftpy's
# ints are 64-bit until big ints land: it raises OverflowError there).
M = 9223372036854775807
m = -M - 1
rs = [range(10), range(10, 0, -3), range(m, M), range(M, m, -1), range(m, M, 3), range(-5, M), range(0), range(M - 3, M)]
idx = [None, 0, 1, -1, 2, -2, 5, -5, 100, -100, M, m, M - 1, m + 1]
steps = [None, 1, 2, -1, -2, 3, -3, M // 4, -(M // 4), M, m]
out = []
for r in rs:
    for a in idx:
        for b in idx:
            for c in steps:
                try:
                    x = r[a:b:c]
                    if all([m <= v <= M for v in (x.start, x.stop, x.step)]):
                        out.append(repr(x))
                    else:
                        out.append("big")
                except OverflowError:
                    out.append("big")
                except ValueError as e:
                    out.append(type(e).__name__)
print(len(out))
for o in out: print(o)
