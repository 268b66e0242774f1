"""`avm update`, `avm regenerate` and `avm diff`, for one module or every module under a root (`--all`)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.errors import EXIT_FINDINGS, EXIT_OK, AvmError, InvalidInputError
from generator.paths import shown

SKIPPED_DIRS = {".git", ".terraform", "node_modules", ".venv", "__pycache__"}


@dataclass(frozen=True)
class Job:
    action: str  # update | regenerate | diff
    dry_run: bool = False
    conflict: str = "inline"
    allow_dirty: bool = False
    force: bool = False  # regenerate: overwrite hand edits of a module that git does not keep


def run_one(module: Path, job: Job):  # -> LifecycleResult
    from generator import lifecycle

    if job.action == "update":
        return lifecycle.update(module, dry_run=job.dry_run, conflict=job.conflict, allow_dirty=job.allow_dirty)
    if job.action == "regenerate":
        return lifecycle.regenerate(module, dry_run=job.dry_run, allow_dirty=job.allow_dirty, force=job.force)
    return lifecycle.diff(module)


def _safe(module: Path, job: Job) -> tuple[str, dict | None, str | None]:
    """One module of a bulk run: its result, or its one-line error (a bulk run goes on after a failure)."""
    try:
        return str(module), asdict(run_one(module, job)), None
    except AvmError as exc:
        return str(module), None, " ".join(exc.lines())


def end_with_parent(parent: int) -> None:
    """A worker of a bulk run ends when its parent is gone (killed: no shutdown reaches the pool), instead of
    waiting for work for ever."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def modules_under(root: Path) -> list[Path]:
    """Every generated module below `root` (a folder holding an avm answers file), outermost only."""
    found = []
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        if ".copier-answers.yml" in files:
            found.append(Path(current))
            dirs[:] = []
    return found


def _check_options(job: Job) -> None:
    if job.conflict not in ("inline", "rej"):
        raise InvalidInputError.single("conflict", f"{job.conflict!r} is not inline or rej")


def run_lifecycle(
    path: Path | None, root: Path | None, job: Job, *, show_diff: bool, check: bool, json_output: bool
) -> int:
    _check_options(job)
    if root is not None:
        if path is not None:
            raise InvalidInputError.single("all", "give a PATH or --all ROOT, not both")
        if not root.is_dir():
            raise InvalidInputError.single("all", f"{root} is not a folder")
        return _bulk(root.resolve(), job, json_output=json_output, check=check)
    module = (path or Path.cwd()).resolve()
    if not module.exists():
        raise InvalidInputError.single("path", f"{path} does not exist")
    result = run_one(module, job)
    if json_output:
        print(json.dumps({**asdict(result), "module": str(result.module)}, indent=2))
    else:
        _report(result, job, show_diff or job.action == "diff")
    if result.conflicts or (check and result.drift):
        return EXIT_FINDINGS
    return EXIT_OK


def _report(result, job: Job, show_diff: bool) -> None:
    name = shown(result.module)
    if show_diff and result.diff:
        sys.stdout.write(result.diff)
    versions = (
        f"{result.from_version} -> {result.to_version}"
        if result.from_version != result.to_version
        else result.to_version
    )
    if job.action == "diff":
        state = "drift" if result.drift else "no drift"
        print(f"{name}: {state} from the templates of {result.to_version}")
        return
    if not result.drift:
        print(f"{name}: up to date ({versions})")
        return
    verb = "would change" if job.dry_run else "changed"
    files = len(result.changed) + len(result.added) + len(result.removed)
    print(f"{name}: {verb} {files} file{'s' if files != 1 else ''} ({versions})")
    for name in result.changed:
        print(f"  M {name}")
    for name in result.added:
        print(f"  A {name}")
    for name in result.removed:
        print(f"  D {name}")
    for name in result.conflicts:
        print(f"conflict: {name}", file=sys.stderr)


def progress(done: int, total: int, name: str) -> None:
    if sys.stderr.isatty():
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[-40:]:<40}")
        sys.stderr.flush()
        if done == total:
            sys.stderr.write("\n")


def _bulk(root: Path, job: Job, *, json_output: bool, check: bool) -> int:
    modules = modules_under(root)
    if not modules:
        raise InvalidInputError.single("all", f"no module made by avm under {root} (none has .copier-answers.yml)")
    outcomes: list[tuple[str, dict | None, str | None]] = []
    workers = min(os.cpu_count() or 1, len(modules))
    mapper: Callable
    if workers > 1:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=end_with_parent, initargs=(os.getpid(),))
        mapper = pool.map
    else:
        pool, mapper = None, map
    try:
        for index, outcome in enumerate(mapper(_safe, modules, [job] * len(modules)), start=1):
            outcomes.append(outcome)
            progress(index, len(modules), Path(outcome[0]).name)
    finally:
        if pool is not None:
            pool.shutdown()
    failed = [o for o in outcomes if o[2] is not None]
    conflicted = [o for o in outcomes if o[1] and o[1]["conflicts"]]
    drifted = [o for o in outcomes if o[1] and (o[1]["changed"] or o[1]["added"] or o[1]["removed"])]
    if json_output:
        print(
            json.dumps(
                [
                    {"module": m, "error": e, **({k: v for k, v in r.items() if k != "module"} if r else {})}
                    for m, r, e in outcomes
                ],
                indent=2,
                default=str,
            )
        )
    else:
        _summary(root, outcomes, job)
    if failed:
        return 3 if len(failed) == len(outcomes) else EXIT_FINDINGS
    if conflicted or (check and drifted):
        return EXIT_FINDINGS
    return EXIT_OK


def _summary(root: Path, outcomes: list[tuple[str, dict | None, str | None]], job: Job) -> None:
    rows = []
    for module, result, error in outcomes:
        name = os.path.relpath(module, root)
        if error is not None:
            rows.append((name, "error", error))
        elif result["conflicts"]:
            rows.append((name, "conflicts", ", ".join(result["conflicts"])))
        elif result["changed"] or result["added"] or result["removed"]:
            count = len(result["changed"]) + len(result["added"]) + len(result["removed"])
            state = "drift" if job.action == "diff" else ("would change" if job.dry_run else "changed")
            rows.append((name, state, f"{count} files, {result['from_version']} -> {result['to_version']}"))
        else:
            rows.append((name, "ok", result["to_version"]))
    print_summary(rows)


def print_summary(rows: list[tuple[str, str, str]]) -> None:
    """The table of a bulk run (module, result, details) and its count per result."""
    width = max(len(r[0]) for r in rows)
    print(f"{'module':<{width}}  {'result':<12}  details")
    for name, state, detail in rows:
        print(f"{name:<{width}}  {state:<12}  {detail}")
    states = [r[1] for r in rows]
    counts = ", ".join(f"{states.count(s)} {s}" for s in dict.fromkeys(states))
    print(f"{len(rows)} modules: {counts}")
