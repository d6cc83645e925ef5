# f-strings: expressions, !r / !s conversions, brace escapes, nested quotes.
name = "ftpy"
n = 3
items = [1, 2, 3]
d = {"k": "v"}
print(f"hello {name}", f"{n + 1}", f"{n * 2}{n}", f"{items}", f"{items[1]}", f"{d['k']}")
print(f"{name!r}", f"{name!s}", f"{'q'!r}", f"{items!r}", f"{None}", f"{True!r}")
print(f"{{literal}}", f"{{{n}}}", f"a{{b", f"}}")
print(f"{len(name)} chars", f"{name.upper()}", f"{'-'.join(['a', 'b'])}")
print(f"{1.5}", f"{0.1 + 0.2}", f"{-0.0}", f"{1e20}")
print(f"{n if n > 2 else 0}", f"{'yes' if items else 'no'}")
x = 10
print(f"x={x}, x*x={x * x}, neg={-x}")
print(F"upper F {n}", rf"raw \n {n}", fr"also {n}\t")
print(f"" == "", f"{''}" == "")
print(f"""triple {n}
line""")
class P:
    def __repr__(self):
        return "P()"
    def __str__(self):
        return "a P"
p = P()
print(f"{p} {p!r} {p!s}")
