# Lists, tuples and dicts nested 50,000 deep: comparison, membership, count/index, sorting,
# max, repr and str recurse through native code and end in RecursionError (they once
# overflowed the C stack). The same in a thread, whose C stack is smaller.
import threading

def deep(n, kind):
    a = kind()
    for i in range(n):
        if kind is list:
            a = [a]
        elif kind is tuple:
            a = (a,)
        else:
            a = {1: a}
    return a

def run(tag):
    for kind in (list, tuple, dict):
        a = deep(50000, kind)
        b = deep(50000, kind)
        tests = [("eq", lambda: a == b), ("ne", lambda: a != b), ("lt", lambda: a < b),
                 ("in", lambda: a in [b]), ("count", lambda: [b].count(a)),
                 ("index", lambda: [b].index(a)), ("sorted", lambda: sorted([a, b])),
                 ("max", lambda: max([a, b])), ("repr", lambda: len(repr(a))),
                 ("str", lambda: len(str(a))), ("fstr", lambda: len(f"{a}"))]
        for name, f in tests:
            try:
                f()
                print(tag, kind.__name__, name, "ok")
            except RecursionError:
                print(tag, kind.__name__, name, "RecursionError")
            except TypeError as e:
                print(tag, kind.__name__, name, "TypeError", e)
    # Shallow enough for the limit: fine.
    a = deep(200, list)
    print(tag, a == deep(200, list), len(repr(a)))

run("main")
t = threading.Thread(target=run, args=("thread",))
t.start()
t.join()
