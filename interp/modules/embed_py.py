#!/usr/bin/env python3
"""Embed a module written in the Python subset into C++: a header holding its text.

usage: embed_py.py INPUT.py OUTPUT.h NAME

Writes `inline constexpr char k_NAME_source[]`, the file's text preceded by one newline (so
line N of the .py file is line N + 1 of `<frozen NAME>`, as when the text was a raw string in
the .cpp file). The build runs this; edit the .py file, never the header.
"""
import sys


def main():
    src, dst, name = sys.argv[1:4]
    with open(src, encoding="utf-8") as f:
        text = f.read()
    if ')PY"' in text:
        sys.exit(f"{src}: contains the raw-string delimiter )PY\"")
    with open(dst, "w", encoding="utf-8") as f:
        f.write(f"// Generated from {name}.py by embed_py.py: edit the .py file.\n#pragma once\n")
        f.write(f'inline constexpr char k_{name}_source[] = R"PY(\n{text})PY";\n')


if __name__ == "__main__":
    main()
