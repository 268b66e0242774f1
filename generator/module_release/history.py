"""The module's last release, read from git without touching the work tree.

Bicep: the newest tag `<module path>/<x.y.z>` (`avm/res/key-vault/vault/0.14.0`) on the current history; without
tags, the newest commit that set a new version: version.json's MAJOR.MINOR, or a new `## x.y.z` heading (a patch)
in CHANGELOG.md. Terraform: the newest tag `vX.Y.Z` on the current history.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from generator.errors import EnvironmentProblemError, InvalidInputError
from generator.module_release.bump import Version

VERSION_FILE = "version.json"
CHANGELOG = "CHANGELOG.md"
_HEADING = re.compile(r"^## \[?v?(\d+\.\d+\.\d+)\]?", re.M)


@dataclass(frozen=True)
class Release:
    version: Version
    commit: str
    source: str  # what told: `tag v0.1.0`, `tag avm/res/x/y/0.2.0`, `version.json`, `CHANGELOG.md`


def _environment() -> dict[str, str]:
    """git that only reads: no opportunistic index refresh (GIT_OPTIONAL_LOCKS=0)."""
    return {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}


def git(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, env=_environment(), check=False
        )
    except FileNotFoundError as exc:
        raise EnvironmentProblemError("git: not found; avm release reads the last release from git") from exc
    except OSError as exc:
        raise EnvironmentProblemError(f"git: cannot run: {exc.strerror or exc}") from exc
    if check and result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise EnvironmentProblemError(f"git: {' '.join(args[:2])} failed: {last}")
    return result


def repository_root(folder: Path) -> Path:
    result = git(folder, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        raise InvalidInputError.single(
            "path", f"{folder} is not in a git repository; avm release reads the last release from git history"
        )
    return Path(result.stdout.strip())


def _has_commits(folder: Path) -> bool:
    return git(folder, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0


def _tagged(folder: Path, prefix: str) -> Release | None:
    tags = git(folder, "tag", "--list", f"{prefix}*", "--merged", "HEAD").stdout.split()
    found = [(v, tag) for tag in tags if (v := Version.parse(tag[len(prefix) :])) is not None]
    if not found:
        return None
    version, tag = max(found)
    commit = git(folder, "rev-list", "-n", "1", tag).stdout.strip()
    return Release(version, commit, f"tag {tag}")


def show(folder: Path, commit: str, path: str) -> str | None:
    """A file's text at a commit (`path` relative to the repository root), or None when it is not there."""
    result = git(folder, "show", f"{commit}:{path}", check=False)
    return result.stdout if result.returncode == 0 else None


def version_of(version_json: str | None, changelog: str | None) -> Version | None:
    """The version a Bicep module's files say is released: version.json's MAJOR.MINOR with the newest patch of
    that MAJOR.MINOR the CHANGELOG has a heading for."""
    try:
        text = json.loads(version_json or "").get("version", "")
    except (ValueError, AttributeError):
        return None
    base = Version.parse(f"{text}.0")
    if base is None:
        return None
    patches = [v.patch for h in _HEADING.findall(changelog or "") if (v := Version.parse(h)) and v[:2] == base[:2]]
    return Version(base.major, base.minor, max(patches, default=0))


def _bicep_by_files(root: Path, relative: str) -> Release | None:
    files = [f"{relative}/{name}" if relative else name for name in (VERSION_FILE, CHANGELOG)]
    commits = git(root, "log", "--format=%H", "--", *files).stdout.split()

    def at(commit: str) -> Version | None:
        return version_of(show(root, commit, files[0]), show(root, commit, files[1]))

    for commit in commits:
        version, before = at(commit), at(f"{commit}^")
        if version is not None and version != before:
            said_by = CHANGELOG if before is not None and version[:2] == before[:2] else VERSION_FILE
            return Release(version, commit, said_by)
    return None


def last_release(module: Path, language: str, bicep_path: str | None) -> Release | None:
    """The newest release of the module on the current history; None when there is none."""
    root = repository_root(module)
    if not _has_commits(root):
        return None
    if language == "terraform":
        return _tagged(root, "v")
    tagged = _tagged(root, f"{bicep_path}/") if bicep_path else None
    return tagged or _bicep_by_files(root, relative_path(root, module))


def relative_path(root: Path, module: Path) -> str:
    relative = module.resolve().relative_to(root.resolve()).as_posix()
    return "" if relative == "." else relative


def files_at(module: Path, commit: str, wanted: list[str] | None = None) -> dict[str, str]:
    """The module's text files at a commit (paths relative to the module), from `git archive`."""
    root = repository_root(module)
    relative = relative_path(root, module)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "--", relative or "."],
        cwd=root,
        capture_output=True,
        env=_environment(),
        check=False,
    )
    if archive.returncode != 0:
        last = (archive.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise EnvironmentProblemError(f"git: archive failed: {last}")
    found: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        for member in tar.getmembers():
            name = member.name[len(relative) + 1 :] if relative else member.name
            if not member.isfile() or (wanted is not None and name not in wanted):
                continue
            handle = tar.extractfile(member)
            try:
                found[name] = handle.read().decode("utf-8") if handle else ""
            except UnicodeDecodeError:
                continue  # a binary file is no part of an interface
    return found


def module_files(module: Path) -> list[str]:
    """The module's files in the work tree that git does not ignore, relative to the module."""
    listed = git(module, "ls-files", "--cached", "--others", "--exclude-standard", "--", ".").stdout.splitlines()
    return sorted({p for p in listed if (module / p).is_file()})


def changed_since(module: Path, commit: str, ignore: tuple[str, ...]) -> list[str]:
    """The module's files that differ in the work tree from the commit (new ones included), but for those named in
    `ignore` at any depth (the release's own files, and those of children released on their own)."""
    changed = git(module, "diff", "--name-only", "--relative", commit, "--", ".").stdout.splitlines()
    changed += git(module, "ls-files", "--others", "--exclude-standard", "--", ".").stdout.splitlines()
    return sorted({p for p in changed if p.rpartition("/")[2] not in ignore})
