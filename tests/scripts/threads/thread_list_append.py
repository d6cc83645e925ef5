# 8 threads append to one list and write one dict concurrently; nothing is lost or duplicated.
import threading
N_THREADS = 8
PER_THREAD = 2000
shared_list = []
shared_dict = {}
def worker(tid):
    for i in range(PER_THREAD):
        shared_list.append(tid * PER_THREAD + i)
        shared_dict[(tid, i)] = i * i
threads = [threading.Thread(target=worker, args=(t,)) for t in range(N_THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(shared_list), len(shared_dict))
print(sorted(shared_list) == list(range(N_THREADS * PER_THREAD)))
print(sum(shared_list), sum(shared_dict.values()))
for tid in range(N_THREADS):
    mine = [v for v in shared_list if v // PER_THREAD == tid]
    if mine != sorted(mine):
        print("per-thread order broken", tid)
print("per-thread append order preserved")
print(shared_dict[(3, 10)], shared_dict[(7, PER_THREAD - 1)])
