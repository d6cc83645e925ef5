# range: start/stop/step, negative steps, len, indexing, membership, repr, equality.
print(list(range(5)), list(range(2, 6)), list(range(0, 10, 3)), list(range(10, 0, -3)))
print(list(range(0)), list(range(5, 2)), list(range(-3, 3)), list(range(3, -3, -2)))
r = range(3, 20, 4)
print(r, len(r), r[0], r[-1], r[2], 7 in r, 8 in r, 19 in r, 20 in r)
print(range(5), range(1, 5), range(1, 5, 2), len(range(0, 100, 7)), len(range(10, 0)))
print(range(0, 3) == range(0, 3), list(reversed(range(4))), sum(range(101)))
try:
    range(1, 2, 0)
except ValueError:
    print("ValueError step zero")
try:
    print(range(3)[3])
except IndexError:
    print("IndexError")
total = 0
for i in range(1000000, 1000010):
    total += i
print(total)
print(list(range(-9223372036854775807, -9223372036854775805)))
