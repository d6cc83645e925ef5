# sys.exit() with no argument (and SystemExit caught then re-raised) exits with status 0.
import sys
try:
    sys.exit(7)
except SystemExit as e:
    print("caught SystemExit", e.code)
print("continuing")
sys.exit()
print("not printed")
