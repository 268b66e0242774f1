"""The questions a module generator asks about one resource type, answered from its bicep-types definition.

`TypeGraph.from_nodes(node_list)` indexes the resource types of a node list (nothing else is parsed);
`graph.resource("Microsoft.KeyVault/vaults@2026-02-01")` gives a `ResourceSchema` whose answers are worked out
when asked, from the nodes that type reaches.

Paths are dotted property names from the body: `sku.name`, `properties.networkAcls.ipRules`. A path steps into
what an array holds without a marker (`properties.accessPolicies.tenantId`), and through the base properties and
the elements of discriminated objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import Any

from generator.azure_types.facts import TypeFacts, describe, enum_of
from generator.azure_types.members import (
    Condition,
    Container,
    Member,
    Variant,
    container_of,
    join,
    level_members,
    merged_conditions,
)
from generator.azure_types.nodes import DiscriminatedObjectType, NodeTable, ResourceType, TypeNode

SCOPES = (("tenant", 1), ("managementGroup", 2), ("subscription", 4), ("resourceGroup", 8), ("extension", 16))
IDENTITY_KINDS = {"systemassigned": "system", "userassigned": "user", "systemassigneduserassigned": "both"}
PROPERTIES = "properties"
# Types whose names Azure takes only as GUIDs, which their definitions do not say: `at("name")` gives the pattern.
GUID_NAMED_TYPES = frozenset({"microsoft.authorization/roleassignments", "microsoft.authorization/roledefinitions"})
GUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class ResourceTypeNotFoundError(LookupError):
    """The node list has no resource type of that name and API version."""


@dataclass(frozen=True, kw_only=True)
class SchemaProperty(TypeFacts):
    """One property where it sits in the body, with the facts of its type."""

    path: str  # `properties.tenantId`
    name: str  # `tenantId`
    required: bool  # at its own level
    always_required: bool  # required at its own level and every level above it, under no condition
    read_only: bool  # output only, itself or through a parent: never write it
    write_only: bool  # never returned (a secret), itself or through a parent
    deploy_time_constant: bool = False
    identifier: bool = False
    conditions: tuple[Condition, ...] = ()  # discriminator values it needs; () = always there
    description: str | None = None
    variants: tuple[Variant, ...] = field(default=(), compare=False, repr=False)

    @property
    def secret(self) -> bool:
        return self.write_only or self.sensitive

    @property
    def conditional(self) -> bool:
        return bool(self.conditions)


def scope_names(mask: int) -> tuple[str, ...]:
    return tuple(name for name, bit in SCOPES if mask & bit)


def identity_kind(value: str) -> str | None:
    return IDENTITY_KINDS.get(value.replace(",", "").replace(" ", "").lower())


class ResourceSchema:
    def __init__(self, resource: ResourceType) -> None:
        self.name = resource.name  # `Microsoft.KeyVault/vaults@2026-02-01`, as the node list spells it
        self.type_name, _, self.api_version = resource.name.rpartition("@")
        self.scopes = scope_names(resource.writable_scopes)  # where it can be deployed
        self.readable_scopes = scope_names(resource.readable_scopes)
        self._body: TypeNode = resource.body.resolve()

    def __repr__(self) -> str:
        return f"ResourceSchema({self.name!r})"

    @property
    def discriminator(self) -> str | None:
        """The body property that chooses between variants (`kind`), when the body is discriminated."""
        return self._body.discriminator if isinstance(self._body, DiscriminatedObjectType) else None

    @property
    def variants(self) -> tuple[str, ...]:
        return tuple(self._body.elements) if isinstance(self._body, DiscriminatedObjectType) else ()

    def children(self, path: str = "") -> tuple[SchemaProperty, ...]:
        """The properties of the object at `path` (the body for ""); () when there is no object there."""
        parent = self.at(path) if path else None
        if path and parent is None:
            return ()
        return tuple(self._property(parent, member) for member in self._members(parent).values())

    def at(self, path: str) -> SchemaProperty | None:
        """The property at a dotted path, or None when the type has none there."""
        found: SchemaProperty | None = None
        for name in path.split("."):
            members = self._members(found)
            member = members.get(name) or next((m for k, m in members.items() if k.lower() == name.lower()), None)
            if member is None:
                return None
            found = self._property(found, member)
        if path == "name" and found is not None and found.pattern is None and self.guid_named:
            return replace(found, pattern=GUID_PATTERN)
        return found

    @property
    def guid_named(self) -> bool:
        return self.type_name.lower() in GUID_NAMED_TYPES

    @cached_property
    def body_properties(self) -> tuple[SchemaProperty, ...]:
        return self.children()

    @cached_property
    def writable_properties(self) -> tuple[SchemaProperty, ...]:
        return tuple(p for p in self.body_properties if not p.read_only)

    @cached_property
    def read_only_properties(self) -> tuple[SchemaProperty, ...]:
        return tuple(p for p in self.body_properties if p.read_only)

    @cached_property
    def flattened_properties(self) -> tuple[SchemaProperty, ...]:
        """The writable parameters by the AVM convention: body properties but `properties`, then `properties.*`."""
        top = [p for p in self.writable_properties if p.name != PROPERTIES]
        inner = [p for p in self.children(PROPERTIES) if not p.read_only] if self.at(PROPERTIES) else []
        return (*top, *inner)

    @cached_property
    def fixed_name(self) -> tuple[str, ...]:
        """The only names the resource may have (`default`; `add`, `replace`, `remove`); () when free."""
        name = self.at("name")
        return name.enum if name is not None and name.closed_enum else ()

    @cached_property
    def has_location(self) -> bool:
        return self.at("location") is not None

    @cached_property
    def has_tags(self) -> bool:
        return self.at("tags") is not None

    @cached_property
    def has_identity(self) -> bool:
        return self.at("identity") is not None

    @cached_property
    def identity_kinds(self) -> tuple[str, ...]:
        """`system`, `user` and `both` (system and user at once), as far as `identity.type` lists them."""
        identity_type = self.at("identity.type")
        values = identity_type.enum if identity_type is not None else ()
        kinds = {identity_kind(value) for value in values}
        return tuple(kind for kind in ("system", "user", "both") if kind in kinds)

    def _members(self, parent: SchemaProperty | None) -> dict[str, Member]:
        if parent is None:
            return level_members([((), self._body)], "")
        return level_members(containers_of(parent), parent.path)

    def _property(self, parent: SchemaProperty | None, member: Member) -> SchemaProperty:
        first = member.variants[0].property
        facts = enum_of(member.discriminator_values) if member.discriminator_values else describe(first.type)
        parent_required = parent.always_required if parent is not None else True
        return SchemaProperty(
            **{f.name: getattr(facts, f.name) for f in fields(TypeFacts)},
            path=join(parent.path if parent is not None else "", member.name),
            name=member.name,
            required=member.required,
            always_required=parent_required and member.required and not member.conditions,
            read_only=(parent is not None and parent.read_only) or all(v.property.read_only for v in member.variants),
            write_only=(parent is not None and parent.write_only)
            or any(v.property.write_only for v in member.variants),
            deploy_time_constant=any(v.property.deploy_time_constant for v in member.variants),
            identifier=any(v.property.identifier for v in member.variants),
            conditions=member.conditions,
            description=first.description,
            variants=member.variants,
        )


def containers_of(parent: SchemaProperty) -> list[Container]:
    """What the property holds in each of its variants; variants of one type are looked into once."""
    by_type: dict[int, list[Variant]] = {}
    for variant in parent.variants:
        by_type.setdefault(variant.property.type.index, []).append(variant)
    return [(merged_conditions(group), container_of(group[0].property.type)) for group in by_type.values()]


class TypeGraph:
    """The resource types of one node list."""

    def __init__(self, table: NodeTable) -> None:
        self._table = table
        self._resources: dict[str, ResourceType] = {}
        for index in range(len(table)):
            if table.type_of(index) == "ResourceType":
                self._add(table.node(index))

    @classmethod
    def from_nodes(cls, nodes: Sequence[Mapping[str, Any]]) -> TypeGraph:
        return cls(NodeTable(nodes))

    def _add(self, resource: TypeNode) -> None:
        """A name listed twice (once a scope) is one resource type, deployable at every scope listed."""
        if not isinstance(resource, ResourceType):
            return
        known = self._resources.setdefault(resource.name.lower(), resource)
        if known is not resource:
            readable, writable = (
                known.readable_scopes | resource.readable_scopes,
                known.writable_scopes | resource.writable_scopes,
            )
            self._resources[resource.name.lower()] = ResourceType(known.name, known.body, readable, writable)

    def resource_names(self) -> tuple[str, ...]:
        """Every `Type@version` of the list, as it spells them."""
        return tuple(resource.name for resource in self._resources.values())

    def has_resource(self, name: str) -> bool:
        return name.lower() in self._resources

    def resource(self, name: str) -> ResourceSchema:
        """The resource type `Namespace/type@version`, its name compared case-insensitively."""
        found = self._resources.get(name.lower())
        if found is None:
            raise ResourceTypeNotFoundError(name)
        return ResourceSchema(found)
