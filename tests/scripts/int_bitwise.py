# Bitwise operators on ints including negatives and shifts.
a, b = 0b1100, 0b1010
print(a & b, a | b, a ^ b, ~a, ~0, ~-1)
print(-5 & 0xFF, -5 | 3, -5 ^ 3, -1 & -2)
print(1 << 0, 1 << 10, 1 << 62, 3 << 4)
print(1024 >> 3, -1 >> 3, -8 >> 1, -9 >> 1, 7 >> 10, -7 >> 10)
print(0x7FFFFFFFFFFFFFFF >> 60, (1 << 40) | 5)
print(True & False, True | False, True ^ True)
x = 0
for i in range(0, 20, 3):
    x |= 1 << i
print(x, bin(x))
try:
    print(1 << -1)
except ValueError:
    print("ValueError negative shift")
print(6 & 3 | 8, 6 | 3 & 8, 5 ^ 1 & 3)
