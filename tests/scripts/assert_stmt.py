# assert with and without a message; AssertionError args.
assert True
assert 1 == 1, "never shown"
try:
    assert 1 == 2
except AssertionError as e:
    print("AssertionError", e.args, repr(str(e)))
try:
    assert [], "empty list is falsy"
except AssertionError as e:
    print("AssertionError", e, e.args)
def check(n):
    assert n > 0, "n must be positive, got " + str(n)
    return n
print(check(5))
try:
    check(-2)
except AssertionError as e:
    print(e)
calls = []
def side():
    calls.append(1)
    return "msg"
assert True, side()
print("message not evaluated when true:", calls)
try:
    assert False, ("tuple", 1)
except AssertionError as e:
    print(e.args)
