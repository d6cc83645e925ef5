# Unbounded recursion raises RecursionError (default limit 1000) that can be caught; limits adjust.
import sys
print(sys.getrecursionlimit())
def forever(n):
    return forever(n + 1)
try:
    forever(0)
except RecursionError as e:
    print("caught", type(e).__name__, isinstance(e, RuntimeError))
def down(n):
    return 0 if n == 0 else 1 + down(n - 1)
print(down(500))
sys.setrecursionlimit(2500)
print(sys.getrecursionlimit(), down(1500))
sys.setrecursionlimit(1000)
try:
    down(5000)
except RecursionError:
    print("caught again")
print(down(100), "still works")
def mutual_a(n):
    return mutual_b(n + 1)
def mutual_b(n):
    return mutual_a(n + 1)
try:
    mutual_a(0)
except RecursionError:
    print("mutual caught")
