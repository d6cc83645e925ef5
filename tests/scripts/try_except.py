# try/except forms: bare, typed, tuple, as, else, ordering, matching base classes.
def attempt(fn):
    try:
        r = fn()
    except ZeroDivisionError:
        return "zero"
    except (KeyError, IndexError) as e:
        return "lookup " + type(e).__name__
    except ArithmeticError as e:
        return "arith " + type(e).__name__
    except Exception as e:
        return "other " + type(e).__name__
    else:
        return "ok " + str(r)
print(attempt(lambda: 1 / 0))
print(attempt(lambda: {}["k"]))
print(attempt(lambda: [][0]))
print(attempt(lambda: int("x")))
print(attempt(lambda: 42))
print(attempt(lambda: undefined_name))
def raise_overflow():
    raise OverflowError("too big")
print(attempt(raise_overflow))
try:
    [1, 2][5]
except:
    print("bare except caught")
try:
    x = 1
except ValueError:
    print("not run")
else:
    print("else runs when no exception", x)
def nested():
    try:
        try:
            raise ValueError("inner")
        except TypeError:
            print("wrong handler")
    except ValueError as e:
        print("outer handler got", e)
nested()
try:
    try:
        raise KeyError("a")
    except KeyError:
        raise ValueError("from handler")
except ValueError as e:
    print("replaced by", type(e).__name__, e)
results = []
for v in ["1", "x", "3", "", "5"]:
    try:
        results.append(int(v))
    except ValueError:
        results.append(-1)
        continue
print(results)
def catch_in_loop():
    n = 0
    while True:
        try:
            n += 1
            if n == 3:
                raise StopIteration
        except StopIteration:
            break
    return n
print(catch_in_loop())
