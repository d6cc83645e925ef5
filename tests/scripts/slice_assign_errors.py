# Assigning a non-iterable to a slice: the message names the extended form by the slice's
# own step (None and 1 are plain), as CPython decides before computing any index.
a = [1, 2, 3, 4]
for k in (slice(None, None, 2), slice(0, 1), slice(None, None, 1), slice(None, None, -1),
          slice(1, 3, 1), slice(5, 9, 3)):
    try:
        a[k] = 5
    except TypeError as e:
        print(k, e)
a[::2] = [9, 8]
print(a)
