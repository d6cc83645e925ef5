# repr of strings chooses quotes and escapes like CPython.
for s in ["plain", "it's", 'say "hi"', "both ' and \"", "", "\n", "\\", "tab\there",
          "é", "中文", "\x01", "\x7f", "😀"]:
    print(repr(s))
print([("a", 'b"'), "c'd"])
print(str("x"), repr(repr("x")))
d = {"k'ey": "v\nal"}
print(d)
