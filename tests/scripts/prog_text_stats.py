# A small program: word frequencies, longest words, line statistics, formatted report.
text = """The quick brown fox jumps over the lazy dog.
The dog sleeps; the fox runs away!
A quick end, a lazy end, the END."""
lines = text.split("\n")
words = []
for line in lines:
    cleaned = ""
    for ch in line:
        cleaned += ch.lower() if ch.isalpha() or ch.isspace() else " "
    words.extend(cleaned.split())
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
print(len(lines), len(words), len(freq))
for word, count in top:
    print(f"{word:<8}{count:>3} {'*' * count}")
longest = sorted(freq, key=lambda w: (-len(w), w))[:3]
print(longest)
for i, line in enumerate(lines, 1):
    print(f"{i:02d}: {len(line):3d} chars, {len(line.split()):2d} words, starts {line.split()[0]!r}")
caps = [w for w in text.split() if "A" <= w[0] <= "Z"]
print(caps)
print(text.count("the"), text.lower().count("the"), text.replace("the", "THE").count("THE"))
