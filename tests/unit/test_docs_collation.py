"""Sorting as Set-ModuleReadMe's `Sort-Object -Culture 'en-US'` sorts on Linux."""

from __future__ import annotations

import random

from generator.docs.collation import culture_sort_key, unstable_sorted


def test_punctuation_digits_letters_and_case() -> None:
    words = ["openapi+json", "Zeta", "openapi-link", "alpha", "openapi", "2nd", "Alpha", "openapi+json-link"]
    assert sorted(words, key=culture_sort_key) == [
        "2nd",
        "alpha",
        "Alpha",
        "openapi",
        "openapi-link",
        "openapi+json",
        "openapi+json-link",
        "Zeta",
    ]


def test_the_introspective_sort_sorts_and_keeps_small_inputs_in_order() -> None:
    rng = random.Random(7)
    for size in range(70):
        values = [rng.randint(0, 9) for _ in range(size)]
        assert unstable_sorted(values, key=lambda v: v) == sorted(values)
    pairs = [("b", 1), ("a", 2), ("b", 3), ("a", 4)]
    assert unstable_sorted(pairs, key=lambda p: p[0]) == [("a", 2), ("a", 4), ("b", 1), ("b", 3)]


def test_equal_keys_of_a_long_input_leave_input_order_as_the_partitions_do() -> None:
    rows = [(chr(ord("a") + i % 5), i) for i in range(20)]
    result = unstable_sorted(rows, key=lambda r: r[0])
    assert [r[0] for r in result] == sorted(r[0] for r in rows)
    assert [r[1] for r in result] != [r[1] for r in sorted(rows, key=lambda r: r[0])]
