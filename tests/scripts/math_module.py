# math: sqrt floor ceil isqrt gcd fabs pi e inf nan isnan isinf.
import math
print(math.sqrt(16), math.sqrt(2), math.sqrt(0.25), math.sqrt(0))
print(math.floor(2.7), math.floor(-2.5), math.floor(3), math.ceil(2.1), math.ceil(-2.9), math.ceil(5))
print(type(math.floor(1.5)).__name__, type(math.ceil(1.5)).__name__, type(math.sqrt(4)).__name__)
print(math.isqrt(0), math.isqrt(15), math.isqrt(16), math.isqrt(10 ** 18), math.isqrt(9223372036854775807))
print(math.gcd(12, 18), math.gcd(0, 5), math.gcd(0, 0), math.gcd(-12, 18), math.gcd(17, 5))
print(math.fabs(-3), math.fabs(2.5), math.fabs(-0.0))
print(math.pi, math.e, math.inf, -math.inf, math.nan)
print(math.isnan(math.nan), math.isinf(math.inf), math.isinf(1e308), math.isnan(0.0))
print(round(math.pi, 4), f"{math.e:.3f}", math.floor(math.pi * 100) / 100)
for bad in [lambda: math.sqrt(-1), lambda: math.isqrt(-1)]:
    try:
        bad()
    except ValueError:
        print("ValueError")
from math import sqrt, pi as PI
print(sqrt(81), PI == math.pi)
