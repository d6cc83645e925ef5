# time: time perf_counter monotonic sleep (only deterministic facts are printed).
import time
t0 = time.time()
p0 = time.perf_counter()
m0 = time.monotonic()
print(type(t0).__name__, type(p0).__name__, type(m0).__name__)
print(t0 > 1600000000.0)
time.sleep(0.02)
p1 = time.perf_counter()
m1 = time.monotonic()
print(p1 - p0 >= 0.015, m1 >= m0, time.time() >= t0)
time.sleep(0)
print(time.monotonic() >= m1)
from time import sleep, perf_counter
start = perf_counter()
sleep(0.01)
print(perf_counter() > start)
