# Scaling benchmark: contended writes. All N threads (sys.argv[1], default 1) append to one shared list
# (and store a per-thread result in its own slot of a shared list), each doing the same number of appends plus a little
# arithmetic per item. The final length and sum are exact, whatever the interleaving.
import sys
import threading
shared = []
def work(tid, done):
    append = shared.append
    acc = 0
    for i in range(PER_THREAD):
        v = (i * 31 + tid) % 1000
        acc = (acc + v * v + (v ^ (i & 1023))) % 1000003
        append(v & 127)
    done[tid] = acc
PER_THREAD = 4000000
def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    done = [0] * n
    threads = [threading.Thread(target=work, args=(i, done)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = len(shared) == n * PER_THREAD
    total = sum(shared)
    check = 0
    for d in done:
        check = (check * 131 + d) % 1000000007
    print("scale_append threads", n, "length", len(shared), "ok", ok, "sum", total, "checksum", check)
main()
