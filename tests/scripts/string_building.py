# Building strings: repeated +=, join of many parts, char-by-char transforms, number formatting.
s = ""
for i in range(2000):
    s += str(i % 10)
print(len(s), s[:15], s[-5:])
parts = [str(i) for i in range(1000)]
joined = ",".join(parts)
print(len(joined), joined[:20], joined.count(","))
def caesar(text, k):
    out = []
    for ch in text:
        if "a" <= ch <= "z":
            out.append(chr((ord(ch) - 97 + k) % 26 + 97))
        elif "A" <= ch <= "Z":
            out.append(chr((ord(ch) - 65 + k) % 26 + 65))
        else:
            out.append(ch)
    return "".join(out)
enc = caesar("Hello, World! xyz", 3)
print(enc, caesar(enc, -3))
table = []
for row in range(1, 5):
    table.append(" ".join([f"{row * col:3d}" for col in range(1, 6)]))
print("\n".join(table))
words = "one two three four".split()
print(" ".join(reversed(words)), "".join([w[0].upper() + w[1:] for w in words]))
rev = ""
for ch in "reverse me":
    rev = ch + rev
print(rev)
print("-" * 20)
print("|" + "|".join([c.center(5) for c in ["a", "bb", "ccc"]]) + "|")
