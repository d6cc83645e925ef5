# Float repr/str: shortest round-trip form, exponent switch points, specials.
vals = [0.1, 0.2, 0.1 + 0.2, 1.0, -1.5, 100.0, 1e15, 1e16, 1e17, 1e22, 1e-4, 1e-5,
        123456789.125, 1.0 / 3, 2.0 / 3, 5e-324, 1.7976931348623157e308, 0.0, -0.0,
        3.141592653589793, 1e100, 1.5e-10, 12345678901234567890.0, 0.3, 2.675, 9.995]
for v in vals:
    print(repr(v), str(v))
print(1e16 / 10, 1e300 * 1e10, -1e300 * 1e10)
print([0.1, 0.25, 1e20], (1.0,))
print(float(10 ** 18), 2.5e-3, 4.0e+2)
print(1.1 * 1.1, 0.7 + 0.1, 1.0 - 0.9)
