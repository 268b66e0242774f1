"""The released versions of the templates, kept with the package so that updates work offline.

A module records the template version that made it (`_commit: v<version>`) and the template's canonical
address (`_src_path`). `avm update` needs that old version again to compute what the user changed, and
rendering an old template needs the render model (Python) of its release too. So every release ships a
snapshot of itself in `generator/releases/avm-<version>.zip`: its `generator` package renamed
`avm_release_<version>` (templates included), importable straight from the zip. From the snapshots and the
running version, `template_repository` builds a local git repository per language with one tagged commit
per version; git's `insteadOf` then lets copier clone it under the canonical address, offline.

`python -m generator.releases snapshot` writes the snapshot of the running version (a release step).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator import __version__
from generator.errors import EnvironmentProblemError
from generator.paths import PACKAGE_DIR, cache_dir, template_url, templates_dir

LANGUAGE_TEMPLATES = ("bicep", "terraform")
EXTENSION = "generator.copier_ext.AvmExtension"
SNAPSHOT_RE = re.compile(r"^avm-(?P<version>\d+\.\d+\.\d+(?:[-.+][0-9A-Za-z.]+)?)\.zip$")
SKIPPED = ("__pycache__", ".pyc", "/releases/")


def package_name(version: str) -> str:
    return "avm_release_" + re.sub(r"[^0-9A-Za-z]", "_", version)


def version_key(version: str) -> tuple:
    parts = re.split(r"[.+-]", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def releases_dir() -> Path:
    """Where the snapshots are: shipped in the package; `AVM_RELEASES_DIR` overrides it (tests, mirrors)."""
    override = os.environ.get("AVM_RELEASES_DIR")
    return Path(override) if override else PACKAGE_DIR / "releases"


@dataclass(frozen=True)
class Release:
    version: str
    snapshot: Path | None  # None: the running version

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @property
    def package(self) -> str:
        return "generator" if self.snapshot is None else package_name(self.version)


def releases() -> list[Release]:
    """Every version a module may have been made with, oldest first; the running version last if newest."""
    found = {}
    folder = releases_dir()
    if folder.is_dir():
        for path in folder.iterdir():
            match = SNAPSHOT_RE.match(path.name)
            if match:
                found[match.group("version")] = Release(match.group("version"), path)
    found.setdefault(__version__, Release(__version__, None))
    return sorted(found.values(), key=lambda r: version_key(r.version))


def latest() -> Release:
    return releases()[-1]


def find(version: str) -> Release:
    for release in releases():
        if release.version == version.removeprefix("v"):
            return release
    known = ", ".join(r.version for r in releases())
    raise EnvironmentProblemError(
        f"template version: {version} is not among the versions this avm knows ({known}); upgrade avm"
    )


# ---------------------------------------------------------------------------------------------------------------------
# Snapshots
# ---------------------------------------------------------------------------------------------------------------------


def _package_files(package: str) -> Iterator[tuple[str, bytes]]:
    """(path inside the snapshot, content): the live package and its templates under the release's name."""
    for path in sorted(PACKAGE_DIR.rglob("*")):
        rel = path.relative_to(PACKAGE_DIR).as_posix()
        if path.is_file() and not any(s in f"/{rel}" for s in SKIPPED) and not rel.startswith("_templates/"):
            yield f"{package}/{rel}", path.read_bytes()
    for path in sorted(templates_dir().rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield f"{package}/_templates/{path.relative_to(templates_dir()).as_posix()}", path.read_bytes()


def _renamed(data: bytes, name: str, package: str) -> bytes:
    """Python imports and the templates' extension reference point at the release's own package."""
    if name.endswith((".py", "copier.yml")):
        text = data.decode("utf-8")
        text = re.sub(r"(?<![\w/.-])generator\.(?=[a-z_])", f"{package}.", text)
        text = re.sub(r"\bfrom generator import\b", f"from {package} import", text)
        text = re.sub(r"\bimport generator\b", f"import {package}", text)
        return text.encode("utf-8")
    return data


def snapshot(destination: Path, version: str = __version__) -> Path:
    """Write the snapshot of the running version (as `version`) into the folder `destination`."""
    package = package_name(version)
    destination.mkdir(parents=True, exist_ok=True)
    target = destination / f"avm-{version}.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _package_files(package):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # reproducible
            info.compress_type = zipfile.ZIP_DEFLATED
            data = _renamed(data, name, package)
            if name == f"{package}/__init__.py":
                data = re.sub(rb'__version__ = "[^"]*"', f'__version__ = "{version}"'.encode(), data)
            archive.writestr(info, data)
    target.write_bytes(buffer.getvalue())
    return target


def importable(release: Release) -> Path | None:
    """Make the release's package importable (copier loads its Jinja extension by name). The snapshot is
    unpacked once into the user cache: the package reads its data files from disk."""
    if release.snapshot is None:
        return None
    folder = _unpacked(release.snapshot, release.version, release.package, cache_dir())
    if str(folder) not in sys.path:
        sys.path.append(str(folder))
    return folder


@cache  # once per process: a bulk run asks for every module
def _unpacked(snapshot: Path, version: str, package: str, cache: Path) -> Path:
    digest = hashlib.sha256(snapshot.read_bytes()).hexdigest()[:16]
    folder = cache / "releases" / f"{version}-{digest}"
    if not (folder / package).is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        unpacking = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=folder.parent))
        with zipfile.ZipFile(snapshot) as archive:
            archive.extractall(unpacking)
        try:
            os.replace(unpacking, folder)
        except OSError:  # another process unpacked it meanwhile
            shutil.rmtree(unpacking, ignore_errors=True)
    return folder


def _template_files(release: Release, language: str) -> Iterator[tuple[str, bytes]]:
    if release.snapshot is None:
        root = templates_dir() / language
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                yield path.relative_to(root).as_posix(), path.read_bytes()
        return
    prefix = f"{release.package}/_templates/{language}/"
    with zipfile.ZipFile(release.snapshot) as archive:
        for name in sorted(archive.namelist()):
            if name.startswith(prefix) and not name.endswith("/"):
                yield name[len(prefix) :], archive.read(name)


# ---------------------------------------------------------------------------------------------------------------------
# The local template repositories
# ---------------------------------------------------------------------------------------------------------------------


def git(*args: str, cwd: Path) -> str:
    """Run git with avm's identity and fixed dates (commits are reproducible); its output, or a one-line error."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "avm",
        "GIT_AUTHOR_EMAIL": "avm@localhost",
        "GIT_COMMITTER_NAME": "avm",
        "GIT_COMMITTER_EMAIL": "avm@localhost",
        "GIT_AUTHOR_DATE": "2020-01-01T00:00:00Z",
        "GIT_COMMITTER_DATE": "2020-01-01T00:00:00Z",
    }
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise EnvironmentProblemError(f"git: {' '.join(args[:2])} failed: {last}")
    return result.stdout


def _fingerprint(language: str) -> str:
    """What the language's template repository is built from: every release's template files."""
    return _fingerprint_of(releases_dir(), language)


@cache  # once per process: reading every template version again for each module of a bulk run is waste
def _fingerprint_of(folder: Path, language: str) -> str:
    """`folder` (the releases folder) keys the cache only; `releases()` reads it."""
    digest = hashlib.sha256()
    for release in releases():
        digest.update(release.version.encode())
        for name, data in _template_files(release, language):
            digest.update(name.encode())
            digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()[:16]


def template_repository(language: str) -> Path:
    """A git repository of the language's template with one commit per release, tagged `v<version>`.

    Built once per set of releases (cached in the user cache) and replaced atomically."""
    if shutil.which("git") is None:
        raise EnvironmentProblemError("git: not found on PATH; avm update and avm regenerate need git")
    folder = cache_dir() / "templates" / f"{language}-{_fingerprint(language)}"
    if (folder / ".git").is_dir():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{language}-", dir=folder.parent))
    try:
        git("init", "-q", "-b", "main", cwd=building)
        for release in releases():
            for child in building.iterdir():
                if child.name != ".git":
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
            for name, data in _template_files(release, language):
                path = building / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            git("add", "-A", cwd=building)
            git("commit", "-q", "--allow-empty", "-m", f"avm {release.version}", cwd=building)
            git("tag", release.tag, cwd=building)
        try:
            os.replace(building, folder)
        except OSError:  # another process built it meanwhile
            shutil.rmtree(building, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return folder


def git_redirect(language: str) -> dict[str, str]:
    """Environment that makes git fetch the canonical template address from the local repository."""
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{template_repository(language).as_uri()}.insteadOf",
        "GIT_CONFIG_VALUE_0": template_url(language),
    }


def plain_copier_environment(language: str) -> dict[str, str]:
    """What plain `copier update`/`copier recopy` need to find every template version offline: git's redirect
    and the released packages on PYTHONPATH (their Jinja extensions), besides this avm installed."""
    folders = [str(f) for f in (importable(r) for r in releases()) if f is not None]
    if os.environ.get("PYTHONPATH"):
        folders.append(os.environ["PYTHONPATH"])
    return {**git_redirect(language), **({"PYTHONPATH": os.pathsep.join(folders)} if folders else {})}


def main(argv: list[str]) -> int:
    if argv[:1] != ["snapshot"]:
        print("usage: python -m generator.releases snapshot [FOLDER]", file=sys.stderr)
        return 2
    print(snapshot(Path(argv[1]) if len(argv) > 1 else releases_dir()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
