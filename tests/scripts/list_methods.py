# list methods: append extend insert pop remove index count sort reverse copy clear.
a = [3, 1, 2]
a.append(5)
a.extend([9, 8])
a.extend((7,))
a.extend("xy")
print(a)
a.insert(0, "first")
a.insert(-1, "before-last")
a.insert(100, "end")
a.insert(-100, "start")
print(a)
print(a.pop(), a.pop(0), a.pop(1), a.pop(-2), a)
a.remove("x")
print(a, a.index(9), a.index(2), a.count(2), a.count("nope"))
nums = [5, 3, 8, 1, 9, 2, 8]
print(nums.index(8), nums.index(8, 3), nums.count(8))
nums.sort()
print(nums)
nums.sort(reverse=True)
print(nums)
nums.reverse()
print(nums)
words = ["pear", "Fig", "apple", "kiwi", "banana"]
words.sort(key=len)
print(words)
words.sort(key=lambda w: w.lower(), reverse=True)
print(words)
b = nums.copy()
b.append(100)
print(nums, b)
b.clear()
print(b, len(b))
for bad in [lambda: [].pop(), lambda: [1].remove(2), lambda: [1].index(5), lambda: [1].pop(5)]:
    try:
        bad()
    except (IndexError, ValueError) as e:
        print(type(e).__name__)
r = [1, 2]
print(r.append(3), r.extend([4]), r.sort(), r.reverse(), r.insert(0, 0), r.clear(), r)
