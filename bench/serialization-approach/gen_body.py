#!/usr/bin/env python3
"""Writes a GetInstances response body with 1,000 instances, every member of Instance (and of
every structure it reaches) populated, lists and maps with 2 items. Deterministic: values derive
from the instance index and the member path.

Usage: gen_body.py MODEL.json OUT.json"""
import json
import sys

MODEL, OUT = sys.argv[1], sys.argv[2]
NS = "com.amazonaws.lightsail#"
shapes = json.load(open(MODEL))["shapes"]
PRELUDE = {"String": "string", "Integer": "integer", "Boolean": "boolean", "Float": "float",
           "Double": "double", "Long": "long", "Timestamp": "timestamp"}


def shape(target):
    if target.startswith("smithy.api#"):
        return {"type": PRELUDE.get(target.split("#")[1], target.split("#")[1].lower())}
    return shapes[target]


def value(target, i, path):
    s = shape(target)
    t = s["type"]
    h = sum(ord(c) for c in path)  # deterministic per member path
    if t == "structure":
        return {name: value(m["target"], i, f"{path}.{name}") for name, m in s["members"].items()}
    if t == "list":
        return [value(s["member"]["target"], i, f"{path}[{k}]") for k in range(2)]
    if t == "map":
        return {f"key{k}": value(s["value"]["target"], i, f"{path}{{{k}}}") for k in range(2)}
    if t == "enum":
        vals = [m["traits"]["smithy.api#enumValue"] for m in s["members"].values()]
        return vals[(i + h) % len(vals)]
    if t == "string":
        if "smithy.api#enum" in s.get("traits", {}):
            vals = [v["value"] for v in s["traits"]["smithy.api#enum"]]
            return vals[(i + h) % len(vals)]
        leaf = path.rsplit(".", 1)[-1]
        return f"{leaf}-{i:05d}-{h % 997}"
    if t in ("integer", "long"):
        return (i * 7 + h) % 65536
    if t in ("float", "double"):
        return ((i + h) % 512) / 4.0 + 0.5
    if t == "boolean":
        return (i + h) % 2 == 0
    if t == "timestamp":
        return round(1_700_000_000 + i * 3600 + (h % 1000) / 1000.0, 3)
    raise SystemExit(f"unhandled {t} at {path}")


body = {
    "instances": [value(NS + "Instance", i, "instance") for i in range(1000)],
    "nextPageToken": "page-2",
}
with open(OUT, "w") as f:
    json.dump(body, f, separators=(",", ":"))
print(OUT, len(json.dumps(body, separators=(",", ":"))), "bytes")
