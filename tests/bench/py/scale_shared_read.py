# Scaling benchmark: shared read-mostly state. Each of the N threads (sys.argv[1], default 1) calls the
# same global functions and reads the same global list, dict, tuple and class attributes (nothing shared
# is written), doing the same amount of work, so ideal scaling keeps the wall time constant.
import sys
import threading
TABLE = [(i * 7919) % 1009 for i in range(4096)]
LOOKUP = {}
for _i in range(512):
    LOOKUP["k" + str(_i)] = _i * 3
KEYS = tuple(["k" + str(i) for i in range(512)])
class Config:
    scale = 3
    offset = 11
    names = ["alpha", "beta", "gamma", "delta"]
def mix(a, b):
    return (a * Config.scale + b + Config.offset) % 1000003
def score(i):
    return mix(TABLE[i % 4096], LOOKUP[KEYS[i % 512]]) + len(Config.names[i % 4])
def work(seed):
    acc = seed
    for i in range(ITERS):
        acc = (acc + score(i + seed)) % 1000000007
        if TABLE[(i * 13) % 4096] > 1000:
            acc += 1
    return acc
ITERS = 2800000
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
    print("scale_shared_read threads", n, "checksum", check)
main()
