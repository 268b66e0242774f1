"""Azure's built-in roles of each resource type: what a module's role-assignment map offers by name.

Shipped in the package as `data/builtin_roles.json.gz`, one JSON document, gzip-compressed and reproducible:

    {"format": 1, "roles": <built-in roles read>,
     "types": {"Microsoft.Storage/storageAccounts": {"Storage Blob Data Contributor": "<guid>", ...}, ...}}

types spelled as the AVM API-versions list spells them, role names sorted. Only names and role definition GUIDs are
kept. The five mandatory roles (`data/interfaces.yaml`, `mandatory_roles`) are never listed: every map has them.

A built-in role belongs to a top-level resource type T of namespace NS when it names T and T is what it is for:

1. Its permissions are its actions and data actions (not-actions are ignored), less the boilerplate most roles
   carry: Microsoft.Authorization, Microsoft.Resources, Microsoft.Support, Microsoft.ResourceHealth, Microsoft.Insights
   alert rules and diagnostic settings, and `*` (every namespace).
2. It names T when one of them is `NS/T/...`, `NS/*/...` or `NS/*` (a `*` segment matches any type).
3. Its managed permissions are its data actions and its actions other than reads (`.../read`) and joins
   (`.../join.../action`, which let another resource use T); a role with none of those (a reader) counts all.
4. Each managed permission scores for the type it names (`NS/*...` for the whole namespace): 10 when it ends in
   `/*` (every operation below it), else 1; permissions naming no listed resource type (`locations`,
   `register/action`, ...) score for nothing. The role's home types are those with the highest score, unless
   they span five namespaces or more: such a role serves a whole scenario (Azure Migrate, private endpoint
   approval across services, ...), not a type, and has no home type.
5. The role belongs to T when T, or T's whole namespace, is a home type, or when it has a data action on T or on
   its namespace as a whole (one naming no resource type: `Microsoft.EventGrid/events/send/action`).

Roles named `... (Deprecated)` are left out. Compared with the `builtInRoleNames` of the real AVM modules of the
catalog's types, the rule finds their service roles except those of a neighbouring type or service (disk roles in
the virtual machine module, SignalR roles in Web PubSub, monitoring roles in SQL server, ...), and adds the roles
Azure has since published (Storage's SMB and delegator roles, Foundry roles for Cognitive Services, ...).

Rebuild it (a release step) from Azure's built-in role definitions, as `az role definition list` prints them (one
JSON list, `{"value": [...]}` as the REST API answers, or a folder of one JSON file per role):

    python -m generator.roles build --from PATH
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from generator import api_versions
from generator.errors import AvmError, InvalidInputError, environment, unreadable
from generator.interfaces import MANDATORY_ROLES
from generator.paths import DATA_DIR

SHIPPED_FILE = DATA_DIR / "builtin_roles.json.gz"
FORMAT = 1
BOILERPLATE_NAMESPACES = frozenset(
    {"*", "microsoft.authorization", "microsoft.resources", "microsoft.support", "microsoft.resourcehealth"}
)
BOILERPLATE_TYPES = frozenset({("microsoft.insights", "alertrules"), ("microsoft.insights", "diagnosticsettings")})
WILDCARD_SCORE = 10
BUNDLE_NAMESPACES = 5  # home types in this many namespaces or more: a role for a whole scenario, not a type
DEPRECATED = "(Deprecated)"
WHOLE_NAMESPACE = "*"

Roles = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RoleDefinition:
    name: str
    guid: str
    actions: tuple[str, ...]
    data_actions: tuple[str, ...]


# ---- the rule


def _segments(permission: str) -> list[str]:
    return permission.lower().split("/")


def _boilerplate(permission: str) -> bool:
    parts = _segments(permission)
    return parts[0] in BOILERPLATE_NAMESPACES or tuple(parts[:2]) in BOILERPLATE_TYPES


def _uses_only(permission: str) -> bool:
    """A read, or a join that lets another resource use the type."""
    parts = _segments(permission)
    return parts[-1] == "read" or (len(parts) > 2 and parts[-1] == "action" and parts[-2].startswith("join"))


def names_type(permission: str, namespace: str, type_name: str) -> bool:
    """`permission` is an operation on `namespace/type_name` (or on every type of the namespace)."""
    parts = _segments(permission)
    if parts[0] != namespace.lower() or len(parts) < 2:
        return False
    return parts[1] in (type_name.lower(), WHOLE_NAMESPACE)


def home_types(role: RoleDefinition, listed: Mapping[str, frozenset[str]]) -> set[tuple[str, str]]:
    """The (namespace, type) pairs, in lower case, `role` scores highest for; type `*` is the whole namespace.
    `listed`: the resource types of each namespace, in lower case."""
    data = [p for p in role.data_actions if not _boilerplate(p)]
    actions = [p for p in role.actions if not _boilerplate(p)]
    counted = data + [p for p in actions if not _uses_only(p)] or data + actions
    scores: Counter[tuple[str, str]] = Counter()
    for permission in counted:
        parts = _segments(permission)
        if len(parts) < 2 or (parts[1] != WHOLE_NAMESPACE and parts[1] not in listed.get(parts[0], ())):
            continue
        scores[parts[0], parts[1]] += WILDCARD_SCORE if parts[-1] == "*" else 1
    top = max(scores.values(), default=0)
    homes = {key for key, score in scores.items() if score == top}
    return homes if len({ns for ns, _ in homes}) < BUNDLE_NAMESPACES else set()


def _namespace_level(permission: str, namespace: str, listed: Mapping[str, frozenset[str]]) -> bool:
    """An operation of `namespace` that names none of its resource types (`Microsoft.EventGrid/events/send/action`)."""
    parts = _segments(permission)
    return parts[0] == namespace.lower() and len(parts) > 2 and parts[1] not in listed.get(parts[0], ())


def belongs(
    role: RoleDefinition,
    namespace: str,
    type_name: str,
    homes: set[tuple[str, str]],
    listed: Mapping[str, frozenset[str]],
) -> bool:
    permissions = [p for p in (*role.actions, *role.data_actions) if not _boilerplate(p)]
    if not any(names_type(p, namespace, type_name) for p in permissions):
        return False
    ns, name = namespace.lower(), type_name.lower()
    return (
        (ns, name) in homes
        or (ns, WHOLE_NAMESPACE) in homes
        or any(names_type(p, namespace, type_name) or _namespace_level(p, namespace, listed) for p in role.data_actions)
    )


def roles_by_type(definitions: Iterable[RoleDefinition], types: Mapping[str, list[str]]) -> dict[str, dict[str, str]]:
    """`Namespace/type` -> {role name: GUID}, sorted, for every type of `types` (namespace -> top-level types)
    that has a role; the mandatory and the deprecated roles left out."""
    listed = {ns.lower(): frozenset(t.lower() for t in names) for ns, names in types.items()}
    spelled = {ns.lower(): ns for ns in types}
    found: dict[str, dict[str, str]] = {}
    for role in definitions:
        if role.name in MANDATORY_ROLES or role.name.endswith(DEPRECATED):
            continue
        homes = home_types(role, listed)
        for ns in sorted({_segments(p)[0] for p in (*role.actions, *role.data_actions)} & set(listed)):
            namespace = spelled[ns]
            for type_name in types[namespace]:
                if belongs(role, namespace, type_name, homes, listed):
                    found.setdefault(f"{namespace}/{type_name}", {})[role.name] = role.guid
    return {key: dict(sorted(found[key].items())) for key in sorted(found, key=str.lower)}


# ---- reading Azure's definitions


def _definition(item: Any, where: str) -> RoleDefinition | None:
    """One role definition, flat (`az role definition list`) or with `properties` (the REST API); None for a
    custom role."""
    if not isinstance(item, dict):
        raise InvalidInputError.single("--from", f"{where}: a role definition is not a JSON object")
    body = item.get("properties") if isinstance(item.get("properties"), dict) else item
    if body.get("roleType") != "BuiltInRole":
        return None
    name, guid = body.get("roleName"), item.get("name") or str(item.get("id", "")).rsplit("/", 1)[-1]
    if not isinstance(name, str) or not name or not isinstance(guid, str) or not guid:
        raise InvalidInputError.single("--from", f"{where}: a role definition without roleName or name")
    permissions = body.get("permissions") or []
    return RoleDefinition(
        name,
        guid.lower(),
        tuple(a for p in permissions for a in p.get("actions") or ()),
        tuple(a for p in permissions for a in p.get("dataActions") or ()),
    )


def _documents(source: Path) -> Iterator[tuple[str, Any]]:
    files = sorted(source.glob("*.json")) if source.is_dir() else [source]
    if source.is_dir() and not files:
        raise InvalidInputError.single("--from", f"{source} holds no .json file")
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise unreadable("--from", path, exc) from exc
        try:
            yield str(path), json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError, OSError) as exc:
            raise InvalidInputError.single("--from", f"{path} is not JSON") from exc


def read_definitions(source: Path) -> list[RoleDefinition]:
    """The built-in role definitions in a file or a folder of files, sorted by name."""
    found: dict[str, RoleDefinition] = {}
    for where, document in _documents(source):
        items = document.get("value") if isinstance(document, dict) and "value" in document else document
        for item in items if isinstance(items, list) else [items]:
            role = _definition(item, where)
            if role is not None:
                found[role.name] = role
    if not found:
        raise InvalidInputError.single("--from", f"{source} holds no built-in role definition")
    return [found[name] for name in sorted(found)]


# ---- the shipped file


def document(definitions: list[RoleDefinition], types: Mapping[str, list[str]]) -> dict[str, Any]:
    return {"format": FORMAT, "roles": len(definitions), "types": roles_by_type(definitions, types)}


def listed_types(versions: api_versions.ApiVersions) -> dict[str, list[str]]:
    """Namespace -> its top-level resource types, from an API-versions list."""
    return {ns: versions.types(ns) for ns in versions.namespaces()}


def build(source: Path, target: Path = SHIPPED_FILE) -> dict[str, Any]:
    """Write the shipped file from Azure's definitions, for every type of the shipped API-versions list."""
    result = document(read_definitions(source), listed_types(api_versions.shipped()))
    payload = gzip.compress(json.dumps(result, separators=(",", ":")).encode(), mtime=0)
    from generator.azure_types.download import write_atomically

    with environment("--to"):
        write_atomically(target, payload)
    return result


@cache
def _shipped() -> dict[str, Roles]:
    data = json.loads(gzip.decompress(SHIPPED_FILE.read_bytes()))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{SHIPPED_FILE} is not a built-in roles file of format {FORMAT}")
    return {key.lower(): tuple(roles.items()) for key, roles in data["types"].items()}


def shipped_types() -> set[str]:
    """Every `namespace/type` (lower case) the shipped file has roles for."""
    return set(_shipped())


def builtin_roles(namespace: str, resource_type: str) -> Roles | None:
    """The built-in roles of a top-level type (name, role definition GUID), sorted by name, without the
    mandatory ones; None when the shipped file has none for it."""
    return _shipped().get(f"{namespace}/{resource_type}".lower())


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m generator.roles")
    sub = parser.add_subparsers(dest="command", required=True)
    builder = sub.add_parser("build", help=f"write generator/data/{SHIPPED_FILE.name}")
    builder.add_argument(
        "--from", dest="source", type=Path, required=True, help="`az role definition list` output, or a folder"
    )
    builder.add_argument("--to", dest="target", type=Path, default=SHIPPED_FILE, help="the file to write")
    arguments = parser.parse_args(argv)
    try:
        result = build(arguments.source, arguments.target)
    except AvmError as exc:
        print("\n".join(f"error: {line}" for line in exc.lines()), file=sys.stderr)
        return exc.exit_code
    types = result["types"]
    print(
        f"wrote {arguments.target.name}: {sum(len(r) for r in types.values())} roles of {len(types)} types "
        f"from {result['roles']} built-in roles"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
