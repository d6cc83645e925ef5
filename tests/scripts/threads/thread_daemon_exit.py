# Daemon threads still running at exit (sleeping, blocked, and spinning) do not stop the program from
# exiting promptly with status 0.
import threading
import time
never = threading.Event()
def sleeper():
    while True:
        time.sleep(0.01)
def blocked():
    never.wait()
def spinner():
    x = 0
    while True:
        x = (x + 1) % 1000
        lst = [x] * 4
def allocator():
    keep = []
    while True:
        keep.append([1, 2, 3])
        if len(keep) > 1000:
            keep = []
ts = [threading.Thread(target=f, daemon=True) for f in [sleeper, blocked, spinner, allocator]]
for t in ts:
    t.start()
t2 = threading.Thread(target=sleeper)
t2.daemon = True
t2.start()
time.sleep(0.05)
print([t.daemon for t in ts], t2.daemon, all([t.is_alive() for t in ts]))
print("main exiting")
