# String escape sequences and their printed forms.
print("tab:\tend")
print("nl:\nend")
print("backslash: \\ quote: \' dq: \"")
print("hex: \x41\x42\x7a", "uni: \u00e9\u4e2d", len("\u4e2d"))
print(len("\0"), ord("\0"), ord("\r"), ord("\n"), ord("\t"))
print('single "double" inside', "double 'single' inside")
print(repr("a\tb\nc\\d"), repr("\x00\x7f"), repr("\r"))
print(len("a\
b"))
print("\x41" == "A", "\u0041" == "A")
