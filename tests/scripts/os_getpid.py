# os.getpid returns a positive int that is stable within the process (its value is not printed).
import os
pid = os.getpid()
print(type(pid).__name__, pid > 0, pid == os.getpid())
