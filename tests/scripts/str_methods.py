# str: split, rsplit, join, strip, lstrip, rstrip.
s = "  the quick  brown fox  "
print(s.split())
print(s.split(" "))
print("a,b,,c".split(","), "a,b,,c".split(",", 1), "a,b,c".split(",", 0))
print("a b c d".rsplit(" ", 1), "a b c d".rsplit(), "a--b--c".rsplit("--", 1))
print("".split(), "".split(","), "abc".split("x"), "  x  ".split())
print("one two   three".split(None, 1), "a b c".rsplit(None, 1))
print("-".join(["a", "b", "c"]), "".join(["x", "y"]), ", ".join([]), "+".join("abc"))
print("-".join(("p", "q")), " ".join([str(i) for i in range(5)]))
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
print("xxhixx".strip("x"), "xyhiyx".strip("xy"), "..a..".lstrip("."), "..a..".rstrip("."))
print(repr("\t\n hi \r\n".strip()), repr("   ".strip()))
try:
    "-".join(["a", 1])
except TypeError:
    print("TypeError join")
try:
    "abc".split("")
except ValueError:
    print("ValueError empty separator")
print("a\tb\nc d".split())
