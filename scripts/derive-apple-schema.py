#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Derive schemas/apple-payloads.json from Apple's device-management YAML.

Developer tool: run it when Apple's YAML changes, on a checkout of apple/device-management
(release b6202ca, iOS 18.1/macOS 15.1, is what schemas/ holds):
    scripts/derive-apple-schema.py <checkout> [--check]
../shared/reference/apple-device-management, the default, is a copy of that commit without
com.apple.wifi.managed.yaml; the script says so and stops. It keeps facts only
(key names, types, allowed values, ranges, defaults, presence, platform availability)
and drops Apple's prose. The project's tests read the derived file, never the YAML.
"""
import json
import pathlib
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_SRC = HERE.parent.parent / "shared" / "reference" / "apple-device-management"
OUT = HERE.parent / "schemas" / "apple-payloads.json"
PAYLOADS = [
    "com.apple.vpn.managed",
    "com.apple.vpn.managed.applayer",
    "com.apple.security.scep",
    "com.apple.security.root",
    "com.apple.security.pkcs1",
    "com.apple.security.pkcs12",
    "com.apple.security.acme",
    "com.apple.vpn.managed.appmapping",
    "com.apple.wifi.managed",
]
PLATFORMS = {"iOS": "ios", "macOS": "macos"}


def platforms(supported):
    out = {}
    for apple_name, ours in PLATFORMS.items():
        if apple_name in (supported or {}):
            entry = supported[apple_name] or {}
            if "introduced" in entry:
                out[ours] = str(entry["introduced"])
            if "removed" in entry:
                out[ours] = "n/a"
    return out


def key_spec(item):
    spec = {"type": item["type"].strip("<>")}
    if item.get("presence") == "required":
        spec["required"] = True
    if "rangelist" in item:
        spec["values"] = item["rangelist"]
    if "range" in item:
        spec["range"] = {k: v for k, v in item["range"].items() if k in ("min", "max")}
    if "format" in item:
        spec["format"] = item["format"]
    # What leaving the key out means on the device: decompile does not report a key that
    # holds it as lost. Scalars only; Apple writes a few defaults as prose or lists.
    default = item.get("default")
    if spec["type"] == "boolean" and isinstance(default, str) and default.lower() in ("true", "false"):
        default = default.lower() == "true"  # Apple writes a few as text
    if spec["type"] == "string" and isinstance(default, (int, float)) and not isinstance(default, bool):
        default = str(default)  # "1.0", read by YAML as a number
    kinds = {"string": (str,), "integer": (int,), "real": (int, float), "boolean": (bool,)}
    if spec["type"] in kinds and isinstance(default, kinds[spec["type"]]) and not (
        spec["type"] in ("integer", "real") and isinstance(default, bool)
    ):
        spec["default"] = default
    plat = platforms(item.get("supportedOS"))
    if plat:
        spec["platforms"] = plat
    subkeys = item.get("subkeys") or []
    if spec["type"] == "array" and subkeys:
        spec["items"] = key_spec(subkeys[0])
    elif spec["type"] == "dictionary" and subkeys:
        if len(subkeys) == 1 and subkeys[0]["key"] == "ANY":
            spec["anyKeys"] = True
        else:
            spec["keys"] = {s["key"]: key_spec(s) for s in subkeys}
    return spec


def payload_spec(doc):
    return {
        "platforms": platforms(doc["payload"].get("supportedOS")),
        "keys": {k["key"]: key_spec(k) for k in doc["payloadkeys"]},
    }


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    src = pathlib.Path(args[0]) if args else DEFAULT_SRC
    profiles = src / "mdm" / "profiles"
    missing = [n for n in ["TopLevel", "CommonPayloadKeys", *PAYLOADS] if not (profiles / f"{n}.yaml").exists()]
    if missing:
        sys.exit(f"derive-apple-schema: {profiles} lacks {', '.join(missing)}; give a checkout of apple/device-management")
    load = lambda name: yaml.safe_load((profiles / f"{name}.yaml").read_text())
    out = {
        "_source": "derived by scripts/derive-apple-schema.py from apple/device-management "
        "(MIT licence, Copyright Apple Inc.): key names, types, allowed values, ranges, "
        "defaults, presence and platform availability only. Do not edit; regenerate.",
        "toplevel": payload_spec(load("TopLevel")),
        "common": payload_spec(load("CommonPayloadKeys")),
        "payloads": {name: payload_spec(load(name)) for name in PAYLOADS},
    }
    text = json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        sys.exit(0 if OUT.read_text() == text else 1)
    OUT.write_text(text)


if __name__ == "__main__":
    main()
