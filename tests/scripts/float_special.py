# inf, nan and signed zero behave as IEEE doubles.
import math
inf = float("inf")
nan = float("nan")
print(inf, -inf, nan, math.inf, -math.inf, math.nan)
print(inf > 1e308, -inf < -1e308, inf == inf, nan == nan, nan != nan)
print(inf + 1, inf - inf, inf * 0, 1 / inf, -1 / inf)
print(math.isnan(nan), math.isnan(1.0), math.isinf(inf), math.isinf(-inf), math.isinf(nan))
print(0.0 == -0.0, -0.0, 0.0 * -1, abs(-0.0), -0.0 + 0.0)
print(repr(float("-0.0")), str(-0.0))
print(nan > 0, nan < 0, nan == 0)
print(float("Infinity"), float("-NaN"))
lst = [3.0, inf, -inf, 0.0]
print(sorted(lst), max(lst), min(lst))
try:
    int(inf)
except OverflowError:
    print("OverflowError")
try:
    int(nan)
except ValueError:
    print("ValueError")
