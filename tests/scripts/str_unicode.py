# Strings count code points: len, indexing, slicing, ord/chr on non-ASCII text.
s = "héllo wörld 中文 😀!"
print(len(s), s[1], s[7], s[12], s[15], s[-1], s[-2])
print(s[1:5], s[12:14], s[::-1])
print([ord(c) for c in "é中😀"], chr(233), chr(20013), chr(128512), chr(65))
print("ö" in s, s.find("中"), s.index("😀"), s.count("l"))
print(s.upper())
print("é".join(["a", "b", "c"]), "-".join("中文"))
print(s.split(" "))
print(len("😀😀"), "😀" * 3, "aé"[::-1])
print("ñ" < "o", "é" > "e", sorted(["é", "e", "z", "a"]))
