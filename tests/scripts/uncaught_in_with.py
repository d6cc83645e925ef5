# An exception escaping a with block still runs __exit__, then terminates with status 1.
class CM:
    def __enter__(self):
        print("enter")
        return self
    def __exit__(self, t, v, tb):
        print("exit sees", t.__name__)
        return False
with CM():
    print("body")
    [][1]
