"""`avm catalog refresh`: read the AVM API-versions list into the user cache; `avm catalog show`: what avm knows
about one resource type."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from generator.errors import EXIT_OK


def run_refresh(source: str | None, json_output: bool) -> int:
    from generator.catalog import refresh

    result = refresh(source)
    if json_output:
        print(json.dumps(asdict(result), indent=2))
    else:
        print(
            f"catalog refreshed from {result.source}: {result.namespaces} namespaces, {result.types} types; "
            f"{result.newer_api_versions} catalog types have a newer stable API version"
        )
    return EXIT_OK


def run_show(type_text: str, json_output: bool, api_version: str | None, schemas_dir: Path | None) -> int:
    from generator.commands.catalog_show import build, render_text

    report = build(type_text, api_version=api_version, schemas_dir=schemas_dir)
    if json_output:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(render_text(report))
    return EXIT_OK
