# A small program: sieve of Eratosthenes, prime factorisation, gcd table.
def sieve(n):
    is_p = [True] * (n + 1)
    is_p[0] = is_p[1] = False
    i = 2
    while i * i <= n:
        if is_p[i]:
            for j in range(i * i, n + 1, i):
                is_p[j] = False
        i += 1
    return [i for i in range(n + 1) if is_p[i]]
ps = sieve(10000)
print(len(ps), ps[:10], ps[-3:], sum(ps))
def factor(n):
    out = []
    for p in ps:
        if p * p > n:
            break
        while n % p == 0:
            out.append(p)
            n //= p
    if n > 1:
        out.append(n)
    return out
for n in [2, 12, 97, 360, 9999991, 600851475143]:
    print(n, factor(n))
def gcd(a, b):
    while b:
        a, b = b, a % b
    return a
print([[gcd(i, j) for j in range(1, 7)] for i in range(1, 7)])
