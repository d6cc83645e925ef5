# list operators: + * += ==, nesting, aliasing, index assignment, repr.
a = [1, 2, 3]
b = a
b += [4]
print(a, b, a is b)
c = a + [5]
print(a, c, c is a)
print([0] * 4, [1, 2] * 2, [] * 3, 2 * [None])
grid = [[0] * 3 for _ in range(3)]
grid[1][1] = 5
print(grid)
alias = [[0] * 2] * 2
alias[0][0] = 7
print(alias)
a[0] = "x"
a[-1] = "y"
print(a, len(a))
try:
    a[10] = 1
except IndexError as e:
    print(type(e).__name__, "on assignment")
try:
    print(a[-10])
except IndexError as e:
    print(type(e).__name__, e)
nested = [1, [2, [3, [4]]], "s", 1.5, None, True, (1, 2), {"k": [1]}]
print(nested, len(nested))
print(nested[1][1][1][0])
m = [1, 2, 3]
m *= 2
print(m)
print(list(), [[]], [[], []], [1,], [i for i in []])
print([3, 1] == [3, 1], [3] != [3], [1, 2] < [1, 2, 3], max([[1, 2], [1, 3]]))
