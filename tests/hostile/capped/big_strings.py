# Under the release build's 4 GiB address-space cap: methods of gigabyte strings whose result
# cannot fit end in MemoryError, and the interpreter goes on (they once aborted with
# std::bad_alloc). Run capped only: without the cap these would succeed, slowly. Each big
# string lives in a function's frame, so it is freed as the function returns.
def attempt(name, make, f):
    def run():
        s = make()
        return f(s)
    try:
        r = run()
        print(name, "ok", r if isinstance(r, int) else len(r))
    except MemoryError:
        print(name, "MemoryError")

attempt("repr", lambda: '\x01' * 2**30, lambda s: repr(s))
attempt("f-string repr", lambda: '\x01' * 2**30, lambda s: f"{s!r}")
attempt("split", lambda: 'x ' * 2**29, lambda s: s.split())
attempt("split sep", lambda: 'x ' * 2**29, lambda s: len(s.split(' ')))
attempt("upper", lambda: 'ß' * 2**31, lambda s: s.upper())
attempt("join", lambda: 'y' * 2**28, lambda s: '-'.join([s] * 20))
attempt("replace", lambda: 'z' * 2**28, lambda s: s.replace('z', 'ab'))
print(len('ok' * 1000), "end")
