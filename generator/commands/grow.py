"""`avm add` and `avm remove`: a module's answers changed, the module rendered again and merged (three ways)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from generator.answer_changes import Change
from generator.errors import EXIT_FINDINGS, EXIT_OK, InvalidInputError
from generator.paths import shown


def run_change(
    path: Path | None,
    change: Change,
    *,
    dry_run: bool,
    show_diff: bool,
    json_output: bool,
    allow_dirty: bool,
    conflict: str,
    index: str | None,
) -> int:
    from generator import lifecycle, rerender
    from generator.answer_changes import changed_answers
    from generator.catalog import Catalog
    from generator.index import load_index
    from generator.spec import ModuleSpec, SpecContext

    if conflict not in ("inline", "rej"):
        raise InvalidInputError.single("conflict", f"{conflict!r} is not inline or rej")
    module = (path or Path.cwd()).resolve()
    if not module.exists():
        raise InvalidInputError.single("path", f"{path} does not exist")
    recorded = lifecycle.recorded_answers(module)
    ctx = SpecContext(catalog=Catalog.load(), index=load_index(index))
    answers, summary = changed_answers(recorded, change, ctx)
    wiring = _wiring(ModuleSpec.from_answers(answers), module, ctx.warnings) if change.publish else None
    if not dry_run:
        lifecycle.check_clean(module, allow_dirty)  # before anything is rendered: a dirty module is refused at once
    result = rerender.change_answers(module, answers, dry_run=dry_run, conflict=conflict, allow_dirty=True)
    registry_files = _apply_wiring(wiring, dry_run)
    if json_output:
        print(json.dumps(_as_json(result, change, summary, ctx.warnings, registry_files, dry_run), indent=2))
    else:
        _report(result, summary, ctx.warnings, registry_files, dry_run=dry_run, show_diff=show_diff)
    return EXIT_FINDINGS if result.conflicts else EXIT_OK


def _wiring(spec: Any, module: Path, warnings: list[str]) -> tuple[Path, list[Any]] | None:
    """Inside a bicep-registry-modules checkout, a newly published child is wired as `avm new` wires one."""
    from generator.commands.new import plan_repo_wiring

    return plan_repo_wiring(spec, module, warnings)


def _apply_wiring(wiring: tuple[Path, list[Any]] | None, dry_run: bool) -> list[str]:
    if wiring is None:
        return []
    root, changes = wiring
    if not dry_run:
        from generator.repo import apply_wiring

        apply_wiring(root, changes)
    return [f"{c.action} {c.path}" for c in changes]


def _as_json(
    result: Any, change: Change, summary: str, warnings: list[str], registry_files: list[str], dry_run: bool
) -> dict[str, Any]:
    return {
        **asdict(result),
        "module": str(result.module),
        "action": change.action,
        "kind": change.kind,
        "value": change.value,
        "summary": summary,
        "dry_run": dry_run,
        "warnings": warnings,
        "registry_files": registry_files,
    }


def _report(
    result: Any, summary: str, warnings: list[str], registry_files: list[str], *, dry_run: bool, show_diff: bool
) -> None:
    for warning in warnings:
        print(f"avm: warning: {warning}", file=sys.stderr)
    if show_diff and result.diff:
        sys.stdout.write(result.diff)
    name = shown(result.module)
    files = len(result.changed) + len(result.added) + len(result.removed)
    verb = "would change" if dry_run else "changed"
    print(f"{name}: {summary}; {verb} {files} file{'s' if files != 1 else ''}")
    for label, names in (("M", result.changed), ("A", result.added), ("D", result.removed)):
        for file_name in names:
            print(f"  {label} {file_name}")
    for file_name in result.kept:
        print(f"kept: {file_name} (edited since it was generated; remove it by hand if it should go)", file=sys.stderr)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if registry_files:
        print(f"{'would update' if dry_run else 'updated'} the registry checkout:")
        for entry in registry_files:
            print(f"  {entry}")
    for file_name in result.conflicts:
        print(f"conflict: {file_name}", file=sys.stderr)
