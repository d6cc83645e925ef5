# Requests far beyond the machine's memory end in MemoryError at once, whatever the
# address-space cap (they once aborted with std::bad_alloc, or began filling memory).
def attempt(name, f):
    try:
        r = f()
        print(name, "ok", len(r))
    except MemoryError:
        print(name, "MemoryError")

n = 10**13
attempt("ljust", lambda: 'a'.ljust(n))
attempt("rjust", lambda: 'a'.rjust(n, '*'))
attempt("center", lambda: 'é'.center(n))
attempt("zfill", lambda: '-7'.zfill(n))
attempt("str *", lambda: 'ab' * n)
attempt("list *", lambda: [1, 2] * n)
attempt("tuple *", lambda: (1,) * n)
attempt("f-string", lambda: f"{'a':>{n}}")
attempt("f-string int", lambda: f"{12:0{n}d}")
attempt("format", lambda: format(1.5, str(n)))
chunk = 'x' * 10**6
attempt("join", lambda: ''.join([chunk] * 10**7))
attempt("join sep", lambda: chunk.join(['a'] * 10**7))
attempt("replace", lambda: chunk.replace('x', 'y' * 10**7))
attempt("replace empty", lambda: chunk.replace('', 'z' * 10**7))
# Memory is still there afterwards.
print(len(chunk * 3), "end")
