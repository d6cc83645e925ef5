# __name__ of the main script is "__main__"; the usual guard pattern runs main().
def main():
    print("main running as", __name__)
    return 0
if __name__ == "__main__":
    main()
else:
    print("not main")
print(__name__ == "__main__")
