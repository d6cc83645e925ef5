# Nested lists/dicts/tuples: building, mutation through aliases, deep reprs, equality.
inventory = {
    "fruits": {"apple": [1.5, 10], "pear": [2.0, 0]},
    "tools": {"hammer": [12.0, 3]},
}
inventory["fruits"]["kiwi"] = [0.5, 25]
inventory["tools"]["saw"] = [20.0, 1]
for cat, items in inventory.items():
    total = 0.0
    for name, (price, qty) in items.items():
        total += price * qty
    print(cat, sorted(items), total)
print(inventory)
tree = ["root", [["a", []], ["b", [["b1", []], ["b2", []]]]]]
def walk(node, depth, out):
    out.append("  " * depth + node[0])
    for child in node[1]:
        walk(child, depth + 1, out)
    return out
print("\n".join(walk(tree, 0, [])))
matrix = [[i * 3 + j for j in range(3)] for i in range(3)]
transposed = [[row[i] for row in matrix] for i in range(3)]
print(matrix, transposed)
print([[1, [2]], (3, {"x": [4]})] == [[1, [2]], (3, {"x": [4]})])
records = [("ann", {"age": 31, "tags": ["a"]}), ("bob", {"age": 25, "tags": []})]
records[1][1]["tags"].append("new")
print(records)
