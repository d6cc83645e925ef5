# Scaling benchmark: independent CPU-bound work. Each of the N threads (sys.argv[1], default 1) runs the
# same computation on its own private data (own lists, dicts and instances), so ideal scaling keeps the
# wall time constant as N grows. Prints a checksum that does not depend on the thread count's timing.
import sys
import threading
class Particle:
    def __init__(self, x, v):
        self.x = x
        self.v = v
    def step(self):
        self.x = (self.x + self.v) % 10007
        self.v = (self.v * 3 + 1) % 101
def work(seed):
    data = [(seed * 31 + i * 17) % 1000 for i in range(2000)]
    counts = {}
    ps = [Particle(i, i % 7) for i in range(50)]
    acc = 0
    for rnd in range(ROUNDS):
        for i in range(0, len(data), 3):
            v = data[i]
            data[i] = (v * 7 + rnd) % 1000
            acc = (acc + v * i) % 1000000007
        for p in ps:
            p.step()
            counts[p.x % 64] = counts.get(p.x % 64, 0) + 1
        s = sorted(data[:200])
        acc = (acc + s[0] + s[-1] + len(counts)) % 1000000007
    return (acc + sum([p.x for p in ps])) % 1000000007
ROUNDS = 9000
def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    results = [0] * n
    def run(i):
        results[i] = work(i % 4)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check = 0
    for r in results:
        check = (check * 131 + r) % 1000000007
    print("scale_cpu threads", n, "checksum", check)
main()
