"""Gathering raw answers from an answers file, --set pairs and flags (later sources win)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.errors import FieldError, InvalidInputError, unreadable
from generator.spec import DERIVED_KEYS, USER_KEYS

# Flags and --set may name a key the way the CLI does.
ALIASES = {"lang": "language", "provider": "provider_namespace", "type": "resource_type", "child": "children"}


def _key(name: str) -> str:
    name = name.strip().replace("-", "_")
    return ALIASES.get(name, name)


def read_data_file(path: Path) -> dict[str, Any]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise unreadable("data-file", path, exc) from exc
    except UnicodeDecodeError as exc:
        raise InvalidInputError.single(
            "data-file", f"{path} is not text (UTF-8); expected a YAML file of answers"
        ) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InvalidInputError.single("data-file", f"{path} is not valid YAML{where}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidInputError.single("data-file", f"{path} must hold a mapping of answers")
    return user_answers(data)


def user_answers(data: Mapping[str, Any]) -> dict[str, Any]:
    """The answers a user gives among those of a data file or a module's answers file: copier's private keys and
    derived answers are left out, recorded children become their type paths (and the published ones)."""
    answers: dict[str, Any] = {}
    unknown = []
    for name, value in data.items():
        key = _key(str(name))
        # An answers file written by avm also records copier's private keys and derived answers.
        if str(name).startswith("_") or key in DERIVED_KEYS:
            continue
        if key not in USER_KEYS:
            unknown.append(str(name))
            continue
        if key == "children" and isinstance(value, list):
            published = [c.get("type") for c in value if isinstance(c, dict) and c.get("published")]
            if published:
                answers["published_children"] = published
            value = [c.get("type") if isinstance(c, dict) else c for c in value]
        answers[key] = value
    if unknown:
        raise InvalidInputError(
            [
                FieldError("data-file", f"{u!r} is not a known answer; expected one of {', '.join(USER_KEYS)}")
                for u in unknown
            ]
        )
    return answers


def parse_sets(pairs: list[str]) -> dict[str, Any]:
    import yaml

    result: dict[str, Any] = {}
    errors: list[FieldError] = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            errors.append(FieldError("set", f"{pair!r} is not KEY=VALUE"))
            continue
        key = _key(name)
        if key not in USER_KEYS:
            errors.append(
                FieldError("set", f"{name.strip()!r} is not a known answer; expected one of {', '.join(USER_KEYS)}")
            )
            continue
        if value.startswith("["):
            try:
                result[key] = yaml.safe_load(value)
            except yaml.YAMLError:
                errors.append(FieldError("set", f"{key}: {value!r} is not a valid list"))
            continue
        result[key] = value
    if errors:
        raise InvalidInputError(errors)
    return result


def gather(data_file: Path | None, sets: list[str], flags: dict[str, Any]) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    if data_file is not None:
        raw.update(read_data_file(data_file))
    raw.update(parse_sets(sets))
    raw.update(flags)
    return raw
