"""Keeping generated modules current: update (three-way merge), regenerate (recopy) and diff (drift).

All three run copier in a scratch git repository holding a copy of the module, with git redirected from
the template's canonical address to the local repository of released template versions
(`generator.releases`), so they work offline and on modules that are not in git at all. Only the result
is copied back, file by file and atomically, and only when the user asked for it.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator import scratch
from generator.errors import InvalidInputError, OutputConflictError, environment
from generator.paths import template_url
from generator.releases import Release, find, git, git_redirect, importable, latest, releases
from generator.spec import refreshed_facts

ANSWERS_FILE = ".copier-answers.yml"
CONFLICT_MARKER = "<<<<<<< before updating"
IGNORED = (".git", ".terraform", "__pycache__")
# Files a Bicep module owns once it exists: its release history and its version, of published child modules too
# (the patterns match at any depth, as in .gitignore). Update and regenerate never rewrite them.
BICEP_MODULE_FILES = ("CHANGELOG.md", "version.json")
LANGUAGE_NAMES = {"bicep": "Bicep", "terraform": "Terraform"}
SHOWN_FILES = 3  # how many differing files an error message names


@dataclass
class LifecycleResult:
    module: Path
    from_version: str
    to_version: str
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    diff: str = ""
    written: bool = False

    @property
    def drift(self) -> bool:
        return bool(self.changed or self.added or self.removed)


def recorded_answers(module: Path) -> dict[str, Any]:
    path = module / ANSWERS_FILE
    if not module.is_dir():
        raise InvalidInputError.single("path", f"{module} is not a folder")
    if not path.is_file():
        raise InvalidInputError.single(
            "path", f"{module} has no {ANSWERS_FILE}; create it with `avm adopt {module}` first"
        )
    try:
        answers = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InvalidInputError.single("answers", f"{path} is not valid YAML") from exc
    if not isinstance(answers, dict) or answers.get("language") not in ("bicep", "terraform"):
        raise InvalidInputError.single("answers", f"{path} is not an avm answers file (no language)")
    if not str(answers.get("_commit", "")).startswith("v"):
        raise InvalidInputError.single("answers", f"{path} records no template version (_commit)")
    own = template_url(answers["language"])
    other = "terraform" if answers["language"] == "bicep" else "bicep"
    if answers.get("_src_path") == template_url(other):
        raise InvalidInputError.single(
            "answers", f"{path} says language {answers['language']} but names avm's {other} template; fix one of them"
        )
    if answers.get("_src_path") != own:
        # Another template could run its own tasks, migrations and Jinja extensions: avm renders only its own.
        raise InvalidInputError.single(
            "answers",
            f"{path} names the template {answers.get('_src_path')!r}, not avm's ({own}); avm runs only its own "
            "templates (update it with plain copier and --trust if you trust that template)",
        )
    _check_language(module, answers["language"], path)
    return answers


def _languages_in(module: Path) -> set[str]:
    """The languages whose module files the folder holds: main.bicep for Bicep, any .tf file for Terraform."""
    found = set()
    if (module / "main.bicep").is_file():
        found.add("bicep")
    if any(module.glob("*.tf")):
        found.add("terraform")
    return found


def _check_language(module: Path, language: str, answers_path: Path) -> None:
    """Never render one language's templates into a module of the other language."""
    found = _languages_in(module)
    if not found or language in found:
        return
    held = found.pop()
    evidence = "main.bicep and no .tf file" if held == "bicep" else ".tf files and no main.bicep"
    raise InvalidInputError.single(
        "answers",
        f"{answers_path} says language {language}, but {module} holds a {LANGUAGE_NAMES[held]} module ({evidence}); "
        f"avm never writes {LANGUAGE_NAMES[language]} files into it",
    )


def tree_files(root: Path) -> dict[str, bytes]:
    found = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.is_file() and not any(part in IGNORED for part in rel.parts):
            found[rel.as_posix()] = path.read_bytes()
    return found


def _in_work_tree(module: Path) -> bool:
    inside = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], cwd=module, capture_output=True, text=True, check=False
    )
    return inside.returncode == 0 and inside.stdout.strip() == "true"


def uncommitted(module: Path) -> list[str]:
    """Files of the module with uncommitted changes, when it lies in a git work tree (else none)."""
    if not _in_work_tree(module):
        return []
    return [line[3:] for line in git("status", "--porcelain", "--", ".", cwd=module).splitlines() if line.strip()]


def tracked_by_git(module: Path) -> bool:
    """Whether git keeps the module's files (so that what avm overwrites can be got back): it lies in a git work
    tree and some of its files are tracked (a folder that git ignores is not kept)."""
    return _in_work_tree(module) and bool(git("ls-files", "--", ".", cwd=module).strip())


@contextmanager
def scratch_copy(module: Path) -> Iterator[Path]:
    """A committed copy of the module in a fresh git repository, removed afterwards. The scratch folder is
    `avm-<pid>-...` (a later run removes it if this one is killed) and holds copier's own temporary files too."""
    with scratch.temp_folder() as folder, scratch.temp_root(Path(folder) / "tmp"):
        work = Path(folder) / "module"
        shutil.copytree(module, work, ignore=shutil.ignore_patterns(*IGNORED))
        git("init", "-q", "-b", "main", cwd=work)
        git("add", "-A", cwd=work)
        git("commit", "-q", "--allow-empty", "-m", "module before avm", cwd=work)
        yield work


@contextmanager
def template_versions(language: str) -> Iterator[None]:
    """Copier sees the released template versions under the canonical address, offline. Its mirror of the
    template lives in a folder of this run alone: concurrent runs and rebuilt repositories never meet."""
    from plumbum import local

    for release in releases():
        importable(release)
    # A git that Ctrl-C stops may still be writing into the mirror while the folder goes: what is left then is
    # the interrupted run's to sweep (scratch.sweep), never an error of its own.
    with tempfile.TemporaryDirectory(prefix=scratch.prefix("copier-"), ignore_cleanup_errors=True) as mirrors:
        saved = os.environ.get("COPIER_CACHE_DIR")
        os.environ["COPIER_CACHE_DIR"] = mirrors
        try:
            with local.env(COPIER_CACHE_DIR=mirrors, **git_redirect(language)), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # copier warns about dirty templates and old answers
                yield
        finally:
            if saved is None:
                os.environ.pop("COPIER_CACHE_DIR", None)
            else:
                os.environ["COPIER_CACHE_DIR"] = saved


def compare_trees(module: Path, result: Path, outcome: LifecycleResult) -> None:
    before, after = tree_files(module), tree_files(result)
    outcome.changed = sorted(n for n in before.keys() & after.keys() if before[n] != after[n])
    outcome.added = sorted(after.keys() - before.keys())
    outcome.removed = sorted(before.keys() - after.keys())
    outcome.conflicts = sorted(
        n for n in outcome.changed + outcome.added if n.endswith(".rej") or CONFLICT_MARKER.encode() in after[n]
    )
    lines: list[str] = []
    for name in sorted(outcome.changed + outcome.added + outcome.removed):
        old = before.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
        new = after.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
        lines += difflib.unified_diff(
            old,
            new,
            fromfile=f"a/{name}" if name in before else "/dev/null",
            tofile=f"b/{name}" if name in after else "/dev/null",
        )
    outcome.diff = "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def apply_result(module: Path, result: Path, outcome: LifecycleResult) -> None:
    """Copy the result back as one step: a hard-linked twin of the module gets the new files, then the two
    folders are exchanged atomically, so an interrupted run leaves the module as it was or as it becomes."""
    from generator.render import leaving, remove_abandoned_staging

    escaping = leaving(module, outcome.changed + outcome.added + outcome.removed)
    if escaping:
        raise OutputConflictError(f"path: {escaping} leads out of {module} through a symbolic link; nothing written")
    if _working_inside(module):
        # Exchanging the folder would leave the caller's shell in the old one: replace file by file instead.
        _replace_files(module, result, outcome)
        return
    remove_abandoned_staging(module.parent, module.name)
    twin = module.with_name(f".{module.name}.avm-{os.getpid()}-twin")
    scratch.watch(module.parent, twin.name)
    shutil.rmtree(twin, ignore_errors=True)
    try:
        shutil.copytree(module, twin, symlinks=True, copy_function=_link_or_copy)
        _replace_files(twin, result, outcome, record=False)  # new files in the twin: the module's stay untouched
        with scratch.deferred_interrupts():
            exchange(twin, module)
            scratch.wrote(str(module))
    finally:
        shutil.rmtree(twin, ignore_errors=True)  # after the exchange: the module as it was


def _working_inside(module: Path) -> bool:
    try:
        return Path.cwd().resolve().is_relative_to(module)
    except OSError:
        return False


def _replace_files(root: Path, result: Path, outcome: LifecycleResult, *, record: bool = True) -> None:
    """Each changed or added file replaced atomically in `root`, removed files deleted."""
    for name in outcome.changed + outcome.added:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with scratch.replacing(target, record=record) as temporary:  # removed whatever happens
            shutil.copy2(result / name, temporary)
    for name in outcome.removed:
        (root / name).unlink(missing_ok=True)
        if record:
            scratch.wrote(str(root / name))
        prune_empty(root / name, root)
    outcome.written = True


def prune_empty(removed: Path, root: Path) -> None:
    """The folders a removed file leaves empty go too, up to (not including) `root`."""
    folder = removed.parent
    while folder != root and folder.is_relative_to(root) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def exchange(first: Path, second: Path) -> None:
    """Swap two folders: atomically with Linux's renameat2(RENAME_EXCHANGE), else with two renames."""
    import ctypes
    import sys

    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            at_fdcwd, rename_exchange = -100, 2
            if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
                return
    aside = second.with_name(f"{second.name}.avm-old")
    os.replace(second, aside)
    os.replace(first, second)
    os.replace(aside, first)


def _first(names: list[str]) -> str:
    return ", ".join(names[:SHOWN_FILES]) + (", ..." if len(names) > SHOWN_FILES else "")


def check_clean(module: Path, allow_dirty: bool) -> None:
    dirty = uncommitted(module)
    if dirty and not allow_dirty:
        raise OutputConflictError(
            f"path: {module} has uncommitted changes ({_first(dirty)}); commit them first or pass --allow-dirty"
        )


def _check_no_edits_lost(outcome: LifecycleResult) -> None:
    """Outside git nothing could bring back an overwritten file: regenerating a module whose generated files
    differ from what its own template version renders (hand edits) needs --force."""
    if not outcome.changed or tracked_by_git(outcome.module):
        return
    count = len(outcome.changed)
    files, differ = ("file", "differs") if count == 1 else ("files", "differ")
    raise OutputConflictError(
        f"path: {outcome.module} is not in git and {count} of its generated {files} ({_first(outcome.changed)}) "
        f"{differ} from what its template version {outcome.to_version} renders from its answers; regenerating "
        "would overwrite those edits, so nothing was written (--force overwrites them)"
    )


def update(
    module: Path,
    *,
    dry_run: bool = False,
    conflict: str = "inline",
    allow_dirty: bool = False,
    to: Release | None = None,
) -> LifecycleResult:
    """Three-way merge of the module with the newest template version (copier update)."""
    from copier import run_update

    def merge(work: Path, target: Release, language: str) -> None:
        skip = external_files(language)
        data = _current_facts(work)
        run_update(work, vcs_ref=target.tag, conflict=conflict, skip_if_exists=skip, data=data, **COPIER_OPTIONS)

    return _run(module, to or latest(), merge, dry_run=dry_run, allow_dirty=allow_dirty, merging=True)


def regenerate(
    module: Path, *, dry_run: bool = False, allow_dirty: bool = False, force: bool = False
) -> LifecycleResult:
    """Render the module again from its answers at its own template version (copier recopy). Outside git, a module
    with hand edits to its generated files is refused unless `force`."""
    return _run(module, None, _recopy, dry_run=dry_run, allow_dirty=allow_dirty, guard_edits=not force)


def diff(module: Path) -> LifecycleResult:
    """What the newest templates render from the module's answers (catalog facts as today), compared with the
    module."""
    return _run(module, latest(), _recopy_current, dry_run=True, allow_dirty=True)


# What every copier run of ours passes: all answers recorded, our own templates (which load our Jinja extension).
COPIER_OPTIONS = {"defaults": True, "overwrite": True, "quiet": True, "unsafe": True, "skip_answered": True}


def _recopy(work: Path, target: Release, language: str, data: dict[str, Any] | None = None) -> None:
    from copier import run_recopy

    run_recopy(work, vcs_ref=target.tag, skip_if_exists=external_files(language), data=data, **COPIER_OPTIONS)


def _recopy_current(work: Path, target: Release, language: str) -> None:
    _recopy(work, target, language, _current_facts(work))


def _current_facts(work: Path) -> dict[str, Any]:
    """The catalog facts the module's answers record, as `avm new` records them today: an update brings them
    along (new built-in roles arrive), as it brings new templates."""
    from generator.catalog import Catalog

    return refreshed_facts(recorded_answers(work), Catalog.load())


def _run(
    module: Path,
    to: Release | None,
    render: Callable[[Path, Release, str], None],
    *,
    dry_run: bool,
    allow_dirty: bool,
    merging: bool = False,
    guard_edits: bool = False,
) -> LifecycleResult:
    """Run copier (`render`) on a scratch copy of the module at template version `to` (None: the module's own),
    compare, and write back what changed unless `dry_run`. A merge needs the recorded version too. `guard_edits`:
    refuse to overwrite files that differ from the render when git does not keep the module."""
    module = module.resolve()
    answers = recorded_answers(module)
    version = str(answers["_commit"]).removeprefix("v")
    # The recorded version must be known to merge against it or to render it again.
    recorded = find(version) if merging or to is None else None
    target = to or recorded
    outcome = LifecycleResult(module, version, target.version)
    if not dry_run:
        check_clean(module, allow_dirty)
    if merging and version == target.version:
        return outcome
    with scratch_copy(module) as work, template_versions(answers["language"]):
        render(work, target, answers["language"])
        compare_trees(module, work, outcome)
        if not dry_run and outcome.drift:
            if guard_edits:
                _check_no_edits_lost(outcome)
            with environment("path"):  # a full disk, a permission: exit 3, the module as it was
                apply_result(module, work, outcome)
    return outcome


def external_files(language: str) -> list[str]:
    """Files that are no longer the templates' once the module exists, never re-rendered: a Bicep module's
    CHANGELOG.md and version.json (its own), Terraform's managed files (the managed-files sync's). Listed here as
    well as in the templates' `_skip_if_exists`, because a module's recorded template version may predate that."""
    if language != "terraform":
        return list(BICEP_MODULE_FILES)
    from generator.terraform.facts import load

    return list(load().external_files)
