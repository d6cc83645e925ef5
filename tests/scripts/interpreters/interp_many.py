# 200 interpreters created and closed in a loop, list_all() checked after each step; then 40
# alive at once, each with its own value, closed in reverse.
import interpreters

seen = {}
for i in range(200):
    interp = interpreters.create()
    ids = [x.id for x in interpreters.list_all()]
    assert ids == [0, interp.id], ids
    assert interp.id not in seen, "ids are never reused"
    seen[interp.id] = True
    interp.exec("n = " + str(i) + "\nassert n * 2 == " + str(2 * i))
    interp.close()
    assert [x.id for x in interpreters.list_all()] == [0]
print(len(seen), len(interpreters.list_all()))

alive = [interpreters.create() for i in range(40)]
for i, interp in enumerate(alive):
    interp.prepare_main(value=i)
q = interpreters.create_queue()
for interp in alive:
    interp.prepare_main(q=q)
    interp.exec("q.put(value * value)")
print(sum([q.get() for i in range(40)]) == sum([i * i for i in range(40)]))
print(len(interpreters.list_all()))
for interp in reversed(alive):
    interp.close()
print([x.id for x in interpreters.list_all()])

# Creation returns a status: with every Gc arena leased, create() raises InterpreterError
# (at least 48 subinterpreters fit: README, "Subinterpreters").
many = []
try:
    while len(many) < 1000:
        many.append(interpreters.create())
except interpreters.InterpreterError as e:
    print(len(many) >= 48, "no free arena" in str(e))
for interp in many:
    interp.close()
again = interpreters.create()
again.exec("print('an arena is free again')")
again.close()
