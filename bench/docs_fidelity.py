"""How faithfully `avm docs` rebuilds the READMEs of a bicep-registry-modules checkout, and how fast.

    python bench/docs_fidelity.py PATH_TO_BRM_CHECKOUT [--time]

For every top-level resource module (`avm/res/<group>/<name>`) it builds the README in memory (nothing is
written) and compares it with the committed one: the share whose Parameters and Outputs sections are
identical (target >= 90 %), and the share whose whole README is identical (target >= 50 %), then the
sections that differ in the rest. With `--time` it also times `avm docs --all ROOT --check` over the
whole checkout in a fresh process (target < 30 s).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from generator.docs.readme_merge import split_sections
from generator.docs.readmes import documents
from generator.errors import AvmError

KEY_SECTIONS = ("## Parameters", "## Outputs")


def sections(text: str) -> dict[str, tuple[str, ...]]:
    return {s.heading or "(head)": s.lines for s in split_sections(text)}


def compare(module: Path) -> tuple[bool, bool, list[str]]:
    """(Parameters and Outputs identical, whole README identical, the sections that differ)."""
    document = documents(module)[0]
    committed = (module / "README.md").read_text(encoding="utf-8")
    if document.text == committed:
        return True, True, []
    old, new = sections(committed), sections(document.text)
    differing = [h for h in dict.fromkeys([*old, *new]) if old.get(h) != new.get(h)]
    return not any(h in differing for h in KEY_SECTIONS), False, differing


def fidelity(root: Path) -> int:
    modules = sorted(p.parent for p in root.glob("avm/res/*/*/main.bicep"))
    key_same = whole_same = 0
    reasons: Counter[str] = Counter()
    failures: list[str] = []
    for module in modules:
        try:
            key, whole, differing = compare(module)
        except AvmError as exc:
            failures.append(f"{module.relative_to(root)}: {exc}")
            continue
        key_same += key
        whole_same += whole
        reasons.update(differing)
    total = len(modules)
    print(f"modules: {total}")
    print(f"Parameters and Outputs identical: {key_same}/{total} ({100 * key_same / total:.1f} %), target >= 90 %")
    print(f"whole README identical: {whole_same}/{total} ({100 * whole_same / total:.1f} %), target >= 50 %")
    print("sections that differ (modules):")
    for heading, count in reasons.most_common():
        print(f"  {heading}: {count}")
    for failure in failures:
        print(f"failed: {failure}")
    return 0


def timed_check(root: Path) -> None:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator", "docs", "--all", str(root / "avm"), "--check", "--json"],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    print(f"avm docs --all --check over {root / 'avm'}: {elapsed:.1f} s (exit {done.returncode}), target < 30 s")


def main(argv: list[str]) -> int:
    if not argv or not Path(argv[0], "avm").is_dir():
        print("usage: python bench/docs_fidelity.py PATH_TO_BRM_CHECKOUT [--time]", file=sys.stderr)
        return 2
    root = Path(argv[0]).resolve()
    fidelity(root)
    if "--time" in argv[1:]:
        timed_check(root)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
