"""The properties one level of a type offers, with the variants of discriminated objects merged.

A discriminated object offers its base properties always and each element's own properties only when the
discriminator has that element's value. One level may also gather several containers: a property that differs
between variants (`properties` of a `kind`-discriminated body) is looked into in each of its variants, each under
its own conditions. A property carried under every value of a discriminator is not conditional on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.azure_types.nodes import ArrayType, DiscriminatedObjectType, ObjectType, Property, TypeNode, TypeRef


@dataclass(frozen=True)
class Condition:
    """The discriminator at `discriminator` (a dotted path) has one of `values`, out of all its `choices`."""

    discriminator: str
    values: tuple[str, ...]
    choices: tuple[str, ...]


Conditions = tuple[Condition, ...]  # all of them hold


@dataclass(frozen=True)
class Variant:
    """One way a property appears: its definition and the conditions under which it is there."""

    conditions: Conditions
    property: Property


@dataclass(frozen=True)
class Member:
    name: str
    variants: tuple[Variant, ...]
    conditions: Conditions  # under which at least one variant is there; () = always
    discriminator_values: tuple[str, ...] = ()  # every value, when the member is the discriminator of its level

    @property
    def required(self) -> bool:
        return all(variant.property.required for variant in self.variants)


Container = tuple[Conditions, TypeNode]


def join(parent_path: str, name: str) -> str:
    return f"{parent_path}.{name}" if parent_path else name


def container_of(ref: TypeRef) -> TypeNode:
    """The object a property holds: the type itself, or what its arrays hold (arrays of arrays included)."""
    seen: set[int] = set()
    node = ref.resolve()
    while isinstance(node, ArrayType) and ref.index not in seen:
        seen.add(ref.index)
        ref = node.item_type
        node = ref.resolve()
    return node


def level_members(containers: Sequence[Container], parent_path: str) -> dict[str, Member]:
    """Every property of the containers, by name, base properties first."""
    sources: list[tuple[Conditions, Mapping[str, Property]]] = []
    discriminators: dict[str, tuple[str, ...]] = {}
    for conditions, node in containers:
        if isinstance(node, ObjectType):
            sources.append((conditions, node.properties))
        elif isinstance(node, DiscriminatedObjectType):
            choices = tuple(node.elements)
            known = discriminators.get(node.discriminator, ())
            discriminators[node.discriminator] = tuple(dict.fromkeys(known + choices))
            sources.append((conditions, node.base_properties))
            path = join(parent_path, node.discriminator)
            for value, ref in node.elements.items():
                element = ref.resolve()
                if isinstance(element, ObjectType):
                    sources.append(((*conditions, Condition(path, (value,), choices)), element.properties))
    carriers: dict[str, list[Variant]] = {}
    for conditions, properties in sources:
        for name, prop in properties.items():
            carriers.setdefault(name, []).append(Variant(conditions, prop))
    return {
        name: Member(name, tuple(variants), merged_conditions(variants), discriminators.get(name, ()))
        for name, variants in carriers.items()
    }


def merged_conditions(variants: Iterable[Variant]) -> Conditions:
    """Under which at least one of the variants is there, widened where it cannot be said exactly.

    A discriminator every variant depends on keeps the union of their values (dropped when that is every
    value); one that only some variants depend on is dropped.
    """
    variants = list(variants)
    if any(not variant.conditions for variant in variants):
        return ()
    merged: list[Condition] = []
    for first in variants[0].conditions:
        values: dict[str, None] = {}
        for variant in variants:
            same = [c for c in variant.conditions if c.discriminator == first.discriminator]
            if not same:
                break
            values.update(dict.fromkeys(same[0].values))
        else:
            ordered = tuple(value for value in first.choices if value in values)
            if set(ordered) != set(first.choices):
                merged.append(Condition(first.discriminator, ordered, first.choices))
    return tuple(merged)
