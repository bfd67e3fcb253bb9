# SPDX-License-Identifier: Apache-2.0
"""Writes the sensor's TOML configuration from a dict (the standard library
reads TOML but does not write it).

Supported values: str, int, float, bool, lists of those, and nested dicts as
tables. An empty dict still gets its [header]: `[plugins.injection]` with no
keys is how a test turns a plugin on with its defaults.
"""

import math


def dumps(document: dict) -> str:
    lines = []
    _write_table(document, [], lines, is_root=True)
    return "\n".join(lines) + "\n"


def _write_table(table: dict, path: list, lines: list, is_root=False):
    scalars = {key: value for key, value in table.items() if not isinstance(value, dict)}
    tables = {key: value for key, value in table.items() if isinstance(value, dict)}
    if not is_root and (scalars or not tables):
        if lines:
            lines.append("")
        lines.append(f"[{'.'.join(_key(part) for part in path)}]")
    for key, value in scalars.items():
        lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in tables.items():
        _write_table(value, [*path, key], lines)


def _key(key) -> str:
    if not isinstance(key, str):
        raise TypeError(f"TOML keys are strings, not {key!r}")
    if key and all(character.isascii() and (character.isalnum() or character in "-_") for character in key):
        return key
    return _string(key)


def _value(value) -> str:
    # bool first: it is also an int in Python.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ("-" if value < 0 else "") + ("nan" if math.isnan(value) else "inf")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} {value!r} as TOML")


def _string(text: str) -> str:
    escapes = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    out = []
    for character in text:
        if character in escapes:
            out.append(escapes[character])
        elif ord(character) < 0x20 or ord(character) == 0x7F:
            out.append(f"\\u{ord(character):04x}")
        else:
            out.append(character)
    return '"' + "".join(out) + '"'
