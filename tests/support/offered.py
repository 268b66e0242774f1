"""What `generator.bicep.properties.offered` returns once every writable property is a parameter of the module,
optional ones included: tests patch it in to check the e2e tests' values over every property."""

from __future__ import annotations

from generator.azure_types.schema import PROPERTIES, ResourceSchema, SchemaProperty
from generator.bicep.properties import OWNED_TOP_LEVEL, owned_paths


def every_writable(schema: ResourceSchema, interfaces: tuple[str, ...]) -> list[SchemaProperty]:
    owned = owned_paths(interfaces)
    return [
        p
        for p in schema.flattened_properties
        if not p.read_only and p.name not in OWNED_TOP_LEVEL | {PROPERTIES} and p.path not in owned
    ]
