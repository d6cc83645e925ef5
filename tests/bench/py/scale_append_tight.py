# Scaling benchmark: contended writes with nothing between them. All N threads (sys.argv[1],
# default 1) append to one shared list in a tight loop, `shared.append(i)`, the same number of
# appends each. The threads do little but append, so this is the worst case for fine-grained
# locking (scale_append does some arithmetic per item). The final length and sum are exact,
# whatever the interleaving.
import sys
import threading
shared = []
PER_THREAD = 2000000
def work():
    for i in range(PER_THREAD):
        shared.append(i)
def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    threads = [threading.Thread(target=work) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = len(shared) == n * PER_THREAD and sum(shared) == n * (PER_THREAD * (PER_THREAD - 1) // 2)
    print("scale_append_tight threads", n, "length", len(shared), "ok", ok)
main()
