# raise SystemExit(code) from a nested call exits with that code; stdout before it is flushed.
def deep(n):
    if n == 0:
        raise SystemExit(5)
    deep(n - 1)
for i in range(3):
    print("line", i)
deep(10)
