# Benchmark: call-heavy recursive code (fib, tak, ackermann, recursive tree building and walking).
# Prints a checksum so the result is verified too.
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
def tak(x, y, z):
    if y >= x:
        return z
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
def ack(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))
def build(depth):
    if depth == 0:
        return None
    return (build(depth - 1), depth, build(depth - 1))
def walk(node):
    if node is None:
        return 0
    left, val, right = node
    return walk(left) + val + walk(right)
def hanoi(n, a, b, c):
    if n == 0:
        return 0
    return hanoi(n - 1, a, c, b) + 1 + hanoi(n - 1, c, b, a)
def main():
    check = 0
    for rep in range(REPS):
        check = one_round(check + rep)
    print("bm_recursion checksum", check)
def one_round(check):
    check = (check * 31 + fib(26)) % 1000000007
    for i in range(3):
        check = (check * 31 + tak(18, 12, 6 + i)) % 1000000007
    check = (check * 31 + ack(2, 400)) % 1000000007
    check = (check * 31 + ack(3, 5)) % 1000000007
    for d in range(12, 15):
        check = (check * 31 + walk(build(d))) % 1000000007
    check = (check * 31 + hanoi(17, "a", "b", "c")) % 1000000007
    return check
REPS = 13
main()
