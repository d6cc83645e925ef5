# finally runs on normal exit, exceptions, return, break and continue.
def f1():
    try:
        return "try-value"
    finally:
        print("finally after return")
print(f1())
def f2():
    try:
        raise ValueError("x")
    finally:
        print("finally during exception")
try:
    f2()
except ValueError as e:
    print("propagated", e)
for i in range(3):
    try:
        if i == 0:
            continue
        if i == 2:
            break
        print("body", i)
    finally:
        print("finally", i)
def f3():
    x = []
    try:
        x.append(1)
        return x
    finally:
        x.append(2)
print(f3())
def f4():
    try:
        try:
            raise KeyError("k")
        finally:
            print("inner finally")
    except KeyError:
        print("outer except")
    finally:
        print("outer finally")
f4()
def f5():
    try:
        pass
    except Exception:
        print("no")
    else:
        print("else")
    finally:
        print("finally")
    return "done"
print(f5())
def f6(n):
    while n > 0:
        try:
            n -= 1
            if n == 1:
                return "returned at 1"
        finally:
            print("cleanup", n)
print(f6(3))
def f7():
    try:
        raise ValueError("original")
    finally:
        print("cleanup keeps exception")
try:
    f7()
except ValueError as e:
    print("still", e)
