"""The AVM API-versions list: every Azure resource type with its stable and preview API versions.

The official list (`OFFICIAL_URL`, a JSON object `{namespace: {type path: [versions]}}`) is shipped in the
package in a compact form, `data/api_versions.json.gz`: per namespace and type, the stable and the preview
versions, newest first, with lower-case type names respelled in camelCase where the module index spells
them so. `avm catalog refresh` stores a newer copy of the same form in the user cache, which then wins.

Rebuild the shipped copy (a release step) with:

    python -m generator.api_versions build [--from FILE|URL] [--index-dir FOLDER_OF_INDEX_CSVS]
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from generator.errors import EnvironmentProblemError, InvalidInputError, unreadable
from generator.paths import DATA_DIR, cache_dir

OFFICIAL_URL = "https://azure.github.io/Azure-Verified-Modules/governance/apiSpecsList.json"
SHIPPED_FILE = DATA_DIR / "api_versions.json.gz"
FORMAT = 1
UNSTABLE_RE = re.compile(r"-(preview|privatepreview|beta|alpha|rc)$", re.IGNORECASE)
DOWNLOAD_TIMEOUT = 30
# Entries of the official list that are not deployable resource types.
NOT_RESOURCES = ("operations", "locations", "checknameavailability")

Compact = dict[str, dict[str, list[list[str]]]]


@dataclass(frozen=True)
class TypeVersions:
    type_path: str  # as the list spells it: `vaults`, `vaults/secrets`
    stable: tuple[str, ...]  # newest first
    preview: tuple[str, ...]  # newest first

    @property
    def newest(self) -> str | None:
        """The newest stable version, else the newest preview one."""
        return (self.stable or self.preview or (None,))[0]


def is_stable(version: str) -> bool:
    return not UNSTABLE_RE.search(version)


def canonical_version(version: str) -> str:
    """API versions compare case-insensitively (`2026-03-01-Preview` is `2026-03-01-preview`): lower case."""
    return version.lower()


def compact(raw: Mapping[str, Mapping[str, Iterable[str]]], spellings: Mapping[str, str] | None = None) -> Compact:
    """The compact form of an official list. `spellings` maps `namespace/type` in lower case to a better
    spelling of the type path, used where the list spells a type in lower case only."""
    spellings = spellings or {}
    result: Compact = {}
    for namespace in sorted(raw, key=str.lower):
        types: dict[str, list[list[str]]] = {}
        for type_path in sorted(raw[namespace], key=str.lower):
            versions = sorted({canonical_version(v) for v in raw[namespace][type_path]}, reverse=True)
            spelled = type_path
            better = spellings.get(f"{namespace}/{type_path}".lower())
            if type_path == type_path.lower() and better:
                spelled = better
            types[spelled] = [[v for v in versions if is_stable(v)], [v for v in versions if not is_stable(v)]]
        result[namespace] = types
    return result


class ApiVersions:
    """Lookups in one API-versions list, case-insensitive, answering with the list's own spelling."""

    def __init__(self, data: Compact, origin: str = "") -> None:
        self.origin = origin
        self._namespaces = {ns.lower(): ns for ns in data}
        self._types = {
            ns.lower(): {
                t.lower(): TypeVersions(t, tuple(stable), tuple(preview)) for t, (stable, preview) in types.items()
            }
            for ns, types in data.items()
        }

    def __len__(self) -> int:
        return sum(len(t) for t in self._types.values())

    def namespaces(self) -> list[str]:
        return sorted(self._namespaces.values(), key=str.lower)

    def namespace(self, name: str) -> str | None:
        return self._namespaces.get(name.lower())

    def types(self, namespace: str) -> list[str]:
        """The top-level resource types of a namespace."""
        listed = self._types.get(namespace.lower(), {})
        return sorted(
            (v.type_path for k, v in listed.items() if "/" not in k and k not in NOT_RESOURCES), key=str.lower
        )

    def versions(self, namespace: str, type_path: str) -> TypeVersions | None:
        return self._types.get(namespace.lower(), {}).get(type_path.lower())

    def descendants(self, namespace: str, type_path: str) -> list[TypeVersions]:
        """Every nested type below `type_path`, in list order."""
        prefix = f"{type_path.lower()}/"
        listed = self._types.get(namespace.lower(), {})
        return [v for k, v in sorted(listed.items()) if k.startswith(prefix)]

    def spellings(self) -> dict[str, str]:
        """`namespace/type` in lower case -> the type path as spelled here, for types with an upper-case letter."""
        return {
            f"{ns}/{key}": v.type_path
            for ns, types in self._types.items()
            for key, v in types.items()
            if v.type_path != key
        }


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


def _is_compact(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("namespaces"), dict)


def read_compact(path: Path) -> Compact:
    raw = path.read_bytes()
    data = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    if not _is_compact(data):
        raise ValueError(f"{path} is not a compact API-versions list")
    return data["namespaces"]


def write_compact(path: Path, data: Compact, source: str) -> None:
    """Atomically, gzip-compressed and reproducible (no time stamps)."""
    document = {"format": FORMAT, "source": source, "namespaces": data}
    payload = gzip.compress(json.dumps(document, separators=(",", ":"), sort_keys=False).encode(), mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            os.fchmod(stream.fileno(), 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def cached_path() -> Path:
    return cache_dir() / "catalog" / "api-versions.json.gz"


def _legacy_cached_path() -> Path:
    """Where avm 0.1 stored the refreshed list, verbatim."""
    return cache_dir() / "catalog" / "apiSpecsList.json"


def refreshed() -> ApiVersions | None:
    """The list `avm catalog refresh` stored in the user cache, if any (a damaged copy is ignored)."""
    for path in (cached_path(), _legacy_cached_path()):
        if not path.is_file():
            continue
        try:
            if path == cached_path():
                return ApiVersions(read_compact(path), str(path))
            return ApiVersions(compact(_validated(json.loads(path.read_bytes()), "cache")), str(path))
        except (OSError, ValueError, InvalidInputError):
            continue
    return None


@cache
def shipped() -> ApiVersions:
    return ApiVersions(read_compact(SHIPPED_FILE), "shipped")


def current() -> ApiVersions:
    """The refreshed list when there is one, else the shipped one."""
    return refreshed() or shipped()


def read_source(source: str, field: str = "--from") -> bytes:
    """The bytes of a FILE or an http(s) URL; a missing file is the user's problem, a download the machine's."""
    if source.startswith(("http://", "https://")):
        from urllib.error import URLError
        from urllib.request import urlopen

        try:
            with urlopen(source, timeout=DOWNLOAD_TIMEOUT) as response:
                return response.read()
        except (URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise EnvironmentProblemError(f"{field}: cannot download {source}: {reason}") from exc
    try:
        return Path(source).expanduser().read_bytes()
    except OSError as exc:
        raise unreadable(field, source, exc) from exc


def parse_official(raw: bytes, source: str, field: str = "--from") -> dict[str, dict[str, list[str]]]:
    try:
        return _validated(json.loads(raw.decode("utf-8-sig")), field)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInputError.single(field, f"{source} is not JSON") from exc


def index_spellings(folder: Path) -> dict[str, str]:
    """`namespace/type` in lower case -> the type path as the module index CSVs in `folder` spell it."""
    import csv

    found: dict[str, str] = {}
    for path in sorted(folder.glob("*ResourceModules.csv")):
        with path.open(encoding="utf-8-sig", newline="") as stream:
            for row in csv.DictReader(stream):
                namespace, type_path = (
                    (row.get("ProviderNamespace") or "").strip(),
                    (row.get("ResourceType") or "").strip(),
                )
                if namespace and type_path and type_path != type_path.lower():
                    found.setdefault(f"{namespace}/{type_path}".lower(), type_path)
    return found


def build(source: str, index_dir: Path | None, target: Path = SHIPPED_FILE) -> int:
    """Write the shipped compact list from the official one; the number of types written."""
    data = parse_official(read_source(source), source)
    spellings = index_spellings(index_dir) if index_dir else {}
    result = compact(data, spellings)
    write_compact(target, result, source if source.startswith("http") else OFFICIAL_URL)
    return sum(len(t) for t in result.values())


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m generator.api_versions")
    sub = parser.add_subparsers(dest="command", required=True)
    builder = sub.add_parser("build", help="write generator/data/api_versions.json.gz from the official list")
    builder.add_argument("--from", dest="source", default=OFFICIAL_URL, help="FILE or URL of apiSpecsList.json")
    builder.add_argument("--index-dir", type=Path, help="folder of the module index CSVs (for type spellings)")
    arguments = parser.parse_args(argv)
    count = build(arguments.source, arguments.index_dir)
    print(f"wrote {SHIPPED_FILE.name}: {count} types")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
