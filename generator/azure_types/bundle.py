"""The schemas shipped in the package (`data/azure_types.json.gz`): the type definitions of bicep-types-az for
every type of the catalog (`data/catalog.yaml`, top-level types and their children) at its pinned API version,
or the nearest older version where the pinned one has no schema (recorded in `substitutes`).

One JSON document, gzip-compressed and reproducible (no time stamps):

    {"format": 1, "source": "Azure/bicep-types-az", "revision": "<commit>",
     "resources": {"Microsoft.KeyVault/vaults@2026-02-01": {"$ref": "<file>#/N"}},   # as generated/index.json
     "substitutes": {"<Type@pinned>": "<Type@older>"}, "missing": ["<Type@pinned>"],
     "files": {"<file>": [node, ...]}}

where `<file>` is the path in `generated/` and each node list keeps only the nodes reachable from the catalog's
ResourceTypes, renumbered, without descriptions (Microsoft's prose is not ours to ship) and without
ResourceFunctionTypes. It is read once a process, when first asked for.

Rebuild it (a release step) from a bicep-types-az checkout, its `generated/` folder, or a partial copy:

    python -m generator.azure_types.bundle build --from FOLDER [--revision COMMIT]
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from generator.azure_types.download import write_atomically
from generator.azure_types.local_tree import LocalTree, generated_folder, git_revision
from generator.azure_types.type_index import Location, Nodes, TypeIndex, find_resource, type_name
from generator.errors import AvmError, InvalidInputError, environment
from generator.paths import DATA_DIR

SHIPPED_FILE = DATA_DIR / "azure_types.json.gz"
CATALOG_FILE = DATA_DIR / "catalog.yaml"
FORMAT = 1
SOURCE = "Azure/bicep-types-az"
REF_PREFIX = "#/"
DROPPED_TYPES = ("ResourceFunctionType",)


@dataclass(frozen=True)
class Bundle:
    revision: str | None
    index: TypeIndex
    files: Mapping[str, Nodes] = field(repr=False)
    substitutes: Mapping[str, str]
    missing: tuple[str, ...]

    @classmethod
    def from_document(cls, document: Any) -> Bundle:
        """ValueError when `document` is not a bundle of this format."""
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError(f"not a schema bundle of format {FORMAT}")
        files = document.get("files")
        if not isinstance(files, dict):
            raise ValueError("a schema bundle without files")
        return cls(
            revision=document.get("revision"),
            index=TypeIndex.from_document(document),
            files=files,
            substitutes=dict(document.get("substitutes") or {}),
            missing=tuple(document.get("missing") or ()),
        )

    def find(self, full_type: str, api_version: str) -> tuple[Location, Nodes] | None:
        location = self.index.locate(full_type, api_version)
        if location is None or location.path not in self.files:
            return None
        return location, self.files[location.path]


def read(path: Path) -> Bundle:
    """ValueError or OSError when the file is not a readable bundle."""
    return Bundle.from_document(json.loads(gzip.decompress(path.read_bytes())))


@cache
def shipped() -> Bundle | None:
    """The package's bundle, parsed on first use; None when the package lacks it (or it is damaged)."""
    try:
        return read(SHIPPED_FILE)
    except (OSError, ValueError, EOFError):
        return None


# Building


@dataclass(frozen=True)
class BuildReport:
    types: int
    files: int
    substitutes: Mapping[str, str]
    missing: tuple[str, ...]
    size: int  # bytes written


def catalog_types(catalog: Path = CATALOG_FILE) -> list[tuple[str, str]]:
    """(`Namespace/type/path`, pinned API version) of every catalog type and child type, sorted."""
    import yaml

    entries = yaml.safe_load(catalog.read_text(encoding="utf-8"))["resource_types"]
    found: set[tuple[str, str]] = set()
    for full_type, facts in entries.items():
        found.add((full_type, str(facts["api_version"])))
        for child, child_facts in (facts.get("children") or {}).items():
            found.add((f"{full_type}/{child}", str(child_facts["api_version"])))
    return sorted(found, key=lambda pair: (pair[0].lower(), pair[1]))


def references(value: Any) -> Iterator[int]:
    """The node numbers `value` (a node or part of one) refers to."""
    if isinstance(value, dict):
        target = value.get("$ref")
        if isinstance(target, str) and target.startswith(REF_PREFIX):
            yield int(target[len(REF_PREFIX) :])
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def renumbered(value: Any, numbers: Mapping[int, int]) -> Any:
    if isinstance(value, dict):
        target = value.get("$ref")
        if isinstance(target, str) and target.startswith(REF_PREFIX):
            return {**value, "$ref": f"{REF_PREFIX}{numbers[int(target[len(REF_PREFIX) :])]}"}
        return {key: renumbered(item, numbers) for key, item in value.items()}
    if isinstance(value, list):
        return [renumbered(item, numbers) for item in value]
    return value


def without_descriptions(node: dict[str, Any]) -> dict[str, Any]:
    """The node without its prose: the `description` of the node and of each of its properties (a property that
    is *called* `description` stays)."""
    result = {key: value for key, value in node.items() if key != "description"}
    for key in ("properties", "baseProperties"):
        if isinstance(result.get(key), dict):
            result[key] = {
                name: {k: v for k, v in spec.items() if k != "description"} if isinstance(spec, dict) else spec
                for name, spec in result[key].items()
            }
    return result


def pruned(nodes: Nodes, roots: list[int]) -> tuple[Nodes, dict[int, int]]:
    """The nodes reachable from `roots`, in their original order, renumbered and without descriptions; and the
    new number of each node kept. ValueError on a reference outside the list."""
    reachable: set[int] = set()
    pending = list(roots)
    while pending:
        number = pending.pop()
        if number in reachable:
            continue
        if not 0 <= number < len(nodes):
            raise ValueError(f"a reference to node {number} of {len(nodes)}")
        if nodes[number].get("$type") in DROPPED_TYPES:
            continue
        reachable.add(number)
        pending.extend(references(nodes[number]))
    numbers = {old: new for new, old in enumerate(sorted(reachable))}
    return [renumbered(without_descriptions(nodes[old]), numbers) for old in sorted(reachable)], numbers


def document(tree: LocalTree, wanted: list[tuple[str, str]], revision: str | None) -> dict[str, Any]:
    roots: dict[str, dict[str, int]] = {}  # file -> {Type@version: node}
    substitutes: dict[str, str] = {}
    missing: list[str] = []
    for full_type, api_version in wanted:
        found = tree.find(full_type, api_version)
        if found is None:
            missing.append(type_name(full_type, api_version))
            continue
        location, nodes = found
        node = location.node if location.node is not None else find_resource(nodes, location.name)
        if node is None:
            missing.append(type_name(full_type, api_version))
            continue
        roots.setdefault(location.path, {})[location.name] = node
        if not location.exact:
            substitutes[type_name(full_type, api_version)] = location.name
    resources: dict[str, dict[str, str]] = {}
    files: dict[str, Nodes] = {}
    for path in sorted(roots):
        kept, numbers = pruned(tree.files.nodes(tree.generated / path), sorted(roots[path].values()))
        files[path] = kept
        for name, node in roots[path].items():
            resources[name] = {"$ref": f"{path}{REF_PREFIX}{numbers[node]}"}
    return {
        "format": FORMAT,
        "source": SOURCE,
        "revision": revision,
        "resources": dict(sorted(resources.items(), key=lambda item: item[0].lower())),
        "substitutes": substitutes,
        "missing": missing,
        "files": files,
    }


def build(source: Path, revision: str | None = None, target: Path = SHIPPED_FILE) -> BuildReport:
    """Write the bundle from `source` (a checkout, its `generated/` folder or a partial copy of it)."""
    generated = generated_folder(source, "--from")
    tree = LocalTree(generated)
    try:
        built = document(tree, catalog_types(), revision or git_revision(generated))
    except ValueError as exc:
        raise InvalidInputError.single("--from", f"{source} has a damaged types.json: {exc}") from exc
    payload = gzip.compress(json.dumps(built, separators=(",", ":")).encode(), compresslevel=9, mtime=0)
    with environment("bundle"):
        write_atomically(target, payload)
    return BuildReport(
        len(built["resources"]), len(built["files"]), built["substitutes"], tuple(built["missing"]), len(payload)
    )


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m generator.azure_types.bundle")
    sub = parser.add_subparsers(dest="command", required=True)
    builder = sub.add_parser("build", help=f"write generator/data/{SHIPPED_FILE.name} for the catalog's types")
    builder.add_argument("--from", dest="source", type=Path, required=True, help="bicep-types-az checkout or copy")
    builder.add_argument("--revision", help="the bicep-types-az commit (default: the checkout's, when it has .git)")
    builder.add_argument("--to", dest="target", type=Path, default=SHIPPED_FILE, help="the file to write")
    arguments = parser.parse_args(argv)
    try:
        report = build(arguments.source, arguments.revision, arguments.target)
    except AvmError as exc:
        print("\n".join(f"error: {line}" for line in exc.lines()), file=sys.stderr)
        return exc.exit_code
    print(f"wrote {arguments.target.name}: {report.types} types from {report.files} files, {report.size} bytes")
    for wanted, used in report.substitutes.items():
        print(f"  {wanted}: no schema, {used} used")
    for wanted in report.missing:
        print(f"  {wanted}: no schema at or before this version")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
