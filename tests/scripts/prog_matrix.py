# A small program: integer matrix multiply, power, transpose and determinant via fractions-free elimination.
def matmul(a, b):
    n, m, p = len(a), len(b), len(b[0])
    return [[sum([a[i][k] * b[k][j] for k in range(m)]) for j in range(p)] for i in range(n)]
def identity(n):
    return [[1 if i == j else 0 for j in range(n)] for i in range(n)]
def matpow(a, e):
    result = identity(len(a))
    while e:
        if e & 1:
            result = matmul(result, a)
        a = matmul(a, a)
        e >>= 1
    return result
def det(m):
    m = [row[:] for row in m]
    n = len(m)
    sign = 1
    prev = 1
    for k in range(n - 1):
        if m[k][k] == 0:
            for r in range(k + 1, n):
                if m[r][k] != 0:
                    m[k], m[r] = m[r], m[k]
                    sign = -sign
                    break
            else:
                return 0
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                m[i][j] = (m[i][j] * m[k][k] - m[i][k] * m[k][j]) // prev
        prev = m[k][k]
    return sign * m[n - 1][n - 1]
fib = [[1, 1], [1, 0]]
print(matpow(fib, 50)[0][1])
a = [[2, -1, 0], [1, 3, 2], [0, 1, 4]]
print(matmul(a, a))
print(det(a), det([[0, 1], [1, 0]]), det([[1, 2], [2, 4]]), det(identity(4)))
print([list(r) for r in zip(*a)])
