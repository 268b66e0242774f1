"""Terraform type constraints (`string`, `map(object({ a = optional(string, "x") }))`) read into the type model,
and the allowed sets and length bounds of `validation` conditions folded into it where they name a path of the
variable (`contains(["a", "b"], var.x.kind)`, `length(var.name) <= 24`, `for _, v in var.x : contains(..., v.y)`)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

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


class HclTypeError(ValueError):
    """A type constraint that does not read as one."""


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = [m.group(m.lastgroup or "punct") for m in _TOKEN.finditer(text) if m.group(0).strip()]
        self.index = 0

    def peek(self) -> str | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise HclTypeError(f"expected {expected or 'more'}, found {token or 'the end'}")
        self.index += 1
        return token

    def whole(self) -> Type:
        node = self.type()
        if self.peek() is not None:
            raise HclTypeError(f"unexpected {self.peek()!r}")
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
        raise HclTypeError(f"{name!r} is not a type")

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
_LENGTH = re.compile(r"length\(\s*(?P<target>" + _PATH + r")\s*\)\s*(?P<op>>=|<=|>|<|==)\s*(?P<number>\d+)")
_LOOP = re.compile(r"for\s+(?:\w+\s*,\s*)?(?P<name>\w+)\s+in\s+(?P<source>var\.\w+(?:\.\w+)*)\s*:")
_VALUE = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false')


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


def condition_facts(condition: str, variable: str) -> list[tuple[list[str], str, object]] | None:
    """The allowed sets and length bounds a condition states, each as (path, kind, value); None when it states
    none that avm understands (it is then compared as text)."""
    loops: dict[str, list[str]] = {}
    for loop in _LOOP.finditer(condition):
        source = _target_path(loop.group("source"), variable, {})
        if source is not None:
            loops[loop.group("name")] = source
    facts: list[tuple[list[str], str, object]] = []
    for match in _CONTAINS.finditer(condition):
        path = _target_path(match.group("target"), variable, loops)
        if path is not None:
            values = frozenset(json.dumps(json.loads(v)) for v in _VALUE.findall(match.group("values")))
            facts.append((path, "allowed", values))
    for match in _LENGTH.finditer(condition):
        path = _target_path(match.group("target"), variable, loops)
        if path is not None:
            number, op = int(match.group("number")), match.group("op")
            if op in (">=", ">", "=="):
                facts.append((path, "min", number + (op == ">")))
            if op in ("<=", "<", "=="):
                facts.append((path, "max", number - (op == "<")))
    return facts or None


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
    low, high = bounds.length
    number: int = value  # type: ignore[assignment]
    length = (max(low or number, number), high) if kind == "min" else (low, min(high or number, number))
    return replace(bounds, length=length)
