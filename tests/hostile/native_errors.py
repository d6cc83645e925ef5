# A native function that fails always leaves an exception to catch: len() of a range longer
# than 2**63 - 1 once returned garbage with no exception set, exiting 0 silently, and inside
# try crashed matching the missing exception.
M = 9223372036854775807
try:
    n = len(range(-5, M))
    print("len", n)
except OverflowError as e:
    print("OverflowError", e)
try:
    print(bool(range(-M - 1, M)), range(-M - 1, M)[M])
except OverflowError as e:
    print("OverflowError", e)
for f in (lambda: len(range(-M - 1, M)), lambda: list(range(M - 2, M)),
          lambda: range(0, M, 2)[M // 2 + 7], lambda: range(M - 1, -M - 1, -1)[1:3]):
    try:
        print(f())
    except (OverflowError, IndexError) as e:
        print(type(e).__name__, e)
print(len(range(-5, M)))
