# sys.exit(n) in the main thread waits for non-daemon threads and keeps status n; a daemon
# thread blocked at that point does not delay the exit.
import sys
import threading
import time
never = threading.Event()
threading.Thread(target=never.wait, daemon=True).start()
results = []
def slow(i):
    time.sleep(0.02 * i)
    results.append(i)
    if len(results) == 3:
        print("all three workers done", sorted(results))
for i in range(1, 4):
    threading.Thread(target=slow, args=(i,)).start()
print("main calling sys.exit")
sys.exit(4)
