# GC benchmark: the pause of a full collection over a large live heap. Builds SMALL live small lists
# of two ints (sys.argv[1], default 1000000), 1000 to a page list, the pages in one list: SMALL +
# SMALL // 1000 + 1 tracked objects. Lists, because both interpreters track every list, one object
# each (CPython 3.11 untracks tuples and dicts of atomics, and an ftpy instance is two objects, the
# instance and its dict, where CPython's is one). Automatic collection is off; gc.collect() is then
# timed RUNS times (sys.argv[2], default 7) with time.perf_counter(). Nothing is garbage, so every
# collection must find 0 unreachable objects.
# Lines starting with "time " vary from run to run (the driver, gc_bench.py, parses them); every
# other line is identical under ftpy and python3.
import gc
import sys
import time


PAGE = 1000


def build(small):
    """small // PAGE pages of PAGE lists [i, page]; returns (the list of pages, objects built)."""
    pages = []
    for p in range(small // PAGE):
        page = []
        append = page.append
        for i in range(PAGE):
            append([i, p])
        pages.append(page)
    return pages, len(pages) * (PAGE + 1) + 1


def main():
    small = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    gc.collect()  # whatever start-up left behind, before timing anything
    gc.disable()
    pages, objects = build(small)
    pauses = []
    found = 0
    for _ in range(runs):
        start = time.perf_counter()
        found += gc.collect()
        pauses.append((time.perf_counter() - start) * 1000.0)
    gc.enable()
    check = 0
    for page in pages[::7]:
        for item in page[::97]:
            check = (check * 31 + item[0] + item[1]) % 1000000007
    ordered = sorted(pauses)
    print("pause objects", objects, "runs", runs)
    print("pause unreachable found", found)
    print("pause checksum", check)
    print("time pause_ms median", f"{ordered[len(ordered) // 2]:.3f}", "max", f"{ordered[-1]:.3f}")
    print("time pause_ms all", " ".join([f"{p:.3f}" for p in pauses]))


main()
