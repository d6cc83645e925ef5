# Exception objects: args, str(), repr() for zero, one and several arguments; user subclasses.
for e in [Exception(), Exception("msg"), Exception("a", 1), ValueError(), ValueError("bad value"),
          KeyError("k"), KeyError(), IndexError("idx"), TypeError("t", None), RuntimeError(42)]:
    print(type(e).__name__, e.args, "[" + str(e) + "]", repr(e))
class AppError(Exception):
    pass
class DetailedError(AppError):
    def __init__(self, code, detail):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail
e = AppError("plain")
print(e, repr(e), e.args)
d = DetailedError(404, "not found")
print(d.code, d.detail, d.args, str(d), repr(d))
try:
    raise DetailedError(500, "server")
except AppError as err:
    print("caught as base:", type(err).__name__, err.code)
class WithStr(Exception):
    def __str__(self):
        return "custom str"
print(str(WithStr("ignored")), repr(WithStr("x")), WithStr("y").args)
print(str(KeyError("quoted")), str(KeyError(1)), str(KeyError(("a", 1))))
print(repr(StopIteration()), repr(SystemExit(3)), SystemExit(3).code, SystemExit().code)
e2 = Exception("x")
e2.extra = "attr"
print(e2.extra, isinstance(e2, BaseException))
