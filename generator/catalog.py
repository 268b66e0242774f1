"""Resource-type facts: child types, latest stable API versions, supported interfaces.

Two sources: `data/catalog.yaml`, which we write, and the AVM API-versions list
(`apiSpecsList.json`) that `avm catalog refresh` stores in the user cache.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from generator.errors import EnvironmentProblemError, InvalidInputError
from generator.interfaces import INTERFACE_KEYS
from generator.paths import DATA_DIR, cache_dir

IDENTITY_KINDS = ("system", "user")
UNSTABLE_RE = re.compile(r"-(preview|beta|alpha|privatepreview)$", re.IGNORECASE)
DOWNLOAD_TIMEOUT = 30


@dataclass(frozen=True)
class ChildFacts:
    type_path: str
    api_version: str
    tags: bool


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


@dataclass(frozen=True)
class RefreshResult:
    namespaces: int
    types: int
    newer_api_versions: int
    path: str


def latest_stable(versions: list[str]) -> str | None:
    stable = [v for v in versions if not UNSTABLE_RE.search(v)]
    return max(stable) if stable else None


def api_list_path() -> Path:
    return cache_dir() / "catalog" / "apiSpecsList.json"


def _yaml_loader() -> type:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _shipped_entries() -> dict[str, dict[str, Any]]:
    """`data/catalog.yaml`'s resource types, through a JSON copy in the user cache: parsing the YAML is the
    slowest part of starting `avm new`, reading JSON a tenth of it."""
    import hashlib

    raw = (DATA_DIR / "catalog.yaml").read_bytes()
    cached = cache_dir() / "catalog" / f"{hashlib.sha256(raw).hexdigest()[:16]}.json"
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    entries = yaml.load(raw.decode("utf-8"), Loader=_yaml_loader())["resource_types"]
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_name(f".{cached.name}.{os.getpid()}")
        temporary.write_text(json.dumps(entries), encoding="utf-8")
        os.replace(temporary, cached)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return entries


class Catalog:
    def __init__(self, entries: dict[str, dict[str, Any]], api_list: dict[str, dict[str, list[str]]]) -> None:
        self._entries = {k.lower(): (k, v) for k, v in entries.items()}
        self._api = {
            ns.lower(): (ns, {t.lower(): (t, versions) for t, versions in types.items()})
            for ns, types in api_list.items()
        }

    @classmethod
    def load(cls) -> Catalog:
        entries = _shipped_entries()
        api_list: dict[str, dict[str, list[str]]] = {}
        path = api_list_path()
        if path.is_file():
            try:
                api_list = _validated(json.loads(path.read_text(encoding="utf-8")), "--from")
            except (ValueError, InvalidInputError):
                api_list = {}  # a damaged cache is ignored, not fatal
        return cls(entries, api_list)

    @cached_property
    def _namespaces(self) -> dict[str, str]:
        names = {full.split("/", 1)[0] for full, _ in self._entries.values()}
        names |= {ns for ns, _ in self._api.values()}
        return {n.lower(): n for n in names}

    def namespaces(self) -> list[str]:
        return sorted(self._namespaces.values(), key=str.lower)

    def canonical_namespace(self, name: str) -> str | None:
        return self._namespaces.get(name.lower())

    def types(self, namespace: str) -> list[str]:
        prefix = f"{namespace.lower()}/"
        found = {full.split("/", 1)[1] for key, (full, _) in self._entries.items() if key.startswith(prefix)}
        _, api_types = self._api.get(namespace.lower(), ("", {}))
        found |= {t for t, _ in api_types.values() if "/" not in t and t.lower() not in ("operations", "locations")}
        return sorted(found, key=str.lower)

    def _api_versions(self, namespace: str, type_path: str) -> tuple[str, list[str]] | None:
        _, api_types = self._api.get(namespace.lower(), ("", {}))
        return api_types.get(type_path.lower())

    def latest_stable(self, namespace: str, type_path: str) -> str | None:
        candidates = []
        entry = self._entries.get(f"{namespace}/{type_path.split('/', 1)[0]}".lower())
        if entry is not None:
            _, data = entry
            if "/" in type_path:
                child = _child_entry(data, type_path.split("/", 1)[1])
                if child is not None:
                    candidates.append(child[1]["api_version"])
            elif data.get("api_version"):
                candidates.append(data["api_version"])
        listed = self._api_versions(namespace, type_path)
        if listed is not None:
            newest = latest_stable(listed[1])
            if newest:
                candidates.append(newest)
        return max(candidates) if candidates else None

    def facts(self, namespace: str, resource_type: str) -> ResourceFacts:
        entry = self._entries.get(f"{namespace}/{resource_type}".lower())
        if entry is not None:
            full, data = entry
            ns, rt = full.split("/", 1)
            children = tuple(
                ChildFacts(
                    path, self.latest_stable(ns, f"{rt}/{path}") or facts["api_version"], bool(facts.get("tags"))
                )
                for path, facts in (data.get("children") or {}).items()
            )
            return ResourceFacts(
                namespace=ns,
                resource_type=rt,
                display_name=data.get("display_name"),
                api_version=self.latest_stable(ns, rt),
                location=bool(data.get("location", True)),
                tags=bool(data.get("tags", True)),
                interfaces=tuple(k for k in INTERFACE_KEYS if k in (data.get("interfaces") or ())),
                private_endpoint_group_ids=tuple(data.get("private_endpoint_group_ids") or ()),
                identity=tuple(k for k in IDENTITY_KINDS if k in (data.get("identity") or ())),
                roles=tuple((data.get("roles") or {}).items()),
                children=children,
                known=True,
                private_dns_zone=data.get("private_dns_zone"),
                private_endpoint_multi_service=bool(data.get("private_endpoint_multi_service")),
            )
        ns = self.canonical_namespace(namespace) or namespace
        listed = self._api_versions(ns, resource_type)
        rt = listed[0] if listed else resource_type
        return ResourceFacts(
            namespace=ns,
            resource_type=rt,
            display_name=None,
            api_version=latest_stable(listed[1]) if listed else None,
            location=True,
            tags=True,
            interfaces=INTERFACE_KEYS,
            private_endpoint_group_ids=(),
            identity=IDENTITY_KINDS,
            roles=(),
            children=self._listed_children(ns, rt),
            known=False,
        )

    def _listed_children(self, namespace: str, resource_type: str) -> tuple[ChildFacts, ...]:
        _, api_types = self._api.get(namespace.lower(), ("", {}))
        prefix = f"{resource_type.lower()}/"
        children = []
        for key, (path, versions) in sorted(api_types.items()):
            newest = latest_stable(versions)
            if key.startswith(prefix) and newest:
                children.append(ChildFacts(path[len(prefix) :], newest, True))
        return tuple(children)

    def child_facts(self, namespace: str, resource_type: str, child_path: str) -> ChildFacts | None:
        wanted = child_path.lower()
        for child in self.facts(namespace, resource_type).children:
            if child.type_path.lower() == wanted:
                return child
        listed = self._api_versions(namespace, f"{resource_type}/{child_path}")
        if listed is not None and latest_stable(listed[1]):
            return ChildFacts(listed[0].split("/", 1)[1], latest_stable(listed[1]) or "", True)
        return None


def _child_entry(data: dict[str, Any], path: str) -> tuple[str, dict[str, Any]] | None:
    for key, value in (data.get("children") or {}).items():
        if key.lower() == path.lower():
            return key, value
    return None


def _validated(data: Any, field: str) -> dict[str, dict[str, list[str]]]:
    shape_ok = isinstance(data, dict) and all(
        isinstance(ns, str)
        and isinstance(types, dict)
        and all(
            isinstance(t, str) and isinstance(v, list) and all(isinstance(x, str) for x in v) for t, v in types.items()
        )
        for ns, types in data.items()
    )
    if not shape_ok or not data:
        raise InvalidInputError.single(field, "is not an AVM API-versions list ({namespace: {type: [versions]}})")
    return data


def _read_source(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        from urllib.error import URLError
        from urllib.request import urlopen

        try:
            with urlopen(source, timeout=DOWNLOAD_TIMEOUT) as response:
                return response.read()
        except (URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise EnvironmentProblemError(f"--from: cannot download {source}: {reason}") from exc
    try:
        return Path(source).expanduser().read_bytes()
    except OSError as exc:
        raise EnvironmentProblemError(f"--from: cannot read {source}: {exc.strerror}") from exc


def refresh(source: str) -> RefreshResult:
    """Store the API-versions list from `source` (file or URL) in the user cache."""
    raw = _read_source(source)
    try:
        data = _validated(json.loads(raw.decode("utf-8-sig")), "--from")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInputError.single("--from", f"{source} is not JSON") from exc
    before = Catalog.load()
    target = api_list_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".apiSpecsList-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream)
        os.replace(temporary, target)
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
    )
