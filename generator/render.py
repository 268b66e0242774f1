"""Rendering modules with copier. The only module of the package that imports copier.

A module is rendered into a temporary folder beside its destination and moved into place only when
complete, so an interrupted or failed run leaves the destination as it was.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import EnvironmentProblemError, OutputConflictError, environment, os_error_line
from generator.paths import templates_dir
from generator.scratch import deferred_interrupts, remove_abandoned, temp_root, watch, wrote
from generator.spec import ModuleSpec

ANSWERS_FILE = ".copier-answers.yml"


@dataclass
class RenderResult:
    output: Path
    files: list[str]
    written: bool
    notes: list[str] = field(default_factory=list)
    repo_files: list[str] = field(default_factory=list)


def template_for(spec: ModuleSpec) -> Path:
    return templates_dir() / spec.language


def check_destination(output: Path, force: bool) -> None:
    """The destination must be absent or an empty folder, unless the user forces it."""
    if output.exists() and not output.is_dir():
        raise OutputConflictError(f"output: {output} exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and not force:
        raise OutputConflictError(f"output: {output} is not empty; choose another folder or pass --force")


def leaving(root: Path, files: list[str]) -> str | None:
    """The first of `files` (relative to `root`) whose existing parent folders lead out of `root`, if any."""
    top = root.resolve()
    for name in files:
        parent = (root / name).parent
        while not parent.exists() and parent != root:
            parent = parent.parent
        target = root / name
        if not parent.resolve().is_relative_to(top) or (
            target.is_symlink() and not target.resolve().is_relative_to(top)
        ):
            return name
    return None


def _listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _copy(spec: ModuleSpec, destination: Path) -> None:
    from copier import run_copy

    from generator.copier_git import without_git

    with warnings.catch_warnings(), without_git():
        warnings.simplefilter("ignore")  # copier warns about dirty local templates in a checkout
        run_copy(
            str(template_for(spec)),
            destination,
            data=spec.to_answers(),
            defaults=True,
            overwrite=True,
            quiet=True,
            unsafe=True,  # our own template loads our own Jinja extension
        )


def _build_arm_templates(root: Path) -> list[str]:
    """Build `main.json` beside every `main.bicep` when the Bicep CLI is available."""
    bicep = shutil.which("bicep")
    sources = sorted(p for p in root.rglob("main.bicep") if "tests" not in p.relative_to(root).parts)
    if bicep is None:
        return [
            "main.json was not built: no `bicep` executable on PATH. Build it with "
            "`bicep build main.bicep` in each module folder (or `Set-AVMModule -Recurse` in "
            "bicep-registry-modules), which also refreshes the README."
        ]
    for source in sources:
        result = subprocess.run(
            [bicep, "build", str(source), "--outfile", str(source.with_suffix(".json"))],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            first = (result.stderr or result.stdout).strip().splitlines()[:1]
            return [f"main.json was not built for {source.relative_to(root)}: {' '.join(first)}"]
    return [f"main.json built with {bicep} for {len(sources)} module(s)"]


def remove_abandoned_staging(parent: Path, name: str) -> None:
    """Staging folders of runs that were killed before they could clean up (`.<name>.avm-<pid>-...`)."""
    remove_abandoned(parent, f".{name}.avm-")


def render_module(spec: ModuleSpec, output: Path, *, force: bool = False, dry_run: bool = False) -> RenderResult:
    """Render the module for `spec` into `output` (or, with `dry_run`, only list what would be written)."""
    output = output.resolve()
    check_destination(output, force)
    parent = output.parent
    staging_root = parent if parent.is_dir() and not dry_run else None
    if staging_root is not None:
        remove_abandoned_staging(staging_root, output.name)
    name = f".{output.name}.avm-{os.getpid()}-"
    watch(staging_root or Path(tempfile.gettempdir()), f"{name}*")  # swept if Ctrl-C cuts the `finally` short
    try:
        staging = Path(tempfile.mkdtemp(prefix=name, dir=staging_root))
    except OSError as exc:
        raise EnvironmentProblemError(os_error_line(f"output: cannot write beside {output}", exc)) from exc
    try:
        rendered = staging / "module"
        with environment("output"), temp_root(staging / "tmp"):
            _copy(spec, rendered)
            notes = _build_arm_templates(rendered) if spec.language == "bicep" and not dry_run else []
            files = _listing(rendered)
        escaping = leaving(output, files)
        if escaping:
            raise OutputConflictError(
                f"output: {escaping} leads out of {output} through a symbolic link; refusing to write through it"
            )
        if not dry_run:
            _move_into_place(rendered, output, force)
        return RenderResult(output=output, files=files, written=not dry_run, notes=notes)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_into_place(rendered: Path, output: Path, force: bool) -> None:
    """One rename puts the module in place, onto an absent or empty folder only: rename(2) refuses a folder
    that is not empty, so of two runs into the same new folder one wins and the other changes nothing.
    With --force a non-empty folder gets the files one by one, each replacement atomic."""
    with environment("output"):
        output.parent.mkdir(parents=True, exist_ok=True)
        if os.name == "nt" and output.is_dir() and not any(output.iterdir()):
            output.rmdir()  # Windows renames onto no folder at all
    try:
        with deferred_interrupts():
            os.rename(rendered, output)
            wrote(str(output))
        return
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
            raise EnvironmentProblemError(os_error_line("output", exc)) from exc
        if not force or not output.is_dir():
            raise OutputConflictError(
                f"output: {output} was filled meanwhile (by another run?); nothing written. Choose another folder "
                "or pass --force"
            ) from exc
    with environment("output"):
        _overlay(rendered, output)


def _overlay(rendered: Path, output: Path) -> None:
    for source in sorted(p for p in rendered.rglob("*") if p.is_file()):
        target = output / source.relative_to(rendered)
        target.parent.mkdir(parents=True, exist_ok=True)
        with deferred_interrupts():
            os.replace(source, target)
            wrote(str(target))
