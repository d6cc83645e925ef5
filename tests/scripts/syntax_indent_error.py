# Inconsistent dedent is an IndentationError at compile time: nothing runs, exit status 1.
print("never printed, the module does not compile")
if True:
        x = 1
    y = 2
