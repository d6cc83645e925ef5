# primes.py: the sieve of Eratosthenes, twin primes and a prime factorisation table.
def sieve(limit):
    is_prime = [True] * (limit + 1)
    is_prime[0] = is_prime[1] = False
    for n in range(2, int(limit ** 0.5) + 1):
        if is_prime[n]:
            for multiple in range(n * n, limit + 1, n):
                is_prime[multiple] = False
    return [n for n, flag in enumerate(is_prime) if flag]


def factorise(n, primes):
    factors = []
    for p in primes:
        if p * p > n:
            break
        while n % p == 0:
            factors.append(p)
            n //= p
    if n > 1:
        factors.append(n)
    return factors


def main():
    primes = sieve(10000)
    print(f"{len(primes)} primes below 10000; the last five: {primes[-5:]}")
    twins = [(a, b) for a, b in zip(primes, primes[1:]) if b - a == 2]
    print(f"{len(twins)} twin pairs, the largest {twins[-1]}")
    for n in [360, 9973, 2 ** 20 - 1, 600851475143]:
        print(f"{n:>14,} = {' * '.join([str(f) for f in factorise(n, primes)])}")


if __name__ == "__main__":
    main()
