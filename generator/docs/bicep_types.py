"""Bicep type expressions compiled to the parameter schema an ARM template holds (`main.json`'s shape).

`TypeCompiler.compile(text, decorators)` returns what the compiler writes for a parameter, an output or a
property of a user-defined type: `{"type": "string", "allowedValues": [...], "nullable": True}`,
`{"$ref": "#/definitions/lockType"}`, `{"type": "object", "properties": {...}}`. Named types (declared in the
file or imported) are compiled on demand into `definitions` through a `TypeSource`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from generator.docs.arm_expressions import BicepSyntaxError, Node, Parser, Token, compiled, string_node

PRIMITIVES = ("string", "int", "bool", "object", "array", "any")
SECURE = {"string": "securestring", "object": "secureObject"}


@dataclass(frozen=True)
class Decorator:
    name: str
    args: tuple[Node, ...]

    def literal(self, index: int = 0) -> Any:
        return compiled(self.args[index], lambda _: "") if len(self.args) > index else None


@dataclass
class TypeCompiler:
    """Compiles type expressions; `named(name)` gives the definition key of a named type (compiling it into
    `definitions` the first time) or None when the name is unknown; `derived(ref, path)` gives the ARM type of a
    `resourceInput<'ref'>.path`."""

    named: Callable[[str], str | None]
    derived: Callable[[str, str], str]
    definitions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def compile(self, text: str, decorators: Sequence[Decorator] = ()) -> dict[str, Any]:
        return self.decorated(self.schema(parse_type(text)), decorators)

    def decorated(
        self, schema: dict[str, Any], decorators: Sequence[Decorator], *, on_property: bool = False
    ) -> dict[str, Any]:
        """`schema` with what its decorators add (`@allowed` only counts on a parameter: the compiler drops it
        from a type's property)."""
        schema = dict(schema)
        metadata = dict(schema.get("metadata") or {})
        for decorator in decorators:
            name = decorator.name
            if name == "description":
                metadata["description"] = decorator.literal()
            elif name == "secure":
                schema["type"] = SECURE.get(schema.get("type", ""), schema.get("type"))
            elif name == "allowed" and not on_property:
                schema["allowedValues"] = decorator.literal()
            elif name in ("minValue", "maxValue", "minLength", "maxLength"):
                schema[name] = decorator.literal()
            elif name == "metadata" and isinstance(decorator.literal(), dict):
                metadata.update(decorator.literal())
            elif name == "discriminator":
                schema["discriminator"] = {**(schema.get("discriminator") or {}), "propertyName": decorator.literal()}
        if metadata:
            schema["metadata"] = metadata
        return schema

    def schema(self, node: TypeNode) -> dict[str, Any]:
        kind = node.kind
        if kind == "nullable":
            return {**self.schema(node.parts[0]), "nullable": True}
        if kind == "array":
            item = self.schema(node.parts[0])
            if "allowedValues" in item and "$ref" not in item and item.get("type") != "object":
                return {"type": "array", "allowedValues": item["allowedValues"]}
            return {"type": "array", "items": item}
        if kind == "literal":
            value = node.value
            return {"type": literal_type(value), "allowedValues": [value]}
        if kind == "union":
            nullable = any(p.kind == "literal" and p.value is None for p in node.parts)
            members = [self.schema(p) for p in node.parts if not (p.kind == "literal" and p.value is None)]
            nullable = nullable or any(m.pop("nullable", False) for m in members)
            literals = [literal_values(m) for m in members]
            if all(values is not None for values in literals):
                allowed = [v for values in literals for v in values or ()]
                schema = {"type": members[0]["type"], "allowedValues": allowed}
                return {**schema, "nullable": True} if nullable else schema
            schema = {"type": "object", "discriminator": {"mapping": members}}
            return {**schema, "nullable": True} if nullable else schema
        if kind == "object":
            properties: dict[str, Any] = {}
            extra: dict[str, Any] | None = None
            for name, decorators, value in node.parts:
                compiled_property = self.decorated(self.schema(value), decorators, on_property=True)
                if name == "*":
                    extra = compiled_property
                else:
                    properties[name] = compiled_property
            schema: dict[str, Any] = {"type": "object"}
            if properties:
                schema["properties"] = properties
            if extra is not None:
                schema["additionalProperties"] = extra
            return schema
        if kind == "tuple":
            return {"type": "array", "prefixItems": [self.schema(p) for p in node.parts], "items": False}
        if kind == "derived":
            return {"type": self.derived(node.value, ".".join(node.parts))}
        if kind == "name":
            if node.value in PRIMITIVES:
                return {"type": node.value}
            key = self.named(node.value)
            if key is None:
                raise BicepSyntaxError(f"unknown type {node.value!r}")
            return {"$ref": f"#/definitions/{key}"}
        raise BicepSyntaxError(f"cannot read a {kind} type")


def literal_values(schema: dict[str, Any]) -> list[Any] | None:
    """The values a union member allows when it is literal: a literal type's, or a single object value whose
    properties are all single literals (`{ cpu: '0.25', memory: '0.5Gi' }`); None for any other type."""
    if "$ref" in schema:
        return None
    if "allowedValues" in schema and schema.get("type") != "array":
        return list(schema["allowedValues"])
    if schema.get("type") == "object" and schema.get("properties") and "additionalProperties" not in schema:
        value = {}
        for name, prop in schema["properties"].items():
            values = literal_values(prop)
            if values is None or len(values) != 1 or prop.get("nullable"):
                return None
            value[name] = values[0]
        return [value]
    return None


def literal_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "string"
    return "object"


@dataclass(frozen=True)
class TypeNode:
    kind: str  # name | literal | object | array | nullable | union | derived
    value: Any = None
    parts: tuple[Any, ...] = ()


class TypeParser(Parser):
    """Type expressions: `string`, `'a' | 'b'`, `lockType[]?`, `{ @description('...') name: string }`,
    `types.lockType`, `resourceInput<'Microsoft.X/y@2024-01-01'>.properties.z`."""

    def type_expression(self) -> TypeNode:
        self.skip_newlines()
        if self.at("|"):
            self.take("|")
        members = [self.postfix_type()]
        while self.peek(skip_newlines=True) is not None and self.peek(skip_newlines=True).text == "|":  # type: ignore[union-attr]
            self.skip_newlines()
            self.take("|")
            self.skip_newlines()
            members.append(self.postfix_type())
        return members[0] if len(members) == 1 else TypeNode("union", None, tuple(members))

    def postfix_type(self) -> TypeNode:
        node = self.primary_type()
        while True:
            if self.at("[") and self.following_is("]"):
                self.take("[")
                self.take("]")
                node = TypeNode("array", None, (node,))
            elif self.at("?"):
                self.take("?")
                node = TypeNode("nullable", None, (node,))
            else:
                return node

    def following_is(self, text: str) -> bool:
        return self.index + 1 < len(self.tokens) and self.tokens[self.index + 1].text == text

    def primary_type(self) -> TypeNode:
        self.skip_newlines()
        token = self.take()
        if token.kind in ("string", "number", "multiline") or token.text in ("true", "false", "null", "-"):
            self.index -= 1
            return TypeNode("literal", compiled(self.unary(), lambda _: ""))
        if token.text == "(":
            return self.enclosed(self.type_expression, ")")
        if token.text == "{":
            return TypeNode("object", None, tuple(self.listed("}", self.property_type)))
        if token.text == "[":
            return TypeNode("tuple", None, tuple(self.listed("]", self.tuple_item)))
        if token.kind == "name" and token.text in ("resourceInput", "resourceOutput") and self.at("<"):
            self.take("<")
            ref = self.take()
            self.take(">")
            path = []
            while self.at(".") or (self.at("[") and self.following_is("*")):
                if self.at("["):
                    self.take("[")
                    self.take("*")
                    self.take("]")
                    path.append("[*]")
                    continue
                self.take(".")
                path.append(self.take().text)
            return TypeNode("derived", ref.text.strip("'"), tuple(path))
        if token.kind == "name":
            name = token.text
            while self.at(".") and self.following_kind("name"):
                self.take(".")
                name += "." + self.take().text
            return TypeNode("name", name)
        raise BicepSyntaxError(f"unexpected {token.text!r} in a type")

    def following_kind(self, kind: str) -> bool:
        return self.index + 1 < len(self.tokens) and self.tokens[self.index + 1].kind == kind

    def property_type(self) -> tuple[str, list[Decorator], TypeNode]:
        """`@decorators name: type` of an object type (`*` for any other property)."""
        decorators = self.decorators()
        key = self.take()
        name = key.text if key.kind != "string" else compiled(self.string_key(key), lambda _: "")
        self.take(":")
        return name, decorators, self.type_expression()

    def tuple_item(self) -> TypeNode:
        self.decorators()
        return self.type_expression()

    def string_key(self, token: Token) -> Node:
        return string_node(token.text)

    def decorators(self) -> list[Decorator]:
        found = []
        while self.at("@"):
            self.take("@")
            name = self.take().text
            if name == "sys" and self.at("."):
                self.take(".")
                name = self.take().text
            found.append(Decorator(name, tuple(self.arguments())))
            self.skip_newlines()
        return found


@cache
def parse_type(text: str) -> TypeNode:
    """A type expression's tree, parsed once per process (many modules share the same types)."""
    parser = TypeParser(text)
    node = parser.type_expression()
    parser.skip_newlines()
    if parser.peek() is not None:
        raise BicepSyntaxError(f"unexpected {parser.peek().text!r} in type {text!r}")  # type: ignore[union-attr]
    return node


@cache
def parse_decorators(text: str) -> tuple[Decorator, ...]:
    """The decorators written above a statement (`@description('...')` lines)."""
    parser = TypeParser(text)
    found = parser.decorators()
    parser.skip_newlines()
    return tuple(found)
