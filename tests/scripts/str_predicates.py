# str: isdigit, isalpha, isspace, upper, lower (including Latin-1 letters).
for s in ["123", "12a", "", "abc", "aBc", "a b", " \t\n", "x1", "éà", "0"]:
    print(repr(s), s.isdigit(), s.isalpha(), s.isspace())
print("Hello World".upper(), "Hello World".lower(), "123abc".upper(), "MiXeD".lower())
print("café".upper(), "ÉCOLE".lower(), "ñandú".upper(), "ÀÖØ".lower(), "àöø".upper())
print("already lower".lower() == "already lower")
