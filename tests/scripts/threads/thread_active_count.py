# active_count() counts the main thread plus started, unfinished threads.
import threading
print(threading.active_count())
release = threading.Event()
started = threading.Semaphore(0)
def parked():
    started.release()
    release.wait()
ts = [threading.Thread(target=parked) for _ in range(3)]
print(threading.active_count())
for t in ts:
    t.start()
for _ in ts:
    started.acquire()
print(threading.active_count())
release.set()
for t in ts:
    t.join()
print(threading.active_count())
