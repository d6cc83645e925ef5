# interpreters: many interpreters in one process, sharing nothing (PEP 734's
# concurrent.interpreters, as LANGUAGE.md lists it). The native half (interpreters.cpp) binds
# _create, _destroy, _exec, _prepare_main, _is_running, _list_all, _get_current, is_shareable,
# create_queue, Queue and the exceptions before this runs.

__all__ = [
    "get_current", "get_main", "create", "list_all", "is_shareable",
    "Interpreter", "InterpreterError", "InterpreterNotFoundError", "ExecutionFailed",
    "NotShareableError", "create_queue", "Queue", "QueueEmpty", "QueueFull",
]


class ExceptionSnapshot:
    """What crossed back of an exception that escaped Interpreter.exec: strings only."""

    def __init__(self, type, msg, formatted):
        self.type = type
        self.msg = msg
        self.formatted = formatted

    def __repr__(self):
        return "ExceptionSnapshot(type=" + repr(self.type) + ", msg=" + repr(self.msg) + ")"


class ExecutionFailed(InterpreterError):
    """An exception escaped Interpreter.exec(); excinfo describes it."""

    def __init__(self, excinfo):
        if excinfo.msg:
            msg = excinfo.type + ": " + excinfo.msg
        else:
            msg = excinfo.type
        super().__init__(msg)
        self.excinfo = excinfo

    def __str__(self):
        return super().__str__() + "\nUncaught in the interpreter:\n" + self.excinfo.formatted


class Interpreter:
    """One interpreter of this process, named by its id."""

    def __init__(self, id, _known=False):
        if not isinstance(id, int) or isinstance(id, bool):
            raise TypeError("id must be an int, got " + repr(id))
        if not _known:
            _is_running(id)  # InterpreterNotFoundError for an id no live interpreter has
        self.id = id

    def __repr__(self):
        return "Interpreter(" + str(self.id) + ")"

    def __eq__(self, other):
        if not isinstance(other, Interpreter):
            return NotImplemented
        return self.id == other.id

    def __hash__(self):
        return hash(self.id)

    def is_running(self):
        return _is_running(self.id)

    def close(self):
        _destroy(self.id)

    def prepare_main(self, ns=None, **kwargs):
        names = {}
        if ns is not None:
            for key in ns:
                names[key] = ns[key]
        for key in kwargs:
            names[key] = kwargs[key]
        _prepare_main(self.id, names)

    def exec(self, code):
        failure = _exec(self.id, code)
        if failure is not None:
            raise ExecutionFailed(ExceptionSnapshot(failure[0], failure[1], failure[2]))


def create():
    return Interpreter(_create(), True)


def get_current():
    return Interpreter(_get_current(), True)


def get_main():
    return Interpreter(0, True)


def list_all():
    # The ids were live when listed; one may close before its object is made.
    return [Interpreter(id, True) for id in _list_all()]
