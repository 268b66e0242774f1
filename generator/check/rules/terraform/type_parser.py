"""Terraform type constraints read as nested tuples and compared, for the interface rules."""

from __future__ import annotations

import re
from typing import Any

from generator.check.hcl_reader import expr

_TYPE_TOKEN = re.compile(r'\s*("(?:\\.|[^"\\])*"|[A-Za-z_][A-Za-z0-9_-]*|-?[0-9.]+|.)', re.S)


class _TypeParser:
    def __init__(self, text: str) -> None:
        self.tokens = [t for t in _TYPE_TOKEN.findall(text) if t.strip() and t != ","]
        self.i = 0

    def peek(self) -> str:
        return self.tokens[self.i] if self.i < len(self.tokens) else ""

    def take(self, want: str | None = None) -> str:
        tok = self.peek()
        if want is not None and tok != want:
            raise ValueError(f"expected {want!r}, got {tok!r}")
        self.i += 1
        return tok

    def type(self) -> Any:
        tok = self.take()
        if tok in ("string", "number", "bool", "any"):
            return tok
        if tok in ("list", "set", "map"):
            self.take("(")
            inner = self.type()
            self.take(")")
            return (tok, inner)
        if tok == "tuple":
            self.take("(")
            self.take("[")
            items = []
            while self.peek() not in ("]", ""):
                items.append(self.type())
            self.take("]")
            self.take(")")
            return ("tuple", tuple(items))
        if tok == "object":
            self.take("(")
            self.take("{")
            attrs: dict[str, tuple[Any, bool, str | None]] = {}
            while self.peek() not in ("}", ""):
                key = self.take().strip('"')
                if self.take() not in ("=", ":"):
                    raise ValueError("expected = in object type")
                attrs[key] = self.attribute()
            self.take("}")
            self.take(")")
            return ("object", attrs)
        raise ValueError(f"unknown type {tok!r}")

    def attribute(self) -> tuple[Any, bool, str | None]:
        if self.peek() != "optional":
            return (self.type(), False, None)
        self.take("optional")
        self.take("(")
        inner = self.type()
        default: list[str] = []
        depth = 0
        while self.peek() and not (depth == 0 and self.peek() == ")"):
            tok = self.take()
            depth += tok in "([{" and len(tok) == 1
            depth -= tok in ")]}" and len(tok) == 1
            default.append(tok)
        self.take(")")
        text = "".join(default)
        return (inner, True, None if text in ("", "null") else text)


def parse_type(value: Any) -> Any:
    text = expr(value) if expr(value) is not None else value
    if not isinstance(text, str):
        return None
    try:
        parser = _TypeParser(text)
        result = parser.type()
        return result if parser.i == len(parser.tokens) else None
    except (ValueError, IndexError):
        return None


def type_difference(actual: Any, expected: Any, path: str, tolerated: dict[str, str], missing: list[str]) -> str | None:
    """The first path where `actual` differs from `expected`; `tolerated` object attributes may be absent
    ("deprecated") or may have any type ("free"); absent deprecated ones are added to `missing`."""
    if isinstance(expected, str) or isinstance(actual, str):
        return None if actual == expected else (path or "type")
    if actual[0] != expected[0]:
        return path or "type"
    if expected[0] in ("list", "set", "map"):
        return type_difference(actual[1], expected[1], path, tolerated, missing)
    if expected[0] == "tuple":
        if len(actual[1]) != len(expected[1]):
            return path or "type"
        for a, e in zip(actual[1], expected[1], strict=True):
            if found := type_difference(a, e, path, tolerated, missing):
                return found
        return None
    for key in sorted(set(actual[1]) | set(expected[1])):
        sub = f"{path}.{key}" if path else key
        if key not in actual[1]:
            if tolerated.get(sub) in ("deprecated", "free"):
                if tolerated[sub] == "deprecated":
                    missing.append(sub)
                continue
            return sub
        if key not in expected[1]:
            return sub
        if tolerated.get(sub) == "free":
            continue
        (a_type, a_opt, a_def), (e_type, e_opt, e_def) = actual[1][key], expected[1][key]
        if a_opt != e_opt or a_def != e_def:
            return sub
        if found := type_difference(a_type, e_type, sub, tolerated, missing):
            return found
    return None
