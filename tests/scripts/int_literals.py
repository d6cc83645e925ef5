# Integer literal forms: decimal, hex, octal, binary, underscores.
print(0, 42, 1_000_000, 0x1F, 0XFF, 0o17, 0O777, 0b1010, 0B1111_0000)
print(0x_dead_beef, 0b_1, 1_2_3)
print(0x7FFFFFFFFFFFFFFF)
print(00, 0_0)
print(-0x10, -0o10, -0b10)
x = 0xff + 0o7 + 0b1 + 10
print(x)
print(1.5, .5, 1e-3, 1_000.0, 1e3, 2.5E2, 1_0e1_0)
print(0.0, 10., 3.14_15)
