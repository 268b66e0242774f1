"""Which `types.json` of a bicep-types-az `generated/` tree holds a resource type, at which API version.

Two ways to know: the tree's index (`generated/index.json`: `{"resources": {"Type@version": {"$ref":
"<rp folder>/<namespace>/<version>/types.json#/N"}}}`), or, for a folder without one, its layout
(`<rp folder>/<namespace lower-case>/<version>/types.json`) and the `ResourceType` nodes of the files.
Either way the version resolved is the one asked for, else the nearest older one (never a newer one), as
`versions.resolve_version` decides.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.api_versions import canonical_version
from generator.azure_types.versions import age_key, resolve_version

Nodes = list[dict[str, Any]]
INDEX_FILE = "index.json"
TYPES_FILE = "types.json"


@dataclass(frozen=True)
class Location:
    """Where one resource type is: its name as the schemas spell it, and its file relative to `generated/`."""

    name: str  # `Microsoft.KeyVault/vaults@2026-02-01`
    api_version: str
    exact: bool  # the version asked for, not an older one
    path: str  # `keyvault/microsoft.keyvault/2026-02-01/types.json`
    node: int | None  # the ResourceType's index in that file, when the index says


def type_name(full_type: str, api_version: str) -> str:
    """`Namespace/type/path@version`, as the schemas name a resource type."""
    return f"{full_type}@{api_version}"


def split_name(name: str) -> tuple[str, str]:
    """`Microsoft.KeyVault/vaults@2026-02-01` -> (`Microsoft.KeyVault/vaults`, `2026-02-01`)."""
    full_type, _, version = name.rpartition("@")
    return full_type, version


def version_key(version: str) -> tuple[str, int, str]:
    """Orders API versions oldest first (`versions.age_key`; one that is not dated sorts first)."""
    return age_key(version) or ("", 0, version)


def find_resource(nodes: Nodes, name: str) -> int | None:
    """The index of the ResourceType node called `name` (case-insensitive), if the list has one."""
    wanted = name.lower()
    for index, node in enumerate(nodes):
        if node.get("$type") == "ResourceType" and str(node.get("name", "")).lower() == wanted:
            return index
    return None


def parse_ref(ref: str) -> tuple[str, int | None]:
    """`keyvault/microsoft.keyvault/2026-02-01/types.json#/12` -> (the path, 12)."""
    path, _, fragment = ref.partition("#/")
    return path, int(fragment) if fragment.isdigit() else None


def read_nodes(raw: bytes) -> Nodes:
    """A node list from the bytes of a `types.json`; ValueError when it is not one."""
    nodes = json.loads(raw)
    if not isinstance(nodes, list) or not all(isinstance(node, dict) for node in nodes):
        raise ValueError("not a list of type nodes")
    return nodes


class TypeIndex:
    """The `resources` of an index: lookups by type, case-insensitive, answering with the index's spelling."""

    def __init__(self, resources: Mapping[str, str]) -> None:
        """`resources`: `Type@version` -> `path#/N`."""
        self._by_type: dict[str, dict[str, tuple[str, str]]] = {}
        for name, ref in resources.items():
            full_type, version = split_name(name)
            self._by_type.setdefault(full_type.lower(), {})[canonical_version(version)] = (name, ref)

    @classmethod
    def from_document(cls, document: Any) -> TypeIndex:
        """From a parsed `index.json`; ValueError when it is not one."""
        resources = document.get("resources") if isinstance(document, dict) else None
        if not isinstance(resources, dict):
            raise ValueError("not a bicep-types index (no `resources`)")
        refs = {name: ref.get("$ref") for name, ref in resources.items() if isinstance(ref, dict)}
        return cls({name: ref for name, ref in refs.items() if isinstance(ref, str) and "@" in name})

    def __len__(self) -> int:
        return sum(len(versions) for versions in self._by_type.values())

    def versions(self, full_type: str) -> list[str]:
        return sorted(self._by_type.get(full_type.lower(), {}), key=version_key)

    def locate(self, full_type: str, api_version: str) -> Location | None:
        listed = self._by_type.get(full_type.lower(), {})
        resolved = resolve_version(list(listed), api_version)
        if resolved is None:
            return None
        version, exact = resolved
        if canonical_version(version) not in listed:
            return None
        name, ref = listed[canonical_version(version)]
        path, node = parse_ref(ref)
        return Location(name, version, exact, path, node)


class FolderScan:
    """A `generated/` folder without an index: the candidate files of a namespace come from the folder names,
    newest first, and a file holds a type when it has its ResourceType node. Files read are kept."""

    def __init__(self, generated: Path) -> None:
        self.generated = generated
        self._files: dict[Path, Nodes] = {}

    def nodes(self, path: Path) -> Nodes:
        if path not in self._files:
            self._files[path] = read_nodes(path.read_bytes())
        return self._files[path]

    def locate(self, full_type: str, api_version: str) -> Location | None:
        namespace = full_type.split("/", 1)[0].lower()
        candidates: dict[str, list[Path]] = {}
        for path in sorted(self.generated.glob(f"*/{namespace}/*/{TYPES_FILE}")):
            candidates.setdefault(canonical_version(path.parent.name), []).append(path)
        while candidates:
            resolved = resolve_version(list(candidates), api_version)
            if resolved is None or canonical_version(resolved[0]) not in candidates:
                return None
            version, exact = canonical_version(resolved[0]), resolved[1]
            for path in candidates.pop(version):
                try:
                    nodes = self.nodes(path)
                except (OSError, ValueError):
                    continue
                node = find_resource(nodes, type_name(full_type, version))
                if node is not None:
                    relative = path.relative_to(self.generated).as_posix()
                    return Location(str(nodes[node]["name"]), version, exact, relative, node)
        return None
