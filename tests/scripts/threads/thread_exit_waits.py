# An uncaught exception in the main thread still waits for non-daemon threads before the
# process exits with status 1; SystemExit inside a thread ends only that thread, silently.
import threading
import time
def quits():
    raise SystemExit(7)
q = threading.Thread(target=quits)
q.start()
q.join()
print("thread SystemExit ignored", q.is_alive())
def late():
    time.sleep(0.05)
    print("late non-daemon thread finished")
threading.Thread(target=late).start()
print("main raising")
raise ValueError("main failed")
