"""One resource type's schema, ready for questions: found by `sources`, parsed once per process by `schema`.

This is what the rest of avm asks (the spec, the render models, `avm catalog show`); nothing else reads
node lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.azure_types import sources
from generator.azure_types.schema import ResourceSchema, TypeGraph

_graphs: dict[tuple[str, str, int], TypeGraph] = {}


@dataclass(frozen=True)
class ResolvedSchema:
    schema: ResourceSchema
    found: sources.Found

    @property
    def exact(self) -> bool:
        return self.found.exact

    @property
    def record(self) -> dict[str, Any]:
        """What an answers file records of it: the type and version used, where from, at which revision."""
        source = self.found.source
        return {
            "type": self.found.name,
            "source": source.kind,
            **({"revision": source.revision} if source.revision else {}),
        }


def _graph(found: sources.Found) -> TypeGraph:
    key = (found.source.kind, found.source.location, id(found.nodes))
    if key not in _graphs:
        _graphs[key] = TypeGraph.from_nodes(found.nodes)
    return _graphs[key]


def resource_schema(
    namespace: str,
    type_path: str,
    api_version: str,
    *,
    schemas_dir: Path | None = None,
    allow_download: bool = True,
) -> ResolvedSchema | None:
    """The schema of `namespace/type_path` at `api_version` (else the nearest older version), or None."""
    found = sources.find(namespace, type_path, api_version, schemas_dir=schemas_dir, allow_download=allow_download)
    if found is None:
        return None
    return ResolvedSchema(_graph(found).resource(found.name), found)


def schema_for(spec: Any, child: Any = None) -> ResolvedSchema | None:
    """The schema of a module's primary type (`child` None) or of one of its child types (a `ChildSpec`), at the
    API version the module records (for the primary type: the schema version its answers record). Render models
    ask this; the spec decided earlier where schemas come from."""
    type_path = spec.resource_type if child is None else f"{spec.resource_type}/{child.type_path}"
    api_version = spec.api_version if child is None else child.api_version
    recorded = (spec.resource_schema or {}).get("type", "") if child is None else ""
    if recorded.lower().startswith(f"{spec.provider_namespace}/{type_path}@".lower()):
        api_version = recorded.rpartition("@")[2]  # the version its answers record, found for it when it was made
    if not (spec.provider_namespace and type_path and api_version):
        return None
    return resource_schema(spec.provider_namespace, type_path, api_version)
