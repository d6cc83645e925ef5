# str: find, rfind, index, count, replace, startswith, endswith.
s = "abracadabra"
print(s.find("a"), s.find("bra"), s.find("z"), s.find("a", 1), s.find("a", 4, 6), s.find(""))
print(s.rfind("a"), s.rfind("bra"), s.rfind("z"), s.rfind("a", 0, 5))
print(s.index("c"), s.index("dab"), s.count("a"), s.count("bra"), s.count("z"), s.count(""))
try:
    s.index("zz")
except ValueError:
    print("ValueError index")
print(s.replace("a", "A"), s.replace("bra", "-"), s.replace("a", "", 2), s.replace("zz", "y"))
print("aaa".replace("a", "aa"), "abc".replace("", "-"))
print(s.startswith("abr"), s.startswith("bra"), s.startswith(""), s.startswith("bra", 1))
print(s.endswith("bra"), s.endswith("abr"), s.endswith(""), "x".endswith("xx"))
print("aaaa".count("aa"), "hello".find("l"), "hello".rfind("l"))
