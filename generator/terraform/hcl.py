"""A small HCL writer whose output is already `terraform fmt` clean.

Values are HCL expression text. A multi-line value is written as if it started at column 0: its
continuation lines carry only their indentation relative to the attribute, and the writer adds the
attribute's own indentation. `Heredoc` values are written verbatim (`<<MARKER` heredocs do not
indent), and `obj`/`call`/`listing` build multi-line expressions.

`terraform fmt` aligns the `=` of consecutive single-line attributes of a body; a multi-line
bracketed value, a blank line, a comment or a nested block ends such a run, while a heredoc value
stays part of it. `lines` reproduces exactly that.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

INDENT = "  "


@dataclass(frozen=True)
class Heredoc:
    """A `<<MARKER` heredoc; `text` must not end with a newline."""

    text: str
    marker: str = "DESCRIPTION"

    def render(self) -> str:
        return f"<<{self.marker}\n{self.text}\n{self.marker}"


Value = str | Heredoc


@dataclass(frozen=True)
class Attr:
    name: str
    value: Value


@dataclass(frozen=True)
class Blank:
    """An empty line between two items of a body."""


@dataclass(frozen=True)
class Comment:
    text: str


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...] = ()
    items: tuple[Item, ...] = field(default_factory=tuple)
    comments: tuple[str, ...] = ()  # `#` lines written above the block

    @property
    def text(self) -> str:
        return "\n".join(block_lines(self))

    def __str__(self) -> str:
        return self.text


Item = Attr | Blank | Comment | Block


# ---------------------------------------------------------------------------------------------------------------------
# Strings
# ---------------------------------------------------------------------------------------------------------------------


def template_escape(text: str) -> str:
    """Escape HCL template sequences (`${`, `%{`) so that text is taken literally."""
    return text.replace("${", "$${").replace("%{", "%%{")


def quote(text: str) -> str:
    """A quoted HCL string literal."""
    escaped = json.dumps(text, ensure_ascii=False)[1:-1]
    return f'"{template_escape(escaped)}"'


def description(text: str) -> Value:
    """A description: a quoted string when it is one line, else a `<<DESCRIPTION` heredoc."""
    text = text.strip("\n")
    if "\n" not in text:
        return quote(text)
    return Heredoc(template_escape(text))


# ---------------------------------------------------------------------------------------------------------------------
# Expressions
# ---------------------------------------------------------------------------------------------------------------------


def _is_multiline(value: Value) -> bool:
    return not isinstance(value, Heredoc) and "\n" in value


def _value_text(value: Value) -> str:
    return value.render() if isinstance(value, Heredoc) else value


def obj(items: Iterable[Item | tuple[str, Value]]) -> str:
    """An object constructor (or object type body) `{ ... }`, one attribute a line; `{}` when empty."""
    normalised = [Attr(*i) if isinstance(i, tuple) else i for i in items]
    if not normalised:
        return "{}"
    return "\n".join(["{", *body_lines(normalised, INDENT), "}"])


def call(function: str, args: Sequence[str]) -> str:
    """A function call; one argument a line (with a trailing comma) when any argument spans lines."""
    if not any("\n" in a for a in args):
        return f"{function}({', '.join(args)})"
    lines = [f"{function}("]
    for arg in args:
        lines.extend(_indent_value(f"{arg},", INDENT))
    lines.append(")")
    return "\n".join(lines)


def listing(items: Sequence[str], multiline: bool = False) -> str:
    """A list `[a, b]`; one item a line (trailing commas) when asked or when an item spans lines."""
    if not items:
        return "[]"
    if not multiline and not any("\n" in i for i in items):
        return f"[{', '.join(items)}]"
    lines = ["["]
    for item in items:
        lines.extend(_indent_value(f"{item},", INDENT))
    lines.append("]")
    return "\n".join(lines)


def _indent_value(text: str, indent: str) -> list[str]:
    return [f"{indent}{line}" if line else "" for line in text.split("\n")]


# ---------------------------------------------------------------------------------------------------------------------
# Bodies and blocks
# ---------------------------------------------------------------------------------------------------------------------


def body_lines(items: Sequence[Item], indent: str) -> list[str]:
    """The lines of a body at `indent`, with `=` aligned the way `terraform fmt` aligns it."""
    lines: list[str] = []
    run: list[Attr] = []

    def close_run() -> None:
        if not run:
            return
        width = max(len(a.name) for a in run)
        for attr in run:
            head, *rest = _value_text(attr.value).split("\n")
            lines.append(f"{indent}{attr.name.ljust(width)} = {head}")
            lines.extend(rest)  # heredoc content and closing marker stay at column 0
        run.clear()

    for item in items:
        if isinstance(item, Attr) and not _is_multiline(item.value):
            run.append(item)
            continue
        close_run()
        if isinstance(item, Attr):
            head, *rest = item.value.split("\n")
            lines.append(f"{indent}{item.name} = {head}")
            lines.extend(f"{indent}{line}" if line else "" for line in rest)
        elif isinstance(item, Blank):
            lines.append("")
        elif isinstance(item, Comment):
            lines.extend(f"{indent}# {line}".rstrip() for line in item.text.split("\n"))
        else:
            lines.extend(block_lines(item, indent))
    close_run()
    return lines


def block_lines(block: Block, indent: str = "") -> list[str]:
    header = " ".join([block.type, *(f'"{label}"' for label in block.labels)])
    lines = [f"{indent}# {c}".rstrip() for c in block.comments]
    if not block.items:
        return [*lines, f"{indent}{header} {{}}"]
    return [*lines, f"{indent}{header} {{", *body_lines(block.items, indent + INDENT), f"{indent}}}"]


def file_text(blocks: Iterable[Block | str]) -> str:
    """A whole `.tf` file: top-level blocks separated by one blank line, ending with a newline."""
    return "\n\n".join(b if isinstance(b, str) else b.text for b in blocks) + "\n"


def with_blanks(*groups: Sequence[Item]) -> tuple[Item, ...]:
    """Join the non-empty groups of a body with one blank line between them."""
    items: list[Item] = []
    for group in groups:
        if not group:
            continue
        if items:
            items.append(Blank())
        items.extend(group)
    return tuple(items)
