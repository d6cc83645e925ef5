# with: __enter__ result bound by as, __exit__ always runs, gets exception info, can suppress.
log = []
class CM:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    def __enter__(self):
        log.append("enter " + self.name)
        return self.name.upper()
    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            log.append("exit " + self.name + " clean")
        else:
            log.append("exit " + self.name + " " + exc_type.__name__ + ": " + str(exc))
        return self.suppress
with CM("a") as v:
    log.append("body " + v)
print(log)
log.clear()
try:
    with CM("b"):
        raise ValueError("boom")
except ValueError as e:
    log.append("caught " + str(e))
print(log)
log.clear()
with CM("c", suppress=True):
    raise KeyError("k")
    log.append("unreachable")
log.append("after suppressed")
print(log)
log.clear()
def early():
    with CM("d"):
        return "returned"
print(early(), log)
log.clear()
for i in range(3):
    with CM("loop" + str(i)):
        if i == 1:
            continue
        if i == 2:
            break
print(log)
class NoAs:
    def __enter__(self):
        print("entered")
    def __exit__(self, t, v, tb):
        print("exited", t is None, v is None, tb is None)
with NoAs() as x:
    print("x is", x)
