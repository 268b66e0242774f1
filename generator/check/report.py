"""The three formats of `avm check`: text lines for editors' problem matchers, JSON, and SARIF 2.1.0."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from generator import __version__
from generator.check.core import Finding, Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def summary(findings: Sequence[Finding], modules: int) -> str:
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in ("error", "warning", "info") if counts[s]]
    checked = f"{modules} module{'s' if modules != 1 else ''} checked"
    return f"{checked}: {', '.join(parts) if parts else 'no findings'}"


def text(findings: Sequence[Finding], modules: int) -> str:
    lines = [f"{f.path}:{f.line}:{f.col}: {f.severity}: {f.rule} {f.message}" for f in findings]
    return "\n".join([*lines, summary(findings, modules)])


def as_json(findings: Sequence[Finding], modules: int) -> str:
    counts = Counter(f.severity for f in findings)
    return json.dumps(
        {
            "modules": modules,
            "summary": {s: counts[s] for s in ("error", "warning", "info")},
            "findings": [
                {
                    "rule": f.rule,
                    "spec": f.spec,
                    "severity": f.severity,
                    "path": f.path,
                    "line": f.line,
                    "column": f.col,
                    "message": f.message,
                }
                for f in findings
            ],
        },
        indent=2,
    )


def sarif(findings: Sequence[Finding], rules: Sequence[Rule]) -> str:
    used = sorted({f.rule for f in findings})
    by_id = {r.id: r for r in rules}
    descriptors = [
        {
            "id": rule_id,
            "name": rule_id,
            "shortDescription": {"text": by_id[rule_id].title},
            "help": {"text": by_id[rule_id].fix},
            "defaultConfiguration": {"level": SARIF_LEVELS[by_id[rule_id].severity]},
            "properties": {"avmSpec": by_id[rule_id].spec, "language": by_id[rule_id].language},
        }
        for rule_id in used
        if rule_id in by_id
    ]
    index = {rule_id: i for i, rule_id in enumerate(used)}
    results = [
        {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": SARIF_LEVELS[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.path},
                        "region": {"startLine": f.line, "startColumn": f.col},
                    }
                }
            ],
        }
        for f in findings
    ]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "avm check",
                        "version": __version__,
                        "informationUri": "https://aka.ms/avm",
                        "rules": descriptors,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2)
