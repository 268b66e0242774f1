"""What `avm check --explain RULE` prints and docs/rules.md lists: one rule's title, spec, fix and example, from
the data registered with the rule."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from generator.check.core import CLASSES, Rule

CLASS_NAMES = {"res": "resource", "ptn": "pattern", "utl": "utility"}
SCOPE_NAMES = {"top": "module", "child": "child module"}


def applies_to(rule: Rule) -> str:
    classes = ", ".join(CLASS_NAMES[c] for c in CLASSES if c in rule.classes)
    scopes = " and ".join(SCOPE_NAMES[s] for s in ("top", "child") if s in rule.scopes)
    return f"{classes} ({scopes})"


def matching(rules: Iterable[Rule], query: str) -> list[Rule]:
    """The rules with this rule ID or spec ID (case-blind), Bicep before Terraform."""
    wanted = query.strip().casefold()
    found = [r for r in rules if wanted in (r.id.casefold(), r.spec.casefold())]
    return sorted(found, key=lambda r: (r.language, r.id != query.strip(), r.id))


def unknown_rule_message(query: str, rules: Iterable[Rule]) -> str:
    known = sorted({r.id for r in rules} | {r.spec for r in rules if r.spec})
    close = difflib.get_close_matches(query.strip(), known, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"unknown rule {query}{hint}"


def as_dict(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "language": rule.language,
        "spec": rule.spec,
        "link": rule.link,
        "severity": rule.severity,
        "applies_to": applies_to(rule),
        "title": rule.title,
        "fix": rule.fix,
        "example": rule.example,
    }


def as_text(rule: Rule) -> str:
    spec = f"{rule.spec} {rule.link}" if rule.spec else "none (a rule of avm's own)"
    example = "\n".join(f"    {line}" for line in rule.example.splitlines())
    return "\n".join(
        [
            f"{rule.id} ({rule.language}, {rule.severity}): {rule.title}",
            f"Spec: {spec}",
            f"Applies to: {applies_to(rule)}",
            f"Fix: {rule.fix}",
            "Example:",
            example,
        ]
    )
