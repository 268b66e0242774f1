"""A later template version for update tests and benchmarks: a snapshot of the running avm, edited."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

from generator.releases import package_name, snapshot

CHANGELOG_EDIT = {"bicep/_partials/changelog.md.jinja": (b"- Initial version", b"- Initial version of the module")}
SUPPORT_FILE = {"bicep/SUPPORT.md": b"# Support\n\nOpen an issue in the module's repository.\n"}


def later_version(
    releases: Path,
    version: str,
    edits: Mapping[str, tuple[bytes, bytes]] = CHANGELOG_EDIT,
    added: Mapping[str, bytes] = SUPPORT_FILE,
) -> Path:
    """Write into `releases` the snapshot `version` whose templates have `edits` (path under templates/, e.g.
    `bicep/CHANGELOG.md.jinja` -> (old, new); an empty `old` appends `new`) applied and the files `added`."""
    built = snapshot(releases, version)
    prefix = f"{package_name(version)}/_templates/"
    changed = releases / f"{version}.editing.zip"
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            old, new = edits.get(name.removeprefix(prefix), (None, None)) if name.startswith(prefix) else (None, None)
            if old is not None:
                data = data.rstrip(b"\n") + b"\n" + new if not old else data.replace(old, new)
            target.writestr(name, data)
        for name, data in added.items():
            target.writestr(f"{prefix}{name}", data)
    changed.replace(built)
    return built
