# int(): from str with base, from float (truncation), from bool; hex/bin output.
print(int("42"), int("-17"), int("  8  "), int("+3"), int("007"))
print(int("ff", 16), int("FF", 16), int("777", 8), int("1010", 2), int("z", 36))
print(int(3.9), int(-3.9), int(0.5), int(-0.5), int(1e15))
print(int(True), int(False), int(12))
for s in ["", "abc", "1.5", "12a", "0x10"]:
    try:
        int(s)
        print("ok", s)
    except ValueError:
        print("ValueError", repr(s))
print(hex(255), hex(0), hex(-255), bin(5), bin(0), bin(-5))
print(hex(9223372036854775807))
print(str(123), repr(-45), str(-0))
print(float("3.25"), float("-1e3"), float(" 2 "), float(7), float("inf"), float("-inf"))
