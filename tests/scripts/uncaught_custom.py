# An uncaught user-defined exception raised from inside a finally-protected block exits with status 1.
class AppFailure(Exception):
    pass
def run():
    try:
        print("working")
        raise AppFailure("giving up")
    finally:
        print("cleanup before dying")
run()
