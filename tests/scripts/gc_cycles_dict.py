# Cycles through dicts (self-references, parent/child links, dict <-> list) are reclaimed; survivors keep
# their contents and insertion order.
import gc
def churn(n):
    for i in range(n):
        d = {"id": i}
        d["self"] = d
        parent = {"name": "p", "children": []}
        child = {"name": "c", "parent": parent}
        parent["children"].append(child)
        l = [d]
        d["list"] = l
for _ in range(4):
    churn(2000)
    gc.collect()
registry = {}
for i in range(100):
    entry = {"key": "k" + str(i), "value": i}
    entry["registry"] = registry
    registry["k" + str(i)] = entry
churn(3000)
print(gc.collect() >= 0)
print(len(registry), list(registry)[:3], list(registry)[-1])
print(all([registry["k" + str(i)]["registry"] is registry for i in range(100)]))
print(sum([e["value"] for e in registry.values()]))
