# String indexing, concatenation, repetition, comparison, membership, iteration.
s = "hello, world"
print(s, len(s), s[0], s[-1], s[7], s[-5])
print(s + "!", s * 2, 3 * "ab", "" * 5, "x" * 0, "x" * -1)
print("a" + "b" + "c", "abc" == "abc", "abc" != "abd", "Abc" < "abc")
for ch in "xyz":
    print(ch, end=" ")
print()
print("lo" in s, "low" in s, "" in s)
try:
    print(s[100])
except IndexError:
    print("IndexError")
t = s
t += " again"
print(s, "|", t)
print(str(), len(""), "a"[0], "abc"[-3])
lines = "one\ntwo\nthree"
print(lines)
print(len(lines), lines.split("\n"))
try:
    "abc" + 1
except TypeError as e:
    print(type(e).__name__)
