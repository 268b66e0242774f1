"""`avm check`: find modules, run the rules, print the findings."""

from __future__ import annotations

from pathlib import Path

from generator.errors import EXIT_FINDINGS, EXIT_OK, InvalidInputError

FORMATS = ("text", "json", "sarif")


def _ids(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def run_check_command(
    paths: list[Path],
    output_format: str,
    select: list[str] | None,
    ignore: list[str] | None,
    min_severity: str,
) -> int:
    from generator.check import load_rules, report, run_check
    from generator.check.core import SEVERITIES

    if output_format not in FORMATS:
        raise InvalidInputError.single("format", f"{output_format!r} is not one of {', '.join(FORMATS)}")
    if min_severity not in SEVERITIES:
        raise InvalidInputError.single("min-severity", f"{min_severity!r} is not one of {', '.join(SEVERITIES)}")
    known = {r.id for r in load_rules().values()} | {r.spec for r in load_rules().values()}
    for field, ids in (("select", _ids(select)), ("ignore", _ids(ignore))):
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise InvalidInputError.single(
                field, f"unknown rule {', '.join(unknown)}; the rules are listed in docs/rules.md"
            )
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InvalidInputError.single("path", f"{missing[0]} does not exist")
    result = run_check(paths or [Path.cwd()], _ids(select), _ids(ignore), min_severity)
    if output_format == "json":
        print(report.as_json(result.findings, result.modules))
    elif output_format == "sarif":
        print(report.sarif(result.findings, result.rules))
    else:
        print(report.text(result.findings, result.modules))
    return EXIT_FINDINGS if result.findings else EXIT_OK
