# Counts primes below a limit with one thread and then with several threads, which run at the
# same time: ftpy has no global interpreter lock. Each worker sieves its own slice of the range,
# appends its findings to one shared list and reports through a queue; a lock guards a shared
# tally. The answer does not depend on the interleaving; the wall times show the speed-up.
import queue
import threading
import time

LIMIT = 300000
WORKERS = 4


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_range(lo, hi):
    count = 0
    for n in range(lo, hi):
        if is_prime(n):
            count += 1
    return count


def run_threads(n_threads):
    results = queue.Queue()
    found = []          # shared list: every worker appends to it
    tally = [0]         # shared counter, guarded by the lock
    lock = threading.Lock()
    step = LIMIT // n_threads

    def worker(i):
        lo = i * step
        hi = LIMIT if i == n_threads - 1 else lo + step
        c = count_range(lo, hi)
        found.append((i, c))
        with lock:
            tally[0] += c
        results.put(c)

    threads = [threading.Thread(target=worker, args=(i,), name="sieve-" + str(i))
               for i in range(n_threads)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    total = 0
    while not results.empty():
        total += results.get()
    assert total == tally[0] and len(found) == n_threads
    return total, elapsed


one, t1 = run_threads(1)
many, tn = run_threads(WORKERS)
print("primes below", LIMIT, ":", one)
print(WORKERS, "threads agree:", many == one)
print("time with 1 thread:  {:.3f} s".format(t1))
print("time with {} threads: {:.3f} s (speed-up {:.2f}x)".format(WORKERS, tn, t1 / tn))
