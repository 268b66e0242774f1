"""Bicep literals: Python values written as Bicep (and as JSON for parameter files)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
INDENT = "  "
WIDTH = 120


@dataclass(frozen=True)
class Expr:
    """A Bicep expression. `shown` is how a README example writes it (a placeholder or a resolved value)."""

    code: str
    shown: Any = None


@dataclass(frozen=True)
class Call:
    """A function call; wrapped one argument per line when its line would pass the formatter's width."""

    function: str
    args: tuple[str, ...]

    @property
    def code(self) -> str:
        return f"{self.function}({', '.join(self.args)})"

    def wrapped(self, level: int) -> str:
        pad = INDENT * (level + 1)
        inner = ",\n".join(f"{pad}{a}" for a in self.args)
        return f"{self.function}(\n{inner}\n{INDENT * level})"


def string(value: str) -> str:
    """A single-quoted Bicep string with every special character escaped."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
        .replace("${", "\\${")
    )
    return f"'{escaped}'"


def key(name: str) -> str:
    return name if IDENTIFIER_RE.match(name) else string(name)


def render(value: Any, level: int = 0, resolved: bool = False) -> str:
    """Format a value the way `bicep format` does: one property or item per line, two-space indent.

    With `resolved`, expressions are replaced by what README examples show for them.
    """
    if isinstance(value, Call):
        return f"<{value.code}>" if resolved else value.code
    if isinstance(value, Expr):
        if resolved:
            return render(value.shown if value.shown is not None else f"<{value.code}>", level, resolved)
        return value.code
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, str):
        return string(value)
    pad = INDENT * (level + 1)
    end = INDENT * level
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = []
        for k, v in value.items():
            line = f"{pad}{key(k)}: {render(v, level + 1, resolved)}"
            if isinstance(v, Call) and not resolved and len(line) > WIDTH:
                line = f"{pad}{key(k)}: {v.wrapped(level + 1)}"
            lines.append(line)
        return "{\n" + "\n".join(lines) + f"\n{end}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        lines = [f"{pad}{render(v, level + 1, resolved)}" for v in value]
        return "[\n" + "\n".join(lines) + f"\n{end}]"
    raise TypeError(f"cannot write {type(value).__name__} as Bicep")


def plain(value: Any) -> Any:
    """The value with every expression replaced by its README form (for JSON parameter files)."""
    if isinstance(value, Call):
        return f"<{value.code}>"
    if isinstance(value, Expr):
        return plain(value.shown) if value.shown is not None else f"<{value.code}>"
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def to_json(value: Any) -> str:
    return json.dumps(plain(value), indent=2, ensure_ascii=False)
