# Integer arithmetic: + - * / with mixed signs; / always yields a float.
a = 17
b = 5
print(a + b, a - b, a * b, a / b)
print(-a + b, -a - b, -a * b, -a / b)
print(0 - 0, 0 * -1, -0)
print(7 / 7, 1 / 4, 10 / 3, 2 / 3)
print(type(6 / 3).__name__, 6 / 3)
print(1000000 * 1000000, 123456789 * 1000)
print(9223372036854775807, -9223372036854775807 - 1)
print(4611686018427387904 + 4611686018427387903)
x = 0
for i in range(1, 101):
    x = x + i * i
print(x)
print(+5, -(-5), - - 5)
print(3 * True, True + True, False - 1)
print(2 + 3.5, 2 * 0.5, 10 - 0.25)
