# Create, exec, close; state kept between execs; ids, equality and list_all at each step.
import interpreters

main = interpreters.get_main()
print(main, main.id, main == interpreters.get_current(), main.is_running())
print([i.id for i in interpreters.list_all()])

a = interpreters.create()
print(a.id > 0, a.is_running(), a != main, a == interpreters.Interpreter(a.id))
print([i.id for i in interpreters.list_all()] == [0, a.id])

a.exec("counter = 1")
a.exec("counter += 41")
a.exec("print('counter is', counter)")
a.exec("""
def twice(x):
    return 2 * x
""")
a.exec("print(twice(counter))")
a.exec("import interpreters\nprint(interpreters.get_current().id == interpreters.list_all()[-1].id)")
a.exec("print(interpreters.get_main().id, __name__)")

b = interpreters.create()
print(b.id > a.id, len(interpreters.list_all()))
b.exec("print('b runs in', __name__)")
try:
    b.exec("print(counter)")
except interpreters.ExecutionFailed as e:
    print("b:", e.excinfo.type, e.excinfo.msg)

a.close()
print([i.id for i in interpreters.list_all()] == [0, b.id])
b.close()
print([i.id for i in interpreters.list_all()])
print({a: 1, main: 2}[interpreters.get_main()])
print(repr(a).startswith("Interpreter("))
