"""`avm docs` over a real bicep-registry-modules checkout (set AVM_BRM_CHECKOUT to its path; skipped without)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.docs.readme_merge import split_sections
from generator.docs.readmes import documents

CHECKOUT = Path(os.environ["AVM_BRM_CHECKOUT"]) if os.environ.get("AVM_BRM_CHECKOUT") else None

pytestmark = pytest.mark.skipif(
    CHECKOUT is None or not (CHECKOUT / "avm" / "res").is_dir(), reason="AVM_BRM_CHECKOUT names no registry checkout"
)


def key_sections(text: str) -> list[tuple[str, ...]]:
    return [s.lines for s in split_sections(text) if s.heading in ("## Parameters", "## Outputs")]


def test_parameters_and_outputs_match_for_nine_in_ten_resource_modules() -> None:
    assert CHECKOUT is not None
    modules = sorted(p.parent for p in CHECKOUT.glob("avm/res/*/*/main.bicep"))
    same = whole = 0
    for module in modules:
        committed = (module / "README.md").read_text(encoding="utf-8")
        built = documents(module)[0].text
        same += key_sections(built) == key_sections(committed)
        whole += built == committed
    assert same >= 0.9 * len(modules)
    assert whole >= 0.5 * len(modules)


def test_a_module_copied_out_of_the_checkout_keeps_its_readme(tmp_path: Path) -> None:
    assert CHECKOUT is not None
    source = CHECKOUT / "avm" / "res" / "key-vault" / "vault"
    copy = tmp_path / "vault"
    shutil.copytree(source, copy)
    assert [d.text for d in documents(copy)] == [d.text for d in documents(source)]
