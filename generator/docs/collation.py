"""Sorting the way Set-ModuleReadMe's `Sort-Object -Culture 'en-US'` sorts on Linux (ICU's root collation).

Punctuation and symbols come before digits and digits before letters, each in ICU's own order (`_` before
`-` before `+`); letters compare without case first, and on a tie lower case comes first.
"""

from __future__ import annotations

from functools import cache

SYMBOL_ORDER = "\t\n\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_WEIGHTS = {char: index for index, char in enumerate(SYMBOL_ORDER)}
_DIGITS = len(SYMBOL_ORDER)
_LETTERS = _DIGITS + 10


@cache
def primary(char: str) -> int:
    if char in _WEIGHTS:
        return _WEIGHTS[char]
    if char.isdigit():
        return _DIGITS + int(char) if char.isascii() else _DIGITS
    if char.isascii() and char.isalpha():
        return _LETTERS + ord(char.lower()) - ord("a")
    return _LETTERS + 26 + ord(char.lower())


@cache
def culture_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(primary(c) for c in text), tuple(1 if c.isupper() else 0 for c in text)
