# str: ljust, rjust, center, zfill.
print("[" + "ab".ljust(5) + "]", "[" + "ab".rjust(5) + "]", "[" + "ab".center(6) + "]")
print("ab".ljust(5, "*"), "ab".rjust(5, "-"), "ab".center(7, "="), "abc".center(6, "."))
print("abcdef".ljust(3), "abcdef".rjust(3), "abcdef".center(2))
print("a".center(4), "|", "ab".center(5, "#"), "abc".center(4, "#"))
print("42".zfill(5), "-42".zfill(5), "+7".zfill(4), "12345".zfill(3), "".zfill(3), "ab".zfill(4))
for w in range(1, 8):
    print(repr("xy".center(w)))
