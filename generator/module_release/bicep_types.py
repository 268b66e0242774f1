"""Bicep type expressions (`string`, `'a' | 'b'`, `fooType[]?`, `{ name: string, tags: object? }`) read into the
type model; named types are resolved through a callback (the module's own `type` statements and local imports),
anything else (`resourceInput<>`, registry types) stays a `Named` type."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from generator.check.bicep_reader import Decorator, string_value, strip_comments
from generator.module_release.tokens import TokenStream, TypeSyntaxError
from generator.module_release.types import (
    Attribute,
    Bounded,
    Collection,
    Literals,
    Named,
    Nullable,
    Object,
    Primitive,
    Tuple,
    Type,
    Union,
)

PRIMITIVES = ("string", "int", "bool", "object", "array", "any")
_TOKEN = re.compile(
    r"\s*(?:(?P<string>'''.*?'''|'(?:[^'\\]|\\.)*')|(?P<number>-?\d+)|(?P<ident>[A-Za-z_][\w]*)|(?P<punct>\[\]|\[\*\]|\.\*|[{}\[\]()|?:,.<>@*!]))",
    re.S,
)

Resolver = Callable[[str], Type | None]


def _tokens(text: str) -> list[str]:
    lines = [line for line in strip_comments(text).splitlines() if not line.lstrip().startswith("#")]
    text = "\n".join(lines).replace("\n", " , ")  # a new line separates object properties like a comma
    tokens: list[str] = []
    index = 0
    while index < len(text):
        if not text[index:].strip():
            break
        match = _TOKEN.match(text, index)
        if match is None:
            raise TypeSyntaxError(f"cannot read the type at {text[index:].strip()[:30]!r}")
        tokens.append(match.group(match.lastgroup or "punct"))
        index = match.end()
    return tokens


def literal_value(token: str) -> str:
    """A Bicep literal token as JSON text ('a' -> "a", 1 -> 1, true -> true)."""
    if token.startswith("'"):
        return json.dumps(string_value(token))
    return token


class _Parser(TokenStream):
    def __init__(self, text: str, resolve: Resolver) -> None:
        super().__init__(_tokens(text))
        self.resolve = resolve

    def skip_separators(self) -> None:
        while self.peek() == ",":
            self.index += 1

    def _continues_with(self, token: str) -> bool:
        """Whether `token` comes next, perhaps on the next line (the separators before it are then skipped)."""
        ahead = 0
        while self.peek(ahead) == ",":
            ahead += 1
        if self.peek(ahead) != token:
            return False
        self.index += ahead
        return True

    def whole(self) -> Type:
        self.skip_separators()
        node = self.union()
        self.skip_separators()
        self.end()
        return node

    def union(self) -> Type:
        if self._continues_with("|"):  # a union may start with `|` (one option per line)
            self.take("|")
            self.skip_separators()
        options = [self.postfix()]
        while self._continues_with("|"):
            self.take("|")
            self.skip_separators()
            options.append(self.postfix())
        if len(options) == 1:
            return options[0]
        if all(isinstance(o, Literals) for o in options):
            return Literals(frozenset(v for o in options for v in o.values))  # type: ignore[attr-defined]
        return Union(frozenset(options))

    def postfix(self) -> Type:
        node = self.primary()
        while self.peek() in ("[]", "?"):
            node = Collection("array", node) if self.take() == "[]" else Nullable(node)
        return node

    def primary(self) -> Type:
        token = self.take()
        if token == "(":
            self.skip_separators()
            node = self.union()
            self.skip_separators()
            self.take(")")
            return node
        if token == "{":
            return self.object()
        if token == "[":
            return self.tuple()
        if token.startswith("'") or token[0].isdigit() or token[0] == "-" or token in ("true", "false"):
            return Literals(frozenset({literal_value(token)}))
        if token == "@":
            self.decorator()
            return self.primary()
        return self.reference(token)

    def reference(self, name: str) -> Type:
        parts = [name]
        version = ""
        if self.peek() == "<":
            self.take()
            argument = self.take()
            self.take(">")
            resource, _, version = (string_value(argument) or argument).partition("@")
            parts = [f"{name}<{resource}>"]
        while self.peek() in (".", "[*]", ".*"):
            token = self.take()
            parts.append("." + self.take() if token == "." else token)
        text = "".join(parts)
        if len(parts) == 1 and name in PRIMITIVES:
            return Primitive(name)
        if len(parts) == 1 and not version:
            resolved = self.resolve(name)
            if resolved is not None:
                return resolved
        return Named(text, version)

    def decorator(self) -> Decorator:
        name = self.take()
        if name == "sys" and self.peek() == ".":
            self.take()
            name = self.take()
        self.take("(")
        start, depth = self.index, 1
        while depth:
            token = self.take()
            depth += {"(": 1, ")": -1}.get(token, 0)
        return Decorator(name, " ".join(self.tokens[start : self.index - 1]), 0)

    def object(self) -> Type:
        attributes: list[tuple[str, Attribute]] = []
        sealed = False
        while True:
            self.skip_separators()
            token = self.peek()
            if token == "}":
                self.take()
                return Object(tuple(attributes), sealed)
            decorators = []
            while self.peek() == "@":
                self.take()
                decorators.append(self.decorator())
                self.skip_separators()
            if self.peek() == "}":
                sealed = sealed or any(d.name == "sealed" for d in decorators)
                continue
            key = self.take()
            key = string_value(key) or key if key.startswith("'") else key
            self.take(":")
            node = constrained(self.union(), decorators)
            optional = isinstance(node, Nullable) or (isinstance(node, Bounded) and isinstance(node.inner, Nullable))
            attributes.append((key, Attribute(node, optional)))

    def tuple(self) -> Type:
        items: list[Type] = []
        while True:
            self.skip_separators()
            if self.peek() == "]":
                self.take()
                return Tuple(tuple(items))
            items.append(self.union())


def _int(decorator: Decorator | None) -> int | None:
    if decorator is None:
        return None
    try:
        return int(decorator.args.replace(" ", ""))
    except ValueError:
        return None


def constrained(node: Type, decorators: list[Decorator]) -> Type:
    """The type with the bounds of its `@minLength`/`@maxLength`/`@minValue`/`@maxValue` decorators."""
    found = {d.name: d for d in decorators}
    length = (_int(found.get("minLength")), _int(found.get("maxLength")))
    value = (_int(found.get("minValue")), _int(found.get("maxValue")))
    if length == (None, None) and value == (None, None):
        return node
    return Bounded(node, length, value)


def allowed_values(decorator: Decorator) -> Literals:
    """The values of an `@allowed([...])` decorator."""
    tokens = [t for t in _tokens(decorator.args) if t not in ("[", "]", ",")]
    return Literals(frozenset(literal_value(t) for t in tokens))


def parse_type(text: str, resolve: Resolver, decorators: list[Decorator] | None = None) -> Type:
    """The type of a declaration: its type text, and its decorators (`@allowed`, bounds, `@sealed`)."""
    node = _Parser(text, resolve).whole()
    found = {d.name: d for d in decorators or []}
    if "allowed" in found:
        base = node.inner if isinstance(node, Nullable) else node
        allowed: Type = allowed_values(found["allowed"])
        if isinstance(base, Collection) or base == Primitive("array"):
            allowed = Collection("array", allowed)
        node = Nullable(allowed) if isinstance(node, Nullable) else allowed
    if "sealed" in found and isinstance(node, Object):
        node = Object(node.attributes, sealed=True)
    return constrained(node, list(found.values()))
