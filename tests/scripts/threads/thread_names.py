# Thread identity: names, current_thread(), main_thread(), get_ident(), ident, daemon flag.
import threading
main = threading.current_thread()
print(main.name, main is threading.main_thread(), main.daemon, type(main.ident).__name__)
print(threading.get_ident() == main.ident)
info = {}
def worker(tag):
    me = threading.current_thread()
    info[tag] = (me.name, me is threading.main_thread(), threading.main_thread().name,
                 threading.get_ident() == me.ident, me.ident != main.ident, me.daemon)
t1 = threading.Thread(target=worker, args=("a",), name="worker-a")
t2 = threading.Thread(target=worker, kwargs={"tag": "b"}, name="worker-b", daemon=True)
print(t1.name, t2.name, t1.daemon, t2.daemon, t1.ident is None)
t1.start()
t2.start()
t1.join()
t2.join()
print(info["a"])
print(info["b"])
print(type(t1.ident).__name__, type(t2.ident).__name__)
t3 = threading.Thread(target=lambda: None, name="renamed")
t3.name = "new-name"
print(t3.name)
t3.start()
t3.join()
