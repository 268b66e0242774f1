"""terraform-docs' text rules for the "markdown document" formatter: how descriptions, headers and footers
are escaped and broken into lines, and the clean-up every rendered section goes through.

Go's regular expressions are ASCII for `\\s` and `\\w`; the classes below spell that out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SPACE = "\t\n\f\r "
_MARK = "\u2021\u2021\u2021DOUBLESPACES\u2021\u2021\u2021"
_KEEP = "\u2021\u2021\u2021DONTESCAPE\u2021\u2021\u2021"

# Go's regexp `\w` is [0-9A-Za-z_] and `\s` is [\t\n\f\r ].
_LINE_BREAK = re.compile(r"([^\t\n\f\r ]*)(\r?\n)([\t\n\f\r ]*)([0-9A-Za-z_]+)")
_LEADING = re.compile(rb"^([\t\n\f\r ]*)(_+)([\t\n\f\r ]+)(.*)")
_EMPHASIS = re.compile(rb"([\t\n\f\r ]+)(_+)([^\t\n\f\r _])(.*)([^\t\n\f\r _])(_+)([\t\n\f\r ]+)")
# A URL as xurls' strict matcher finds one: a scheme, `//` or `mailto:`-like, then no blanks or quotes.
_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|mailto:)[^\t\n\f\r \"'<>`]+")


def _segments(text: str, fence: str, normal: Callable[[str], str], code: Callable[[str], str]) -> str:
    """Text split at `fence`, alternating between normal text and code; empty pieces are skipped and do not
    switch between the two (as terraform-docs does)."""
    in_code = text.startswith(fence)
    out = []
    for piece in text.split(fence):
        if not piece:
            continue
        out.append(code(piece) if in_code else normal(piece))
        in_code = not in_code
    return "".join(out)


def _keep_underscores(line: bytes, pattern: re.Pattern[bytes], groups: tuple[int, ...]) -> bytes:
    """Mark the underscores of `groups` in every match as not to be escaped. The byte offsets used are those
    of the line before any marking, as terraform-docs uses them (a second match on a line lands off)."""
    keep = _KEEP.encode()
    for match in list(pattern.finditer(line)):
        for group in groups:
            start, end = match.span(group)
            line = line[:start] + match.group(group).replace(b"_", keep) + line[end:]
    return line


def _escape_line(line: str) -> str:
    raw = _keep_underscores(line.encode(), _LEADING, (2,))
    raw = _keep_underscores(raw, _EMPHASIS, (6, 2))
    return raw.decode(errors="replace").replace("_", "\\_").replace(_KEEP, "_")


def escape_characters(text: str) -> str:
    """Underscores outside code spans are escaped, except a leading list-like run and emphasis markers."""
    return _segments(
        text,
        "`",
        lambda piece: "\n".join(_escape_line(line) for line in piece.split("\n")),
        lambda piece: f"`{piece}`",
    )


def _line_breaks(text: str) -> str:
    text = _LINE_BREAK.sub(r"\1  \2\3\4", text)
    text = text.replace("    \n", "  \n")
    text = text.replace("  \n\n", "\n\n")
    return text.replace("\n  \n", "\n\n")


def normalize_urls(text: str) -> str:
    """Backslashes escaping inside a URL are taken out again."""
    for url in _URL.findall(text):
        text = text.replace(url, url.replace("\\", ""))
    return text


def sanitize_document(text: str, escape: bool) -> str:
    """A description: escaped, each line break before a word made a Markdown line break."""
    if not text:
        return "n/a"

    def normal(piece: str) -> str:
        if escape:
            piece = escape_characters(piece)
        piece = _line_breaks(piece)
        return normalize_urls(piece) if escape else piece

    def code(piece: str) -> str:
        return f"```{piece}{'' if piece.endswith(chr(10)) else chr(10)}```"

    return _segments(text, "```", normal, code)


def sanitize_section(text: str, escape: bool) -> str:
    """A header or footer: escaped, its lines left as they are."""
    if not text:
        return "n/a"

    def normal(piece: str) -> str:
        if escape:
            piece = normalize_urls(escape_characters(piece))
        return piece

    def code(piece: str) -> str:
        last_break = "" if piece.endswith("\n") else "\n"
        if not piece.split("\n")[-1].strip():
            last_break = ""
        return f"```{piece}{last_break}```"

    return _segments(text, "```", normal, code)


def sanitize(markdown: str) -> str:
    """The clean-up of a rendered section: trailing blanks go (two kept as a line break), runs of blank lines
    shrink to one, and the end is trimmed."""
    result = re.sub(r" {2}(\r?\n)", _MARK + r"\1", markdown)
    result = re.sub(r" +(\r?\n)", r"\1", result)
    result = re.sub(r" +\Z", "", result)
    result = re.sub(re.escape(_MARK) + r"(\r?\n)", r"  \1", result)
    result = re.sub(r"(\r?\n)  (\r?\n)", r"\1", result)
    result = re.sub(r"(\r?\n){3,}", r"\1\1", result)
    return re.sub(r"(\r?\n){2,}\Z", "", result)
