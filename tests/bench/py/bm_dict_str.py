# Benchmark: dict and string work: generating text, splitting, counting words in dicts, building keys
# with f-strings and concatenation, joins, str methods, dict iteration in insertion order.
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "so", "vi", "pe", "du", "xo", "ya"]
def make_text(n_words, seed):
    words = []
    state = seed
    for i in range(n_words):
        state = (state * 1103515245 + 12345) % 2147483648
        k = 1 + (state >> 16) % 3
        w = ""
        s = state
        for j in range(k):
            w += SYLLABLES[s % 12]
            s //= 12
        words.append(w)
        if i % 17 == 16:
            words.append("\n")
    return " ".join(words)
def word_count(text):
    counts = {}
    for line in text.split("\n"):
        for w in line.split():
            counts[w] = counts.get(w, 0) + 1
    return counts
def key_building(n):
    d = {}
    for i in range(n):
        key = f"user:{i % 997}:item:{i % 13}"
        if key in d:
            d[key] += i % 100
        else:
            d[key] = 1
    total = 0
    for k, v in d.items():
        total = (total * 7 + v + len(k)) % 1000000007
    return len(d), total
def transform(text):
    out = []
    for w in text.split():
        if w.startswith("ka"):
            out.append(w.upper())
        elif w.endswith("du"):
            out.append(w.replace("du", "DU"))
        elif len(w) > 4:
            out.append(w[:2] + "-" + w[2:])
        else:
            out.append(w.strip("x"))
    joined = ",".join(out)
    return len(joined), joined.count("-"), joined.find("KA")
def invert(counts):
    by_count = {}
    for w, c in counts.items():
        by_count.setdefault(c, []).append(w)
    total = 0
    for c in by_count:
        total = (total + c * len(by_count[c]) + len("".join(by_count[c]))) % 1000000007
    return len(by_count), total
def main():
    check = 0
    for rep in range(REPS):
        text = make_text(20000, rep + 1)
        counts = word_count(text)
        check = (check * 131 + len(counts) + sum(counts.values())) % 1000000007
        n, t = key_building(40000)
        check = (check * 131 + n + t) % 1000000007
        a, b, c = transform(text)
        check = (check * 131 + a + b + c) % 1000000007
        n2, t2 = invert(counts)
        check = (check * 131 + n2 + t2) % 1000000007
        first = list(counts)[:3]
        check = (check * 131 + len("|".join(first))) % 1000000007
    print("bm_dict_str checksum", check)
REPS = 32
main()
