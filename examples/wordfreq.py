# wordfreq.py: word frequencies with dicts, string methods, sorting by key and f-string tables.
TEXT = """
It was the best of times, it was the worst of times, it was the age of wisdom,
it was the age of foolishness, it was the epoch of belief, it was the epoch of
incredulity, it was the season of Light, it was the season of Darkness, it was
the spring of hope, it was the winter of despair.
"""


def words(text):
    out = []
    for line in text.split("\n"):
        for raw in line.split():
            word = raw.strip(".,;:!?\"'").lower()
            if word:
                out.append(word)
    return out


def frequencies(ws):
    counts = {}
    for w in ws:
        counts[w] = counts.get(w, 0) + 1
    return counts


def main():
    ws = words(TEXT)
    counts = frequencies(ws)
    print(f"{len(ws)} words, {len(counts)} distinct")
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    print(f"{'word':<12}{'count':>6}  share")
    for word, n in ranked[:8]:
        print(f"{word:<12}{n:>6}  {n / len(ws):6.1%}")
    by_length = {}
    for w in counts:
        by_length.setdefault(len(w), []).append(w)
    for length in sorted(by_length):
        print(length, ", ".join(sorted(by_length[length])))


if __name__ == "__main__":
    main()
