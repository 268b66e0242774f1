"""`avm check`: the AVM compliance linter. `run_check` finds modules, runs the selected rules, returns findings."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.check.core import RULES, SEVERITIES, Finding, Rule, run_rules
from generator.paths import shown


def load_rules() -> dict[tuple[str, str], Rule]:
    import importlib

    for language in ("bicep", "terraform"):  # importing registers the rules, Bicep's first
        importlib.import_module(f"generator.check.rules.{language}")
    return RULES


@dataclass
class CheckResult:
    findings: list[Finding]
    modules: int
    rules: list[Rule]


PARALLEL_FROM = 8
"""Top-level modules from which a check uses a process per core."""


@cache  # once per process: every module folder of a run asks again
def _select(select: tuple[str, ...], ignore: tuple[str, ...], min_severity: str) -> list[Rule]:
    wanted, unwanted = set(select), set(ignore)
    level = SEVERITIES.index(min_severity)
    return [
        r
        for r in load_rules().values()
        if (not wanted or r.id in wanted or r.spec in wanted)
        and r.id not in unwanted
        and r.spec not in unwanted
        and SEVERITIES.index(r.severity) <= level
    ]


def _check_folder(
    folder: Path, select: tuple[str, ...], ignore: tuple[str, ...], min_severity: str, schemas: Path | None = None
) -> list[Finding]:
    """The findings of the module in `folder` and its child modules (one unit of work for a process)."""
    from generator.check import schemas as schema_sources
    from generator.check.discover import modules_at

    schema_sources.use(schemas)  # in a worker process too
    chosen = _select(select, ignore, min_severity)
    findings = []
    for module in modules_at(folder):
        for item, hit in run_rules(module, chosen):
            findings.append(
                Finding(
                    rule=item.id,
                    severity=item.severity,
                    path=shown(module.root / hit.file),
                    line=hit.line,
                    col=hit.col,
                    message=hit.message,
                    spec=item.spec,
                )
            )
    return findings


def run_check(
    paths: Sequence[Path],
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    min_severity: str = "info",
    schemas: Path | None = None,
) -> CheckResult:
    """`schemas`: a bicep-types-az checkout to read type definitions from (`--schemas`), before the bundle."""
    from generator.check.discover import module_roots

    select, ignore = tuple(select), tuple(ignore)
    folders = module_roots(paths)
    findings: list[Finding] = []
    workers = min(os.cpu_count() or 1, len(folders) // (PARALLEL_FROM // 2) or 1)
    if len(folders) >= PARALLEL_FROM and workers > 1:
        import importlib
        from concurrent.futures import ProcessPoolExecutor

        for reader in ("bicep_body", "bicep_reader", "hcl_values", "schemas"):  # imported once, before the fork
            importlib.import_module(f"generator.check.{reader}")
        _select(select, ignore, min_severity)  # the rules too

        with ProcessPoolExecutor(max_workers=workers) as pool:
            chunk = max(1, len(folders) // (workers * 4))
            for found in pool.map(
                _check_folder,
                folders,
                *([value] * len(folders) for value in (select, ignore, min_severity, schemas)),
                chunksize=chunk,
            ):
                findings.extend(found)
    else:
        for folder in folders:
            findings.extend(_check_folder(folder, select, ignore, min_severity, schemas))
    findings.sort(key=lambda f: (f.path, f.line, f.col, f.rule))
    return CheckResult(findings, len(folders), list(_select(select, ignore, min_severity)))
