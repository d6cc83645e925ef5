# and / or / not return operands and short-circuit.
def t(name, val):
    print("call", name)
    return val
print(0 or "default", "" or [] or None, 1 and 2, 0 and 1, [] and 5, "x" or 1/0)
print(t("a", 0) and t("b", 1))
print(t("c", 1) and t("d", 2))
print(t("e", 0) or t("f", 0))
print(t("g", 3) or t("h", 4))
print(not 1, not 0, not [], not "a", not None)
print(None or 0, (1 and None) or "z")
r = t("i", 1) and t("j", 0) or t("k", "end")
print(r)
print(1 and 2 or 3, 0 and 2 or 3, not 1 and 2, not (1 and 0))
