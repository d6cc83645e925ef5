# Threads inside a subinterpreter: close() waits for them; daemon threads are refused; an
# exception in one is printed (to stderr) and harms nothing. An interpreter runs one exec at a
# time: a second thread's exec, and close(), raise InterpreterError while it runs.
import interpreters
import threading
import time

a = interpreters.create()
a.exec("""
import threading, time
done = []
def work(n):
    time.sleep(0.1)
    done.append(n)
for n in range(3):
    threading.Thread(target=work, args=(n,)).start()
print('started', threading.active_count())
""")
a.exec("""
try:
    threading.Thread(target=print, daemon=True).start()
except RuntimeError as e:
    print('daemon:', e)
def broken():
    raise ValueError('in a thread of a subinterpreter')
t = threading.Thread(target=broken)
t.start()
t.join()
print('after the broken thread')
""")

# One exec at a time.
def slow():
    a.exec("time.sleep(0.5)")
runner = threading.Thread(target=slow)
runner.start()
while not a.is_running():
    time.sleep(0.005)
try:
    a.exec("print('never')")
except interpreters.InterpreterError as e:
    print("second exec:", e)
try:
    a.close()
except interpreters.InterpreterError as e:
    print("close while running:", e)
runner.join()
print(a.is_running())

# close() waits for the subinterpreter's own threads to end.
b = interpreters.create()
b.exec("""
import threading, time
def late():
    time.sleep(0.2)
    print('late thread done')
threading.Thread(target=late).start()
""")
b.close()
print("b closed")
a.exec("print(sorted(done))")

# A thread of a that went into c cannot close a from there: close would wait for itself.
c = interpreters.create()
a.prepare_main(c_id=c.id, a_id=a.id)
a.exec('''
import interpreters
result = []
def from_c():
    try:
        interpreters.Interpreter(c_id).exec(
            "import interpreters\\ninterpreters.Interpreter(" + str(a_id) + ").close()")
    except interpreters.ExecutionFailed as e:
        result.append(e.excinfo.type + ": " + e.excinfo.msg)
t = threading.Thread(target=from_c)
t.start()
t.join()
print(result)
''')
c.close()
a.close()
print("a closed")
