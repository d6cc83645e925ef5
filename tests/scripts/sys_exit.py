# sys.exit(3) ends the program with status 3 after running finally blocks; output before it is kept.
import sys
print("before exit")
def leave():
    try:
        sys.exit(3)
    finally:
        print("finally runs during exit")
leave()
print("not printed")
