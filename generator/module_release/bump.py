"""Versions and the bump a change needs, by the AVM rule (SNFR17): the first version is 0.1.0; below 1.0 a
breaking change or a feature bumps the MINOR version and a fix the PATCH; from 1.0 on, SemVer (breaking ->
MAJOR, feature -> MINOR, fix -> PATCH)."""

from __future__ import annotations

import re
from typing import NamedTuple

from generator.module_release.classify import BREAKING, FEATURE, FIX

BUMPS = ("patch", "minor", "major")
_VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


class Version(NamedTuple):
    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @classmethod
    def parse(cls, text: str) -> Version | None:
        match = _VERSION.fullmatch(text.strip())
        return cls(*(int(g) for g in match.groups())) if match else None


NO_RELEASE = Version(0, 0, 0)


def required_bump(level: str, current: Version) -> str | None:
    """The smallest bump the change level needs; None when nothing changed."""
    if level == BREAKING:
        return "minor" if current.major == 0 else "major"
    if level == FEATURE:
        return "minor"
    return "patch" if level == FIX else None


def bumped(current: Version, bump: str) -> Version:
    if bump == "major":
        return Version(current.major + 1, 0, 0)
    if bump == "minor":
        return Version(current.major, current.minor + 1, 0)
    return Version(current.major, current.minor, current.patch + 1)


def smaller(bump: str, than: str | None) -> bool:
    return than is not None and BUMPS.index(bump) < BUMPS.index(than)


def larger(first: str | None, second: str | None) -> str | None:
    if first is None or second is None:
        return first or second
    return first if BUMPS.index(first) >= BUMPS.index(second) else second
