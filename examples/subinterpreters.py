# Counts primes below a limit with one subinterpreter, then with several, each running in its
# own thread. Interpreters share no objects: the work goes out through one queue as (lo, hi)
# tuples and the counts come back through another, copied between interpreters; each worker
# has its own modules, its own collector and its own thread states, so nothing serialises.
# The answer does not depend on the interleaving; the wall times show the speed-up.
import interpreters
import threading
import time

LIMIT = 300000
CHUNK = 5000
WORKER = """
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

while True:
    job = tasks.get()
    if job is None:
        break
    lo, hi = job
    count = 0
    for n in range(lo, hi):
        if is_prime(n):
            count += 1
    results.put(count)
"""


def run(n_workers):
    tasks = interpreters.create_queue()
    results = interpreters.create_queue()
    workers = [interpreters.create() for i in range(n_workers)]
    for w in workers:
        w.prepare_main(tasks=tasks, results=results)
    threads = [threading.Thread(target=w.exec, args=(WORKER,)) for w in workers]
    start = time.monotonic()
    for t in threads:
        t.start()
    jobs = 0
    for lo in range(0, LIMIT, CHUNK):
        tasks.put((lo, min(lo + CHUNK, LIMIT)))
        jobs += 1
    for w in workers:
        tasks.put(None)
    total = sum([results.get() for i in range(jobs)])
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    for w in workers:
        w.close()
    return total, elapsed


one, t1 = run(1)
two, t2 = run(2)
four, t4 = run(4)
print("primes below", LIMIT, ":", one)
print("same answer with 2 and 4 interpreters:", one == two == four)
print("1 interpreter : {:.2f} s".format(t1))
print("2 interpreters: {:.2f} s  speed-up {:.2f}x".format(t2, t1 / t2))
print("4 interpreters: {:.2f} s  speed-up {:.2f}x".format(t4, t1 / t4))
