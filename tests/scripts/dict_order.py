# dict iteration follows insertion order, also after deletes, updates and re-inserts.
d = {}
for k in ["zeta", "alpha", "mid", "beta", "omega"]:
    d[k] = len(k)
print(list(d), list(d.values()))
del d["alpha"]
d["alpha"] = 0
print(list(d))
d["zeta"] = 99
print(list(d.items()))
for i in range(100):
    d["k" + str(i)] = i
for i in range(0, 100, 2):
    del d["k" + str(i)]
print(len(d), list(d)[:8], list(d)[-3:])
n = {}
for i in range(1000):
    n[i] = i
for i in range(995):
    del n[i]
print(list(n.items()))
n[0] = "back"
print(list(n))
big = {}
for i in range(20000):
    big[i * 7 % 20000] = i
print(len(big), list(big)[:5], list(big)[-2:], big[7], big[0])
