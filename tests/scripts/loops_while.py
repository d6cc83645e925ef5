# while loops with else, break, continue, nested loops.
i = 0
while i < 5:
    i += 1
    if i == 2:
        continue
    print("i", i)
else:
    print("while-else ran")
n = 0
while True:
    n += 1
    if n > 3:
        break
else:
    print("not printed")
print("n", n)
def find_first_square_over(limit):
    k = 0
    while k * k <= limit:
        k += 1
    else:
        return k
print(find_first_square_over(50))
a = 0
outer = 0
while outer < 3:
    inner = 0
    while inner < 3:
        if inner == outer:
            break
        a += 10 ** outer + inner
        inner += 1
    outer += 1
print(a)
count = 0
while count < 100000:
    count += 1
print(count)
