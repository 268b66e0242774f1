"""Rendering modules with copier. The only module of the package that imports copier.

A module is rendered into a temporary folder beside its destination and moved into place only when
complete, so an interrupted or failed run leaves the destination as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import EnvironmentProblemError, OutputConflictError
from generator.paths import templates_dir
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

    with warnings.catch_warnings():
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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, ValueError):  # another user's process, or no way to ask (Windows)
        return True
    return True


def remove_abandoned_staging(parent: Path, name: str) -> None:
    """Staging folders of runs that were killed before they could clean up (`.<name>.avm-<pid>-...`)."""
    for folder in parent.glob(f".{name}.avm-*-*"):
        pid = folder.name[len(f".{name}.avm-") :].split("-", 1)[0]
        if folder.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def render_module(spec: ModuleSpec, output: Path, *, force: bool = False, dry_run: bool = False) -> RenderResult:
    """Render the module for `spec` into `output` (or, with `dry_run`, only list what would be written)."""
    output = output.resolve()
    check_destination(output, force)
    parent = output.parent
    staging_root = parent if parent.is_dir() and not dry_run else None
    if staging_root is not None:
        remove_abandoned_staging(staging_root, output.name)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.avm-{os.getpid()}-", dir=staging_root))
    except OSError as exc:
        raise EnvironmentProblemError(f"output: cannot write beside {output}: {exc.strerror}") from exc
    try:
        rendered = staging / "module"
        _copy(spec, rendered)
        notes = _build_arm_templates(rendered) if spec.language == "bicep" and not dry_run else []
        files = _listing(rendered)
        escaping = leaving(output, files)
        if escaping:
            raise OutputConflictError(
                f"output: {escaping} leads out of {output} through a symbolic link; refusing to write through it"
            )
        if not dry_run:
            _move_into_place(rendered, output)
        return RenderResult(output=output, files=files, written=not dry_run, notes=notes)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_into_place(rendered: Path, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.is_dir() and not any(output.iterdir()):
        output.rmdir()
    if not output.exists():
        os.replace(rendered, output)
        return
    # --force into a non-empty folder: replace file by file, each replacement atomic.
    for source in sorted(p for p in rendered.rglob("*") if p.is_file()):
        target = output / source.relative_to(rendered)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
