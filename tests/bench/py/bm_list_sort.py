# Benchmark: list building, comprehensions, slicing, sorting (plain, key=, reverse=), list methods.
def pseudo_random(n, seed):
    out = []
    state = seed
    for _ in range(n):
        state = (state * 1103515245 + 12345) % 2147483648
        out.append((state >> 8) % 100000)
    return out
def sort_work(data):
    a = sorted(data)
    b = sorted(data, reverse=True)
    c = sorted(data, key=lambda v: (v % 100, v))
    pairs = [(v % 37, i) for i, v in enumerate(data)]
    pairs.sort()
    words = [str(v) for v in data[:5000]]
    words.sort(key=len)
    return (a[0] + a[-1] + b[0] + c[0] + c[-1] + pairs[0][1] + pairs[-1][1] + len(words[-1])) % 1000000007
def slice_work(data):
    total = 0
    for i in range(0, len(data) - 100, 50):
        chunk = data[i:i + 100]
        total += sum(chunk[::3]) - sum(chunk[1::7]) + len(chunk[::-1])
    rev = data[::-1]
    return (total + rev[0] + rev[-1]) % 1000000007
def comp_work(n):
    squares = [i * i for i in range(n)]
    evens = [s for s in squares if s % 2 == 0]
    grid = [[(r * c) % 10 for c in range(30)] for r in range(200)]
    flat = [v for row in grid for v in row if v > 4]
    return (sum(evens) + len(flat) + sum(flat)) % 1000000007
def method_work(n):
    lst = []
    for i in range(n):
        lst.append(i)
        if i % 3 == 0:
            lst.insert(len(lst) // 2, -i)
        if i % 5 == 0:
            lst.pop()
    lst.reverse()
    cnt = lst.count(0)
    idx = lst.index(lst[len(lst) // 3])
    ext = []
    for i in range(200):
        ext.extend(lst[i:i + 10])
    return (len(lst) + cnt + idx + sum(ext)) % 1000000007
def main():
    check = 0
    for rep in range(REPS):
        data = pseudo_random(60000, rep + 7)
        check = (check * 131 + sort_work(data)) % 1000000007
        check = (check * 131 + slice_work(data)) % 1000000007
        check = (check * 131 + comp_work(60000)) % 1000000007
        check = (check * 131 + method_work(20000)) % 1000000007
    print("bm_list_sort checksum", check)
REPS = 8
main()
