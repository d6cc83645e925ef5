# Comparison operators, chains evaluated once, mixed types, sequences compared lexicographically.
def v(x):
    print("eval", x)
    return x
print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 > 1, 1 < 3 > 2, 1 == 1 == 1, 1 == 1 != 2)
print(v(1) < v(2) < v(3))
print(v(3) < v(2) < v(1))
print(1 <= 1, 2 >= 3, 1 != 1.0, "a" < "b", "abc" < "abd", "Z" < "a", "" < "a")
print([1, 2] < [1, 3], [1, 2] < [1, 2, 0], (1, "a") < (1, "b"), [] == [], (1,) == (1,))
print([1, [2, 3]] == [1, [2, 3]], {"a": 1} == {"a": 1}, {"a": 1} != {"a": 2})
print({"a": 1, "b": 2} == {"b": 2, "a": 1})
print(None == None, None is None, None is not None, 0 == None, "1" == 1)
x = 5
print(0 < x <= 5, 0 < x < 5, not 0 < x)
try:
    print(1 < "a")
except TypeError:
    print("TypeError int < str")
try:
    print([1] < (1,))
except TypeError:
    print("TypeError list < tuple")
print(1 in [1, 2], 3 not in [1, 2], "b" in "abc", "bc" in "abc", "x" not in "abc")
print("a" in {"a": 1}, 1 in {"a": 1}, 2 in (1, 2), 5 in range(10), 10 in range(10))
a = [1]
b = [1]
print(a == b, a is b, a is not b, a is a)
