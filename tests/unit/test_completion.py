"""The completion callbacks themselves: a problem of any kind completes nothing."""

from __future__ import annotations

from typing import Any

from generator import completion
from generator.interfaces import INTERFACE_KEYS


class BrokenContext:
    @property
    def params(self) -> dict[str, Any]:
        raise RuntimeError("a bug while completing")


def test_a_failing_lookup_completes_nothing() -> None:
    assert completion.resource_types(BrokenContext(), "") == []
    assert completion.child_types(BrokenContext(), "") == []


def test_interfaces_never_offer_all_or_none_after_a_key() -> None:
    assert completion.interfaces("lock,") == [f"lock,{key}" for key in INTERFACE_KEYS if key != "lock"]
