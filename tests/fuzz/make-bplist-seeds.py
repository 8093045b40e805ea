#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the generated seeds of the binary-plist fuzz target (tests/fuzz/corpus/bplist/):
shapes a fuzzer would take long to grow byte by byte. Run from the repository root; the
output is deterministic, and the files are committed."""
import pathlib
import struct

OUT = pathlib.Path("tests/fuzz/corpus/bplist")


def width(n):
    return 1 if n < 1 << 8 else 2 if n < 1 << 16 else 3 if n < 1 << 24 else 4


def length(kind, n):
    """An object marker with its length, followed by a length integer when n >= 15."""
    if n < 15:
        return bytes([kind << 4 | n])
    size = 0 if n < 1 << 8 else 1 if n < 1 << 16 else 2
    return bytes([kind << 4 | 0xF, 0x10 | size]) + n.to_bytes(1 << size, "big")


def bplist(objects, top=0):
    """objects: functions from the reference width to the object's bytes."""
    ref = width(len(objects))
    body, offsets = bytearray(b"bplist00"), []
    for make in objects:
        offsets.append(len(body))
        body += make(ref)
    table = len(body)
    off = width(table)
    for o in offsets:
        body += o.to_bytes(off, "big")
    body += bytes(6) + bytes([off, ref]) + struct.pack(">QQQ", len(objects), top, table)
    return bytes(body)


def array(refs):
    return lambda ref: length(0xA, len(refs)) + b"".join(r.to_bytes(ref, "big") for r in refs)


def dictionary(keys, values):
    return lambda ref: length(0xD, len(keys)) + b"".join(r.to_bytes(ref, "big") for r in keys + values)


def ascii(text):
    return lambda ref: length(0x5, len(text)) + text


def integer(value):
    return lambda ref: bytes([0x13]) + value.to_bytes(8, "big")


def deep(levels):
    """`levels` arrays, each holding the next: libplist 2.2 recursed once per level."""
    return bplist([array([i + 1]) for i in range(levels - 1)] + [array([])])


def dag_bomb(levels):
    """Each dictionary holds the next one twice: 2**levels copies once expanded."""
    keys = [ascii(b"a"), ascii(b"b")]
    chain = [dictionary([0, 1], [i + 3, i + 3]) for i in range(levels)]
    return bplist(keys + chain + [ascii(b"leaf")], top=2)


def shared_keys(count):
    """As Apple's writer makes them: many dictionaries sharing key and value objects."""
    objects = [array(list(range(4, 4 + count))), ascii(b"PayloadType"), ascii(b"com.apple.vpn.managed"), integer(1)]
    objects += [dictionary([1], [2 if i % 2 else 3]) for i in range(count)]
    return bplist(objects)


def cycle():
    return bplist([array([1]), array([0])])


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "deep-100000-arrays.bplist").write_bytes(deep(100000))
    (OUT / "dag-bomb.bplist").write_bytes(dag_bomb(60))
    (OUT / "shared-keys.bplist").write_bytes(shared_keys(200))
    (OUT / "cycle.bplist").write_bytes(cycle())
