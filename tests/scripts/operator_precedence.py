# Operator precedence and associativity.
print(2 + 3 * 4, (2 + 3) * 4, 2 * 3 ** 2, -3 ** 2, (-3) ** 2)
print(10 - 4 - 3, 100 / 10 / 5, 2 ** 2 ** 3, 17 // 5 * 5 + 17 % 5)
print(1 + 2 << 3, 1 << 2 + 3, 8 >> 1 - 1, 1 | 2 ^ 3 & 4)
print(not 1 == 2, not 1 + 1 == 2, 1 < 2 == True)
print(True or False and False, (True or False) and False)
print(-2 * -3, ~1 + 1, - -1, -(2 + 3))
print(3 > 2 and 2 > 1, 1 + 1 if True else 0, [1, 2][0] + 1)
print(5 & 3 == 1, (5 & 3) == 1)
a = 2
print(a * -1, a ** -1, a --1, a - - 1)
