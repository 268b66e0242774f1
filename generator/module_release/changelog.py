"""The CHANGELOG entry of a release, and the version.json of a Bicep module.

Bicep follows the registry's layout (BCPNFR22): `## <version>` newest first, each with `### Changes` and
`### Breaking Changes` (`- None` when there is nothing). Terraform AVM repositories keep no CHANGELOG of their own
(release notes are GitHub's), so avm writes the common Keep a Changelog layout: `## [<version>] - <date>` with
`### Added`, `### Changed`, `### Removed`, `### Fixed`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from generator.module_release.bump import Version
from generator.module_release.classify import BREAKING, FIX, Change

BICEP_LINK = "https://github.com/Azure/bicep-registry-modules/blob/main/{path}/CHANGELOG.md"
TERRAFORM_PREAMBLE = (
    "All notable changes to this module are documented in this file. The format follows "
    "[Keep a Changelog](https://keepachangelog.com/en/1.1.0/); versions follow the AVM rules of "
    "[Semantic Versioning](https://semver.org/spec/v2.0.0.html)."
)
INITIAL = "Initial version"
TERRAFORM_SECTIONS = ("Added", "Changed", "Removed", "Fixed")
_VERSION_FIELD = re.compile(r'("version"\s*:\s*")[^"]*(")')


@dataclass(frozen=True)
class Notes:
    """What the entry says: the user's own lines (--change, --breaking), else the classified changes."""

    changes: tuple[str, ...] = ()
    breaking: tuple[str, ...] = ()
    classified: tuple[Change, ...] = field(default_factory=tuple)
    first: bool = False


def bullet(change: Change) -> str:
    detail = f" ({change.detail})" if change.detail else ""
    return f"{change.kind[0].upper()}{change.kind[1:]}: `{change.subject}`{detail}"


def has_entry(text: str, version: Version) -> bool:
    return re.search(rf"^## \[?v?{re.escape(str(version))}\]?(\s|$)", text, re.M) is not None


def _insert(text: str, entry: str) -> str:
    """`entry` before the first version heading (newest first), else at the end."""
    match = re.search(r"^## ", text, re.M)
    if match is None:
        return text.rstrip("\n") + "\n\n" + entry
    return text[: match.start()] + entry + "\n" + text[match.start() :]


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def bicep_entry(version: Version, notes: Notes) -> str:
    if notes.first:
        changes, breaking = [*notes.changes] or [INITIAL], [*notes.breaking]
    else:
        changes = [*notes.changes] or [bullet(c) for c in notes.classified if c.level != BREAKING]
        breaking = [*notes.breaking] or [bullet(c) for c in notes.classified if c.level == BREAKING]
    return (
        f"## {version}\n\n### Changes\n\n{_bullets(changes or ['None'])}\n\n"
        f"### Breaking Changes\n\n{_bullets(breaking or ['None'])}\n"
    )


def bicep_changelog(existing: str | None, module_path: str | None, version: Version, notes: Notes) -> str:
    if existing is None:
        link = f"The latest version of the changelog can be found [here]({BICEP_LINK.format(path=module_path)}).\n\n"
        existing = "# Changelog\n\n" + (link if module_path else "")
    return _insert(existing, bicep_entry(version, notes))


def _terraform_section(change: Change) -> str:
    if change.kind.startswith("added"):
        return "Added"
    if change.kind == "removed":
        return "Removed"
    return "Fixed" if change.level == FIX and change.kind == "files changed" else "Changed"


def terraform_entry(version: Version, date: str, notes: Notes) -> str:
    sections: dict[str, list[str]] = {name: [] for name in TERRAFORM_SECTIONS}
    if notes.first:
        sections["Added"].append(INITIAL)
    elif not (notes.changes or notes.breaking):
        for change in notes.classified:
            prefix = "**Breaking:** " if change.level == BREAKING else ""
            sections[_terraform_section(change)].append(prefix + bullet(change))
    sections["Changed"] += [f"**Breaking:** {line}" for line in notes.breaking] + list(notes.changes)
    body = "".join(f"### {name}\n\n{_bullets(lines)}\n\n" for name, lines in sections.items() if lines)
    return f"## [{version}] - {date}\n\n{body}".rstrip("\n") + "\n"


def terraform_changelog(existing: str | None, version: Version, date: str, notes: Notes) -> str:
    if existing is None:
        existing = f"# Changelog\n\n{TERRAFORM_PREAMBLE}\n\n"
    return _insert(existing, terraform_entry(version, date, notes))


def version_json(existing: str | None, version: Version) -> str:
    """version.json holding `MAJOR.MINOR` (the registry computes the patch), its own layout kept."""
    value = f"{version.major}.{version.minor}"
    if existing is not None and _VERSION_FIELD.search(existing):
        return _VERSION_FIELD.sub(lambda m: f"{m.group(1)}{value}{m.group(2)}", existing, count=1)
    document = {"$schema": "https://aka.ms/bicep-registry-module-version-file-schema#", "version": value}
    return json.dumps(document, indent=2) + "\n"
