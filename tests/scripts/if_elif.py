# if / elif / else chains, nesting, pass.
def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        if n % 2 == 0:
            return "small even"
        else:
            return "small odd"
    else:
        pass
    return "large"
for n in [-5, 0, 3, 4, 10, 99]:
    print(n, classify(n))
if []:
    print("no")
elif {}:
    print("no")
elif "s":
    print("string truthy")
else:
    print("no")
if 0: print("no")
else: print("one-line else")
x = 3
if x > 1:
    if x > 2:
        if x > 3:
            print("gt3")
        else:
            print("eq3")
