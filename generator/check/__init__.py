"""`avm check`: the AVM compliance linter. `run_check` finds modules, runs the selected rules, returns findings."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.check.core import RULES, SEVERITIES, Finding, Rule, run_rules


def load_rules() -> dict[tuple[str, str], Rule]:
    import importlib

    for name in ("rules_bicep", "rules_terraform"):  # importing registers the rules
        importlib.import_module(f"generator.check.{name}")
    return RULES


@dataclass
class CheckResult:
    findings: list[Finding]
    modules: int
    rules: list[Rule]


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def run_check(
    paths: Sequence[Path],
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    min_severity: str = "info",
) -> CheckResult:
    from generator.check.discover import discover

    rules = list(load_rules().values())
    wanted, unwanted = set(select), set(ignore)
    level = SEVERITIES.index(min_severity)
    chosen = [
        r
        for r in rules
        if (not wanted or r.id in wanted or r.spec in wanted)
        and r.id not in unwanted
        and r.spec not in unwanted
        and SEVERITIES.index(r.severity) <= level
    ]
    modules = discover(paths)
    findings = []
    for module in modules:
        for item, hit in run_rules(module, chosen):
            findings.append(
                Finding(
                    rule=item.id,
                    severity=item.severity,
                    path=_shown(module.root / hit.file),
                    line=hit.line,
                    col=hit.col,
                    message=hit.message,
                    spec=item.spec,
                )
            )
    findings.sort(key=lambda f: (f.path, f.line, f.col, f.rule))
    return CheckResult(findings, sum(1 for m in modules if not m.is_child), chosen)
