# Tuple/list unpacking targets: swaps, nesting, for-loop targets, errors.
a, b = 1, 2
a, b = b, a
print(a, b)
x, y, z = [10, 20, 30]
print(x, y, z)
(p, q), r = (1, 2), 3
print(p, q, r)
[m, n] = "mn"
print(m, n)
for i, (k, v) in enumerate([("a", 1), ("b", 2)]):
    print(i, k, v)
for key, val in {"x": 1, "y": 2}.items():
    print(key, val)
pairs = [(1, "one"), (2, "two")]
for num, word in pairs:
    print(num, word)
try:
    a, b = 1, 2, 3
except ValueError:
    print("ValueError too many")
try:
    a, b, c = [1, 2]
except ValueError:
    print("ValueError not enough")
try:
    a, b = 5
except TypeError:
    print("TypeError not iterable")
data = [[1, [2, 3]], [4, [5, 6]]]
for first, (second, third) in data:
    print(first + second + third)
i = 0
lst = [0, 0]
i, lst[i] = 1, 9
print(i, lst)
