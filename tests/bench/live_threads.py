# How many threads can be alive at once: starts N (argv[1], default 3000) threads that each
# wait on one Event, waits up to 60 s for them to be running, prints how many were, then
# releases and joins them all. A thread that cannot get its stack fails to start (RuntimeError); one
# that cannot get its heaps' memory dies with MemoryError (on stderr) before it counts. The README's live-thread figures come from
#   build/ftpy tests/bench/live_threads.py 3000
#   prlimit --as=4294967296 build/ftpy tests/bench/live_threads.py 50
import sys
import threading
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
lock = threading.Lock()
running = [0]
go = threading.Event()

def work():
    with lock:
        running[0] += 1
    go.wait()

threads = []
for _ in range(N):
    t = threading.Thread(target=work)
    try:
        t.start()
    except RuntimeError as e:  # no memory for its stack: "can't start new thread"
        print("start failed after", len(threads), "threads:", e)
        break
    threads.append(t)
N = len(threads)
deadline = time.time() + 60
while running[0] < N and time.time() < deadline:
    time.sleep(0.01)
print("started", N, "alive at once", running[0])
go.set()
for t in threads:
    t.join()
