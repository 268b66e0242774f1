"""Where a resource type's schema (a bicep-types node list) comes from.

`find` asks, in this order, and takes the first answer at the exact API version:

1. the user cache (`<cache>/schemas/generated/`: files downloaded before);
2. a local bicep-types-az checkout, given as `schemas_dir`, by `use_checkout` (`--schemas`) or by `AVM_SCHEMAS`
   (its work tree, its `generated/` folder, or a partial copy of that folder);
3. the bundle shipped in the package (the catalog's types at their pinned versions, `bundle`);
4. a download of the one `types.json` needed from the public repository (`download.DEFAULT_BASE_URL`, or
   `AVM_SCHEMAS_URL`), found through the repository's index (downloaded once) and stored in the cache.

Where no source has the exact version, the nearest older one wins (never a newer one; on a tie, the earlier
source). Finding nothing is an answer (None), never an error; a network problem is remembered for the rest of
the process (no second wait) and told once by `download_problem()`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generator.azure_types import bundle, download
from generator.azure_types.local_tree import LocalTree, generated_folder, git_revision
from generator.azure_types.type_index import Location, Nodes, version_key
from generator.paths import cache_dir

SourceKind = Literal["cache", "checkout", "download", "bundle"]
CHECKOUT_VARIABLE = "AVM_SCHEMAS"


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    location: str  # the folder, the address, or the shipped file
    revision: str | None = None  # the bicep-types-az commit, when known


@dataclass(frozen=True)
class Found:
    nodes: Nodes = field(repr=False)  # the node list of the file that holds the type (pruned, for the bundle)
    name: str  # `Microsoft.KeyVault/vaults@2026-02-01`, as the schemas spell it
    api_version: str  # the version found: the one asked for, or the nearest older one
    exact: bool
    source: Source
    node: int | None = None  # the ResourceType's index in `nodes`, when known


Lookup = Callable[[str, str], Found | None]

_trees: dict[Path, LocalTree] = {}
_chosen_checkout: list[Path] = []  # `--schemas DIR` of the running command, for every lookup of the process
_download_problems: dict[str, str] = {}  # address -> the first problem met there


def download_problem() -> str | None:
    """The first network problem of this process, for one warning."""
    return next(iter(_download_problems.values()), None)


def cache_folder() -> Path:
    return cache_dir() / "schemas" / "generated"


def _tree(generated: Path) -> LocalTree:
    """One LocalTree a folder a process, so that its index and files are read once."""
    key = generated.resolve()
    if key not in _trees:
        _trees[key] = LocalTree(key)
    return _trees[key]


def _found(answer: tuple[Location, Nodes] | None, source: Source) -> Found | None:
    if answer is None:
        return None
    location, nodes = answer
    return Found(nodes, location.name, location.api_version, location.exact, source, location.node)


def _from_cache(full_type: str, api_version: str) -> Found | None:
    folder = cache_folder()
    if not folder.is_dir():
        return None
    return _found(_tree(folder).find(full_type, api_version), Source("cache", str(folder)))


def use_checkout(folder: Path) -> None:
    """`--schemas DIR`: every lookup of this process reads this checkout (before `AVM_SCHEMAS`); InvalidInputError
    (exit 2) when it is not one."""
    generated_folder(folder.expanduser(), "--schemas")
    _chosen_checkout[:] = [folder]


def _checkout_lookup(schemas_dir: Path | None) -> Lookup | None:
    """The checkout's lookup; InvalidInputError (exit 2) when the folder named is not a checkout."""
    schemas_dir = schemas_dir or next(iter(_chosen_checkout), None)
    field_name = "--schemas" if schemas_dir is not None else CHECKOUT_VARIABLE
    folder = schemas_dir or (Path(os.environ[CHECKOUT_VARIABLE]) if os.environ.get(CHECKOUT_VARIABLE) else None)
    if folder is None:
        return None
    generated = generated_folder(folder.expanduser(), field_name)
    source = Source("checkout", str(generated), git_revision(generated))
    return lambda full_type, api_version: _found(_tree(generated).find(full_type, api_version), source)


def _from_download(full_type: str, api_version: str) -> Found | None:
    url = download.base_url()
    if url in _download_problems:
        return None
    source = Source("download", url, download.revision_in(url))
    try:
        return _found(download.download(full_type, api_version, _tree(cache_folder()), url), source)
    except download.DownloadProblem as problem:
        _download_problems[url] = str(problem)
        return None


def _from_bundle(full_type: str, api_version: str) -> Found | None:
    shipped = bundle.shipped()
    if shipped is None:
        return None
    return _found(shipped.find(full_type, api_version), Source("bundle", bundle.SHIPPED_FILE.name, shipped.revision))


def _lookups(schemas_dir: Path | None, allow_download: bool) -> Iterator[Lookup]:
    """The bundle before the download: a type it holds at the exact version needs no network (and a machine
    without one waits for nothing)."""
    yield _from_cache
    checkout = _checkout_lookup(schemas_dir)
    if checkout is not None:
        yield checkout
    yield _from_bundle
    if allow_download:
        yield _from_download


def _newer(candidate: Found | None, best: Found | None) -> bool:
    if candidate is None:
        return False
    return best is None or version_key(candidate.api_version) > version_key(best.api_version)


def find(
    namespace: str,
    resource_type_path: str,
    api_version: str,
    *,
    schemas_dir: Path | None = None,
    allow_download: bool = True,
) -> Found | None:
    """The schema of `namespace/resource_type_path` at `api_version`, else at the nearest older version; None
    when no source has one (the caller then falls back to a generic module)."""
    full_type = f"{namespace}/{resource_type_path}"
    best: Found | None = None
    for lookup in _lookups(schemas_dir, allow_download):
        found = lookup(full_type, api_version)
        if found is not None and found.exact:
            return found
        if _newer(found, best):
            best = found
    return best
