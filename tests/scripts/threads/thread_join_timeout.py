# join(timeout=...) returns while the thread is still alive; is_alive before start, during and after.
import threading
stop = threading.Event()
def blocker():
    stop.wait()
t = threading.Thread(target=blocker)
print(t.is_alive())
t.start()
print(t.is_alive())
t.join(timeout=0.05)
print(t.is_alive())
t.join(0.01)
print(t.is_alive())
stop.set()
t.join()
print(t.is_alive())
t.join()
t.join(timeout=0.01)
print("joined twice fine")
quick = threading.Thread(target=lambda: None)
quick.start()
quick.join(timeout=10)
print(quick.is_alive())
try:
    threading.Thread(target=blocker).join()
except RuntimeError:
    print("RuntimeError join before start")
try:
    quick.start()
except RuntimeError:
    print("RuntimeError start twice")
try:
    threading.current_thread().join()
except RuntimeError:
    print("RuntimeError join self")
