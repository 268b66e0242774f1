"""`avm catalog refresh`: read the AVM API-versions list into the user cache."""

from __future__ import annotations

import json
from dataclasses import asdict

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
