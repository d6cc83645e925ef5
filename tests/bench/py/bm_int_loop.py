# Benchmark: integer loops (while and for over range), arithmetic, comparisons, bit operations.
def collatz_max(limit):
    best = 0
    best_n = 0
    for n in range(1, limit):
        x = n
        steps = 0
        while x != 1:
            if x & 1:
                x = 3 * x + 1
            else:
                x >>= 1
            steps += 1
        if steps > best:
            best = steps
            best_n = n
    return best_n * 1000 + best
def digit_sums(limit):
    total = 0
    for n in range(limit):
        s = 0
        while n:
            s += n % 10
            n //= 10
        total += s
    return total
def gcd_sum(limit):
    total = 0
    for a in range(1, limit):
        for b in range(a, limit, 7):
            x, y = a, b
            while y:
                x, y = y, x % y
            total += x
    return total
def lcg_mix(rounds):
    state = 12345
    acc = 0
    for i in range(rounds):
        state = (state * 1103515245 + 12345) % 2147483648
        acc ^= (state >> 3) + (i << 2)
        acc = acc % 1000000007
    return acc
def main():
    check = 0
    for rep in range(REPS):
        check = one_round(check + rep)
    print("bm_int_loop checksum", check)
def one_round(check):
    check = (check * 131 + collatz_max(30000)) % 1000000007
    check = (check * 131 + digit_sums(150000)) % 1000000007
    check = (check * 131 + gcd_sum(400)) % 1000000007
    check = (check * 131 + lcg_mix(300000)) % 1000000007
    return check
REPS = 5
main()
