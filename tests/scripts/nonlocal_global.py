# global and nonlocal declarations, shadowing, module-level state.
counter = 0
def bump():
    global counter
    counter += 1
bump()
bump()
print(counter)
def make_global():
    global created_later
    created_later = "made inside function"
make_global()
print(created_later)
x = "global x"
def shadow():
    x = "local x"
    return x
print(shadow(), x)
def reader():
    return x
print(reader())
def outer():
    y = 1
    def mid():
        nonlocal y
        y += 10
        def inner():
            nonlocal y
            y *= 2
        inner()
    mid()
    return y
print(outer())
def g2():
    global counter
    counter = 100
    def h():
        return counter
    return h()
print(g2(), counter)
def nl_loop():
    total = 0
    def add(n):
        nonlocal total
        total += n
    for i in range(5):
        add(i)
    return total
print(nl_loop())
