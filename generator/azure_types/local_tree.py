"""A bicep-types-az `generated/` folder on this machine: a checkout, or the user cache of downloaded files.

The folder's index (`index.json`) says which file holds a type; a folder without one (a partial copy) is
scanned instead (`type_index.FolderScan`). Indexes and files read are kept for the life of the process.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.azure_types.type_index import INDEX_FILE, TYPES_FILE, FolderScan, Location, Nodes, TypeIndex
from generator.errors import InvalidInputError

SHA_RE = re.compile(r"^[0-9a-f]{40}$")


class LocalTree:
    def __init__(self, generated: Path) -> None:
        self.generated = generated
        self.files = FolderScan(generated)
        self._index: TypeIndex | None = None
        self._index_stamp: int | None = None

    @property
    def index_path(self) -> Path:
        return self.generated / INDEX_FILE

    def index(self) -> TypeIndex | None:
        """The folder's index, read again when the file changed (the cache's is replaced by downloads); None
        when there is none or it is damaged."""
        try:
            stamp = self.index_path.stat().st_mtime_ns
        except OSError:
            self._index, self._index_stamp = None, None
            return None
        if stamp != self._index_stamp:
            try:
                self._index = TypeIndex.from_document(json.loads(self.index_path.read_bytes()))
            except (OSError, ValueError):
                self._index = None
            self._index_stamp = stamp
        return self._index

    def locate(self, full_type: str, api_version: str) -> Location | None:
        index = self.index()
        return index.locate(full_type, api_version) if index is not None else self.files.locate(full_type, api_version)

    def find(self, full_type: str, api_version: str) -> tuple[Location, Nodes] | None:
        """The type's location and node list, when the folder has its file (a damaged file counts as absent)."""
        location = self.locate(full_type, api_version)
        if location is None:
            return None
        try:
            return location, self.files.nodes(self.generated / location.path)
        except (OSError, ValueError):
            return None


def generated_folder(folder: Path, field: str) -> Path:
    """The `generated/` folder of a bicep-types-az checkout given as its work tree or as the folder itself (also
    a partial copy without an index, `<rp folder>/<namespace>/<version>/types.json`)."""
    for candidate in (folder / "generated", folder):
        if (candidate / INDEX_FILE).is_file() or next(candidate.glob(f"*/*/*/{TYPES_FILE}"), None) is not None:
            return candidate
    what = "does not exist" if not folder.exists() else "is not a bicep-types-az checkout (no generated/index.json)"
    raise InvalidInputError.single(field, f"{folder} {what}")


def git_revision(generated: Path) -> str | None:
    """The commit checked out in the work tree around `generated/`, read from `.git` without running git."""
    git = generated.parent / ".git"
    try:
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if SHA_RE.match(head):
            return head
        ref = head.removeprefix("ref: ").strip()
        if (git / ref).is_file():
            return (git / ref).read_text(encoding="utf-8").strip() or None
        for line in (git / "packed-refs").read_text(encoding="utf-8").splitlines():
            sha, _, name = line.partition(" ")
            if name.strip() == ref and SHA_RE.match(sha):
                return sha
    except OSError:
        return None
    return None
