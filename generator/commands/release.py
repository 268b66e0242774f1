"""`avm release`: classify the change since the module's last release, choose the version, write the CHANGELOG
entry (and Bicep's version.json) and say which tag comes next."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from generator.errors import EXIT_OK, InvalidInputError, environment
from generator.module_release import changelog, history
from generator.module_release.bump import BUMPS, NO_RELEASE, Version, bumped, larger, required_bump, smaller
from generator.module_release.classify import BREAKING, FEATURE, Change, Classification, classify, highest
from generator.module_release.interface import Interface, InterfaceError, interface_files, read_interface

ANSWERS_FILE = ".copier-answers.yml"
MODULE_CLASSES = ("res", "ptn", "utl")


@dataclass(frozen=True)
class ReleaseOptions:
    path: Path | None = None
    bump: str | None = None
    changes: list[str] = field(default_factory=list)
    breaking: list[str] = field(default_factory=list)
    dry_run: bool = False
    force: bool = False
    json_output: bool = False


@dataclass(frozen=True)
class Planned:
    path: str  # relative to the module
    text: str
    action: str  # write, unchanged, kept (an entry for the version is there already)
    shown: str = ""  # what a dry run prints: the new entry, or the whole small file


SCOPE_FOLDERS = ("rg-scope", "sub-scope", "mg-scope")


def _language(module: Path) -> str:
    """The module's language; a folder that is released only as part of another (or per scope) is refused."""
    if (module / "main.bicep").is_file():
        scopes = [s for s in SCOPE_FOLDERS if (module / s / history.VERSION_FILE).is_file()]
        if scopes and not (module / history.VERSION_FILE).is_file():
            raise InvalidInputError.single(
                "path", f"{module} is a multi-scope module, released per scope: avm release {module / scopes[0]}"
            )
        return "bicep"
    if any(module.glob("*.tf")):
        if module.parent.name == "modules" and any(module.parent.parent.glob("*.tf")):
            raise InvalidInputError.single(
                "path", f"{module} is a submodule, released with its root module: avm release {module.parent.parent}"
            )
        return "terraform"
    raise InvalidInputError.single("path", f"{module} is not a module: it holds no main.bicep and no .tf files")


def bicep_module_path(module: Path) -> str | None:
    """`avm/res/key-vault/vault`: from the answers file of a module made by avm, else from where it lies."""
    answers = module / ANSWERS_FILE
    if answers.is_file():
        import yaml

        try:
            recorded = (yaml.safe_load(answers.read_text(encoding="utf-8")) or {}).get("bicep_path")
        except (yaml.YAMLError, UnicodeDecodeError, AttributeError):
            recorded = None
        if isinstance(recorded, str) and recorded:
            return recorded
    parts = module.resolve().parts
    for index in range(len(parts) - 1):
        if parts[index] == "avm" and parts[index + 1] in MODULE_CLASSES:
            return "/".join(parts[index:])
    return None


def _read_current(module: Path, language: str) -> dict[str, str]:
    files: dict[str, str] = {}
    with environment("path"):
        for path in interface_files(language, history.module_files(module)):
            try:
                files[path] = (module / path).read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                raise InvalidInputError.single("path", f"{path} is not UTF-8 text") from exc
    return files


def _interface(language: str, files: dict[str, str], where: str) -> Interface:
    try:
        return read_interface(language, files)
    except InterfaceError as exc:
        raise InvalidInputError.single("path", f"{where}{exc}") from exc


def _validate(options: ReleaseOptions) -> Path:
    module = (options.path or Path.cwd()).absolute()
    if not module.exists():
        raise InvalidInputError.single("path", f"{module} does not exist")
    if not module.is_dir():
        raise InvalidInputError.single("path", f"{module} is not a folder")
    if options.bump is not None and options.bump not in BUMPS:
        raise InvalidInputError.single("bump", f"{options.bump!r} is not one of {', '.join(BUMPS)}")
    for name, texts in (("change", options.changes), ("breaking", options.breaking)):
        if any(not text.strip() for text in texts):
            raise InvalidInputError.single(name, "is empty; say what changed")
    return module


def _classified(module: Path, language: str, previous: history.Release | None, bump: str | None) -> Classification:
    current = _interface(language, _read_current(module, language), "")
    if previous is None:
        if bump is None:
            raise InvalidInputError.single(
                "bump",
                f"{module.name} has no previous release (no release tag, no commit that set a version); "
                "make the first one with --bump minor (version 0.1.0)",
            )
        return Classification(FEATURE, (Change(FEATURE, "first release", "module", "no previous release"),))
    old_files = history.files_at(module, previous.commit)
    old_files = {p: text for p, text in old_files.items() if p in interface_files(language, list(old_files))}
    before = _interface(language, old_files, f"the last release ({previous.version}): ")
    changed = history.changed_since(module, previous.commit, (history.VERSION_FILE, history.CHANGELOG))
    return classify(before, current, changed)


def _read(path: Path) -> str | None:
    with environment(path.name):
        return path.read_text(encoding="utf-8") if path.is_file() else None


def _plan(module: Path, language: str, version: Version, notes: changelog.Notes) -> list[Planned]:
    planned: list[Planned] = []
    existing = _read(module / history.CHANGELOG)
    if existing is not None and changelog.has_entry(existing, version):
        planned.append(Planned(history.CHANGELOG, existing, "kept"))
    elif language == "bicep":
        text = changelog.bicep_changelog(existing, bicep_module_path(module), version, notes)
        planned.append(Planned(history.CHANGELOG, text, "write", _entry(language, version, notes)))
    else:
        text = changelog.terraform_changelog(existing, version, _today(), notes)
        planned.append(Planned(history.CHANGELOG, text, "write", _entry(language, version, notes)))
    if language == "bicep":
        current = _read(module / history.VERSION_FILE)
        text = changelog.version_json(current, version)
        planned.insert(0, Planned(history.VERSION_FILE, text, "unchanged" if text == current else "write", text))
    return planned


def _tag(language: str, module: Path, version: Version) -> str:
    if language == "terraform":
        return f"v{version}"
    path = bicep_module_path(module)
    return f"{path}/{version}" if path else str(version)


def run_release(options: ReleaseOptions) -> int:
    module = _validate(options)
    language = _language(module)
    previous = history.last_release(module, language, bicep_module_path(module) if language == "bicep" else None)
    classification = _classified(module, language, previous, options.bump)
    declared = tuple(Change(BREAKING, "declared breaking", "module", text) for text in options.breaking)
    changes = classification.changes + declared
    level = highest([c.level for c in changes])
    current = previous.version if previous else NO_RELEASE
    needed = required_bump(level, current)
    report = {
        "module": str(module),
        "name": (bicep_module_path(module) if language == "bicep" else None) or module.name,
        "language": language,
        "previous": None
        if previous is None
        else {"version": str(previous.version), "commit": previous.commit, "source": previous.source},
        "level": level,
        "changes": [c.as_dict() for c in changes],
        "required_bump": needed,
    }
    raised = _raised_by_hand(module, language, current)
    if needed is None and options.bump is None and raised is None:
        _print_nothing(report, previous, options.json_output, options.dry_run)
        return EXIT_OK
    chosen = options.bump or larger(needed, raised) or "patch"
    if smaller(chosen, needed) and not options.force:
        raise InvalidInputError.single(
            "bump", f"{chosen} is smaller than the {level} change needs; give --bump {needed}, or --force to go ahead"
        )
    version = bumped(current, chosen)
    if version.major >= 1 > current.major and not options.force:
        raise InvalidInputError.single(
            "bump", f"{chosen} makes {version}; AVM modules stay below 1.0 for now (SNFR17); --force to go ahead"
        )
    notes = changelog.Notes(tuple(options.changes), tuple(options.breaking), changes, first=previous is None)
    planned = _plan(module, language, version, notes)
    if not options.dry_run:
        _write(module, [item for item in planned if item.action == "write"])
    report |= {
        "bump": chosen,
        "version": str(version),
        "tag": _tag(language, module, version),
        "files": [{"path": p.path, "action": p.action} for p in planned],
        "dry_run": options.dry_run,
    }
    if options.json_output:
        report["entry"] = _entry(language, version, notes)
        print(json.dumps(report, indent=2))
    else:
        _print_text(report, previous, planned, options.dry_run)
    return EXIT_OK


def _write(module: Path, planned: list[Planned]) -> None:
    """Every file written beside its target first; only when all are written do they replace the targets."""
    from contextlib import ExitStack

    from generator import scratch

    with environment("path"), ExitStack() as stack:
        for item in planned:
            temporary = stack.enter_context(scratch.replacing(module / item.path))
            temporary.write_text(item.text, encoding="utf-8")


def _raised_by_hand(module: Path, language: str, current: Version) -> str | None:
    """The bump a Bicep version.json already raised past the last release stands for (`0.13` -> `0.14`: minor)."""
    if language != "bicep":
        return None
    written = history.version_of(_read(module / history.VERSION_FILE), None)
    if written is None or written[:2] <= current[:2]:
        return None
    return "major" if written.major > current.major else "minor"


def _today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def _entry(language: str, version: Version, notes: changelog.Notes) -> str:
    if language == "bicep":
        return changelog.bicep_entry(version, notes)
    return changelog.terraform_entry(version, _today(), notes)


def _previous_line(previous: history.Release | None) -> str:
    if previous is None:
        return "last release: none (this is the first)"
    return f"last release: {previous.version} ({previous.source}, commit {previous.commit[:12]})"


def _print_nothing(report: dict, previous: history.Release | None, json_output: bool, dry_run: bool) -> None:
    if json_output:
        print(
            json.dumps(report | {"bump": None, "version": None, "tag": None, "files": [], "dry_run": dry_run}, indent=2)
        )
        return
    print(_previous_line(previous))
    print("nothing changed since the last release: nothing to release (give --bump to release anyway)")


def table(changes: list[dict[str, str]]) -> list[str]:
    """The changes as aligned columns: LEVEL, CHANGE, SUBJECT, DETAIL."""
    rows = [("LEVEL", "CHANGE", "SUBJECT", "DETAIL")] + [
        (c["level"], c["kind"], c["subject"], c["detail"]) for c in changes
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip() for r in rows]


def _print_text(report: dict, previous: history.Release | None, planned: list[Planned], dry_run: bool) -> None:
    print(f"module: {report['name']} ({report['language']})")
    print(_previous_line(previous))
    for line in table(report["changes"]):
        print(line)
    needed = report["required_bump"]
    rule = f"needs a {needed} bump" if needed else "needs no bump"
    print(f"change: {report['level']} ({rule}); bump: {report['bump']} -> {report['version']}")
    for item in planned:
        if item.action == "write":
            print(f"{'would write' if dry_run else 'wrote'} {item.path}")
            if dry_run:
                print("\n".join(f"  {line}".rstrip() for line in item.shown.splitlines()))
        else:
            print(f"{item.path}: {'already has the entry' if item.action == 'kept' else 'unchanged'}")
    if report["language"] == "terraform":
        tag = report["tag"]
        print(f"next tag: {tag} (after committing: git tag {tag} && git push origin {tag})")
    else:
        print(f"the registry publishes {report['tag']} when the change is merged")
