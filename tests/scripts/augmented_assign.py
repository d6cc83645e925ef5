# Augmented assignment for every operator, on names, attributes and subscripts (target evaluated once).
x = 10
x += 5
print(x)
x -= 3
print(x)
x *= 2
print(x)
x //= 5
print(x)
x %= 3
print(x)
x **= 4
print(x)
x <<= 3
print(x)
x >>= 1
print(x)
x &= 0b1100
print(x)
x |= 1
print(x)
x ^= 0xF
print(x)
x /= 4
print(x)
s = "ab"
s += "cd"
s *= 2
print(s)
t = (1,)
t += (2,)
print(t)
calls = []
def idx(i):
    calls.append(i)
    return i
arr = [1, 2, 3]
arr[idx(1)] += 10
arr[idx(2)] *= 3
print(arr, calls)
d = {"n": 1}
d["n"] += 1
d.setdefault("m", 0)
d["m"] -= 1
print(d)
class Box:
    pass
bx = Box()
bx.v = 1
bx.v += 41
print(bx.v)
lst = [1]
alias = lst
lst += [2]
print(alias)
tup = (1,)
tup_alias = tup
tup += (2,)
print(tup_alias, tup)
