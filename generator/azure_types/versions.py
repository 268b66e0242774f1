"""Which of the API versions that have a schema stands in for the one a module pins.

The exact version when it is there (compared case-insensitively); else the nearest older one, never a newer one:
a newer schema may offer properties the pinned version rejects. When the pinned version is stable, the nearest
older stable version is preferred to any preview, however much newer the preview: a preview may offer properties
the stable API never took, while what an older stable version offers the newer one still accepts. Only when no
older stable version exists does a preview stand in. A pinned preview takes the nearest older version of either
kind. On one date a preview counts as older than the stable version (previews come first).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from generator.api_versions import is_stable

DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})(.*)$")


class ResolvedVersion(NamedTuple):
    version: str  # as `available` spells it
    exact: bool


def age_key(version: str) -> tuple[str, int, str] | None:
    """Sorts API versions oldest first; None for one that is not `YYYY-MM-DD[-suffix]`."""
    match = DATED.match(version.lower())
    if match is None:
        return None
    date, suffix = match.groups()
    return date, int(is_stable(version)), suffix


def resolve_version(available: list[str], wanted: str) -> ResolvedVersion | None:
    exact = next((version for version in available if version.lower() == wanted.lower()), None)
    if exact is not None:
        return ResolvedVersion(exact, True)
    wanted_key = age_key(wanted)
    if wanted_key is None:
        return None
    older = [(key, version) for version in available if (key := age_key(version)) is not None and key < wanted_key]
    if is_stable(wanted) and any(is_stable(version) for _, version in older):
        older = [(key, version) for key, version in older if is_stable(version)]
    return ResolvedVersion(max(older)[1], False) if older else None
