# Every empty str made at run time is the same value as the literal "": equal, same hash,
# found as a dict key and a set member, identical.
s = "abc"
made = [s[:0], s[3:], s[2:1], "".join([]), "".join(["", ""]), str(), str(""), "  ".strip(),
        "ab".lstrip("ab"), "ab".rstrip("ab"), "ab" * -1, "ab" * 0, s.replace("abc", ""),
        "a".split("a")[0], f"", f"{''}", format("", ""), "".upper(), "abc"[5:], "é"[1:],
        "{}".format(""),
        "".center(0), "".zfill(0), "a"[:-1], repr("")[1:-1], "".lower(), "".strip("x")]
d = {"": "found"}
for i, e in enumerate(made):
    print(i, e == "", "" == e, e in d, d.get(e), hash(e) == hash(""), len(e))
t = {"": 1}
for e in made:
    t[e] = t.get(e, 0) + 1
print(t)
print(max(made), min(made + ["a"]), made.count(""), made.index(""))
print(("", 1) == (made[3], 1), [""] == made[4:5], made[6] < "a", made[7] <= "", made[8] != "")
