"""Terraform type constraints (`string`, `map(object({ a = optional(string, "x") }))`) read into the type model,
and the allowed sets and length bounds of `validation` conditions folded into it where they name a path of the
variable (`contains(["a", "b"], var.x.kind)`, `length(var.name) <= 24`, `for _, v in var.x : contains(..., v.y)`)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from generator.module_release.tokens import TokenStream, TypeSyntaxError
from generator.module_release.types import (
    Attribute,
    Bounded,
    Collection,
    Literals,
    Object,
    Primitive,
    Tuple,
    Type,
)

_TOKEN = re.compile(r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<word>[\w.-]+)|(?P<punct>\S))')
PRIMITIVES = ("string", "number", "bool", "any")
COLLECTIONS = ("list", "set", "map")


class _Parser(TokenStream):
    def __init__(self, text: str) -> None:
        super().__init__([m.group(m.lastgroup or "punct") for m in _TOKEN.finditer(text) if m.group(0).strip()])

    def whole(self) -> Type:
        node = self.type()
        self.end()
        return node

    def type(self) -> Type:
        name = self.take()
        if name in PRIMITIVES:
            return Primitive(name)
        if name in COLLECTIONS:
            self.take("(")
            item = self.type()
            self.take(")")
            return Collection(name, item)
        if name == "tuple":
            self.take("(")
            self.take("[")
            items: list[Type] = []
            while self.peek() != "]":
                items.append(self.type())
                if self.peek() == ",":
                    self.take()
            self.take("]")
            self.take(")")
            return Tuple(tuple(items))
        if name == "object":
            return self.object()
        raise TypeSyntaxError(f"{name!r} is not a type")

    def object(self) -> Object:
        self.take("(")
        self.take("{")
        attributes: list[tuple[str, Attribute]] = []
        while self.peek() != "}":
            key = self.take()
            key = json.loads(key) if key.startswith('"') else key
            self.take("=")
            attributes.append((key, self.attribute()))
            if self.peek() == ",":
                self.take()
        self.take("}")
        self.take(")")
        return Object(tuple(attributes))

    def attribute(self) -> Attribute:
        if self.peek() != "optional":
            return Attribute(self.type(), optional=False)
        self.take()
        self.take("(")
        node = self.type()
        default = None
        if self.peek() == ",":
            self.take()
            default = self.expression()
        self.take(")")
        return Attribute(node, optional=True, default=default)

    def expression(self) -> str:
        """The text of a default value, up to the `)` that closes `optional(`."""
        parts: list[str] = []
        depth = 0
        while not (depth == 0 and self.peek() == ")"):
            token = self.take()
            depth += 1 if token in "([{" else -1 if token in ")]}" else 0
            parts.append(token)
        return " ".join(parts)


def parse_type(text: str) -> Type:
    """A Terraform type constraint (without `${}`)."""
    return _Parser(text).whole()


# --- validation conditions ------------------------------------------------------------------------------------

_PATH = r"(?:var|[a-z_]\w*)(?:\.\w+)*"
_CONTAINS = re.compile(r"contains\(\s*\[(?P<values>[^\]]*)\]\s*,\s*(?P<target>" + _PATH + r")\s*\)")
_BOUND = re.compile(
    r"(?:(?P<length>length)\(\s*(?P<measured>" + _PATH + r")\s*\)|(?<![\w.])(?P<target>" + _PATH + r"))"
    r"\s*(?P<op>>=|<=|>|<|==)\s*(?P<number>-?\d+)(?![\d.])"
)
_LOOP = re.compile(r"for\s+(?:\w+\s*,\s*)?(?P<name>\w+)\s+in\s+(?P<source>var\.\w+(?:\.\w+)*)\s*:")
_VALUE = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false')
STATED = "\u2026"  # where a condition stated a fact avm reads (the rest of it is compared as text)

Fact = tuple[list[str], str, object]  # (path in the variable, kind: allowed | min | max | min_value | max_value, value)


def _target_path(target: str, variable: str, loops: dict[str, list[str]]) -> list[str] | None:
    """`var.x.a.b` of variable `x` -> ["a", "b"]; `v.a` where `v` loops over `var.x` -> ["*", "a"]."""
    head, *rest = target.split(".")
    if head == "var":
        if not rest or rest[0] != variable:
            return None
        return rest[1:]
    if head in loops:
        return [*loops[head], "*", *rest]
    return None


def _bounds(match: re.Match[str], path: list[str]) -> list[Fact]:
    number, op = int(match.group("number")), match.group("op")
    suffix = "" if match.group("length") else "_value"
    facts: list[Fact] = []
    if op in (">=", ">", "=="):
        facts.append((path, f"min{suffix}", number + (op == ">")))
    if op in ("<=", "<", "=="):
        facts.append((path, f"max{suffix}", number - (op == "<")))
    return facts


def condition_facts(condition: str, variable: str) -> tuple[list[Fact], str]:
    """The allowed sets and bounds a condition states about the variable, and the rest of the condition (each
    fact's text replaced by `STATED`), which is compared as text."""
    loops: dict[str, list[str]] = {}
    for loop in _LOOP.finditer(condition):
        source = _target_path(loop.group("source"), variable, {})
        if source is not None:
            loops[loop.group("name")] = source
    facts: list[Fact] = []
    spans: list[tuple[int, int]] = []
    for match in _CONTAINS.finditer(condition):
        path = _target_path(match.group("target"), variable, loops)
        if path is not None:
            values = frozenset(json.dumps(json.loads(v)) for v in _VALUE.findall(match.group("values")))
            facts.append((path, "allowed", values))
            spans.append(match.span())
    for match in _BOUND.finditer(condition):
        path = _target_path(match.group("measured") or match.group("target"), variable, loops)
        if path is not None:
            facts += _bounds(match, path)
            spans.append(match.span())
    rest = condition
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + STATED + rest[end:]
    return facts, rest


def with_fact(node: Type, path: list[str], kind: str, value: object) -> Type | None:
    """`node` with one fact applied at `path`; None when the path does not lead anywhere in the type."""
    if not path:
        return _applied(node, kind, value)
    step, rest = path[0], path[1:]
    if step == "*" and isinstance(node, Collection):
        inner = with_fact(node.item, rest, kind, value)
        return None if inner is None else replace(node, item=inner)
    if isinstance(node, Object) and step in node.by_name:
        attribute = node.by_name[step]
        inner = with_fact(attribute.type, rest, kind, value)
        if inner is None:
            return None
        attributes = tuple((k, replace(a, type=inner) if k == step else a) for k, a in node.attributes)
        return replace(node, attributes=attributes)
    if isinstance(node, Bounded):
        inner = with_fact(node.inner, path, kind, value)
        return None if inner is None else replace(node, inner=inner)
    return None


def _applied(node: Type, kind: str, value: object) -> Type:
    if kind == "allowed":
        values: frozenset[str] = value  # type: ignore[assignment]
        if isinstance(node, Literals):
            return Literals(node.values & values)
        if isinstance(node, Collection):
            return replace(node, item=Literals(values))
        return Literals(values)
    bounds = node if isinstance(node, Bounded) else Bounded(node)
    field = "value" if kind.endswith("_value") else "length"
    low, high = getattr(bounds, field)
    number: int = value  # type: ignore[assignment]
    if kind.startswith("min"):
        return replace(bounds, **{field: (number if low is None else max(low, number), high)})
    return replace(bounds, **{field: (low, number if high is None else min(high, number))})
