# Conditional expressions, nesting, laziness of the unchosen branch.
def sign(n):
    return "neg" if n < 0 else "zero" if n == 0 else "pos"
for n in [-3, 0, 4]:
    print(n, sign(n))
x = 10
print("big" if x > 5 else 1 / 0)
print(1 / 0 if x < 5 else "small-branch-skipped")
print([("even" if i % 2 == 0 else "odd") for i in range(5)])
y = (lambda a: a * 2 if a else -1)
print(y(3), y(0))
