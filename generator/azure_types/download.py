"""Downloads of single `types.json` files from the public bicep-types-az repository into the user cache.

The repository's index (`generated/index.json`) is downloaded once and kept in the cache, and read again from
the network only when it does not know the version asked for and is older than `INDEX_MAX_AGE`. Each file
downloaded is stored in the cache under its path in `generated/`, so that the cache is itself a `generated/`
tree (`local_tree.LocalTree`). A network problem raises `DownloadProblem`; the caller falls through.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from pathlib import Path

from generator.azure_types.local_tree import LocalTree
from generator.azure_types.type_index import INDEX_FILE, Location, Nodes, TypeIndex, read_nodes

DEFAULT_BASE_URL = "https://raw.githubusercontent.com/Azure/bicep-types-az/main/generated/"
BASE_URL_VARIABLE = "AVM_SCHEMAS_URL"
TIMEOUT_SECONDS = 10
INDEX_MAX_AGE_SECONDS = 7 * 24 * 3600
COMMIT_IN_URL_RE = re.compile(r"/([0-9a-f]{40})/")


class DownloadProblem(Exception):
    """The network, or what it answered, is in the way: the reason, for one warning."""


def base_url() -> str:
    url = os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL
    return url if url.endswith("/") else f"{url}/"


def revision_in(url: str) -> str | None:
    """The commit an address pins (`.../bicep-types-az/<40 hex>/generated/`), if it pins one."""
    match = COMMIT_IN_URL_RE.search(url)
    return match.group(1) if match else None


def fetch(url: str) -> bytes:
    from urllib.error import URLError
    from urllib.request import urlopen

    try:
        with urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return response.read()
    except (URLError, OSError, ValueError) as exc:
        raise DownloadProblem(f"cannot download {url}: {getattr(exc, 'reason', exc)}") from exc


def write_atomically(target: Path, payload: bytes) -> None:
    """Write `target` whole or not at all (OSError when the machine is in the way)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def store(target: Path, payload: bytes) -> None:
    """Into the cache; a cache that cannot be written only costs a download next time."""
    with contextlib.suppress(OSError):
        write_atomically(target, payload)


def _index_is_old(cache: LocalTree) -> bool:
    try:
        return time.time() - cache.index_path.stat().st_mtime > INDEX_MAX_AGE_SECONDS
    except OSError:
        return True


def _fresh_index(url: str, cache: LocalTree) -> TypeIndex:
    raw = fetch(f"{url}{INDEX_FILE}")
    try:
        index = TypeIndex.from_document(json.loads(raw))
    except ValueError as exc:
        raise DownloadProblem(f"{url}{INDEX_FILE} is not a bicep-types index") from exc
    store(cache.index_path, raw)
    return index


def download(full_type: str, api_version: str, cache: LocalTree, url: str) -> tuple[Location, Nodes] | None:
    """The type's location and node list from `url` (a `generated/` folder's address), stored in `cache`; None
    when the repository has no schema of the type at or before `api_version`."""
    index = cache.index()
    location = index.locate(full_type, api_version) if index is not None else None
    if index is None or (not (location and location.exact) and _index_is_old(cache)):
        location = _fresh_index(url, cache).locate(full_type, api_version)
    if location is None:
        return None
    target = cache.generated / location.path
    try:
        return location, cache.files.nodes(target)
    except (OSError, ValueError):
        pass  # not cached yet (or damaged): download it
    raw = fetch(f"{url}{location.path}")
    try:
        nodes = read_nodes(raw)
    except ValueError as exc:
        raise DownloadProblem(f"{url}{location.path} is not a types.json node list") from exc
    store(target, raw)
    return location, nodes
