# Exceptions interacting with loops, functions and finally: break/continue out of handlers, nested raise.
def process(items):
    out = []
    for it in items:
        try:
            if it is None:
                continue
            if it == "stop":
                break
            out.append(10 // it)
        except ZeroDivisionError:
            out.append("div0")
        except TypeError:
            out.append("type")
        finally:
            out.append("|")
    return out
print(process([5, 0, None, "x", 2, "stop", 1]))
def retry(n_fail):
    attempts = 0
    while True:
        attempts += 1
        try:
            if attempts <= n_fail:
                raise RuntimeError("attempt " + str(attempts))
            return "succeeded after " + str(attempts)
        except RuntimeError as e:
            last = str(e)
            if attempts > 5:
                return "gave up at " + last
print(retry(2), "/", retry(10))
def cleanup_order():
    log = []
    for i in range(2):
        try:
            try:
                log.append("try" + str(i))
                raise ValueError(i)
            finally:
                log.append("inner-finally" + str(i))
        except ValueError as e:
            log.append("caught" + str(e.args[0]))
    return log
print(cleanup_order())
count = 0
for i in range(1000):
    try:
        if i % 7 == 0:
            raise KeyError(i)
        count += 1
    except KeyError:
        count -= 1
print(count)
