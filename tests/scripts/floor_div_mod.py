# Floor division and modulo round toward negative infinity, for ints and floats.
pairs = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (6, 3), (-6, 3), (1, 7), (-1, 7)]
for a, b in pairs:
    print(a, b, a // b, a % b, divmod(a, b))
print(7.5 // 2, 7.5 % 2, -7.5 // 2, -7.5 % 2)
print(7 // 2.0, -7 // 2.0, 7 % -2.0, 5.0 % 5)
print(divmod(7.5, 2), divmod(-7.5, 2))
for a, b in [(5, 0), (5.0, 0), (5, 0.0)]:
    try:
        print(a // b)
    except ZeroDivisionError as e:
        print("ZeroDivisionError //")
    try:
        print(a % b)
    except ZeroDivisionError as e:
        print("ZeroDivisionError %")
try:
    print(1 / 0)
except ZeroDivisionError as e:
    print(type(e).__name__, e)
try:
    divmod(3, 0)
except ZeroDivisionError:
    print("divmod by zero")
print(-9223372036854775807 // 2, -9223372036854775807 % 10)
