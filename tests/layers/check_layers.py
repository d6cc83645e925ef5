#!/usr/bin/env python3
"""Check that every #include points down the layer order, never up or sideways.

usage: check_layers.py SOURCE_ROOT

The order, lowest first (DESIGN.md, interp/README.md):
    sync < alloc < runtime < gc < interp/front, interp/text < interp/objects
         < interp/compile < interp/vm < interp/modules < interp/main.cpp
A file may include headers of its own folder and of any folder below it. interp/front and
interp/text are leaves of the language: they include nothing of the runtime, nor each other.
The Meson libraries link in the same order; this check is what keeps a header from reaching
up (a static library cannot stop that by itself). Exit status 1 lists every violation.
"""
import os
import re
import sys

RANK = {
    "sync": 0, "alloc": 1, "runtime": 2, "gc": 3,
    "interp/front": 4, "interp/text": 4,
    "interp/objects": 5, "interp/compile": 6, "interp/vm": 7, "interp/modules": 8,
    "interp": 9,  # interp/main.cpp
}
# Folders of equal rank that are still independent of each other.
LEAVES = {"interp/front", "interp/text"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def folder_of(path):
    d = os.path.dirname(path)
    return d if d in RANK else None


def main():
    root = sys.argv[1]
    bad = []
    checked = 0
    for top in ("sync", "alloc", "runtime", "gc", "interp"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                if not name.endswith((".h", ".cpp", ".def")):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                src = folder_of(rel)
                if src is None:
                    bad.append(f"{rel}: folder not in the layer order")
                    continue
                with open(os.path.join(root, rel), encoding="utf-8") as f:
                    text = f.read()
                checked += 1
                for inc in INCLUDE.findall(text):
                    dst = folder_of(inc)
                    if dst is None:
                        bad.append(f"{rel}: includes {inc}, outside the layer order")
                    elif RANK[dst] > RANK[src] or (
                            dst != src and RANK[dst] == RANK[src]
                            and (src in LEAVES or dst in LEAVES)):
                        bad.append(f"{rel}: includes {inc} ({dst} is not below {src})")
                    elif src in LEAVES and dst != src:
                        bad.append(f"{rel}: includes {inc} ({src} is a leaf)")
    for line in bad:
        print(line)
    print(f"check_layers: {checked} files, {len(bad)} upward includes")
    return 1 if bad or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
