# KeyboardInterrupt is a BaseException: not caught by except Exception, caught explicitly.
def work():
    raise KeyboardInterrupt
try:
    try:
        work()
    except Exception:
        print("wrong handler")
except KeyboardInterrupt as e:
    print("caught KeyboardInterrupt", e.args)
try:
    raise KeyboardInterrupt("with msg")
except BaseException as e:
    print(type(e).__name__, e)
