#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Derive schemas/graph-types.json from the Graph beta type extract.

Developer tool: run it when ../shared/reference/graph changes. Keeps facts only
(types, properties, nullability, enum members, inheritance) plus the ranges and
collection maxima that Graph's property descriptions state; drops the prose.
"""
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_SRC = HERE.parent.parent / "shared" / "reference" / "graph" / "intune-types.json"
OUT = HERE.parent / "schemas" / "graph-types.json"
# Types the shared extract lacks (the PKCS certificate profiles), in the extract's format.
SUPPLEMENT = HERE / "graph-types-supplement.json"

MAX_RE = re.compile(r"maximum of (\d+) elements")
RANGE_RE = re.compile(r"Valid values (-?\d+) to (-?\d+)")


def prop(p, navigation):
    out = {"type": p["type"]}
    if p.get("collection"):
        out["collection"] = True
    if navigation:
        out["navigation"] = True
    elif not p.get("nullable", True):
        out["nullable"] = False
    desc = p.get("description", "")
    if m := MAX_RE.search(desc):
        out["maxItems"] = int(m.group(1))
    if m := RANGE_RE.search(desc):
        out["range"] = {"min": int(m.group(1)), "max": int(m.group(2))}
    return out


def main():
    src = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else DEFAULT_SRC
    data = json.loads(src.read_text())
    for name, t in json.loads(SUPPLEMENT.read_text())["types"].items():
        data["types"].setdefault(name, t)
    types = {}
    for name, t in data["types"].items():
        if t["kind"] == "enum":
            types[name] = {"kind": "enum", "flags": bool(t.get("isFlags")),
                           "members": [m["name"] for m in t["members"]]}
            continue
        entry = {"kind": t["kind"], "base": t["base"]}
        if t.get("abstract"):
            entry["abstract"] = True
        props = {p["name"]: prop(p, False) for p in t.get("properties", [])}
        props.update({p["name"]: prop(p, True) for p in t.get("navigation", [])})
        entry["properties"] = props
        types[name] = entry
    out = {
        "_source": "derived by scripts/derive-graph-types.py from microsoftgraph/msgraph-metadata "
        "schemas/beta-Prod.csdl (MIT licence, Copyright Microsoft Graph), with scripts/graph-types-supplement.json for "
        "types the extract lacks: types, properties, "
        "nullability, enum members; ranges and maxima as stated in Graph's property descriptions. "
        "Do not edit; regenerate.",
        "types": types,
    }
    text = json.dumps(out, indent=1, sort_keys=True) + "\n"
    if "--check" in sys.argv:
        sys.exit(0 if OUT.read_text() == text else 1)
    OUT.write_text(text)


if __name__ == "__main__":
    main()
