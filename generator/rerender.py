"""A module rendered again at its own template version with changed answers, merged three ways into it.

`avm add` and `avm remove` change a module's answers (a child more, an interface less). What the change
brings is the difference between two renders of the module's template version: one from the recorded
answers (what the generator wrote), one from the changed answers (what it writes now). That difference
is merged into the module file by file, as `avm update` merges a new template version:

- a file the change does not touch stays as the module has it, edited or not;
- a file the module has as the generator wrote it becomes the new render;
- a file both the author and the change edited is merged (`git merge-file`); overlapping edits become
  conflicts, marked inline (`<<<<<<< before updating`) or left beside the file as `<file>.rej`;
- a file the change removes goes only when the module has it as the generator wrote it; an edited one
  stays and is named (`kept`);
- files a module owns once it exists (a Bicep module's CHANGELOG.md and version.json, Terraform's
  managed files) are written only when missing.

Both renders run in this process: the running version's templates from the package, an older version's
from the released snapshots (`generator.releases`), so the change is made with the templates that made
the module.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import lifecycle, scratch
from generator.errors import EnvironmentProblemError, environment
from generator.paths import template_url, templates_dir
from generator.releases import Release, find

LABELS = ("before updating", "last update", "after updating")  # copier's, so that `avm update` finds them too
RENDER_OPTIONS = {"defaults": True, "overwrite": True, "quiet": True, "unsafe": True}


@dataclass
class ChangeResult(lifecycle.LifecycleResult):
    kept: list[str] = field(default_factory=list)  # files the change removes that the author edited: left in place
    notes: list[str] = field(default_factory=list)


def change_answers(
    module: Path,
    answers: dict[str, Any],
    *,
    dry_run: bool = False,
    conflict: str = "inline",
    allow_dirty: bool = False,
    side_by_side: bool = True,
) -> ChangeResult:
    """Render the module at its own template version with `answers` (every answer, changed or not) and merge
    the change into it; with `dry_run`, only report what would change. `side_by_side`: render the two versions
    in two processes where the machine allows it (a caller that runs many changes in parallel already says no)."""
    module = module.resolve()
    recorded = lifecycle.recorded_answers(module)
    version = str(recorded["_commit"]).removeprefix("v")
    release = find(version)
    outcome = ChangeResult(module, version, version)
    if not dry_run:
        lifecycle.check_clean(module, allow_dirty)
    language = recorded["language"]
    old_answers = {k: v for k, v in recorded.items() if not k.startswith("_")}
    with scratch.temp_folder() as folder, scratch.temp_root(Path(folder) / "tmp"):
        root = Path(folder)
        with _templates(release, language):
            _render_both(release, language, (old_answers, root / "old"), (answers, root / "new"), side_by_side)
        work = root / "module"
        shutil.copytree(module, work, ignore=shutil.ignore_patterns(*lifecycle.IGNORED), symlinks=True)
        _merge(work, root / "old", root / "new", conflict, _owned_once_made(language), outcome)
        lifecycle.compare_trees(module, work, outcome)
        if not dry_run and outcome.drift:
            with environment("path"):  # a full disk, a permission: exit 3, the module as it was
                lifecycle.apply_result(module, work, outcome)
    return outcome


def _templates(release: Release, language: str) -> Any:
    """The running version renders from the package; an older one through the released template versions."""
    if release.snapshot is None:
        from contextlib import nullcontext

        return nullcontext()
    return lifecycle.template_versions(language)


def _render_both(
    release: Release,
    language: str,
    old: tuple[dict[str, Any], Path],
    new: tuple[dict[str, Any], Path],
    side_by_side: bool,
) -> None:
    """The two renders side by side where the machine has cores to spare and can fork (the forked process has
    every import and cache of this one): the old render in a worker, the new one here."""
    import multiprocessing
    import os

    if not side_by_side or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        _render(release, language, *old)
        _render(release, language, *new)
        return
    from concurrent.futures import ProcessPoolExecutor

    import copier  # noqa: F401  # imported once, before the fork, for both processes

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        rendering = pool.submit(_render, release, language, *old)
        _render(release, language, *new)
        rendering.result()  # its error, if it failed, is raised here


def _render(release: Release, language: str, answers: dict[str, Any], destination: Path) -> None:
    import warnings

    from copier import run_copy

    from generator.copier_git import without_git

    with warnings.catch_warnings(), ExitStack() as stack:
        warnings.simplefilter("ignore")  # copier warns about dirty local templates in a checkout
        if release.snapshot is None:  # the package's own template folder
            stack.enter_context(without_git())
            source, ref = str(templates_dir() / language), None
        else:  # an older version, from the released template repository
            source, ref = template_url(language), release.tag
        run_copy(source, destination, data=answers, vcs_ref=ref, **RENDER_OPTIONS)


def _owned_once_made(language: str) -> Any:
    """Whether a file is the module's own once it exists (never rewritten): by name at any depth for Bicep,
    by path for Terraform's managed files."""
    if language == "bicep":
        return lambda name: Path(name).name in lifecycle.BICEP_MODULE_FILES
    external = set(lifecycle.external_files(language))
    return lambda name: name in external


def _merge(work: Path, old: Path, new: Path, conflict: str, owned: Any, outcome: ChangeResult) -> None:
    """Bring the change (old render -> new render) into `work`, a copy of the module."""
    before, after, current = lifecycle.tree_files(old), lifecycle.tree_files(new), lifecycle.tree_files(work)
    for name in sorted(before.keys() | after.keys()):
        base, theirs, mine = before.get(name), after.get(name), current.get(name)
        if base == theirs or (mine is not None and owned(name)):
            continue
        target = work / name
        if theirs is None:
            if mine == base:
                target.unlink()
                lifecycle.prune_empty(target, work)
            elif mine is not None:
                outcome.kept.append(name)
            continue
        if mine is None and base is not None:
            outcome.notes.append(f"{name}: removed from the module; the change to it is not applied")
            continue
        if mine is None or mine in (base, theirs):
            _write(target, theirs)
            continue
        merged, clean = merge_texts(mine, base or b"", theirs)
        if clean or conflict == "inline":
            _write(target, merged)
        else:
            _write(work / f"{name}.rej", _rejected(name, base or b"", theirs))


def merge_texts(mine: bytes, base: bytes, theirs: bytes) -> tuple[bytes, bool]:
    """Three-way merge with git's merge-file: the result and whether it merged without conflicts."""
    with tempfile.TemporaryDirectory(prefix=scratch.prefix("merge-")) as folder:
        paths = []
        for label, content in zip(("mine", "base", "theirs"), (mine, base, theirs), strict=True):
            path = Path(folder) / label
            path.write_bytes(content)
            paths.append(str(path))
        labels = [arg for label in LABELS for arg in ("-L", label)]
        try:
            result = subprocess.run(["git", "merge-file", "-p", *labels, *paths], capture_output=True, check=False)
        except FileNotFoundError as exc:
            raise EnvironmentProblemError("git: not found; avm needs git to merge a change into a module") from exc
    if result.returncode < 0 or result.returncode > 127:
        raise EnvironmentProblemError(f"git merge-file failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout, result.returncode == 0


def _rejected(name: str, base: bytes, theirs: bytes) -> bytes:
    """What the change would have done to a file it could not merge into, as a unified diff."""
    lines = difflib.unified_diff(
        base.decode("utf-8", "replace").splitlines(keepends=True),
        theirs.decode("utf-8", "replace").splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines).encode()


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
