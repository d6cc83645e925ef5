# ExecutionFailed for runtime errors, syntax errors and SystemExit (never an exit of the
# process); a closed interpreter is refused; closing the main or the current one is refused.
import interpreters

a = interpreters.create()

def failure(code):
    try:
        a.exec(code)
    except interpreters.ExecutionFailed as e:
        return e
    return None

e = failure("x = 1\ny = x / 0")
print(type(e).__name__, isinstance(e, interpreters.InterpreterError))
print(e.excinfo.type, "|", e.excinfo.msg)
print(e.excinfo.formatted)
print(str(e).split("\n")[0])
print("Uncaught in the interpreter:" in str(e), e.excinfo.formatted in str(e))

e = failure("""
def inner():
    raise KeyError('missing')
def outer():
    inner()
outer()
""")
print(e.excinfo.type, e.excinfo.msg)
print(e.excinfo.formatted.split("\n")[-1])
print(len(e.excinfo.formatted.split("\n")))

e = failure("raise ValueError")
print(repr(e.excinfo.msg), str(e).split("\n")[0])

e = failure("x = (1,")
print(e.excinfo.type)
print(e.excinfo.formatted.split("\n")[-1])

e = failure("import sys\nsys.exit(3)")
print(e.excinfo.type, e.excinfo.msg)
e = failure("raise SystemExit")
print(e.excinfo.type, repr(e.excinfo.msg))

# The interpreter is fine after a failure: names bound before the error stay.
a.exec("print('still here, x =', x)")

# Exceptions raised inside and caught inside never leave.
a.exec("""
try:
    [][1]
except IndexError as err:
    print('caught inside:', err)
""")

try:
    a.exec(42)
except TypeError:
    print("TypeError for a non-str")

for what in ["main", "current"]:
    try:
        if what == "main":
            interpreters.get_main().close()
        else:
            a.exec("import interpreters\ninterpreters.get_current().close()")
    except interpreters.ExecutionFailed as err:
        print(what, err.excinfo.type, err.excinfo.msg)
    except interpreters.InterpreterError as err:
        print(what, type(err).__name__)

a.close()
for call in [lambda: a.exec("pass"), lambda: a.close(), lambda: a.prepare_main(x=1),
             lambda: a.is_running()]:
    try:
        call()
    except interpreters.InterpreterNotFoundError as err:
        print("not found:", isinstance(err, interpreters.InterpreterError))
print("the process goes on")
