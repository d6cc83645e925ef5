from time import monotonic as _time

TIMEOUT_MAX = 9223372036.0


class BrokenBarrierError(RuntimeError):
    pass


class Thread:
    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, daemon=None):
        if group is not None:
            raise AssertionError("group argument must be None for now")
        if name is None:
            name = "Thread-" + str(_next_thread_number())
            if target is not None:
                target_name = getattr(target, "__name__", None)
                if target_name is not None:
                    name = name + " (" + str(target_name) + ")"
        else:
            name = str(name)
        if kwargs is None:
            kwargs = {}
        if daemon is None:
            daemon = current_thread().daemon
        self._target = target
        self._args = args
        self._kwargs = kwargs
        self.name = name
        self.daemon = bool(daemon)
        # Filled in by _start_new_thread before the thread runs; present from the start so
        # that starting replaces values instead of growing the instance dict.
        self.ident = None
        self._handle = None
        self._started = False
        self._initialized = True

    def start(self):
        if not getattr(self, "_initialized", False):
            raise RuntimeError("thread.__init__() not called")
        if self._started:
            raise RuntimeError("threads can only be started once")
        _start_new_thread(self)

    def run(self):
        if self._target is not None:
            self._target(*self._args, **self._kwargs)

    def join(self, timeout=None):
        if not getattr(self, "_initialized", False):
            raise RuntimeError("Thread.__init__() not called")
        if not self._started:
            raise RuntimeError("cannot join thread before it is started")
        if self is current_thread():
            raise RuntimeError("cannot join current thread")
        if self._handle is not None:
            self._handle.join(timeout)

    def is_alive(self):
        return self._started and not self._handle.is_done()

    def getName(self):
        return self.name

    def setName(self, name):
        self.name = str(name)

    def isDaemon(self):
        return self.daemon

    def setDaemon(self, daemonic):
        self.daemon = bool(daemonic)

    def __repr__(self):
        status = "initial"
        if self._started:
            status = "started" if self.is_alive() else "stopped"
        if self.daemon:
            status += " daemon"
        if self.ident is not None:
            status += " " + str(self.ident)
        return "<" + type(self).__name__ + "(" + self.name + ", " + status + ")>"


class _MainThread(Thread):
    def __init__(self):
        Thread.__init__(self, name="MainThread", daemon=False)
        self._started = True
        self.ident = get_ident()

    def is_alive(self):
        return True


_main_thread = _MainThread()
_set_main_thread(_main_thread)


def main_thread():
    return _main_thread


def active_count():
    return _running_count() + 1


def enumerate():
    return [_main_thread] + _running_threads()


class Condition:
    def __init__(self, lock=None):
        if lock is None:
            lock = RLock()
        self._lock = lock
        self.acquire = lock.acquire
        self.release = lock.release
        if hasattr(lock, "_is_owned"):
            self._is_owned = lock._is_owned
        if hasattr(lock, "_release_save"):
            self._release_save = lock._release_save
            self._acquire_restore = lock._acquire_restore
        self._waiters = []

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    # For a plain Lock, which has no owner: held by someone is the best it can tell.
    def _is_owned(self):
        if self._lock.acquire(False):
            self._lock.release()
            return False
        return True

    def _release_save(self):
        self._lock.release()
        return None

    def _acquire_restore(self, state):
        self._lock.acquire()

    # Each waiter parks on a lock of its own, taken before it joins the waiter list; notify
    # releases it. The waiter list changes only with the condition's lock held.
    def wait(self, timeout=None):
        if not self._is_owned():
            raise RuntimeError("cannot wait on un-acquired lock")
        waiter = _allocate_lock()
        waiter.acquire()
        self._waiters.append(waiter)
        state = self._release_save()
        woken = False
        try:
            if timeout is None:
                woken = waiter.acquire()
            elif timeout > 0:
                woken = waiter.acquire(True, timeout)
            else:
                woken = waiter.acquire(False)
            return woken
        finally:
            self._acquire_restore(state)
            if not woken:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)

    def wait_for(self, predicate, timeout=None):
        end = None
        result = predicate()
        while not result:
            if timeout is not None:
                if end is None:
                    end = _time() + timeout
                    wait_time = timeout
                else:
                    wait_time = end - _time()
                    if wait_time <= 0:
                        break
                self.wait(wait_time)
            else:
                self.wait()
            result = predicate()
        return result

    def notify(self, n=1):
        if not self._is_owned():
            raise RuntimeError("cannot notify on un-acquired lock")
        count = 0
        while self._waiters and count < n:
            waiter = self._waiters.pop(0)
            waiter.release()
            count += 1

    def notify_all(self):
        self.notify(len(self._waiters))

    notifyAll = notify_all


class Semaphore:
    def __init__(self, value=1):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._cond = Condition(Lock())
        self._value = value

    def acquire(self, blocking=True, timeout=None):
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        end = None
        with self._cond:
            while self._value == 0:
                if not blocking:
                    return False
                if timeout is not None:
                    if end is None:
                        end = _time() + timeout
                    else:
                        timeout = end - _time()
                    if timeout <= 0:
                        return False
                self._cond.wait(timeout)
            self._value -= 1
            return True

    def __enter__(self):
        return self.acquire()

    def release(self, n=1):
        if n < 1:
            raise ValueError("n must be one or more")
        with self._cond:
            self._value += n
            self._cond.notify(n)

    def __exit__(self, t, v, tb):
        self.release()


class BoundedSemaphore(Semaphore):
    def __init__(self, value=1):
        Semaphore.__init__(self, value)
        self._initial_value = value

    def release(self, n=1):
        if n < 1:
            raise ValueError("n must be one or more")
        with self._cond:
            if self._value + n > self._initial_value:
                raise ValueError("Semaphore released too many times")
            self._value += n
            self._cond.notify(n)


class Event:
    def __init__(self):
        self._cond = Condition(Lock())
        self._flag = False

    def is_set(self):
        with self._cond:
            return self._flag

    isSet = is_set

    def set(self):
        with self._cond:
            self._flag = True
            self._cond.notify_all()

    def clear(self):
        with self._cond:
            self._flag = False

    def wait(self, timeout=None):
        with self._cond:
            signaled = self._flag
            if not signaled:
                signaled = self._cond.wait(timeout)
            return signaled


# A Barrier counts arrivals per generation: the last of `parties` arrivals runs the action,
# starts the next generation and wakes the others. A timeout, a failing action or abort()
# breaks the barrier: every waiter, present and future, gets BrokenBarrierError.
class Barrier:
    def __init__(self, parties, action=None, timeout=None):
        if parties < 1:
            raise ValueError("parties must be > 0")
        self._cond = Condition(Lock())
        self._action = action
        self._timeout = timeout
        self.parties = parties
        self._count = 0
        self._generation = 0
        self._broken = False

    def wait(self, timeout=None):
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            if self._broken:
                raise BrokenBarrierError()
            generation = self._generation
            index = self._count
            self._count += 1
            if self._count == self.parties:
                if self._action is not None:
                    try:
                        self._action()
                    except BaseException:
                        self._break()
                        raise
                self._count = 0
                self._generation += 1
                self._cond.notify_all()
                return index
            end = None
            if timeout is not None:
                end = _time() + timeout
            while generation == self._generation and not self._broken:
                if end is None:
                    self._cond.wait()
                else:
                    left = end - _time()
                    if left <= 0 or not self._cond.wait(left):
                        if generation == self._generation and not self._broken:
                            self._break()
            if generation == self._generation:
                raise BrokenBarrierError()
            return index

    def _break(self):
        self._broken = True
        self._cond.notify_all()

    def abort(self):
        with self._cond:
            self._break()

    def reset(self):
        with self._cond:
            if self._count > 0:
                self._break()
            self._generation += 1
            self._count = 0
            self._broken = False
