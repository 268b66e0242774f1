"""What a parameter needs to know about one type: its kind, enum values, limits, pattern and array item."""

from __future__ import annotations

from dataclasses import dataclass

from generator.azure_types.nodes import (
    ArrayType,
    BooleanType,
    DiscriminatedObjectType,
    IntegerType,
    ObjectType,
    StringLiteralType,
    StringType,
    TypeRef,
    UnionType,
)

KINDS = ("string", "int", "bool", "object", "array", "any", "enum")


@dataclass(frozen=True, kw_only=True)
class TypeFacts:
    kind: str  # one of KINDS
    enum: tuple[str, ...] = ()  # the allowed values of an enum
    open_enum: bool = False  # the values are suggestions: any other string is accepted too
    min_length: int | None = None  # of a string or an array
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    pattern: str | None = None
    sensitive: bool = False  # a string the API marks as a secret
    item: TypeFacts | None = None  # what an array holds
    object_name: str | None = None  # the type's own name (`Sku`, `VaultProperties`) for an object
    is_map: bool = False  # an object that takes keys of its own choosing (additionalProperties)

    @property
    def closed_enum(self) -> bool:
        return self.kind == "enum" and not self.open_enum


ANY = TypeFacts(kind="any")


def enum_of(values: tuple[str, ...]) -> TypeFacts:
    return TypeFacts(kind="enum", enum=values)


def describe(ref: TypeRef, seen: frozenset[int] = frozenset()) -> TypeFacts:
    """The facts of the type `ref` points at. `seen` stops a list whose arrays or unions loop on themselves."""
    if ref.index in seen:
        return ANY
    node = ref.resolve()
    if isinstance(node, StringType):
        return string_facts(node)
    if isinstance(node, IntegerType):
        return TypeFacts(kind="int", min_value=node.min_value, max_value=node.max_value)
    if isinstance(node, BooleanType):
        return TypeFacts(kind="bool")
    if isinstance(node, StringLiteralType):
        return enum_of((node.value,))
    if isinstance(node, ArrayType):
        item = describe(node.item_type, seen | {ref.index})
        return TypeFacts(kind="array", item=item, min_length=node.min_length, max_length=node.max_length)
    if isinstance(node, ObjectType):
        has_properties = bool(node.properties)
        return TypeFacts(
            kind="object", object_name=node.name, is_map=node.additional_properties is not None and not has_properties
        )
    if isinstance(node, DiscriminatedObjectType):
        return TypeFacts(kind="object", object_name=node.name)
    if isinstance(node, UnionType):
        return union_facts(node, seen | {ref.index})
    return ANY


def string_facts(node: StringType) -> TypeFacts:
    return TypeFacts(
        kind="string",
        min_length=node.min_length,
        max_length=node.max_length,
        pattern=node.pattern,
        sensitive=node.sensitive,
    )


def union_facts(node: UnionType, seen: frozenset[int]) -> TypeFacts:
    """A union of string literals is an enum, open when a plain string is among its elements.

    Any other union is of the one kind its elements share, else `any`. An element that is the union itself adds nothing.
    """
    members = [describe(element, seen) for element in node.elements if element.index not in seen]
    enums = [member for member in members if member.kind == "enum"]
    values = tuple(dict.fromkeys(value for member in enums for value in member.enum))
    others = [member for member in members if member.kind != "enum"]
    strings = [member for member in others if member.kind == "string"]
    if values and len(strings) == len(others):
        limits = strings[0] if strings else ANY
        return TypeFacts(
            kind="enum",
            enum=values,
            open_enum=bool(strings) or any(member.open_enum for member in enums),
            min_length=limits.min_length,
            max_length=limits.max_length,
            pattern=limits.pattern,
        )
    kinds = {member.kind for member in members}
    if len(kinds) == 1:
        return members[0]
    return ANY
