"""`avm check`: find modules, run the rules, print the findings."""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from generator.check.explain import unknown_rule_message
from generator.errors import EXIT_FINDINGS, EXIT_OK, EnvironmentProblemError, FieldError, InvalidInputError

FORMATS = ("text", "json", "sarif")


def _ids(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def run_check_command(
    paths: list[Path],
    output_format: str,
    select: list[str] | None,
    ignore: list[str] | None,
    min_severity: str,
    schemas: Path | None = None,
) -> int:
    from generator.check import load_rules, report, run_check
    from generator.check import schemas as schema_sources
    from generator.check.core import SEVERITIES

    if output_format not in FORMATS:
        raise InvalidInputError.single("format", f"{output_format!r} is not one of {', '.join(FORMATS)}")
    if min_severity not in SEVERITIES:
        raise InvalidInputError.single("min-severity", f"{min_severity!r} is not one of {', '.join(SEVERITIES)}")
    rules = list(load_rules().values())
    known = {r.id for r in rules} | {r.spec for r in rules}
    for field, ids in (("select", _ids(select)), ("ignore", _ids(ignore))):
        problems = [FieldError(field, unknown_rule_message(i, rules)) for i in ids if i not in known]
        if problems:
            raise InvalidInputError(problems)
    missing = [FieldError("path", f"{p} does not exist") for p in paths if not p.exists()]
    if missing:
        raise InvalidInputError(missing)
    schema_sources.use(schemas)
    try:
        result = run_check(paths or [Path(".")], _ids(select), _ids(ignore), min_severity, schemas)
    except OSError as exc:  # a folder that cannot be listed, a worker process that cannot start
        where = f" ({exc.filename})" if exc.filename else ""
        raise EnvironmentProblemError(f"path: cannot read: {exc.strerror or exc}{where}") from exc
    except BrokenProcessPool as exc:
        raise EnvironmentProblemError(f"check: a checking process stopped unexpectedly: {exc}") from exc
    if output_format == "json":
        print(report.as_json(result.findings, result.modules))
    elif output_format == "sarif":
        print(report.sarif(result.findings, result.rules))
    else:
        print(report.text(result.findings, result.modules))
    return EXIT_FINDINGS if result.findings else EXIT_OK


def run_explain_command(query: str, json_output: bool) -> int:
    """Print what a rule (or every rule of a spec ID) checks, its spec page, how to fix it and an example."""
    import json

    from generator.check import load_rules
    from generator.check.explain import as_dict, as_text, matching

    rules = list(load_rules().values())
    found = matching(rules, query)
    if not found:
        raise InvalidInputError.single("explain", unknown_rule_message(query, rules))
    if json_output:
        print(json.dumps({"query": query, "rules": [as_dict(r) for r in found]}, indent=2))
    else:
        print("\n\n".join(as_text(r) for r in found))
    return EXIT_OK
