#!/usr/bin/env python3
"""Count the instructions ftpy and CPython execute on the benchmark scripts (callgrind).

usage: instructions.py FTPY_BINARY [--python PYTHON3] [--only NAME]

Wall times on a shared machine drift by 10-20% between runs; instruction counts do not. Each
tests/bench/py/bm_*.py is copied to a temporary folder with its size constants (the
`NAME = <int>` lines at the bottom) cut to a tenth, rounded up, and run under
`valgrind --tool=callgrind` with each interpreter. Prints both counts and their ratio. An
instruction is not a cycle (the two interpreters' instructions differ in cost), so this
complements compare.py's wall times; it does not replace them.
Exit status: 0 when every run succeeded with matching output, 1 otherwise.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

from compare import BENCH_DIR, pick, real_executable, resolve

SIZE_LINE = re.compile(r"^([A-Z][A-Z_]*) = (\d+)$", re.MULTILINE)


def scaled_copy(src, dst_dir):
    with open(src) as f:
        text = f.read()
    text = SIZE_LINE.sub(lambda m: f"{m.group(1)} = {max(1, -(-int(m.group(2)) // 10))}", text)
    dst = os.path.join(dst_dir, os.path.basename(src))
    with open(dst, "w") as f:
        f.write(text)
    return dst


def count(interp, script):
    """(instructions, stdout) of one run under callgrind, or (None, error text)."""
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           interp, script], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=1800)
    m = re.search(r"refs:\s+([\d,]+)", proc.stderr)
    if proc.returncode != 0 or not m:
        return None, proc.stderr[-300:]
    return int(m.group(1).replace(",", "")), proc.stdout


def main():
    ap = argparse.ArgumentParser(description="Instruction counts, ftpy against CPython.")
    ap.add_argument("ftpy")
    ap.add_argument("--python", default="python3")
    ap.add_argument("--only", default="")
    opts = ap.parse_args()
    ftpy = resolve(opts.ftpy)
    python = real_executable(resolve(opts.python))
    print(f"python3: {python}")
    names = pick("bm_", opts.only)
    ok = True
    print(f"{'script':<16} {'python3 Ir':>14} {'ftpy Ir':>14} {'ftpy/python3':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            script = scaled_copy(os.path.join(BENCH_DIR, name), tmp)
            nf, out_f = count(ftpy, script)
            np_, out_p = count(python, script)
            if nf is None or np_ is None or out_f != out_p:
                ok = False
                print(f"{name[:-3]:<16} FAILED or MISMATCH", flush=True)
                continue
            print(f"{name[:-3]:<16} {np_:>14,} {nf:>14,} {nf / np_:>13.2f}", flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
