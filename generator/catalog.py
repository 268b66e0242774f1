"""Resource-type facts: child types, latest stable API versions, supported interfaces.

Four sources: `data/catalog.yaml`, which we write, the AVM API-versions list (`generator.api_versions`:
shipped in the package, or refreshed into the user cache by `avm catalog refresh`), the schemas shipped in
the package (`generator.azure_types.bundle`) and Azure's built-in roles of each type (`generator.roles`). Where the
schema of a catalog type states a fact (location, tags, identity kinds, scopes), the catalog takes it from there;
a type's roles are its built-in roles, the catalog's `roles:` only where none is shipped for it; the catalog keeps
what only AVM knows (interfaces, private endpoint group ids, a location that is always 'global').
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, fields
from functools import cache, cached_property
from typing import Any

from generator import api_versions
from generator.api_versions import ApiVersions, is_stable
from generator.errors import EnvironmentProblemError
from generator.interfaces import INTERFACE_KEYS
from generator.paths import DATA_DIR, cache_dir, load_yaml
from generator.roles import builtin_roles

IDENTITY_KINDS = ("system", "user")
CUSTOMER_MANAGED_KEY = "customer-managed-key"
SCHEMA_BUNDLE = DATA_DIR / "azure_types.json.gz"  # `azure_types.bundle.SHIPPED_FILE`, named without importing it
SCHEMA_FACTS_FORMAT = b"schema-facts 1"  # part of the cache key: change it when `schema_facts` answers differently


@dataclass(frozen=True)
class ChildFacts:
    type_path: str
    api_version: str
    tags: bool
    scopes: tuple[str, ...] = ()  # from the schema, when one is shipped
    location: bool = False  # a location of its own it may be given (from the schema, when one is shipped)


@dataclass(frozen=True)
class SchemaFacts:
    """What the shipped schema of a catalog type (at its pinned API version) states."""

    schema: str  # `Microsoft.KeyVault/vaults@2026-02-01`: the schema used (the nearest older one if not exact)
    location: bool  # a writable `location` (read-only ones, as many child types have, do not count)
    tags: bool  # writable `tags`
    identity: tuple[str, ...]  # of IDENTITY_KINDS, from `identity.type`
    scopes: tuple[str, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SchemaFacts:
        return cls(
            data["schema"], bool(data["location"]), bool(data["tags"]), tuple(data["identity"]), tuple(data["scopes"])
        )


IDENTITY_VALUES = ("resource-id", "client-id")


@dataclass(frozen=True)
class CustomerManagedKey:
    """Where a type's body takes a customer-managed key (`data/catalog.yaml`, `customer_managed_key`): full dotted
    body paths. The key is the vault URI, name and version apart, or its URL in one property (`key_uri`)."""

    key_vault_uri: str | None = None
    key_name: str | None = None
    key_version: str | None = None
    key_uri: str | None = None
    versionless: bool = False  # `key_uri` takes the key without a version
    key_vault_id: str | None = None  # the key vault's resource ID
    identity: str | None = None  # the user-assigned identity that reads the key
    identity_value: str = "resource-id"  # of IDENTITY_VALUES: what `identity` takes
    identity_prefix: str = ""  # written before the identity (`UserAssignedIdentity=`)
    system_identity: str | None = None  # a flag: use the system-assigned identity (when no user-assigned is given)
    constants: tuple[tuple[str, str], ...] = ()  # values the type needs with the key (`keySource`)

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> CustomerManagedKey:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(entry) - known)
        if unknown:
            raise ValueError(f"customer_managed_key: unknown keys {unknown}")
        found = cls(**{**entry, "constants": tuple((entry.get("constants") or {}).items())})
        if not (found.key_uri or (found.key_vault_uri and found.key_name)):
            raise ValueError("customer_managed_key: names neither key_uri nor key_vault_uri and key_name")
        if found.identity_value not in IDENTITY_VALUES:
            raise ValueError(f"customer_managed_key: identity_value {found.identity_value!r}")
        return found

    @property
    def paths(self) -> tuple[str, ...]:
        """Every path it writes, in the order the body writes them."""
        named = (
            self.key_vault_id,
            self.key_vault_uri,
            self.key_uri,
            self.key_name,
            self.key_version,
            self.identity,
            self.system_identity,
        )
        return (*(path for path, _ in self.constants), *(p for p in named if p))

    def written_paths(self) -> set[str]:
        """Every body path the key's entries write, the objects on the way included."""
        found = set()
        for path in self.paths:
            parts = path.split(".")
            found.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        return found

    def owned_paths(self) -> frozenset[str]:
        """The `properties.*` the key's entries set whole: no parameter of the resource's own sets them too."""
        return frozenset(".".join(path.split(".")[:2]) for path in self.paths)


@dataclass(frozen=True)
class ResourceFacts:
    namespace: str
    resource_type: str
    display_name: str | None
    api_version: str | None
    location: bool
    tags: bool
    interfaces: tuple[str, ...]
    private_endpoint_group_ids: tuple[str, ...]
    identity: tuple[str, ...]
    roles: tuple[tuple[str, str], ...]
    children: tuple[ChildFacts, ...]
    known: bool
    private_dns_zone: str | None = None
    private_endpoint_multi_service: bool = False
    listed: bool = True  # in the catalog or the API-versions list
    global_location: bool = False  # a location that is always 'global' (then `location` is False)
    scopes: tuple[str, ...] = ()  # where it deploys, from the schema, when one is shipped
    schema: str | None = None  # the shipped schema the facts come from, when one did
    customer_managed_key: CustomerManagedKey | None = None  # where the body takes the key, for the catalog's types
    extends: str = ""  # the resource type an extension-only type takes as its target (`Namespace/type`)


@dataclass(frozen=True)
class RefreshResult:
    namespaces: int
    types: int
    newer_api_versions: int
    path: str
    source: str


def customer_managed_key_of(entry: dict[str, Any]) -> CustomerManagedKey | None:
    found = entry.get("customer_managed_key")
    return CustomerManagedKey.from_entry(found) if found else None


def customer_managed_key(full_type: str) -> CustomerManagedKey | None:
    """Where the catalog type `Namespace/type` takes a customer-managed key; None when it is not a catalog type or
    names no paths (render models ask this without loading the whole catalog)."""
    entry = _entries_by_lower_name().get(full_type.lower())
    return customer_managed_key_of(entry) if entry is not None else None


@cache
def _entries_by_lower_name() -> dict[str, dict[str, Any]]:
    entries, _ = _shipped_entries()
    return {name.lower(): data for name, data in entries.items()}


def latest_stable(versions: list[str]) -> str | None:
    stable = [v for v in versions if is_stable(v)]
    return max(stable) if stable else None


def _identity(kinds: tuple[str, ...]) -> tuple[str, ...]:
    """The schema's identity kinds (`system`, `user`, `both`) as the catalog's: `both` offers each of the two."""
    return tuple(k for k in IDENTITY_KINDS if k in kinds or "both" in kinds)


def schema_facts(entries: dict[str, dict[str, Any]]) -> dict[str, SchemaFacts]:
    """The facts the shipped schemas state about every catalog type and child type (`Namespace/type/child` in
    lower case), each at its pinned API version (else the nearest older one the bundle has)."""
    from generator.azure_types import bundle
    from generator.azure_types.schema import TypeGraph

    shipped = bundle.shipped()
    if shipped is None:
        return {}
    graphs: dict[int, TypeGraph] = {}
    found: dict[str, SchemaFacts] = {}
    wanted = [(full, str(data.get("api_version"))) for full, data in entries.items()]
    wanted += [
        (f"{full}/{path}", str(child.get("api_version")))
        for full, data in entries.items()
        for path, child in (data.get("children") or {}).items()
    ]
    for full_type, api_version in wanted:
        answer = shipped.find(full_type, api_version)
        if answer is None:
            continue
        location, nodes = answer
        graph = graphs.get(id(nodes)) or graphs.setdefault(id(nodes), TypeGraph.from_nodes(nodes))
        schema = graph.resource(location.name)
        found[full_type.lower()] = SchemaFacts(
            location.name,
            writable(schema, "location"),
            writable(schema, "tags"),
            _identity(schema.identity_kinds) if writable(schema, "identity") else (),
            schema.scopes,
        )
    return found


def writable(schema: Any, path: str) -> bool:
    """Whether the schema has the property and a module may set it (a child's `location` is often read-only)."""
    found = schema.at(path)
    return found is not None and not found.read_only


def _shipped_entries() -> tuple[dict[str, dict[str, Any]], dict[str, SchemaFacts]]:
    """`data/catalog.yaml`'s resource types and what the shipped schemas state about them, through a JSON copy in
    the user cache: parsing the YAML is the slowest part of starting `avm new`, reading JSON a tenth of it, and
    the schemas are parsed only when the catalog or the bundle changed."""
    import hashlib

    raw = (DATA_DIR / "catalog.yaml").read_bytes()
    digest = hashlib.sha256(raw + SCHEMA_FACTS_FORMAT)
    with contextlib.suppress(OSError):  # no bundle: the catalog's own facts
        digest.update(SCHEMA_BUNDLE.read_bytes())
    cached = cache_dir() / "catalog" / f"{digest.hexdigest()[:16]}.json"
    try:
        document = json.loads(cached.read_text(encoding="utf-8"))
        return document["entries"], {k: SchemaFacts.from_json(v) for k, v in document["schema"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    entries = load_yaml(raw.decode("utf-8"))["resource_types"]
    stated = schema_facts(entries)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_name(f".{cached.name}.{os.getpid()}")
        document = {"entries": entries, "schema": {k: asdict(v) for k, v in stated.items()}}
        temporary.write_text(json.dumps(document), encoding="utf-8")
        os.replace(temporary, cached)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return entries, stated


class Catalog:
    """Our catalog of resource types, completed by the API-versions list for every other Azure type.

    A catalog type keeps its pinned API version unless a list refreshed by `avm catalog refresh` has a newer
    stable one; other types take the newest stable version of the refreshed list, else of the shipped one."""

    def __init__(
        self,
        entries: dict[str, dict[str, Any]],
        refreshed: ApiVersions | None = None,
        stated: dict[str, SchemaFacts] | None = None,
    ) -> None:
        self._entries = {k.lower(): (k, v) for k, v in entries.items()}
        self._refreshed = refreshed
        self._stated = stated or {}  # `schema_facts`: what the shipped schemas state, which wins

    @classmethod
    def load(cls) -> Catalog:
        entries, stated = _shipped_entries()
        return cls(entries, api_versions.refreshed(), stated)

    @property
    def refreshed(self) -> bool:
        """Whether a list refreshed by `avm catalog refresh` stands in for the shipped one."""
        return self._refreshed is not None

    def pinned(self, namespace: str, type_path: str) -> str | None:
        """The API version the catalog pins for a type or child type (`vaults/secrets`), if it lists it."""
        return self._pinned(namespace, type_path)

    def stated(self, namespace: str, type_path: str) -> SchemaFacts | None:
        """What the shipped schema states about a catalog type or child type."""
        return self._stated.get(f"{namespace}/{type_path}".lower())

    @cached_property
    def api_list(self) -> ApiVersions:
        """The list for types outside the catalog; loaded only when such a type is asked about."""
        return self._refreshed or api_versions.shipped()

    @cached_property
    def _catalog_namespaces(self) -> dict[str, str]:
        return {full.split("/", 1)[0].lower(): full.split("/", 1)[0] for full, _ in self._entries.values()}

    @cached_property
    def _namespaces(self) -> dict[str, str]:
        return {**{n.lower(): n for n in self.api_list.namespaces()}, **self._catalog_namespaces}

    def namespaces(self) -> list[str]:
        return sorted(self._namespaces.values(), key=str.lower)

    def canonical_namespace(self, name: str) -> str | None:
        """The catalog's spelling first: its namespaces need no API-versions list loaded."""
        return self._catalog_namespaces.get(name.lower()) or self._namespaces.get(name.lower())

    def types(self, namespace: str) -> list[str]:
        prefix = f"{namespace.lower()}/"
        found = {full.split("/", 1)[1] for key, (full, _) in self._entries.items() if key.startswith(prefix)}
        known = {t.lower() for t in found}
        found |= {t for t in self.api_list.types(namespace) if t.lower() not in known}
        return sorted(found, key=str.lower)

    def latest_stable(self, namespace: str, type_path: str) -> str | None:
        """The API version a new module of the type gets: see the class."""
        pinned = self._pinned(namespace, type_path)
        if pinned is not None:
            listed = self._refreshed.versions(namespace, type_path) if self._refreshed else None
            return max([pinned, *(listed.stable[:1] if listed else ())])
        listed = self.api_list.versions(namespace, type_path)
        return listed.stable[0] if listed and listed.stable else None

    def newest(self, namespace: str, type_path: str) -> str | None:
        """The newest stable version, else the newest preview one (for types with previews only)."""
        listed = self.api_list.versions(namespace, type_path)
        return self.latest_stable(namespace, type_path) or (listed.newest if listed else None)

    def _pinned(self, namespace: str, type_path: str) -> str | None:
        entry = self._entries.get(f"{namespace}/{type_path.split('/', 1)[0]}".lower())
        if entry is None:
            return None
        _, data = entry
        if "/" not in type_path:
            return data.get("api_version")
        child = _child_entry(data, type_path.split("/", 1)[1])
        return child[1]["api_version"] if child is not None else None

    def facts(self, namespace: str, resource_type: str) -> ResourceFacts:
        entry = self._entries.get(f"{namespace}/{resource_type}".lower())
        if entry is not None:
            full, data = entry
            ns, rt = full.split("/", 1)
            children = tuple(self._child(ns, rt, path, facts) for path, facts in (data.get("children") or {}).items())
            stated = self.stated(ns, rt)
            global_location = data.get("location") == "global"
            has_location = stated.location if stated else data.get("location", True) is not False
            identity = stated.identity if stated else tuple(data.get("identity") or ())
            return ResourceFacts(
                namespace=ns,
                resource_type=rt,
                display_name=data.get("display_name"),
                api_version=self.latest_stable(ns, rt),
                location=has_location and not global_location,
                tags=stated.tags if stated else bool(data.get("tags", True)),
                interfaces=tuple(k for k in INTERFACE_KEYS if k in (data.get("interfaces") or ())),
                private_endpoint_group_ids=tuple(data.get("private_endpoint_group_ids") or ()),
                identity=tuple(k for k in IDENTITY_KINDS if k in identity),
                roles=builtin_roles(ns, rt) or tuple((data.get("roles") or {}).items()),
                children=children,
                known=True,
                private_dns_zone=data.get("private_dns_zone"),
                private_endpoint_multi_service=bool(data.get("private_endpoint_multi_service")),
                global_location=has_location and global_location,
                scopes=stated.scopes if stated else (),
                schema=stated.schema if stated else None,
                customer_managed_key=customer_managed_key_of(data),
                extends=data.get("extends") or "",
            )
        ns = self.canonical_namespace(namespace) or namespace
        listed = self.api_list.versions(ns, resource_type)
        rt = spelling(listed.type_path, resource_type) if listed else resource_type
        return ResourceFacts(
            namespace=ns,
            resource_type=rt,
            display_name=None,
            api_version=self.newest(ns, rt),
            location=True,
            tags=True,
            interfaces=tuple(k for k in INTERFACE_KEYS if k != CUSTOMER_MANAGED_KEY),  # no known paths for the key
            private_endpoint_group_ids=(),
            identity=IDENTITY_KINDS,
            roles=builtin_roles(ns, rt) or (),
            children=self._listed_children(ns, rt),
            known=False,
            listed=listed is not None,
        )

    def _child(self, namespace: str, resource_type: str, path: str, data: dict[str, Any]) -> ChildFacts:
        full = f"{resource_type}/{path}"
        stated = self.stated(namespace, full)
        return ChildFacts(
            path,
            self.latest_stable(namespace, full) or data["api_version"],
            stated.tags if stated else bool(data.get("tags")),
            stated.scopes if stated else (),
            stated.location if stated else False,
        )

    def _listed_children(self, namespace: str, resource_type: str) -> tuple[ChildFacts, ...]:
        prefix = len(resource_type) + 1
        return tuple(
            ChildFacts(child.type_path[prefix:], child.stable[0], True)
            for child in self.api_list.descendants(namespace, resource_type)
            if child.stable
        )

    def child_facts(self, namespace: str, resource_type: str, child_path: str) -> ChildFacts | None:
        wanted = child_path.lower()
        for child in self.facts(namespace, resource_type).children:
            if child.type_path.lower() == wanted:
                return child
        full = f"{resource_type}/{child_path}"
        listed = self.api_list.versions(namespace, full)
        newest = self.newest(namespace, full)
        if listed is None or newest is None:
            return None
        return ChildFacts(spelling(listed.type_path, full).split("/", 1)[1], newest, True)


def spelling(listed: str, given: str) -> str:
    """The canonical spelling of a type path: the list's, unless the list has it in lower case only and the user
    wrote the same path in camelCase (`networkinterfaces` in the list, `networkInterfaces` given)."""
    if listed == listed.lower() and given.lower() == listed and given != given.lower() and given[0].islower():
        return given
    return listed


def _child_entry(data: dict[str, Any], path: str) -> tuple[str, dict[str, Any]] | None:
    for key, value in (data.get("children") or {}).items():
        if key.lower() == path.lower():
            return key, value
    return None


def refresh(source: str | None = None) -> RefreshResult:
    """Store the API-versions list from `source` (file or URL; default: the official address) in the user cache."""
    origin = source or api_versions.OFFICIAL_URL
    data = api_versions.parse_official(api_versions.read_source(origin), origin)
    before = Catalog.load()
    target = api_versions.cached_path()
    spellings = api_versions.shipped().spellings()
    try:
        api_versions.write_compact(target, api_versions.compact(data, spellings), origin)
    except OSError as exc:
        raise EnvironmentProblemError(f"--from: cannot write the cache {target.parent}: {exc.strerror}") from exc
    after = Catalog.load()
    newer = 0
    for _, (full, _) in before._entries.items():
        ns, rt = full.split("/", 1)
        old, new = before.latest_stable(ns, rt), after.latest_stable(ns, rt)
        if old and new and new > old:
            newer += 1
    return RefreshResult(
        namespaces=len(data),
        types=sum(len(t) for t in data.values()),
        newer_api_versions=newer,
        path=str(target),
        source=origin,
    )
