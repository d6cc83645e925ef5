# Arguments that are not valid UTF-8 (argv_bytes.args, one per line, printf escapes) become
# strs with CPython's surrogateescape: each undecodable byte is a lone surrogate U+DC80..
# U+DCFF, so len, repr, upper, split and slicing work (a malformed str once aborted here).
import sys
args = sys.argv[1:]
for a in args:
    print(len(a), repr(a), repr(a.upper()), repr(a.lower()), repr(a[1:]), a == a[:] + "")
print(repr(args[0].split(args[0][1])), args[0][1] in args[0], args[0].find(args[0][1]))
d = {a: i for i, a in enumerate(args)}
print(sorted(d.values()), repr(max(args)), repr(" ".join(args)))
