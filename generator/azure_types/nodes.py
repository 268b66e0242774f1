"""Typed, immutable nodes of a bicep-types node list (a parsed `types.json`).

A node list is a JSON list; `{"$ref": "#/N"}` points at node N of the same list. `NodeTable` parses a node only
when it is first asked for and keeps it, and a node's references stay `TypeRef`s until resolved, so a type that
refers to itself (through a property or an array item) never makes parsing recurse. A `$type` this module does
not know, a reference that is out of range or a malformed node reads as `AnyType`: never an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

REF_PREFIX = "#/"

# Property flags (bit mask).
REQUIRED = 1
READ_ONLY = 2
WRITE_ONLY = 4
DEPLOY_TIME_CONSTANT = 8
IDENTIFIER = 16

EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class TypeRef:
    """A reference to one node of a table, resolved on demand."""

    table: NodeTable = field(compare=False, repr=False)
    index: int

    def resolve(self) -> TypeNode:
        return self.table.node(self.index)


@dataclass(frozen=True)
class Property:
    type: TypeRef
    flags: int = 0
    description: str | None = None

    @property
    def required(self) -> bool:
        return bool(self.flags & REQUIRED)

    @property
    def read_only(self) -> bool:
        return bool(self.flags & READ_ONLY)

    @property
    def write_only(self) -> bool:
        return bool(self.flags & WRITE_ONLY)

    @property
    def deploy_time_constant(self) -> bool:
        return bool(self.flags & DEPLOY_TIME_CONSTANT)

    @property
    def identifier(self) -> bool:
        return bool(self.flags & IDENTIFIER)


@dataclass(frozen=True)
class AnyType:
    """Also what an unknown `$type` or a broken node reads as."""


@dataclass(frozen=True)
class NullType:
    pass


@dataclass(frozen=True)
class BooleanType:
    pass


@dataclass(frozen=True)
class IntegerType:
    min_value: int | None = None
    max_value: int | None = None


@dataclass(frozen=True)
class StringType:
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    sensitive: bool = False


@dataclass(frozen=True)
class StringLiteralType:
    value: str


@dataclass(frozen=True)
class UnionType:
    elements: tuple[TypeRef, ...]


@dataclass(frozen=True)
class ArrayType:
    item_type: TypeRef
    min_length: int | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class ObjectType:
    name: str
    properties: Mapping[str, Property]
    additional_properties: TypeRef | None = None


@dataclass(frozen=True)
class DiscriminatedObjectType:
    name: str
    discriminator: str
    base_properties: Mapping[str, Property]
    elements: Mapping[str, TypeRef]  # discriminator value -> an ObjectType


@dataclass(frozen=True)
class ResourceType:
    name: str  # `Microsoft.KeyVault/vaults@2026-02-01`
    body: TypeRef
    readable_scopes: int = 0
    writable_scopes: int = 0


@dataclass(frozen=True)
class ResourceFunctionType:
    """An action (`listKeys` and the like): not a resource property."""

    name: str
    resource_type: str
    api_version: str


TypeNode = (
    AnyType
    | NullType
    | BooleanType
    | IntegerType
    | StringType
    | StringLiteralType
    | UnionType
    | ArrayType
    | ObjectType
    | DiscriminatedObjectType
    | ResourceType
    | ResourceFunctionType
)


class NodeTable:
    """The nodes of one node list, each parsed the first time it is asked for."""

    def __init__(self, raw_nodes: Sequence[Mapping[str, Any]]) -> None:
        self._raw = raw_nodes
        self._parsed: dict[int, TypeNode] = {}

    def __len__(self) -> int:
        return len(self._raw)

    def type_of(self, index: int) -> str | None:
        """The raw `$type` of node `index`, without parsing it."""
        raw = self._raw[index]
        return raw.get("$type") if isinstance(raw, Mapping) else None

    def node(self, index: int) -> TypeNode:
        if index not in self._parsed:
            raw = self._raw[index] if 0 <= index < len(self._raw) else None
            self._parsed[index] = self._parse(raw) if isinstance(raw, Mapping) else AnyType()
        return self._parsed[index]

    def ref(self, value: Any) -> TypeRef:
        """`{"$ref": "#/N"}` as a TypeRef; anything else points at a node that reads as AnyType."""
        target = value.get("$ref") if isinstance(value, Mapping) else None
        if isinstance(target, str) and target.startswith(REF_PREFIX) and target[len(REF_PREFIX) :].isdigit():
            return TypeRef(self, int(target[len(REF_PREFIX) :]))
        return TypeRef(self, -1)

    def _parse(self, raw: Mapping[str, Any]) -> TypeNode:
        parser = PARSERS.get(raw.get("$type", ""))
        if parser is None:
            return AnyType()
        try:
            return parser(self, raw)
        except (AttributeError, KeyError, TypeError, ValueError):
            return AnyType()

    def properties(self, raw: Any) -> Mapping[str, Property]:
        if not isinstance(raw, Mapping):
            return EMPTY
        return MappingProxyType(
            {
                name: Property(self.ref(spec.get("type")), int(spec.get("flags") or 0), spec.get("description"))
                for name, spec in raw.items()
                if isinstance(spec, Mapping)
            }
        )

    def optional_ref(self, value: Any) -> TypeRef | None:
        return None if value is None else self.ref(value)


def optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def parse_object(table: NodeTable, raw: Mapping[str, Any]) -> ObjectType:
    return ObjectType(
        name=str(raw.get("name") or ""),
        properties=table.properties(raw.get("properties")),
        additional_properties=table.optional_ref(raw.get("additionalProperties")),
    )


def parse_discriminated_object(table: NodeTable, raw: Mapping[str, Any]) -> DiscriminatedObjectType:
    elements = raw.get("elements") or {}
    return DiscriminatedObjectType(
        name=str(raw.get("name") or ""),
        discriminator=str(raw["discriminator"]),
        base_properties=table.properties(raw.get("baseProperties")),
        elements=MappingProxyType({str(value): table.ref(ref) for value, ref in elements.items()}),
    )


def parse_string(_: NodeTable, raw: Mapping[str, Any]) -> StringType:
    return StringType(
        min_length=optional_int(raw.get("minLength")),
        max_length=optional_int(raw.get("maxLength")),
        pattern=raw.get("pattern"),
        sensitive=bool(raw.get("sensitive")),
    )


def parse_array(table: NodeTable, raw: Mapping[str, Any]) -> ArrayType:
    return ArrayType(
        item_type=table.ref(raw.get("itemType")),
        min_length=optional_int(raw.get("minLength")),
        max_length=optional_int(raw.get("maxLength")),
    )


def parse_resource(table: NodeTable, raw: Mapping[str, Any]) -> ResourceType:
    return ResourceType(
        name=str(raw["name"]),
        body=table.ref(raw.get("body")),
        readable_scopes=int(raw.get("readableScopes") or 0),
        writable_scopes=int(raw.get("writableScopes") or 0),
    )


PARSERS = {
    "AnyType": lambda _, __: AnyType(),
    "NullType": lambda _, __: NullType(),
    "BooleanType": lambda _, __: BooleanType(),
    "IntegerType": lambda _, raw: IntegerType(optional_int(raw.get("minValue")), optional_int(raw.get("maxValue"))),
    "StringType": parse_string,
    "StringLiteralType": lambda _, raw: StringLiteralType(str(raw["value"])),
    "UnionType": lambda table, raw: UnionType(tuple(table.ref(element) for element in raw.get("elements") or ())),
    "ArrayType": parse_array,
    "ObjectType": parse_object,
    "DiscriminatedObjectType": parse_discriminated_object,
    "ResourceType": parse_resource,
    "ResourceFunctionType": lambda _, raw: ResourceFunctionType(
        str(raw.get("name") or ""), str(raw.get("resourceType") or ""), str(raw.get("apiVersion") or "")
    ),
}
