# for loops over every iterable type with else, break, continue, nested loops.
for x in [1, 2, 3]:
    print(x, end=" ")
print()
for ch in "ab":
    print(ch, end=" ")
for t in (7, 8):
    print(t, end=" ")
for k in {"p": 1, "q": 2}:
    print(k, end=" ")
for r in range(3, 0, -1):
    print(r, end=" ")
print()
for n in range(2, 20):
    for d in range(2, n):
        if n % d == 0:
            break
    else:
        print(n, "is prime")
found = None
for w in ["alpha", "beta", "gamma"]:
    if w.startswith("b"):
        found = w
        break
else:
    found = "none"
print(found)
evens = []
for i in range(10):
    if i % 2:
        continue
    evens.append(i)
print(evens)
for i in []:
    print("never")
else:
    print("empty for-else")
print(i if False else "loop var keeps last value:", x, r)
items = [1, 2, 3]
for item in items:
    if item == 1:
        items.append(4)
print(items)
pairs = []
for a in range(3):
    for b in range(a):
        pairs.append((a, b))
print(pairs)
