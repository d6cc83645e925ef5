# Exponentiation: right associativity, negative exponents, unary minus precedence.
print(2 ** 10, 2 ** 0, 0 ** 0, (-2) ** 3, (-2) ** 4)
print(-2 ** 2, 2 ** 3 ** 2, 2 ** -1, 10 ** -2)
print(3 ** 39, 2 ** 62, (-2) ** 63)
print(2.0 ** 10, 4 ** 0.5, 2 ** 0.5, 9.0 ** -0.5)
print(pow(2, 10), pow(2, -2), pow(3, 4, 5), pow(7, 0, 13), pow(-3, 3, 10))
try:
    print(0 ** -1)
except ZeroDivisionError:
    print("ZeroDivisionError")
x = 3
x **= 3
print(x)
