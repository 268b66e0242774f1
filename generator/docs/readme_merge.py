"""Putting newly generated README sections into an existing README without touching anything else.

A README is its head (everything before the first `## ` heading) and its `##` sections. The generated ones
are replaced; every other section (`## Notes`, a team's own section) is kept byte for byte, after the
generated section it followed; Navigation then lists the headings the README ends up with.
"""

from __future__ import annotations

from generator.bicep.readme_text import Section, join_sections, navigation_section
from generator.errors import InvalidInputError

MARKER_SECTIONS = ("## Parameters", "## Outputs")
GENERATED_HEADINGS = {
    "## Navigation",
    "## Resource Types",
    "## Usage examples",
    "## Parameters",
    "## Functions",
    "## Outputs",
    "## Cross-referenced modules",
    "## Data Collection",
}


def split_sections(text: str) -> list[Section]:
    """The head and the `##` sections of `text`; headings inside fenced code blocks do not count."""
    sections: list[list[str]] = [[]]
    headings = [""]
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            sections.append([])
            headings.append(line.rstrip())
        sections[-1].append(line)
    return [Section(h, tuple(trimmed(lines))) for h, lines in zip(headings, sections, strict=True)]


def trimmed(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def merged(existing: str | None, generated: list[Section], path: str, kept: tuple[str, ...] = ()) -> str:
    """`existing` with the `generated` sections (head and Navigation first) in place of its own. Generated
    headings `generated` no longer has are dropped, but those in `kept` (a section this run does not make)
    stay as they are."""
    if existing is None or not existing.strip():
        return join_sections(generated)
    old = split_sections(existing)
    if not any(s.heading in MARKER_SECTIONS for s in old):
        raise InvalidInputError.single(
            "README.md", f"{path} has no generated sections (## Parameters, ## Outputs) to update"
        )
    new_headings = {s.heading for s in generated}
    result = [s for s in generated if s.heading != "## Navigation"]
    anchor = ""
    for section in old[1:]:
        if section.heading in new_headings or section.heading == "## Navigation":
            anchor = section.heading
            continue
        if section.heading in GENERATED_HEADINGS and section.heading not in kept:
            continue
        position = next((i for i, s in enumerate(result) if s.heading == anchor), 0)
        while position + 1 < len(result) and result[position + 1].heading not in new_headings:
            position += 1  # after the sections already kept there
        result.insert(position + 1, section)
        anchor = section.heading
    titles = [s.title for s in result[1:]]
    return join_sections([result[0], navigation_section(titles), *result[1:]])
