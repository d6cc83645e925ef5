# Triple-quoted, raw and adjacent string literals; implicit and backslash line joining.
a = """line one
  line two
line "three" """
print(a)
b = '''single 'triple' quoted'''
print(b)
print(r"raw \n stays", r'C:\path\to', len(r"\n"), r"\"")
c = "adjacent " 'literals ' """join"""
print(c)
d = ("implicit "
     "joining "
     "inside parens")
print(d)
total = 1 + \
    2 + \
    3
print(total)
items = [
    1,
    2,   # a comment in the middle
    3,
]
print(items)
e = """\
no leading newline"""
print(e)
print(len("""
"""))
