# Slices with start/stop/step, negative indices and steps, out-of-range bounds; copies.
a = list(range(10))
print(a[2:5], a[:3], a[7:], a[:], a[-3:], a[:-3], a[-5:-2])
print(a[::2], a[1::2], a[::-1], a[::-3], a[8:2:-2], a[2:8:-1], a[-1:-4:-1])
print(a[100:], a[-100:2], a[3:100], a[5:2], a[1:-1:2], a[10:0:-4])
s = "abcdefghij"
print(s[1:4], s[::-1], s[::3], s[-2:], s[:0], s[4:4], s[-100:100], s[9:0:-2])
t = (0, 1, 2, 3, 4)
print(t[1:3], t[::-1], t[:1], t[4:], t[::2])
b = a[:]
b[0] = "changed"
print(a[0], b[0])
i, j = 2, 6
print(a[i:j], a[i + 1:j - 1], a[-i:], s[i:j:i])
m = [[1, 2], [3, 4], [5, 6]]
print(m[1:][0][1:], m[-1][::-1])
print("hello"[1:-1], "x"[5:], ""[::-1], "ab"[::-1])
print(list(range(20))[3:17:5], a[-1:], a[:-11])
