"""Sorting the way Set-ModuleReadMe's `Sort-Object -Culture 'en-US'` sorts on Linux (ICU's root collation).

Punctuation and symbols come before digits and digits before letters, each in ICU's own order (`_` before
`-` before `+`); letters compare without case first, and on a tie lower case comes first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

SYMBOL_ORDER = "\t\n\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_WEIGHTS = {char: index for index, char in enumerate(SYMBOL_ORDER)}
_DIGITS = len(SYMBOL_ORDER)
_LETTERS = _DIGITS + 10
INTROSORT_THRESHOLD = 16
T = TypeVar("T")


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


def unstable_sorted(items: list[T], key: Callable[[T], Any]) -> list[T]:
    """`items` sorted the way .NET's `List.Sort` (introspective sort) leaves them, equal keys included.

    Set-ModuleReadMe sorts with `Sort-Object`, which is not stable: rows with equal keys (one resource type at
    several API versions) end up in the order this algorithm gives them, not in their input order.
    """
    keys = [key(item) for item in items]
    order = list(range(len(items)))

    def compare(a: int, b: int) -> int:
        return (keys[a] > keys[b]) - (keys[a] < keys[b])

    _intro_sort(order, 0, len(order), 2 * (len(order).bit_length()), compare)
    return [items[i] for i in order]


def _swap_if_greater(values: list[int], i: int, j: int, compare: Callable[[int, int], int]) -> None:
    if i != j and compare(values[i], values[j]) > 0:
        values[i], values[j] = values[j], values[i]


def _intro_sort(values: list[int], lo: int, hi: int, depth: int, compare: Callable[[int, int], int]) -> None:
    size = hi - lo
    while size > 1:
        if size <= INTROSORT_THRESHOLD:
            if size == 2:
                _swap_if_greater(values, lo, lo + 1, compare)
            elif size == 3:
                _swap_if_greater(values, lo, lo + 1, compare)
                _swap_if_greater(values, lo, lo + 2, compare)
                _swap_if_greater(values, lo + 1, lo + 2, compare)
            else:
                _insertion_sort(values, lo, lo + size, compare)
            return
        if depth == 0:
            _heap_sort(values, lo, lo + size, compare)
            return
        depth -= 1
        pivot = _partition(values, lo, lo + size, compare)
        _intro_sort(values, pivot + 1, lo + size, depth, compare)
        size = pivot - lo


def _partition(values: list[int], lo: int, end: int, compare: Callable[[int, int], int]) -> int:
    hi = end - 1
    middle = lo + ((hi - lo) >> 1)
    _swap_if_greater(values, lo, middle, compare)
    _swap_if_greater(values, lo, hi, compare)
    _swap_if_greater(values, middle, hi, compare)
    pivot = values[middle]
    values[middle], values[hi - 1] = values[hi - 1], values[middle]
    left, right = lo, hi - 1
    while left < right:
        left += 1
        while compare(values[left], pivot) < 0:
            left += 1
        right -= 1
        while compare(pivot, values[right]) < 0:
            right -= 1
        if left >= right:
            break
        values[left], values[right] = values[right], values[left]
    if left != hi - 1:
        values[left], values[hi - 1] = values[hi - 1], values[left]
    return left


def _insertion_sort(values: list[int], lo: int, end: int, compare: Callable[[int, int], int]) -> None:
    for i in range(lo, end - 1):
        current = values[i + 1]
        j = i
        while j >= lo and compare(current, values[j]) < 0:
            values[j + 1] = values[j]
            j -= 1
        values[j + 1] = current


def _heap_sort(values: list[int], lo: int, end: int, compare: Callable[[int, int], int]) -> None:
    n = end - lo
    for i in range(n >> 1, 0, -1):
        _down_heap(values, i, n, lo, compare)
    for i in range(n, 1, -1):
        values[lo], values[lo + i - 1] = values[lo + i - 1], values[lo]
        _down_heap(values, 1, i - 1, lo, compare)


def _down_heap(values: list[int], i: int, n: int, lo: int, compare: Callable[[int, int], int]) -> None:
    top = values[lo + i - 1]
    while i <= n >> 1:
        child = 2 * i
        if child < n and compare(values[lo + child - 1], values[lo + child]) < 0:
            child += 1
        if not compare(top, values[lo + child - 1]) < 0:
            break
        values[lo + i - 1] = values[lo + child - 1]
        i = child
    values[lo + i - 1] = top
