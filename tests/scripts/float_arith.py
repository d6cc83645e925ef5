# Float arithmetic, mixed int/float, comparisons, rounding via round().
a = 2.5
b = 0.5
print(a + b, a - b, a * b, a / b, a // b, a % b, a ** b)
print(1 + 2.0, 3 * 1.5, 7 / 2.0, 10 - 0.5, -1.5 * -2)
print(1 == 1.0, 2 < 2.5, 3.0 >= 3, 0.1 + 0.2 == 0.3)
total = 0.0
for i in range(10):
    total += 0.1
print(total)
print(round(2.5), round(3.5), round(-2.5), round(0.5), round(1.5))
print(round(3.14159, 2), round(2.675, 2), round(1234.5678, -2), round(1234, -2))
print(round(-0.4), round(7.0), type(round(7.5)).__name__, type(round(7.5, 1)).__name__)
print(abs(-2.5), abs(0.0), abs(-0.0))
print(int(2.999999), float(3) / 2)
try:
    print(1.0 / 0)
except ZeroDivisionError:
    print("ZeroDivisionError float")
print(max(1.5, 2), min(1, 0.5))
print(1e308 * 10 > 1e308)
