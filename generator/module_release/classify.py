"""Classify how a module changed since its last release: breaking, feature or fix (or nothing at all).

Inputs: removed or renamed, newly required, a narrowed type (an allowed value removed, a bound raised, an
attribute made required, `any` made specific) -> breaking; new optional inputs, widened types -> feature.
Outputs: removed, or a type that now may hold values it could not before -> breaking; new outputs -> feature.
Anything else that changed (descriptions, defaults, files) -> fix.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from generator.module_release import types as t
from generator.module_release.interface import Input, Interface, Output

NONE, FIX, FEATURE, BREAKING = "none", "fix", "feature", "breaking"
LEVELS = (NONE, FIX, FEATURE, BREAKING)
SHOWN_FILES = 5  # a fix names at most this many changed files

INPUT_LEVELS = {
    t.NARROWS: BREAKING,
    t.INCOMPARABLE: BREAKING,
    t.WIDENS: FEATURE,
    t.REVISED: FEATURE,
    t.REMOVED_ATTRIBUTE: BREAKING,
    t.ADDED_REQUIRED_ATTRIBUTE: BREAKING,
    t.ADDED_OPTIONAL_ATTRIBUTE: FEATURE,
    t.DEFAULT_CHANGED: FIX,
}
# What a caller reads: a type that now holds fewer values breaks nobody, one that holds more may.
OUTPUT_LEVELS = {
    **INPUT_LEVELS,
    t.NARROWS: FIX,
    t.WIDENS: BREAKING,
    t.ADDED_REQUIRED_ATTRIBUTE: FEATURE,
}
TYPE_KINDS = {
    t.NARROWS: "type narrowed",
    t.WIDENS: "type widened",
    t.INCOMPARABLE: "type changed",
    t.REVISED: "type version changed",
}


@dataclass(frozen=True)
class Change:
    level: str
    kind: str
    subject: str  # `parameter sku`, `variable lock.kind`, `modules/secret: output id`
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Classification:
    level: str
    changes: tuple[Change, ...]

    def as_dicts(self) -> list[dict[str, str]]:
        return [c.as_dict() for c in self.changes]


def highest(levels: list[str]) -> str:
    return max(levels, key=LEVELS.index, default=NONE)


def classify(old: Interface, new: Interface, changed_files: list[str]) -> Classification:
    """The changes from `old` to `new`; `changed_files` (relative paths) make a fix when nothing else changed."""
    changes = compare(old, new, "")
    if not changes and changed_files:
        shown = ", ".join(changed_files[:SHOWN_FILES])
        more = f" and {len(changed_files) - SHOWN_FILES} more" if len(changed_files) > SHOWN_FILES else ""
        changes = [Change(FIX, "files changed", "module", shown + more)]
    return Classification(highest([c.level for c in changes]), tuple(changes))


def compare(old: Interface, new: Interface, prefix: str) -> list[Change]:
    word = new.input_word
    changes = _inputs(old.inputs, new.inputs, f"{prefix}{word}")
    changes += _outputs(old.outputs, new.outputs, f"{prefix}output")
    for folder in sorted(old.submodules.keys() - new.submodules.keys()):
        changes.append(Change(BREAKING, "removed", f"submodule {folder}"))
    for folder in sorted(new.submodules.keys() - old.submodules.keys()):
        changes.append(Change(FEATURE, "added", f"submodule {folder}"))
    for folder in sorted(old.submodules.keys() & new.submodules.keys()):
        changes += compare(old.submodules[folder], new.submodules[folder], f"{folder}: ")
    return changes


def _type_changes(old: t.Type, new: t.Type, subject: str, levels: dict[str, str]) -> list[Change]:
    found = []
    for change in t.type_changes(old, new):
        kind = TYPE_KINDS.get(change.effect, change.effect)
        found.append(Change(levels[change.effect], kind, f"{subject}{change.path}", change.detail))
    return found


def _renames(removed: list[Input], added: list[Input]) -> list[tuple[Input, Input]]:
    """Removed and added inputs of the same type and required-ness, paired in order: a rename."""
    pairs = []
    free = list(added)
    for before in removed:
        match = next((a for a in free if a.type == before.type and a.required == before.required), None)
        if match is not None:
            pairs.append((before, match))
            free.remove(match)
    return pairs


def _inputs(old: dict[str, Input], new: dict[str, Input], word: str) -> list[Change]:
    removed = [old[n] for n in old if n not in new]
    added = [new[n] for n in new if n not in old]
    renamed = _renames(removed, added)
    changes = [Change(BREAKING, "renamed", f"{word} {a.name}", f"now {b.name}") for a, b in renamed]
    gone = {a.name for a, _ in renamed} | {b.name for _, b in renamed}
    changes += [Change(BREAKING, "removed", f"{word} {i.name}") for i in removed if i.name not in gone]
    for item in added:
        if item.name not in gone:
            kind = "added (required)" if item.required else "added (optional)"
            changes.append(Change(BREAKING if item.required else FEATURE, kind, f"{word} {item.name}"))
    for name in (n for n in new if n in old):
        changes += _input_changes(old[name], new[name], f"{word} {name}")
    return changes


def _input_changes(old: Input, new: Input, subject: str) -> list[Change]:
    changes = []
    if new.required and not old.required:
        changes.append(Change(BREAKING, "newly required", subject))
    elif old.required and not new.required:
        changes.append(Change(FEATURE, "no longer required", subject))
    elif not new.required and old.default != new.default:
        changes.append(Change(FIX, "default changed", subject, f"{old.default} -> {new.default}"))
    if old.nullable != new.nullable:
        changes.append(Change(BREAKING if old.nullable else FEATURE, "null", subject, _null_detail(new.nullable)))
    changes += _type_changes(old.type, new.type, subject, INPUT_LEVELS)
    for condition in sorted(new.conditions - old.conditions):
        changes.append(Change(BREAKING, "validation added", subject, condition))
    for condition in sorted(old.conditions - new.conditions):
        changes.append(Change(FEATURE, "validation removed", subject, condition))
    if old.sensitive != new.sensitive:
        changes.append(
            Change(FIX, "sensitivity changed", subject, "now sensitive" if new.sensitive else "no longer sensitive")
        )
    if old.description != new.description:
        changes.append(Change(FIX, "description changed", subject))
    return changes


def _null_detail(nullable: bool) -> str:
    return "now takes null" if nullable else "no longer takes null"


def _outputs(old: dict[str, Output], new: dict[str, Output], word: str) -> list[Change]:
    changes = [Change(BREAKING, "removed", f"{word} {n}") for n in old if n not in new]
    changes += [Change(FEATURE, "added", f"{word} {n}") for n in new if n not in old]
    for name in (n for n in new if n in old):
        before, after, subject = old[name], new[name], f"{word} {name}"
        if before.type is not None and after.type is not None:
            changes += _type_changes(before.type, after.type, subject, OUTPUT_LEVELS)
        if before.sensitive != after.sensitive:
            level = BREAKING if after.sensitive else FIX  # a sensitive output must be marked so by its readers
            changes.append(
                Change(
                    level, "sensitivity changed", subject, "now sensitive" if after.sensitive else "no longer sensitive"
                )
            )
        if before.value != after.value:
            changes.append(Change(FIX, "value changed", subject))
        if before.description != after.description:
            changes.append(Change(FIX, "description changed", subject))
    return changes
